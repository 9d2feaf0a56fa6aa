"""Benchmark: serve one table x one country, and a whole table, in every data format, against the
real server (``ilms serve``), next to the time the database itself needs to return the same rows.

    .venv/bin/python bench/serve.py [--backend sqlite|postgresql] [--big 120000] [--runs 3]

What it does, all on loopback and in scratch databases it drops again:

1. builds a database: ``ilms demo`` (~237k observations, release demo-seed-1), then ``--big``
   extra synthetic observations of table ``--table`` (15) written with ``store.write``, spread
   evenly over the 11 ASEAN countries, and a new published release (``bench-big``) that holds both
   (``--no-demo``: the synthetic observations only, for quick runs and the smoke test);
2. starts ``ilms serve`` on a free 127.0.0.1 port (ILMS_DATABASE_URL pointing at that database);
3. for each format (JSON API json/csv; SDMX REST v1: SDMX-ML 2.1 generic and structure-specific,
   SDMX-JSON 1.0, SDMX-CSV 1.0; v2: SDMX-ML 3.0, SDMX-JSON 2.0.0 and 2.1.0, SDMX-CSV 2.0.0) asks for
   (a) the table x one country (``--country``, ~1/11 of the table) and (b) the whole table, with
   httpx streaming the body (no compression), ``--runs`` times each after one warm-up request:
   median time to first body byte, median total, bytes; meanwhile the server's resident memory
   (VmRSS from /proc) is sampled every 10 ms: RSS before the first request of a query and the
   highest RSS seen during its runs;
4. times the writers alone: the same observations, read once into a list, through the writer the
   route calls, in this process, without database or HTTP (``--no-writers`` skips it);
5. times the database alone on the same selection (same release cut): the store's SELECT run on
   a raw DBAPI cursor (``fetchall``, the driver's tuples), through SQLAlchemy Core
   (``conn.execute(...).fetchall()``, Row objects) and through ``store.read.observations``
   (streamed in batches, each row converted to an ``Observation``, confidential values masked).

Bounded: every request has a timeout (``--timeout``), the whole measuring phase stops after
``--max-seconds`` (what is left is reported as skipped), and the server is always stopped and the
scratch database dropped. ``--keep`` keeps the database and prints its URL; ``--db URL`` serves a
database built by an earlier ``--keep`` run instead of building one. Prints Markdown tables
(for docs/benchmarks.md) and, with ``--json FILE``, the raw numbers.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ilms.observation import Observation
from ilms.store import read, releases, sources, write
from ilms.store.db import make_engine
from ilms.store.migrate import upgrade
from ilms.store.read import Selection
from ilms.tables import structure

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BIG_RELEASE = "bench-big"


# ------------------------------------------------------------------------------------------ formats

@dataclass(frozen=True)
class Fmt:
    name: str
    label: str
    api: str                 # "api", "v1", "v2"
    media_type: str | None   # Accept header (SDMX) or None (JSON API: format=)
    csv: bool = False        # one line per observation plus a header: a cheap check of the count

    def path(self, table, country: str | None) -> str:
        if self.api == "api":
            fmt = "csv" if self.csv else "json"
            return f"/api/v1/tables/{table.number}/data?format={fmt}" + (f"&country={country}" if country else "")
        n = len(table.key_order)
        if self.api == "v1":
            key = (country + "." * (n - 1)) if country else "all"
            return f"/rest/data/{structure().agency},{table.id},1.0/{key}"
        key = ".".join([country] + ["*"] * (n - 1)) if country else "*"
        return f"/rest/v2/data/dataflow/{structure().agency}/{table.id}/~/{key}"


FORMATS = [
    Fmt("api-json", "JSON API, JSON", "api", None),
    Fmt("api-csv", "JSON API, CSV", "api", None, csv=True),
    Fmt("v1-generic", "v1 SDMX-ML 2.1 generic", "v1", "application/vnd.sdmx.genericdata+xml;version=2.1"),
    Fmt("v1-ss", "v1 SDMX-ML 2.1 structure-specific", "v1",
        "application/vnd.sdmx.structurespecificdata+xml;version=2.1"),
    Fmt("v1-json", "v1 SDMX-JSON 1.0", "v1", "application/vnd.sdmx.data+json;version=1.0.0"),
    Fmt("v1-csv", "v1 SDMX-CSV 1.0", "v1", "application/vnd.sdmx.data+csv;version=1.0.0", csv=True),
    Fmt("v2-ml30", "v2 SDMX-ML 3.0", "v2", "application/vnd.sdmx.data+xml;version=3.0.0"),
    Fmt("v2-json20", "v2 SDMX-JSON 2.0.0", "v2", "application/vnd.sdmx.data+json;version=2.0.0"),
    Fmt("v2-json21", "v2 SDMX-JSON 2.1.0", "v2", "application/vnd.sdmx.data+json;version=2.1.0"),
    Fmt("v2-csv20", "v2 SDMX-CSV 2.0.0", "v2", "application/vnd.sdmx.data+csv;version=2.0.0", csv=True),
]


# ------------------------------------------------------------------------------------------ database

def big_observations(table_no: int, n: int):
    """``n`` synthetic observations of ``table_no`` (a table whose only own dimension is a partner
    country, like 15), whole series of 35 years, the countries varying fastest so that every
    country gets ~n/11; one register source per country, ``XA_99nn`` (the demo's are ``XA_90nn``)."""
    table = structure().table(table_no)
    own = [d for d in table.own_dimensions]
    if len(own) != 1:
        raise SystemExit(f"--table {table_no}: the synthetic generator wants a table with one own dimension")
    partners = [c.id for c in own[0].codelist.codes]
    areas = structure().default_region.all_members()
    years = [str(y) for y in range(1990, 2025)]
    cells = itertools.product(partners, ("SEX_T", "SEX_M", "SEX_F"), areas, years)
    count = 0
    for count, (dest, sex, area, year) in enumerate(itertools.islice(cells, n), 1):
        yield Observation(table_no, (area, bench_source(area), "_Z", sex, dest), year, (count % 9973) / 7.0,
                          status="E" if count % 11 == 0 else None, confidential=count % 97 == 0, decimals=1)
    if count < n:
        raise SystemExit(f"table {table_no} has only {count} synthetic cells; ask for --big {count} or fewer")


def bench_source(area: str) -> str:
    return f"XA_{9900 + structure().default_region.all_members().index(area)}"


def scratch(backend: str, pg_url: str, tmp: Path) -> tuple[str, object]:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/serve.sqlite", None
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"ilms_bench_serve_{uuid.uuid4().hex[:6]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False), (admin, name)


def drop(cleanup) -> None:
    if cleanup:
        admin, name = cleanup
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ilms_command() -> str:
    return str(Path(sys.executable).parent / "ilms")


def build(url: str, env: dict, table_no: int, big: int, demo: bool = True) -> dict:
    took = {}
    if demo:
        t0 = time.perf_counter()
        done = subprocess.run([ilms_command(), "demo"], env={**env, "ILMS_DATABASE_URL": url},
                              capture_output=True, text=True, timeout=900)
        if done.returncode:
            raise SystemExit(f"ilms demo failed:\n{done.stdout}\n{done.stderr}")
        took["demo_s"] = time.perf_counter() - t0
    if big:
        engine = make_engine(url)
        try:
            if not demo:
                upgrade(engine)
            t0 = time.perf_counter()
            with engine.begin() as conn:
                sources.ensure(conn, {bench_source(a): a for a in structure().default_region.all_members()})
                s = write.write(conn, big_observations(table_no, big), kind="load", by="bench")
            took["big_write_s"] = time.perf_counter() - t0
            took["big_added"] = s.added
            t0 = time.perf_counter()
            with engine.begin() as conn:
                releases.create(conn, BIG_RELEASE, by="bench", synthetic=True,
                                description=f"benchmark: {big} synthetic observations of table {table_no}")
                releases.publish(conn, BIG_RELEASE, by="bench")
            took["release_s"] = time.perf_counter() - t0
        finally:
            engine.dispose()
    return took


def latest_cut(url: str) -> tuple[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            done = [r for r in releases.all_releases(conn) if r.published]
        r = max(done, key=lambda r: (r.published_at, r.cut))
        return r.name, r.cut
    finally:
        engine.dispose()


def literal_sql(conn, stmt) -> str:
    """``stmt`` as SQL text with its values inlined (what a peer such as Datasette can run too)."""
    return str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def floor_count(conn, sql: str) -> int:
    """The floor: ``sql`` on the driver's own cursor, every row fetched; the number of rows."""
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.execute(sql)
        return len(cur.fetchall())
    finally:
        cur.close()


def database_alone(url: str, selections: dict[str, Selection], runs: int, batch: int) -> dict:
    """The same rows without the web: raw DBAPI cursor, SQLAlchemy Core rows, store.read.observations."""
    engine = make_engine(url)
    out = {}
    try:
        for query, sel in selections.items():
            with engine.connect() as conn:
                stmt = read._statement(conn, sel)    # the store's own SELECT (same joins, filters, order)
                sql = literal_sql(conn, stmt)

                def dbapi():
                    return floor_count(conn, sql)

                def core():
                    return len(conn.execute(stmt).fetchall())

                def store():
                    return sum(1 for _ in read.observations(conn, sel, public=True, batch=batch))

                row = {}
                for name, fn in (("dbapi", dbapi), ("core", core), ("store", store)):
                    fn()                                     # warm the page cache and the plan
                    times, n = [], 0
                    for _ in range(runs):
                        t0 = time.perf_counter()
                        n = fn()
                        times.append(time.perf_counter() - t0)
                    row[name] = statistics.median(times)
                    row["rows"] = n
                out[query] = row
    finally:
        engine.dispose()
    return out


def writers_alone(url: str, table, selections: dict[str, Selection], formats: list[Fmt], runs: int) -> dict:
    """The response body alone: the same observations, read once into a list, through the same writer
    call the route makes (JSON API: the format's render; SDMX: ``outputs.write_data`` with the default
    options of a query), without the database and without HTTP. Median seconds per (format, query)."""
    from starlette.datastructures import QueryParams

    from ilms.web import query as api_query
    from ilms.web.api.data import meta_of
    from ilms.web.formats import FORMATS as API_FORMATS
    from ilms.web.sdmx import outputs
    from ilms.web.settings import Settings
    from ilms.web.vintage import resolve

    settings = Settings()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            vintage = resolve(conn)
            names = {r["code"]: r["name"] for r in sources.catalogue(conn)}
            rows = {q: list(read.observations(conn, sel, public=True)) for q, sel in selections.items()}
    finally:
        engine.dispose()
    release = vintage.release
    options = dict(dimension_at_observation="TIME_PERIOD", detail="full", attributes="dsd", measures="all",
                   labels="id")

    def body(fmt: Fmt, obs: list):
        if fmt.api == "api":
            name = "csv" if fmt.csv else "json"
            req = api_query.parse(table, QueryParams(f"format={name}"), settings, API_FORMATS)
            return API_FORMATS[name].render(table, meta_of(table, vintage, req), iter(obs), names,
                                            settings.chunk_rows)
        return outputs.write_data(fmt.media_type, table, iter(obs), options, release)

    out = {}
    for fmt in formats:
        for _ in body(fmt, rows["country"][:100]):
            pass                                                  # warm-up
        for q, obs in rows.items():
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                for _ in body(fmt, obs):
                    pass
                times.append(time.perf_counter() - t0)
            out[f"{fmt.name}/{q}"] = statistics.median(times)
    return out


# ------------------------------------------------------------------------------------------ server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


class RssSampler:
    """The highest VmRSS of a process, sampled every ``interval`` seconds while active."""

    def __init__(self, pid: int, interval: float = 0.01):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kb(self.pid))


class Server:
    def __init__(self, url: str, env: dict, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen(
            [ilms_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env={**env, "ILMS_DATABASE_URL": url}, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.flush()
                tail = Path(self.log.name).read_text()[-3000:]
                raise SystemExit(f"the server exited ({self.proc.returncode}):\n{tail}")
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer /health within {seconds} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def fetch(client: httpx.Client, path: str, media_type: str | None) -> dict:
    headers = {"Accept-Encoding": "identity"}
    if media_type:
        headers["Accept"] = media_type
    t0 = time.perf_counter()
    first = None
    size = lines = 0
    with client.stream("GET", path, headers=headers) as r:
        if r.status_code != 200:
            r.read()
            raise RuntimeError(f"GET {path} ({media_type}): {r.status_code} {r.text[:300]}")
        for chunk in r.iter_raw():
            if chunk and first is None:
                first = time.perf_counter() - t0
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {"ttfb": first or 0.0, "total": time.perf_counter() - t0, "bytes": size, "lines": lines}


def serve_runs(server: Server, table, country: str, runs: int, timeout: float, deadline: float,
               formats: list[Fmt], expected: dict[str, int]) -> list[dict]:
    results = []
    with httpx.Client(base_url=server.base, timeout=timeout) as client:
        for fmt in formats:
            try:
                fetch(client, fmt.path(table, country), fmt.media_type)      # warm-up (imports, caches)
            except Exception as exc:                                          # noqa: BLE001 -- reported
                results.append({"format": fmt.name, "error": str(exc)})
                continue
            for query, c in (("country", country), ("whole", None)):
                if time.monotonic() > deadline:
                    results.append({"format": fmt.name, "query": query, "skipped": "--max-seconds reached"})
                    continue
                before = rss_kb(server.proc.pid)
                got = []
                with RssSampler(server.proc.pid) as sampler:
                    for _ in range(runs):
                        got.append(fetch(client, fmt.path(table, c), fmt.media_type))
                row = {"format": fmt.name, "label": fmt.label, "query": query,
                       "ttfb": statistics.median(g["ttfb"] for g in got),
                       "total": statistics.median(g["total"] for g in got),
                       "bytes": got[-1]["bytes"], "rss_before_kb": before, "rss_peak_kb": sampler.peak,
                       "obs": expected[query]}
                if fmt.csv and got[-1]["lines"] - 1 != expected[query]:
                    row["warning"] = f"{got[-1]['lines'] - 1} CSV rows, expected {expected[query]}"
                results.append(row)
                print(f"  {fmt.name:<11} {query:<8} {row['total']:7.2f} s  {row['bytes'] / 1e6:7.1f} MB  "
                      f"RSS {before / 1024:.0f} -> {sampler.peak / 1024:.0f} MB", file=sys.stderr, flush=True)
    return results


# ------------------------------------------------------------------------------------------ report

def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, " \
           f"Python {platform.python_version()}"


def report(meta: dict, alone: dict, served: list[dict], writers: dict) -> str:
    build = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in meta["build"].items())
    out = [f"### {meta['backend']}: table {meta['table']}, release {meta['release']}", "",
           f"{meta['machine']}; {meta['runs']} runs per row (median), after one warm-up request per format.",
           f"Build: {build}.",
           "", "Database alone (median seconds; same SELECT, same cut):", "",
           "| query | rows | DBAPI fetchall | SQLAlchemy Core fetchall | store.read.observations |",
           "|---|---:|---:|---:|---:|"]
    for query, r in alone.items():
        out.append(f"| {query} | {r['rows']:,} | {r['dbapi']:.3f} | {r['core']:.3f} | {r['store']:.3f} |")
    out += ["", "Served over HTTP (median seconds; \"writer alone\": the same observations from a list through "
                "the route's writer, no database, no HTTP; RSS of the server process in MB, before the query's "
                "first run and highest seen while its runs were streaming):", "",
            "| format | query | obs | writer alone s | first byte s | total s | obs/s | MB | RSS before | RSS peak |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in served:
        if "error" in r:
            out.append(f"| {r['format']} | error: {r['error'][:120]} | | | | | | | | |")
        elif "skipped" in r:
            out.append(f"| {r['format']} | {r['query']}: skipped ({r['skipped']}) | | | | | | | | |")
        else:
            warn = f" ({r['warning']})" if "warning" in r else ""
            alone_w = writers.get(f"{r['format']}/{r['query']}")
            w = f"{alone_w:.2f}" if alone_w is not None else ""
            out.append(f"| {r['label']} | {r['query']}{warn} | {r['obs']:,} | {w} | {r['ttfb']:.3f} | "
                       f"{r['total']:.2f} | "
                       f"{r['obs'] / r['total']:,.0f} | {r['bytes'] / 1e6:.1f} | {r['rss_before_kb'] / 1024:.0f} | "
                       f"{r['rss_peak_kb'] / 1024:.0f} |")
    return "\n".join(out)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--pg-url", default=os.environ.get("ILMS_BENCH_POSTGRES_URL", PG_URL),
                   help="an existing PostgreSQL database to CREATE/DROP the scratch database from")
    p.add_argument("--table", type=int, default=15)
    p.add_argument("--country", default="THA")
    p.add_argument("--big", type=int, default=120_000, help="extra synthetic observations of --table (0: none)")
    p.add_argument("--no-demo", dest="demo", action="store_false",
                   help="only the --big synthetic observations, no `ilms demo` (quick runs, the smoke test)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-writers", dest="writers", action="store_false",
                   help="skip timing the writers alone (in this process, without database or HTTP)")
    p.add_argument("--formats", default=",".join(f.name for f in FORMATS))
    p.add_argument("--timeout", type=float, default=300, help="seconds per request")
    p.add_argument("--max-seconds", type=float, default=900, help="stop measuring after this (build not counted)")
    p.add_argument("--db", help="serve this database (built by an earlier --keep run) instead of building one")
    p.add_argument("--keep", action="store_true", help="keep the scratch database and print its URL")
    p.add_argument("--json", help="write the raw numbers here")
    args = p.parse_args(argv)
    if not args.demo and not args.big and not args.db:
        p.error("--no-demo needs --big N")
    formats = [f for f in FORMATS if f.name in args.formats.split(",")]
    table = structure().table(args.table)
    tmp = Path(tempfile.mkdtemp(prefix="ilms-bench-serve-"))
    # no background build of the release's bulk downloads while we measure (`ilms serve` starts one)
    env = {**os.environ, "ILMS_DATA_DIR": str(tmp / "data"), "ILMS_WEB_PREBUILD_DOWNLOADS": "0"}
    env.pop("ILMS_DATABASE_URL", None)
    cleanup, server, built = None, None, {}
    try:
        if args.db:
            url = args.db
        else:
            url, cleanup = scratch(args.backend, args.pg_url, tmp)
            print(f"building {url} ...", file=sys.stderr, flush=True)
            built = build(url, env, args.table, args.big, args.demo)
        release, cut = latest_cut(url)
        selections = {"country": Selection(table=args.table, filters={"REF_AREA": (args.country,)}, cut=cut),
                      "whole": Selection(table=args.table, cut=cut)}
        print("timing the database alone ...", file=sys.stderr, flush=True)
        alone = database_alone(url, selections, args.runs, batch=5000)
        writers = {}
        if args.writers:
            print("timing the writers alone ...", file=sys.stderr, flush=True)
            writers = writers_alone(url, table, selections, formats, args.runs)
        server = Server(url, env, tmp / "server.log")
        server.wait()
        print(f"serving on {server.base} (pid {server.proc.pid}) ...", file=sys.stderr, flush=True)
        expected = {q: r["rows"] for q, r in alone.items()}
        served = serve_runs(server, table, args.country, args.runs, args.timeout,
                            time.monotonic() + args.max_seconds, formats, expected)
        meta = {"backend": make_url(url).get_backend_name(), "table": args.table, "country": args.country,
                "release": release, "runs": args.runs, "machine": machine(), "build": built}
        print(report(meta, alone, served, writers))
        if args.json:
            Path(args.json).write_text(json.dumps({"meta": meta, "alone": alone, "writers": writers,
                                                   "served": served}, indent=1))
    finally:
        if server:
            server.stop()
        if args.keep and not args.db:
            print(f"kept: {url}", file=sys.stderr)
        elif not args.keep:
            drop(cleanup)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
