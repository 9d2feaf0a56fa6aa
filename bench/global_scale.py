"""Benchmark at global scale: every country, all 17 tables, 30 years, three releases with revisions.

    .venv/bin/python bench/global_scale.py --scale 0.01 --backend sqlite,postgresql --json /tmp/global.json

``--scale 1.0`` is ~19.7 million observations (252 countries of CL_COUNTRY x 30 years x 2,610 cells
per country-year); ``--scale`` keeps that many countries (``round(252 * scale)``, at least one), every
table, year, basis, source and partner. Run the full scale only on a quiet machine: it writes
~2 GB of ILOSTAT CSV and a database of several GB per backend.

The synthetic dataset (``plan`` and ``observations`` below), derived from the declarations:

* every table's ``required`` cells (sexes x its own dimensions' codes), plus ``--partners`` (20)
  partner countries in the partner-country tables (3, 4, 9, 13, 14, 15);
* both migrant bases (BIR, CIT) where a table has them (modules A and B), ``_Z`` in module C;
* two sources where a country would have two: a labour force survey and a population census for
  tables 1, 2 and 8 (``BA_8xxx``, ``AA_8xxx``), one source elsewhere (surveys in module A,
  administrative records ``XA_8xxx`` in B and C);
* years 1995-2024 in three rounds, each an ILOSTAT CSV per table loaded with the curator's
  ``load_file`` and followed by a published release: round 1 = 1995-2014 (first load), round 2 =
  2015-2019 plus a revision of 5 % of the earlier cells, round 3 = 2020-2024 plus another 5 %.
  So ``bench-r1`` is an old release's cut and ``bench-r3`` the latest, with history in between.

Measured on each backend (``--runs`` times, median and spread (min-max); the 1-minute load average
is recorded next to each figure since the machine may be shared):

1. load throughput (obs/s): each round's ILOSTAT CSV files (first load, revision), and a
   questionnaire (one country-year, prefilled from the database, loaded into an empty database and
   again as an unchanged revision);
2. three queries on table ``--table`` (1): one country x all years (``slice``), all countries x one
   year (``year``), the whole table (``whole``), each: the floor (the store's own SELECT on a raw
   DBAPI cursor, ``fetchall``), ``store.read.observations``, and over HTTP against ``ilms serve``:
   SDMX-CSV 2.0, SDMX-JSON 2.1, SDMX-ML 3.0 (REST v2), the JSON API in JSON and its tidy CSV --
   total time, time to first byte, obs/s and the ratio to the floor;
3. Datasette serving the same SQLite file, the same SQL as CSV (``--datasette``, SQLite only): its
   time and our SDMX-CSV time / its time;
4. availability (REST v2 availability of the slice), an old release's cut against the latest's
   (JSON API ``release=``) and an as-of query (``as_of=`` a date between the releases);
5. the server's peak resident memory while streaming the whole table (every format);
6. the bulk build of the latest release's downloads (``--bulk``; openpyxl makes it slow).

Phases (``--phase``), so that a large dataset is loaded once and measured later with newer code:

* ``all`` (default): generate, load, measure, in scratch databases dropped at the end;
* ``load --out DIR``: generate the files and load the three rounds with their releases into
  ``DIR/sqlite/serve.sqlite`` and/or a PostgreSQL database ``ilms_bench_serve_xxxxxx`` next to
  ``--pg-url``, both kept; ``DIR/global-scale-load.json`` records the dataset (scale, partners,
  tables), the database names and the load figures (also written to ``--json``);
* ``query --reuse DIR``: no generation, no load: the databases' schema brought up to date first
  (``ilms db upgrade``: they may have been loaded by older code; its time is reported), then
  everything else (questionnaire, floor, served formats, typical slices, history, Datasette,
  ``--bulk``) on them, in a temporary folder under DIR removed at the end; its ``--json`` holds
  the load's figures too (one report);
* ``report --merge A.json B.json ...``: one report (and ``--json``) from several phases' files;
* ``drop --reuse DIR``: drop the kept PostgreSQL database and delete DIR.

The typical slice of the issue: one country x all years of every table (17), the floor and
SDMX-CSV 2.0 over HTTP, per table and the median over the tables (table 1's slice, 25,200 obs, is
the biggest).

Everything is written in a new folder under ``--out`` (default: the system's temporary directory;
never in the repository) after a free-disk check, and deleted at the end unless ``--keep``.
PostgreSQL runs in a scratch database created next to ``--pg-url`` and dropped at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve  # noqa: E402 -- the helpers of bench/serve.py: Server, fetch, RssSampler, scratch, drop

from ilms.collect.load import load_file  # noqa: E402
from ilms.observation import Observation  # noqa: E402
from ilms.publish import ilostat as ilostat_csv  # noqa: E402
from ilms.store import read, releases, write  # noqa: E402
from ilms.store.db import make_engine  # noqa: E402
from ilms.store.migrate import current, upgrade  # noqa: E402
from ilms.store.read import Selection  # noqa: E402
from ilms.tables import structure  # noqa: E402

YEARS = tuple(str(y) for y in range(1995, 2025))
ROUNDS = (("bench-r1", YEARS[:20], None), ("bench-r2", YEARS[20:25], 0), ("bench-r3", YEARS[25:], 1))
REVISE_EVERY = 20                        # 5 % of the cells loaded before a round are revised in it
TWO_SOURCES = {1: ("BA", "AA"), 2: ("BA", "AA"), 8: ("BA", "AA")}
ONE_SOURCE = {"A": "BA", "B": "XA", "C": "XA"}
BYTES_PER_OBS = 400                      # CSV (~110 B) + database with indexes (~250 B), with margin
FULL_COUNTRIES = 252


# ------------------------------------------------------------------------------------------ the data

@dataclass(frozen=True)
class SeriesSpec:
    table: int
    key: tuple[str, ...]


def countries(scale: float) -> list[str]:
    codes = [c.id for c in structure().codelists["CL_COUNTRY"].codes]
    n = max(1, round(len(codes) * scale))
    step = len(codes) / n                     # spread over the alphabet, deterministic
    return [codes[int(i * step)] for i in range(n)]


def partners(n: int) -> list[str]:
    codes = [c.id for c in structure().codelists["CL_PARTNER"].codes if len(c.id) == 3 and c.id != "TOT"]
    return codes[:n]


def plan(scale: float, n_partners: int = 20, tables: tuple[int, ...] | None = None) -> list[SeriesSpec]:
    """Every series of the dataset, country by country, table by table (``tables``: only those)."""
    s = structure()
    extra = partners(n_partners)
    out = []
    for i, area in enumerate(countries(scale)):
        for table in s.tables.values():
            if tables and table.number not in tables:
                continue
            bases = sorted({m.fixed.get("BASIS", "_Z") for m in table.ilostat})
            kinds = TWO_SOURCES.get(table.number, (ONE_SOURCE[table.module],))
            dims = []
            for d in table.dimensions[3:]:
                codes = list(table.required.get(d.id, ()))
                if d.codelist.id == "CL_PARTNER":
                    codes += [c for c in extra if c != area and c not in codes]
                dims.append(codes)
            for kind in kinds:
                source = f"{kind}_{8000 + i}"
                for basis in bases:
                    for rest in itertools.product(*dims):
                        out.append(SeriesSpec(table.number, (area, source, basis, *rest)))
    return out


def observations(series: list[SeriesSpec], table_no: int, years, revision: int | None):
    """The observations of ``table_no`` for ``years``; with ``revision`` r, also the revised 5 % of
    the cells of the earlier years (their value moved by r + 1)."""
    earlier = YEARS[:YEARS.index(years[0])]
    for s_i, spec in enumerate(series):
        if spec.table != table_no:
            continue
        if revision is not None:
            for y in earlier:
                if (s_i + int(y)) % REVISE_EVERY == revision:
                    yield _obs(spec, s_i, y, bump=revision + 1)
        for y in years:
            yield _obs(spec, s_i, y, bump=0)


def _obs(spec: SeriesSpec, s_i: int, year: str, bump: int) -> Observation:
    value = round(((s_i * 7919 + int(year) * 104729) % 99991) / 10.0 + bump, 1)
    return Observation(spec.table, spec.key, year, value, status="E" if (s_i + int(year)) % 13 == 0 else None,
                       decimals=1)


def write_round_files(folder: Path, series: list[SeriesSpec], years, revision) -> list[tuple[Path, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for t in sorted({s.table for s in series}):
        path = folder / f"ilostat-t{t:02d}.csv"
        n = ilostat_csv.write(path, observations(series, t, years, revision), tables=[t])
        out.append((path, n))
    return out


def check_disk(folder: Path, n_obs: int, backends: int) -> None:
    need = n_obs * BYTES_PER_OBS * (1 + backends) // 2
    free = shutil.disk_usage(folder).free
    if free < need * 1.2:
        raise SystemExit(f"{folder}: {free / 2**30:.1f} GiB free, this run needs about {need / 2**30:.1f} GiB "
                         f"(+20 %); give --out on a larger disk or a smaller --scale")


# ------------------------------------------------------------------------------------------ timing

def load1() -> float:
    return round(os.getloadavg()[0], 2)


def timed(fn, runs: int) -> dict:
    """Median and spread of ``runs`` calls of ``fn`` (after one warm-up call); ``fn`` returns a count."""
    fn()
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - t0)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "n": n, "load": load1()}


def fetch_many(client: httpx.Client, path: str, media_type: str | None, runs: int) -> dict:
    serve.fetch(client, path, media_type)                         # warm-up
    got = [serve.fetch(client, path, media_type) for _ in range(runs)]
    totals = [g["total"] for g in got]
    return {"median": statistics.median(totals), "min": min(totals), "max": max(totals),
            "ttfb": statistics.median(g["ttfb"] for g in got), "bytes": got[-1]["bytes"],
            "lines": got[-1]["lines"], "load": load1()}


# ------------------------------------------------------------------------------------------ phases

def load_rounds(url: str, data: Path, series: list[SeriesSpec]) -> list[dict]:
    """Each round's files through ``load_file``, then a published release; obs/s per round."""
    engine = make_engine(url)
    out = []
    try:
        for name, years, revision in ROUNDS:
            files = write_round_files(data / name, series, years, revision)
            t0, c0 = time.perf_counter(), time.process_time()
            added = changed = unchanged = 0
            for path, _ in files:
                r = load_file(engine, path, by="bench", check=False)
                added, changed, unchanged = (added + r.summary.added, changed + r.summary.changed,
                                             unchanged + r.summary.unchanged)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            rows = sum(n for _, n in files)
            t1 = time.perf_counter()
            with engine.begin() as conn:
                if name == ROUNDS[-1][0]:
                    currency_of_wages(conn, years[-1])
                releases.create(conn, name, by="bench", synthetic=True, description="global-scale benchmark")
                releases.publish(conn, name, by="bench")
            out.append({"round": name, "kind": "first load" if revision is None else "revision",
                        "files": len(files), "rows": rows, "added": added, "changed": changed,
                        "unchanged": unchanged, "seconds": took, "obs_per_s": rows / took,
                        "cpu_seconds": cpu, "obs_per_cpu_s": rows / cpu,
                        "release_seconds": time.perf_counter() - t1, "load": load1()})
            print(f"  {name}: {rows:,} rows in {took:.1f} s ({rows / took:,.0f} obs/s, {rows / cpu:,.0f} per "
                  f"CPU-s of this process), release "
                  f"{out[-1]['release_seconds']:.1f} s", file=sys.stderr, flush=True)
    finally:
        engine.dispose()
    return out


def currency_of_wages(conn, year: str) -> None:
    """ILOSTAT CSV has no currency column: the curator gives the wage tables' currency for ``year``
    (a correction before the release), so that a questionnaire prefilled from it can be loaded."""
    wages = [o.with_(currency="USD") for t in structure().tables.values() if t.unit.currency_required
             for o in read.observations(conn, Selection(table=t.number, start=year, end=year), public=False)]
    write.write(conn, wages, kind="load", by="bench", reason="currency of the wage tables")


def load_questionnaire(url: str, empty_url: str, data: Path, country: str) -> dict:
    """A questionnaire of ``country`` for 2024, prefilled from the database: loaded into an empty
    database (first load) and into this one (a revision that changes nothing)."""
    from ilms.collect.questionnaire import write_questionnaire

    engine, empty = make_engine(url), make_engine(empty_url)
    path = data / f"questionnaire-{country}-2024.xlsx"
    try:
        with engine.connect() as conn:
            write_questionnaire(path, conn, country, 2024, prefill=True)
        upgrade(empty)
        out = {}
        for label, target in (("first load", empty), ("revision", engine)):
            t0 = time.perf_counter()
            r = load_file(target, path, by="bench", check=False)
            took = time.perf_counter() - t0
            rows = r.summary.added + r.summary.changed + r.summary.unchanged
            out[label] = {"rows": rows, "added": r.summary.added, "unchanged": r.summary.unchanged,
                          "seconds": took, "obs_per_s": rows / took, "load": load1()}
        return out
    finally:
        engine.dispose()
        empty.dispose()


def floor_and_store(url: str, selections: dict, runs: int, store: bool = True) -> dict:
    engine = make_engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for q, sel in selections.items():
                sql = serve.literal_sql(conn, read._statement(conn, sel))

                def floor(sql=sql):
                    return serve.floor_count(conn, sql)

                def store_read(sel=sel):
                    return sum(1 for _ in read.observations(conn, sel, public=True))

                out[q] = {"floor": timed(floor, runs), "sql": sql}
                if store:
                    out[q]["store"] = timed(store_read, runs)
    finally:
        engine.dispose()
    return out


@dataclass(frozen=True)
class Web:
    name: str
    label: str
    media_type: str | None

    def path(self, table, country: str | None, year: str | None, extra: str = "") -> str:
        if self.media_type is None:
            fmt = "csv" if self.name == "api-csv" else "json"
            q = f"format={fmt}" + (f"&country={country}" if country else "") + (f"&year={year}" if year else "")
            return f"/api/v1/tables/{table.number}/data?{q}{extra}"
        key = ".".join([country or "*"] + ["*"] * (len(table.key_order) - 1))
        q = f"?c[TIME_PERIOD]=ge:{year}%2Ble:{year}" if year else ""
        return f"/rest/v2/data/dataflow/{structure().agency}/{table.id}/~/{key}{q}"


WEB = [
    Web("v2-csv20", "SDMX-CSV 2.0", "application/vnd.sdmx.data+csv;version=2.0.0"),
    Web("v2-json21", "SDMX-JSON 2.1", "application/vnd.sdmx.data+json;version=2.1.0"),
    Web("v2-ml30", "SDMX-ML 3.0", "application/vnd.sdmx.data+xml;version=3.0.0"),
    Web("api-json", "JSON API, JSON", None),
    Web("api-csv", "JSON API, tidy CSV", None),
]


def served(server: serve.Server, table, queries: dict[str, tuple[str | None, str | None]], runs: int,
           timeout: float) -> list[dict]:
    out = []
    with httpx.Client(base_url=server.base, timeout=timeout) as client:
        for w in WEB:
            for q, (country, year) in queries.items():
                before = serve.rss_kb(server.proc.pid)
                with serve.RssSampler(server.proc.pid) as sampler:
                    r = fetch_many(client, w.path(table, country, year), w.media_type, runs)
                out.append({"format": w.name, "label": w.label, "query": q, **r,
                            "rss_before_kb": before, "rss_peak_kb": sampler.peak})
                print(f"  {w.name:<10} {q:<6} {r['median']:8.3f} s  {r['bytes'] / 1e6:8.1f} MB", file=sys.stderr,
                      flush=True)
    return out


def history_queries(server: serve.Server, table, country: str, runs: int, timeout: float, as_of: str) -> dict:
    key = ".".join([country] + ["*"] * (len(table.key_order) - 1))
    paths = {
        "availability (v2, slice)": (f"/rest/v2/availability/dataflow/{structure().agency}/{table.id}/~/{key}",
                                     "application/vnd.sdmx.structure+json;version=2.0.0"),
        "slice, latest release (bench-r3)": (f"/api/v1/tables/{table.number}/data?format=csv&country={country}"
                                             "&release=bench-r3", None),
        "slice, old release (bench-r1)": (f"/api/v1/tables/{table.number}/data?format=csv&country={country}"
                                          "&release=bench-r1", None),
        f"slice, as_of={as_of}": (f"/api/v1/tables/{table.number}/data?format=csv&country={country}"
                                  f"&as_of={quote(as_of)}", None),
    }
    out = {}
    with httpx.Client(base_url=server.base, timeout=timeout) as client:
        for label, (path, media) in paths.items():
            try:
                out[label] = fetch_many(client, path, media, runs)
            except Exception as exc:                               # noqa: BLE001 -- reported, not fatal
                out[label] = {"error": str(exc)[:300]}
    return out


def datasette_peer(sqlite_file: Path, sqls: dict[str, str], runs: int, timeout: float, log: Path) -> dict:
    """Datasette serving the same SQLite file: the same SQL as CSV (all rows), our ratio to it."""
    exe = Path(sys.executable).parent / "datasette"
    if not exe.exists():
        return {"error": "datasette is not installed (pip install -e '.[bench]')"}
    port = serve.free_port()
    proc = subprocess.Popen([str(exe), "serve", str(sqlite_file), "--port", str(port), "--host", "127.0.0.1",
                             "--immutable", str(sqlite_file), "--setting", "max_returned_rows", "100000000", "--setting", "max_csv_mb", "0",
                             "--setting", "sql_time_limit_ms", str(int(timeout * 1000)),
                             "--setting", "num_sql_threads", "1"],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)
    db = sqlite_file.stem
    out = {}
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600          # an immutable file is counted at start: minutes at 20 M
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=timeout) as client:
            for q, sql in sqls.items():
                path = str(httpx.URL(f"/{db}.csv", params={"sql": sql, "_size": "max"}))
                try:
                    out[q] = fetch_many(client, path, None, runs)
                except Exception as exc:                           # noqa: BLE001 -- reported
                    out[q] = {"error": str(exc)[:300]}
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:            # still streaming a whole table: it ran out of time
            proc.kill()
            proc.wait(15)
    return out


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its children that have ended (the bulk build's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bulk_build(url: str, root: Path) -> dict:
    from ilms.publish import bulk, bulk_workers
    engine = make_engine(url)
    try:
        t0, c0 = time.perf_counter(), _cpu_with_children()
        bulk.build(engine, "bench-r3", root=root)
        return {"seconds": time.perf_counter() - t0, "cpu": _cpu_with_children() - c0,
                "workers": bulk_workers.default_workers(), "load": load1()}
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------------ one backend

def run_backend(backend: str, args, series: list[SeriesSpec], work: Path) -> dict:
    """``--phase all``: load into scratch databases, measure, drop them (unless ``--keep``)."""
    tmp = work / backend
    tmp.mkdir(parents=True, exist_ok=True)
    url, cleanup = serve.scratch(backend, args.pg_url, tmp)
    try:
        result = load_backend(backend, url, work, series)
        result.update(query_backend(backend, url, args, series, tmp))
    finally:
        if not args.keep:
            serve.drop(cleanup)
    return result


def load_backend(backend: str, url: str, work: Path, series: list[SeriesSpec]) -> dict:
    """The load phase on one backend: the schema, the three rounds and their releases."""
    upgrade_engine = make_engine(url)
    upgrade(upgrade_engine)
    upgrade_engine.dispose()
    print(f"[{backend}] loading ...", file=sys.stderr, flush=True)
    loads = load_rounds(url, work / "files", series)
    return {"backend": backend, "url": make_url(url).render_as_string(hide_password=True), "loads": loads,
            "observations": sum(r["added"] for r in loads)}


def schema_upgrade(backend: str, url: str) -> dict:
    """``--phase query``: the reused database brought to this code's schema (it was loaded by older
    code), as ``ilms db upgrade`` would: the revisions before and after, and the time it took."""
    engine = make_engine(url)
    try:
        before = current(engine)
        t0 = time.perf_counter()
        upgrade(engine)
        r = {"from": before, "to": current(engine), "seconds": time.perf_counter() - t0, "load": load1()}
    finally:
        engine.dispose()
    print(f"[{backend}] schema {r['from']} -> {r['to']}: {r['seconds']:.1f} s", file=sys.stderr, flush=True)
    return r


def query_backend(backend: str, url: str, args, series: list[SeriesSpec], tmp: Path) -> dict:
    """The query phase on one loaded database (``url``): everything but the load; ``tmp`` holds the
    server's data folder, the empty database of the questionnaire and the bulk files."""
    table = structure().table(args.table)
    country = series[0].key[0]
    year = YEARS[-1]
    tmp.mkdir(parents=True, exist_ok=True)
    empty_url, cleanup2 = serve.scratch(backend, args.pg_url, tmp / "empty") if backend == "postgresql" \
        else (f"sqlite:///{tmp}/empty.sqlite", None)
    # the JSON API refuses more than 1,000,000 observations in one response (ILMS_LIMIT_API_OBSERVATIONS,
    # docs/limits.md): a whole table at full scale (6.35 M) is over it. The benchmark measures the
    # service, not the limit: both response limits are lifted for its server.
    env = {**os.environ, "ILMS_DATA_DIR": str(tmp / "data"), "ILMS_WEB_PREBUILD_DOWNLOADS": "0",
           "ILMS_LIMIT_API_OBSERVATIONS": "1000000000", "ILMS_LIMIT_SDMX_OBSERVATIONS": "1000000000"}
    env.pop("ILMS_DATABASE_URL", None)
    result = {}
    server = None
    try:
        cut_r1 = next(r for r in _releases(url) if r.name == "bench-r1").cut
        if args.questionnaire:
            try:
                result["questionnaire"] = load_questionnaire(url, empty_url, tmp, country)
            except Exception as exc:                               # noqa: BLE001 -- reported, not fatal
                result["questionnaire"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        latest = max(r.cut for r in _releases(url))
        sels = {"slice": Selection(table=args.table, filters={"REF_AREA": (country,)}, cut=latest),
                "year": Selection(table=args.table, start=year, end=year, cut=latest),
                "whole": Selection(table=args.table, cut=latest)}
        print(f"[{backend}] floor ...", file=sys.stderr, flush=True)
        alone = floor_and_store(url, sels, args.runs)
        old = floor_and_store(url, {"slice, old release": Selection(table=args.table, filters={"REF_AREA": (country,)},
                                                                      cut=cut_r1)}, args.runs)
        result["floor"] = {**{q: {k: v for k, v in r.items() if k != "sql"} for q, r in alone.items()},
                           **{q: {k: v for k, v in r.items() if k != "sql"} for q, r in old.items()}}
        typical = {t: Selection(table=t, filters={"REF_AREA": (country,)}, cut=latest)
                   for t in sorted({s.table for s in series})}
        print(f"[{backend}] typical slices, floor ...", file=sys.stderr, flush=True)
        typical_floor = floor_only(url, typical, args.runs)
        server = serve.Server(url, env, tmp / "server.log")
        server.wait()
        print(f"[{backend}] serving ...", file=sys.stderr, flush=True)
        queries = {"slice": (country, None), "year": (None, year), "whole": (None, None)}
        result["served"] = served(server, table, queries, args.runs, args.timeout)
        for r in result["served"]:
            r["obs"] = alone[r["query"]]["floor"]["n"]
            r["ratio_to_floor"] = r["median"] / alone[r["query"]]["floor"]["median"]
        print(f"[{backend}] typical slices, SDMX-CSV ...", file=sys.stderr, flush=True)
        result["typical_slices"] = typical_slices(server, country, typical_floor, args.runs, args.timeout)
        as_of = _between_releases(url)
        result["history"] = history_queries(server, table, country, args.runs, args.timeout, as_of)
        server.stop()
        server = None
        if backend == "sqlite" and args.datasette:
            print(f"[{backend}] datasette ...", file=sys.stderr, flush=True)
            sqls = {q: r["sql"] for q, r in alone.items()}
            peer = datasette_peer(Path(make_url(url).database), sqls, args.runs, args.timeout,
                                  tmp / "datasette.log")
            ours = {r["query"]: r["median"] for r in result["served"] if r["format"] == "v2-csv20"}
            for q, r in peer.items():
                if "median" in r:
                    r["ours_sdmx_csv_over_datasette"] = ours[q] / r["median"]
            result["datasette"] = peer
        if args.bulk:
            print(f"[{backend}] bulk build ...", file=sys.stderr, flush=True)
            result["bulk"] = bulk_build(url, tmp / "downloads")
    finally:
        if server:
            server.stop()
        serve.drop(cleanup2)
    return result


def floor_only(url: str, selections: dict, runs: int) -> dict:
    """The floor (the store's SELECT on a raw DBAPI cursor, ``fetchall``) of each selection."""
    return {q: r["floor"] for q, r in floor_and_store(url, selections, runs, store=False).items()}


def typical_slices(server: serve.Server, country: str, floors: dict[int, dict], runs: int, timeout: float) -> dict:
    """One country x all years of every table: the floor and SDMX-CSV 2.0 over HTTP, per table and
    the median over the tables (the issue's "typical slice")."""
    csv = next(w for w in WEB if w.name == "v2-csv20")
    per_table = []
    with httpx.Client(base_url=server.base, timeout=timeout) as client:
        for t, floor in floors.items():
            r = fetch_many(client, csv.path(structure().table(t), country, None), csv.media_type, runs)
            per_table.append({"table": t, "obs": floor["n"], "floor": floor, "sdmx_csv": r,
                              "ratio_to_floor": r["median"] / floor["median"]})
            print(f"  table {t:>2} {floor['n']:>7,} obs  floor {floor['median']:.3f} s  SDMX-CSV "
                  f"{r['median']:.3f} s", file=sys.stderr, flush=True)
    return {"country": country, "per_table": per_table,
            "median_obs": statistics.median(r["obs"] for r in per_table),
            "median_floor": statistics.median(r["floor"]["median"] for r in per_table),
            "median_sdmx_csv": statistics.median(r["sdmx_csv"]["median"] for r in per_table)}


def _releases(url: str):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return releases.all_releases(conn)
    finally:
        engine.dispose()


def _between_releases(url: str) -> str:
    """An as-of instant that is the state of bench-r2: the time of its last changeset (the loads of
    round 3 came after it, before bench-r3 was published)."""
    from sqlalchemy import select

    from ilms.store.schema import changeset
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            cut = releases.get(conn, "bench-r2").cut
            when = conn.execute(select(changeset.c.created_at).where(changeset.c.id == cut)).scalar_one()
    finally:
        engine.dispose()
    return when.isoformat(timespec="microseconds")


# ------------------------------------------------------------------------------------------ report

def spread(r: dict) -> str:
    return f"{r['median']:.3f} ({r['min']:.3f}-{r['max']:.3f})"


def report(meta: dict, results: list[dict]) -> str:
    phases = "".join(f"; {m.get('phase', 'all')} phase: commit {m.get('commit', '?')}, {m['date']}"
                     for m in meta.get("phases", ()))
    out = [f"## Global scale {meta['scale']}: {meta['series']:,} series, {meta['planned']:,} observations "
           f"planned", "", f"{meta['machine']}; {meta['date']}; commit {meta.get('commit', '?')}; versions: "
           f"{meta['versions']}{phases}; {meta['runs']} runs per figure, median (min-max) seconds; load = 1-minute "
           f"load average.", ""]
    for res in results:
        b = res["backend"]
        out += [f"### {b}", ""]
        up = res.get("schema_upgrade")          # --phase query: the reused database's migrations
        if up:
            out += [f"Schema of the reused database: {up['from']} -> {up['to']}, {up['seconds']:.1f} s "
                    f"(load {up['load']}).", ""]
        out += ["| load | rows | added | changed | unchanged | s | obs/s | obs per CPU-s | release s "
                "| load avg |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res.get("loads", ()):
            out.append(f"| ILOSTAT CSV, {r['round']} ({r['kind']}) | {r['rows']:,} | {r['added']:,} | "
                       f"{r['changed']:,} | {r['unchanged']:,} | {r['seconds']:.1f} | {r['obs_per_s']:,.0f} | "
                       f"{r.get('obs_per_cpu_s', 0):,.0f} | {r['release_seconds']:.1f} | {r['load']} |")
        q = res.get("questionnaire", {})
        if "error" in q:
            out.append(f"| questionnaire | error: {q['error']} | | | | | | | | |")
        for label, r in q.items() if "error" not in q else ():
            out.append(f"| questionnaire, 1 country-year ({label}) | {r['rows']:,} | {r['added']:,} | 0 | "
                       f"{r['unchanged']:,} | {r['seconds']:.2f} | {r['obs_per_s']:,.0f} | | | {r['load']} |")
        if "floor" not in res:
            out.append("")
            continue
        out += ["", "| query | rows | floor (DBAPI fetchall) s | store.read s | load avg |", "|---|---:|---:|---:|---:|"]
        for qn, r in res["floor"].items():
            out.append(f"| {qn} | {r['floor']['n']:,} | {spread(r['floor'])} | {spread(r['store'])} | "
                       f"{r['floor']['load']} |")
        out += ["", "| format | query | obs | total s | first byte s | obs/s | ratio to floor | MB | RSS before→peak MB "
                    "| load avg |", "|---|---|---:|---:|---:|---:|---:|---:|---|---:|"]
        for r in res["served"]:
            out.append(f"| {r['label']} | {r['query']} | {r['obs']:,} | {spread(r)} | {r['ttfb']:.3f} | "
                       f"{r['obs'] / r['median']:,.0f} | {r['ratio_to_floor']:.1f} | {r['bytes'] / 1e6:.1f} | "
                       f"{r['rss_before_kb'] / 1024:.0f}→{r['rss_peak_kb'] / 1024:.0f} | {r['load']} |")
        ts = res.get("typical_slices")
        if ts:
            out += ["", f"Typical slices ({ts['country']} x all years, every table): floor and SDMX-CSV 2.0 over "
                        "HTTP", "", "| table | obs | floor s | SDMX-CSV s | first byte s | ratio to floor | load avg |",
                    "|---:|---:|---:|---:|---:|---:|---:|"]
            for r in ts["per_table"]:
                out.append(f"| {r['table']} | {r['obs']:,} | {spread(r['floor'])} | {spread(r['sdmx_csv'])} | "
                           f"{r['sdmx_csv']['ttfb']:.3f} | {r['ratio_to_floor']:.1f} | {r['sdmx_csv']['load']} |")
            out.append(f"| **median over {len(ts['per_table'])} tables** | {ts['median_obs']:,.0f} | "
                       f"{ts['median_floor']:.3f} | {ts['median_sdmx_csv']:.3f} | | | |")
        out += ["", "| history query | total s | bytes | load avg |", "|---|---:|---:|---:|"]
        for label, r in res["history"].items():
            out.append(f"| {label} | error: {r['error']} | | |" if "error" in r else
                       f"| {label} | {spread(r)} | {r['bytes']:,} | {r['load']} |")
        if "datasette" in res:
            out += ["", "| Datasette, same SQL as CSV | total s | MB | ours (SDMX-CSV) / Datasette | load avg |",
                    "|---|---:|---:|---:|---:|"]
            for qn, r in res["datasette"].items():
                out.append(f"| {qn} | error: {r['error'] if 'error' in r else r} | | | |" if "median" not in r else
                           f"| {qn} | {spread(r)} | {r['bytes'] / 1e6:.1f} | {r['ours_sdmx_csv_over_datasette']:.2f} "
                           f"| {r['load']} |")
        if "bulk" in res:
            out += ["", f"Bulk build of bench-r3: {res['bulk']['seconds']:.1f} s, {res['bulk'].get('cpu', 0):.1f} CPU-s "
                    f"with {res['bulk'].get('workers', '?')} workers (load {res['bulk']['load']})."]
        out.append("")
    return "\n".join(out)


def versions() -> str:
    import sqlite3

    import sqlalchemy
    names = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__}
    try:
        import psycopg
        names["psycopg"] = psycopg.__version__
    except ImportError:
        pass
    return ", ".join(f"{k} {v}" for k, v in names.items())


def commit() -> str:
    """The code measured: the git commit (``+dirty`` with uncommitted changes), or ``?``."""
    repo = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return (head or "?") + ("+dirty" if dirty else "")


MANIFEST = "global-scale-load.json"      # in the folder of --phase load: what --phase query reuses


def merge(documents: list[dict]) -> tuple[dict, list[dict]]:
    """One report from the JSON of several phases: the results of each backend merged in order (a
    later file's sections win), the meta of the last one with each phase's own meta under ``phases``."""
    by_backend: dict[str, dict] = {}
    for doc in documents:
        for res in doc["results"]:
            by_backend.setdefault(res["backend"], {}).update(res)
    meta = dict(documents[-1]["meta"])
    meta["phases"] = [d["meta"] for d in documents]
    return meta, list(by_backend.values())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--phase", choices=("all", "load", "query", "report", "drop"), default="all",
                   help="all (default): load and measure in scratch databases, dropped at the end; load: "
                        "generate and load into --out DIR and keep them there; query: measure the databases "
                        "of --reuse DIR (a folder of --phase load) without loading; report: merge --merge "
                        "JSON files into one report; drop: remove --reuse DIR and its PostgreSQL database")
    p.add_argument("--reuse", help="--phase query/drop: the --out folder of a --phase load")
    p.add_argument("--merge", nargs="+", help="--phase report: JSON files of the phases, in order")
    p.add_argument("--scale", type=float, default=1.0, help="fraction of the 252 countries (1.0: ~19.7 M obs)")
    p.add_argument("--partners", type=int, default=20, help="partner countries in the partner tables")
    p.add_argument("--tables", help="only these tables (comma-separated numbers; default all 17)")
    p.add_argument("--backend", help="sqlite, postgresql or both (comma; default both, or those of --reuse)")
    p.add_argument("--pg-url", default=os.environ.get("ILMS_BENCH_POSTGRES_URL", serve.PG_URL))
    p.add_argument("--table", type=int, default=1, help="the table the queries read")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=1800, help="seconds per request")
    p.add_argument("--no-questionnaire", dest="questionnaire", action="store_false")
    p.add_argument("--no-datasette", dest="datasette", action="store_false")
    p.add_argument("--bulk", action="store_true", help="also time the bulk build of the latest release")
    p.add_argument("--out", help="working folder (default: a new temporary folder); never the repository. "
                                 "--phase load: the folder that keeps the files and databases")
    p.add_argument("--keep", action="store_true", help="keep the files and databases")
    p.add_argument("--json", help="write the results here (machine-readable)")
    args = p.parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    if args.phase == "report":
        if not args.merge:
            p.error("--phase report needs --merge FILE.json ...")
        meta, results = merge([json.loads(Path(f).read_text()) for f in args.merge])
        return finish(meta, results, args.json)
    if args.phase in ("query", "drop"):
        if not args.reuse:
            p.error(f"--phase {args.phase} needs --reuse DIR (the --out folder of a --phase load)")
        folder = Path(args.reuse)
        if not (folder / MANIFEST).is_file():
            p.error(f"--reuse {folder}: no {MANIFEST} there (not the folder of a --phase load)")
        loaded = json.loads((folder / MANIFEST).read_text())
        if args.phase == "drop":
            return drop_loaded(folder, loaded, args.pg_url)
        return query_phase(p, args, folder, loaded)
    backends = [b.strip() for b in (args.backend or "sqlite,postgresql").split(",") if b.strip()]
    if not backends or set(backends) - {"sqlite", "postgresql"}:
        p.error("--backend: sqlite, postgresql or sqlite,postgresql")
    if args.phase == "load" and not args.out:
        p.error("--phase load needs --out DIR (kept: the files and databases for --phase query --reuse DIR)")
    parent = Path(args.out or tempfile.gettempdir())
    if parent.resolve().is_relative_to(repo):
        p.error(f"--out {parent}: write outside the repository")
    if args.phase == "load" and parent.exists() and any(parent.iterdir()):
        p.error(f"--out {parent}: --phase load needs a new or empty folder")
    parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tables = tuple(int(t) for t in args.tables.split(",")) if args.tables else None
    if tables and args.table not in tables:
        p.error(f"--tables {args.tables}: include the queried --table {args.table}")
    series = plan(args.scale, args.partners, tables)
    planned = len(series) * len(YEARS)
    meta = {"scale": args.scale, "partners": args.partners, "tables": args.tables or "all", "series": len(series),
            "planned": planned, "countries": len({s.key[0] for s in series}), "table": args.table,
            "runs": args.runs, "phase": args.phase, "commit": commit(), "machine": serve.machine(),
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "versions": versions(),
            "load_at_start": os.getloadavg()}
    if args.phase == "load":
        work = parent.resolve()
        check_disk(work, planned, len(backends))
        print(f"{len(series):,} series, {planned:,} observations planned in {work} (kept)", file=sys.stderr,
              flush=True)
        results, databases = [], {}
        for backend in backends:
            tmp = work / backend
            tmp.mkdir(parents=True, exist_ok=True)
            url, cleanup = serve.scratch(backend, args.pg_url, tmp)
            databases[backend] = make_url(url).database
            try:
                results.append(load_backend(backend, url, work, series))
            except BaseException:
                serve.drop(cleanup)                    # a failed load leaves no database behind
                raise
            if cleanup:
                cleanup[0].dispose()
        meta["seconds"] = time.perf_counter() - t0
        meta["databases"] = databases
        (work / MANIFEST).write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))
        return finish(meta, results, args.json)
    work = Path(tempfile.mkdtemp(prefix="ilms-bench-global-", dir=parent))   # ours alone: removed at the end
    check_disk(work, planned, len(backends))
    print(f"{len(series):,} series, {planned:,} observations planned in {work}", file=sys.stderr, flush=True)
    results = []
    try:
        for backend in backends:
            results.append(run_backend(backend, args, series, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    meta["seconds"] = time.perf_counter() - t0
    finish(meta, results, args.json)


def query_phase(p, args, folder: Path, loaded: dict) -> None:
    """``--phase query``: the dataset of the load (its scale, partners, tables), measured without loading;
    its results carry the load's figures (and the load's meta under ``phases``)."""
    lm = loaded["meta"]
    have = list(lm["databases"])
    backends = [b.strip() for b in (args.backend or ",".join(have)).split(",") if b.strip()]
    if not backends or set(backends) - set(have):
        p.error(f"--backend: {folder} holds {', '.join(have)}")
    tables = tuple(int(t) for t in lm["tables"].split(",")) if lm["tables"] != "all" else None
    if tables and args.table not in tables:
        p.error(f"--table {args.table}: the load of {folder} holds tables {lm['tables']}")
    t0 = time.perf_counter()
    series = plan(lm["scale"], lm["partners"], tables)
    if len(series) != lm["series"]:
        raise SystemExit(f"{folder}: the plan of this code has {len(series):,} series, the load had "
                         f"{lm['series']:,}: not the same dataset")
    meta = {**{k: lm[k] for k in ("scale", "partners", "tables", "series", "planned", "countries")},
            "table": args.table, "runs": args.runs, "phase": "query", "commit": commit(), "machine": serve.machine(),
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "versions": versions(),
            "load_at_start": os.getloadavg(), "reuse": str(folder)}
    loads = {r["backend"]: r for r in loaded["results"]}
    results = []
    for backend in backends:
        name = lm["databases"][backend]
        url = (f"sqlite:///{(folder / 'sqlite' / 'serve.sqlite').resolve()}" if backend == "sqlite"
               else make_url(args.pg_url).set(database=name).render_as_string(hide_password=False))
        tmp = Path(tempfile.mkdtemp(prefix=f"query-{backend}-", dir=folder))
        try:
            res = {"backend": backend, "url": make_url(url).render_as_string(hide_password=True),
                   "schema_upgrade": schema_upgrade(backend, url)}
            res.update(query_backend(backend, url, args, series, tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        results.append(res)
    meta["seconds"] = time.perf_counter() - t0
    query_doc = {"meta": meta, "results": results}
    meta, merged = merge([{"meta": lm, "results": [loads[b] for b in backends]}, query_doc])
    finish(meta, merged, args.json)


def drop_loaded(folder: Path, loaded: dict, pg_url: str) -> None:
    """``--phase drop``: the PostgreSQL database of a ``--phase load`` and its folder."""
    name = loaded["meta"]["databases"].get("postgresql")
    if name:
        from sqlalchemy import text
        admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()
    shutil.rmtree(folder)
    print(f"dropped {folder}" + (f" and the database {name}" if name else ""), file=sys.stderr)


def finish(meta: dict, results: list[dict], json_path: str | None) -> None:
    print(report(meta, results))
    if json_path:
        Path(json_path).write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))


if __name__ == "__main__":
    main()
