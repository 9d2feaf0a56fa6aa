"""Load test of a running ``ilms serve``: a mix of pages, JSON API, SDMX queries and downloads.

1. builds a database (``ilms demo``: 17 tables, 11 countries, a published release; ``--small``: a
   few hundred observations, for the smoke test) on SQLite or PostgreSQL;
2. starts ``ilms serve --workers N`` on a free 127.0.0.1 port and waits until /health answers
   and the release's bulk downloads are built (their manifest answers 200);
3. sends requests from ``--concurrency`` asyncio tasks (httpx, one connection pool), each picking
   the next request of a fixed, seeded mix, until ``--requests`` were sent or ``--max-seconds``
   passed, whichever comes first (it always stops by itself);
4. reports requests/s, latency p50/p95/p99 overall and per kind, and errors: any 5xx, any
   unexpected status, any transport error. Zero errors is the requirement.

    .venv/bin/python bench/load_test.py --backend sqlite --workers 2 --requests 3000 --max-seconds 120
    .venv/bin/python bench/load_test.py --backend postgresql --workers 2 --requests 3000 --max-seconds 120
    .venv/bin/python bench/load_test.py --nginx --workers 2 ...    # through nginx (docs/deployment.md)

With ``--nginx``, the requests go to nginx started with the configuration of docs/deployment.md
(tests/web/nginx.py) in front of the server: bulk files from disk, the rest proxied.

The client runs on the same machine as the server (and PostgreSQL): the figures are of the whole
machine, not of the server alone. The server and the database are always removed at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ilms.store.db import blank_database
from serve import free_port  # bench/serve.py, beside this script

ILMS = [sys.executable, "-c", "from ilms.cli import main; main(prog_name='ilms')"]
COUNTRIES = ("THA", "VNM", "PHL", "MYS", "IDN", "SGP")


@dataclass
class Kind:
    name: str
    weight: int
    paths: list[str]
    ok: tuple[int, ...] = (200,)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0


def run(args: list[str], env: dict) -> str:
    done = subprocess.run([*ILMS, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ilms {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def small_data(env: dict, folder: Path) -> None:
    """A few hundred synthetic observations of table 1, loaded and published as release 'load-1'."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.store.durability import demo_rows, write_ilostat
    path = write_ilostat(folder / "small.csv", demo_rows(600))
    run(["load", "--no-check", str(path)], env)
    run(["release", "create", "load-1"], env)
    run(["release", "publish", "load-1"], env)


def mix(release: str, files: list[str], tables: list[int]) -> list[Kind]:
    """The requests: every path is valid, so anything but its expected status is an error."""
    data = [f"/api/v1/tables/{t}/data?country={c}" for t in tables for c in COUNTRIES]
    data += [f"/api/v1/tables/{t}/data?country={c}&year=2015:2020&format=csv" for t in tables[:4] for c in COUNTRIES]
    sdmx = [f"/rest/data/DF_ILMS_T{t:02d}/{c}?startPeriod=2015" for t in tables for c in COUNTRIES]
    sdmx += [f"/rest/v2/data/dataflow/ILMS/DF_ILMS_T{t:02d}/1.0/{c}.*?c[TIME_PERIOD]=ge:2018" for t in tables[:4]
             for c in COUNTRIES[:3]]
    return [
        Kind("page", 15, ["/", "/downloads/", f"/downloads/{release}/", "/downloads/calendar"]),
        Kind("api-meta", 15, ["/api/v1/tables", "/api/v1/tables/5", "/api/v1/releases", "/api/v1/sources?country=THA",
                              "/health"]),
        Kind("api-data", 30, data),
        Kind("sdmx-structure", 10, ["/rest/dataflow/ILMS", "/rest/dataflow/ILMS/DF_ILMS_T05/1.0",
                                    "/rest/codelist/ILMS/CL_SEX/1.0"]),
        # no data for that country and table: SDMX's NoResults, 404 in v1, 204 in v2
        Kind("sdmx-data", 20, sdmx, ok=(200, 204, 404)),
        Kind("download", 10, [f"/downloads/{release}/{f}" for f in files] + [f"/downloads/{release}/manifest.json"]),
    ]


async def drive(base: str, kinds: list[Kind], *, concurrency: int, budget: int, seconds: float, seed: int) -> tuple[Tally, float]:
    rng = random.Random(seed)
    plan = [k for k in kinds for _ in range(k.weight)]
    tally = Tally()
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def worker():
            nonlocal sent
            while sent < budget and time.perf_counter() < deadline:
                sent += 1
                kind = rng.choice(plan)
                path = rng.choice(kind.paths)
                start = time.perf_counter()
                try:
                    async with client.stream("GET", path) as r:
                        async for chunk in r.aiter_bytes():
                            tally.bytes += len(chunk)
                        status = r.status_code
                except httpx.HTTPError as exc:
                    tally.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - start
                tally.latencies.setdefault(kind.name, []).append(elapsed)
                tally.statuses.setdefault(kind.name, {}).setdefault(status, 0)
                tally.statuses[kind.name][status] += 1
                if status not in kind.ok:
                    tally.errors.append(f"{path}: HTTP {status}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return tally, time.perf_counter() - began


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(tally: Tally, wall: float) -> dict:
    every = [v for vs in tally.latencies.values() for v in vs]
    def figures(vs):
        return {"n": len(vs), "p50_ms": round(pct(vs, 50) * 1000, 1), "p95_ms": round(pct(vs, 95) * 1000, 1),
                "p99_ms": round(pct(vs, 99) * 1000, 1), "mean_ms": round(statistics.fmean(vs) * 1000, 1) if vs else None}
    return {"requests": len(every) + len(tally.errors) - sum(1 for e in tally.errors if "HTTP" in e),
            "seconds": round(wall, 1), "requests_per_s": round(len(every) / wall, 1) if wall else None,
            "errors": len(tally.errors), "error_samples": tally.errors[:10], "mb": round(tally.bytes / 1e6, 1),
            "all": figures(every), "by_kind": {k: figures(v) for k, v in sorted(tally.latencies.items())},
            "statuses": {k: {str(s): n for s, n in v.items()} for k, v in sorted(tally.statuses.items())}}


def wait_ready(base: str, release: str, proc: subprocess.Popen, timeout: float) -> list[str]:
    """Until /health is 200 and the release's downloads are built; the names of its smaller files."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"ilms serve ended ({proc.returncode}):\n{proc.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                r = httpx.get(f"{base}/downloads/{release}/manifest.json", timeout=30)
                if r.status_code == 200:
                    files = sorted(r.json()["files"], key=lambda f: f["size"])
                    return [f["name"] for f in files[: max(3, len(files) // 3)]]
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server was not ready in time")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("ILMS_TEST_POSTGRES_URL",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--small", action="store_true", help="a few hundred observations instead of the demo dataset")
    ap.add_argument("--workers", type=int, default=1, help="ilms serve --workers")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight at once")
    ap.add_argument("--requests", type=int, default=2000, help="stop after this many requests")
    ap.add_argument("--max-seconds", type=float, default=120, help="... or after this long")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--nginx", action="store_true", help="send the requests through nginx (docs/deployment.md)")
    args = ap.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="ilms-load-"))
    url, drop = blank_database(args.backend, folder, args.pg_url, prefix="ilms_load")
    env = dict(os.environ, ILMS_DATABASE_URL=url, ILMS_DATA_DIR=str(folder / "data"), ILMS_ACTOR="load-test")
    server = proxy = None
    try:
        t0 = time.perf_counter()
        run(["db", "upgrade"], env)
        if args.small:
            small_data(env, folder)
            release, tables = "load-1", [1]
        else:
            run(["demo"], env)
            release, tables = "demo-seed-1", list(range(1, 18))
        built = time.perf_counter() - t0
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([*ILMS, "serve", "--port", str(port), "--workers", str(args.workers),
                                   "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        files = wait_ready(base, release, server, timeout=900)
        if args.nginx:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.web import nginx
            proxy = nginx.start(folder / "nginx", app_port=port, downloads=folder / "data" / "downloads")
            base = proxy.base
        tally, wall = asyncio.run(drive(base, mix(release, files, tables), concurrency=args.concurrency,
                                        budget=args.requests, seconds=args.max_seconds, seed=args.seed))
        result = {"backend": args.backend, "workers": args.workers, "concurrency": args.concurrency,
                  "via": "nginx" if proxy else "direct",
                  "data": "small" if args.small else "demo", "setup_seconds": round(built, 1),
                  "load_average": os.getloadavg(), **summary(tally, wall)}
    finally:
        if proxy is not None:
            proxy.stop()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        drop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{result['backend']}, {result['workers']} worker(s), {result['via']}, {result['concurrency']} in flight: "
          f"{result['requests']} requests in {result['seconds']} s = {result['requests_per_s']} req/s; "
          f"p50 {result['all']['p50_ms']} ms, p95 {result['all']['p95_ms']} ms, p99 {result['all']['p99_ms']} ms; "
          f"errors {result['errors']}")
    for kind, f in result["by_kind"].items():
        print(f"| {kind} | {f['n']} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} |")
    for e in result["error_samples"]:
        print("error:", e)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    sys.exit(1 if main()["errors"] else 0)
