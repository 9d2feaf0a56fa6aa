"""Load throughput of ILOSTAT CSV, in CPU time as well as wall time (the machine may be shared).

    .venv/bin/python bench/load_throughput.py --scale 0.01 --tables 1,8 --backend sqlite,postgresql

The dataset and its three rounds are those of ``bench/global_scale.py`` (first load, then two
revisions), written once into ``--files`` (default: a temporary folder) and loaded with the
curator's ``load_file`` (``check=False``, as the global-scale benchmark does) into a scratch
database per backend, dropped at the end. Per round: rows, wall seconds, obs/s, this process's
CPU seconds and obs per CPU-second, and on PostgreSQL the CPU seconds of the server process that
served the load (``/proc/<pg_backend_pid>/stat``: only when the server runs on this machine), with
obs per CPU-second of both together; the 1-minute load average next to each figure.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import global_scale as g  # noqa: E402
import serve  # noqa: E402

from ilms.collect.load import load_file  # noqa: E402
from ilms.collect.registry import detect  # noqa: E402
from ilms.store.db import make_engine  # noqa: E402
from ilms.store.migrate import upgrade  # noqa: E402
from ilms.tables import structure  # noqa: E402


def server_cpu(engine, backend: str) -> float | None:
    """CPU seconds of the PostgreSQL process behind the engine's one pooled connection (None: unknown)."""
    if backend != "postgresql":
        return 0.0
    with engine.connect() as c:
        pid = c.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(backend: str, pg_url: str, rounds: list[list[Path]]) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="ilms-bench-load-"))
    url, cleanup = serve.scratch(backend, pg_url, tmp)
    engine = make_engine(url, pool_size=1, max_overflow=0) if backend == "postgresql" else make_engine(url)
    out = []
    try:
        upgrade(engine)
        structure()                               # the declarations are read once per process: not timed
        detect(rounds[0][0])
        for (name, _, revision), paths in zip(g.ROUNDS, rounds):
            t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu(engine, backend)
            rows = 0
            for path in paths:
                s = load_file(engine, path, by="bench", check=False).summary
                rows += s.added + s.changed + s.unchanged
            wall, cpu, s1 = time.perf_counter() - t0, time.process_time() - c0, server_cpu(engine, backend)
            server = None if s0 is None or s1 is None else s1 - s0
            r = {"backend": backend, "round": name, "kind": "first load" if revision is None else "revision",
                 "rows": rows, "seconds": wall, "obs_per_s": rows / wall, "cpu_seconds": cpu,
                 "obs_per_cpu_s": rows / cpu, "server_cpu_seconds": server,
                 "obs_per_total_cpu_s": None if server is None else rows / (cpu + server), "load": g.load1()}
            out.append(r)
            both = "" if server is None or backend != "postgresql" else f", server {server:.2f} CPU-s ({r['obs_per_total_cpu_s']:,.0f} per CPU-s of both)"
            print(f"{backend:<10} {name} ({r['kind']}): {rows:,} rows, {wall:.2f} s ({r['obs_per_s']:,.0f} obs/s), "
                  f"{cpu:.2f} CPU-s ({r['obs_per_cpu_s']:,.0f} obs per CPU-s){both}; load {r['load']}", flush=True)
    finally:
        engine.dispose()
        serve.drop(cleanup)
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scale", type=float, default=0.01)
    p.add_argument("--tables", default="1,8", help="comma-separated table numbers, or 'all'")
    p.add_argument("--partners", type=int, default=20)
    p.add_argument("--backend", default="sqlite,postgresql")
    p.add_argument("--pg-url", default=os.environ.get("ILMS_BENCH_POSTGRES_URL", serve.PG_URL))
    p.add_argument("--files", help="folder of the generated files (kept; reused when it holds them)")
    args = p.parse_args(argv)
    tables = None if args.tables == "all" else tuple(int(t) for t in args.tables.split(","))
    series = g.plan(args.scale, args.partners, tables)
    folder = Path(args.files) if args.files else Path(tempfile.mkdtemp(prefix="ilms-bench-load-files-"))
    try:
        rounds = []
        for name, years, revision in g.ROUNDS:
            d = folder / name
            if not d.exists():
                g.write_round_files(d, series, years, revision)
            rounds.append(sorted(d.glob("*.csv")))
        for backend in args.backend.split(","):
            run(backend.strip(), args.pg_url, rounds)
    finally:
        if not args.files:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
