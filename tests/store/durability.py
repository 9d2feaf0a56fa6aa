"""Helpers of the durability tests: whole-database dumps, blank databases, ILOSTAT files of any
size, and ``ilms`` run as a real subprocess."""
from __future__ import annotations

import csv
import itertools
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import MetaData, select

from ilms.publish import ilostat
from ilms.store import db

ILMS = [sys.executable, "-c", "from ilms.cli import main; main(prog_name='ilms')"]


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table the database holds (reflected, so any schema revision), ordered:
    two equal dumps are the same data, row for row."""
    md = MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.c))] for t in md.sorted_tables}


def sqlite_logical(engine) -> str:
    """SQLite's own full SQL dump (schema and data) of the database."""
    raw = engine.raw_connection()
    try:
        return "\n".join(raw.driver_connection.iterdump())
    finally:
        raw.close()


def blank_database(backend: str, tmp_path: Path, pg_url: str | None) -> tuple[str, callable]:
    """A new, empty database (no schema): its URL and a function dropping it (``ilms.store.db``);
    a PostgreSQL test is skipped when no server is configured."""
    if backend == "postgresql" and not pg_url:
        import pytest
        pytest.skip("PostgreSQL not configured (set ILMS_TEST_POSTGRES_URL)")
    return db.blank_database(backend, tmp_path, pg_url, prefix="ilms_d")


def demo_rows(n: int, table: int = 1) -> list:
    """The first ``n`` synthetic observations of ``table`` (real codes, real sources)."""
    from ilms.demo.dataset import observations
    return list(itertools.islice((o for o in observations(1) if o.table == table), n))


def write_ilostat(path: Path, rows, table: int = 1, scale: float = 1.0) -> Path:
    """An ILOSTAT bulk CSV of ``rows`` (values multiplied by ``scale``)."""
    from dataclasses import replace
    ilostat.write(path, (replace(o, value=None if o.value is None else round(o.value * scale, 3)) for o in rows),
                  tables=[table])
    return path


def csv_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def ilms_env(url: str, **extra) -> dict[str, str]:
    env = dict(os.environ, ILMS_DATABASE_URL=url, ILMS_ACTOR="pytest", **extra)
    return env


def run_ilms(url: str, *args: str, check: bool = True, **extra) -> subprocess.CompletedProcess:
    done = subprocess.run([*ILMS, *args], env=ilms_env(url, **extra), capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"ilms {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done
