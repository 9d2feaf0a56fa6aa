"""Benchmark: server time of the portal's pages (p50 / p95) over the demo data.

    .venv/bin/python bench/portal_pages.py [--db URL] [--runs 20] [--json FILE]

Without ``--db`` it builds a scratch SQLite database with ``ilms demo`` (~237k observations; ~40 s)
in a temporary folder. Each page is requested in-process through the ASGI application (Starlette's
TestClient: no network, so the time is the server's: routing, SQL, rendering), once to warm up
and then ``--runs`` times ("first" is the cold request: the page's per-release summaries are
computed then and kept, see ``store.summaries.memo``). "Explorer, whole table" is ``/tables/{n}`` with no filter: every
country, year, source and basis of the table at its totals (the explorer's default view).
Prints a Markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = [
    ("Home", "/"),
    ("Home, map of nationals abroad", "/?map=abroad"),
    ("Table list", "/tables"),
    ("Explorer, whole table 5 (employment by activity)", "/tables/5"),
    ("Explorer, whole table 1 (population, 6 breakdowns)", "/tables/1"),
    ("Explorer, whole table 15 (outflows by destination)", "/tables/15"),
    ("Explorer, table 5, one country, all activities", "/tables/5?country=THA&ECO=*"),
    ("Explorer, table 3, bars, codes", "/tables/3?chart=bar&labels=code"),
    ("Explorer, selection too large (413)", "/tables/5?ECO=*&MIG=*&SEX=*"),
    ("Download CSV, table 5 one country", "/tables/5/download?country=THA&ECO=*&format=csv"),
    ("Download XLSX, table 5 one country", "/tables/5/download?country=THA&ECO=*&format=xlsx"),
    ("Download SDMX-CSV, table 5 one country", "/tables/5/download?country=THA&ECO=*&format=sdmx-csv"),
    ("Error page, unknown table (404)", "/tables/99"),
    ("Country list", "/countries/"),
    ("Country profile (Thailand)", "/countries/THA"),
    ("Country profile, women, citizenship basis", "/countries/PHL?sex=SEX_F&basis=CIT"),
    ("Corridors (default: table 3)", "/corridors"),
    ("Corridors, outflows from the Philippines", "/corridors?table=15&country=PHL&direction=outward"),
    ("Availability matrix, all countries", "/availability"),
    ("Source catalogue", "/sources"),
    ("Source page", "/sources/BA_9080"),
    ("Standard tables", "/standard"),
    ("Standard table 1 (every code)", "/standard/1"),
    ("Blank questionnaire (XLSX)", "/standard/questionnaire.xlsx?country=THA&year=2024"),
    ("Search", "/search?q=construction"),
    ("Error page, unknown country (404)", "/countries/XYZ"),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLAlchemy URL of a database holding published data")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="write the raw numbers here")
    args = parser.parse_args()
    url = args.db
    if url is None:
        folder = tempfile.mkdtemp(prefix="ilms-bench-portal-")
        url = f"sqlite:///{folder}/demo.sqlite"
        env = {**os.environ, "ILMS_DATABASE_URL": url}
        subprocess.run([str(Path(sys.executable).parent / "ilms"), "demo"], check=True, env=env)

    from fastapi.testclient import TestClient

    from ilms.store.db import make_engine
    from ilms.web import create_app
    engine = make_engine(url)
    client = TestClient(create_app(engine), headers={"accept": "text/html"}, raise_server_exceptions=False)
    results = []
    for name, path in PAGES:
        first = client.get(path)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
        results.append({"page": name, "path": path, "status": r.status_code, "bytes": len(r.content),
                        "first_ms": first.elapsed.total_seconds() * 1000,
                        "p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)})
    print(f"backend: {engine.dialect.name}; runs per page: {args.runs}\n")
    print("| page | path | status | bytes | first ms | p50 ms | p95 ms |\n|---|---|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['page']} | `{r['path']}` | {r['status']} | {r['bytes']:,} | {r['first_ms']:.0f} | "
              f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
