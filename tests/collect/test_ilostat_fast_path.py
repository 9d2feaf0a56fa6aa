"""The load's fast path (``IlostatCsv.read_batches`` -> ``store.write.write_rows``) against the
reference path (``IlostatCsv.read`` -> ``store.write.write`` of ``Observation``s): random ILOSTAT
files in several rounds (new cells, revised values, flags and notes, confidential cells with and
without a value, unchanged rows, a deleted cell given again) load into identical databases -- every
row of every table, ids included -- on SQLite and PostgreSQL; a bad row gets the same error and
leaves nothing written."""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import DateTime, select

from ilms.collect.load import LoadRefused, _kept, load_file, record_findings, write_observations
from ilms.collect.registry import ReadLog, get_reader
from ilms.files import sha256_file
from ilms.observation import Observation
from ilms.publish import ilostat as ilostat_csv
from ilms.store import write
from ilms.store.db import make_engine
from ilms.store.schema import metadata
from ilms.tables import structure

TABLES = (1, 8, 15)
YEARS = [str(y) for y in range(2005, 2015)]
NOTES = [None, "R1:3513", "T2:85_R1:3513", "C6:1058"]


def series(rng: random.Random, table_no: int, n: int) -> list[tuple[str, ...]]:
    """``n`` random series keys of the table, the way the declarations build them."""
    t = structure().table(table_no)
    partners = [c.id for c in structure().codelists["CL_PARTNER"].codes if len(c.id) == 3 and c.id != "TOT"][:6]
    bases = sorted({m.fixed.get("BASIS", "_Z") for m in t.ilostat})
    dims = []
    for d in t.dimensions[3:]:
        codes = list(t.required.get(d.id, ()))
        if d.codelist.id == "CL_PARTNER":
            codes += [c for c in partners if c not in codes]
        dims.append(codes)
    areas = [c.id for c in structure().codelists["CL_COUNTRY"].codes][:40]
    keys = set()
    while len(keys) < n:
        area = rng.choice(areas)
        keys.add((area, f"{rng.choice(['BA', 'XA'])}_{rng.randint(1, 3)}", rng.choice(bases),
                  *(rng.choice(c) for c in dims)))
    return sorted(keys)


def observation(rng: random.Random, table_no: int, key, year: str) -> Observation:
    status = rng.choice([None, None, None, "E", "B", "C"])
    value = None if status == "C" and rng.random() < 0.5 else round(rng.uniform(0, 5000), rng.choice([0, 1, 3]))
    return Observation(table_no, key, year, value, status=status, confidential=status == "C",
                       note_classif=rng.choice(NOTES), note_indicator=rng.choice(NOTES[:2]),
                       note_source=rng.choice(NOTES[:2]), decimals=None)


def rounds(rng: random.Random) -> list[dict[int, list[Observation]]]:
    """Four rounds per table: a first load; new years plus revisions (value, flag, note) plus
    unchanged rows; the same file again (all unchanged); revisions of confidential cells."""
    keys = {t: series(rng, t, rng.randint(3, 12)) for t in TABLES}
    state: dict[tuple, Observation] = {}
    out = []
    for r in range(4):
        files = {}
        for t in TABLES:
            rows = []
            for key in keys[t]:
                for year in (YEARS[:6] if r == 0 else YEARS):
                    cell = (t, key, year)
                    old = state.get(cell)
                    if r == 2:
                        new = old
                    elif old is None:
                        new = observation(rng, t, key, year)
                    elif rng.random() < 0.4:
                        new = old                                        # given again, unchanged
                    elif rng.random() < 0.5:
                        new = observation(rng, t, key, year)             # anything may change
                    elif old.value is not None and rng.random() < 0.5:
                        new = old.with_(value=old.value + 1)             # the value only
                    else:
                        new = old.with_(note_classif=rng.choice(NOTES))  # a note only
                    if new is not None and (r == 0 or rng.random() < 0.9):
                        rows.append(new)
                        state[cell] = new
            rng.shuffle(rows)
            files[t] = rows
        out.append(files)
    return out


def reference_load(engine, path: Path):
    """``load_into``'s reference path: one Observation per row, ``store.write.write``."""
    reader = get_reader("ilostat-csv")
    with engine.begin() as conn:
        kept: list[Observation] = []
        summary, _ = write_observations(conn, _kept(reader.read(path, log=ReadLog()), kept), file=path.name,
                                        kind="load", by="pytest", sha256=sha256_file(path))
        record_findings(conn, summary.changeset_id, kept, path=path, reader_name=reader.name)
    return summary


def _untimed(value):
    """A check report without the time it was made at."""
    if isinstance(value, str) and value.startswith('{"$schema"'):
        report = json.loads(value)
        report.pop("generated_at")
        return json.dumps(report, sort_keys=True)
    return value


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table (ids included; timestamps left out: they differ between two loads)."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [c for c in table.columns if not isinstance(c.type, DateTime)]
            out[table.name] = [tuple(_untimed(v) for v in r)
                               for r in conn.execute(select(*cols).order_by(*table.primary_key.columns))]
    return out


def load_all(url: str, files: list[list[Path]], fast: bool, delete_between: list) -> tuple[dict, list]:
    engine = make_engine(url)
    try:
        summaries = []
        for i, paths in enumerate(files):
            if i == 3:
                with engine.begin() as conn:                 # a deleted cell is given again in round 4
                    write.delete(conn, delete_between, by="pytest")
            for path in paths:
                s = load_file(engine, path, by="pytest").summary if fast else reference_load(engine, path)
                summaries.append((s.added, s.changed, s.deleted, s.unchanged))
        return dump(engine), summaries
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_stores_exactly_what_the_reference_path_stores(templates, backend, tmp_path, seed):
    rng = random.Random(seed)
    data = rounds(rng)
    files = []
    for r, by_table in enumerate(data):
        paths = []
        for t, rows in by_table.items():
            path = tmp_path / f"r{r}-t{t:02d}.csv"
            ilostat_csv.write(path, rows, tables=[t])
            paths.append(path)
        files.append(paths)
    first = data[0][TABLES[0]][0]
    gone = [(first.table, first.key, first.time)]
    ref, ref_summaries = load_all(getattr(templates, backend)(), files, fast=False, delete_between=gone)
    got, got_summaries = load_all(getattr(templates, backend)(), files, fast=True, delete_between=gone)
    assert got_summaries == ref_summaries
    assert sum(s[1] for s in ref_summaries) > 0 and sum(s[3] for s in ref_summaries) > 0   # revised, unchanged
    assert ref["observation"] and any(row for row in ref["observation"] if row[5])          # confidential kept
    for name in ref:
        assert got[name] == ref[name], name


BAD = {
    "a code not in the codelist": lambda row: row.__setitem__(3, "X"),
    "not a number": lambda row: row.__setitem__(7, "12,5"),
    "not finite": lambda row: row.__setitem__(7, "inf"),
    "empty value without C": lambda row: (row.__setitem__(7, ""), row.__setitem__(8, "")),
    "a control character": lambda row: row.__setitem__(9, "R1:\x013513"),
    "a bad period": lambda row: row.__setitem__(6, "2014Q5"),
    "a bad status": lambda row: row.__setitem__(8, "ZZ"),
    "an unknown indicator": lambda row: row.__setitem__(2, "EMP_XXX_NB"),
}


@pytest.mark.parametrize("what", sorted(BAD) + ["a cell given twice"])
def test_a_bad_row_gets_the_reference_error_and_nothing_is_written(templates, backend, tmp_path, what):
    rng = random.Random(7)
    rows = rounds(rng)[0][8]
    path = tmp_path / "t08.csv"
    ilostat_csv.write(path, rows, tables=[8])
    parsed = list(csv.reader(path.read_text().splitlines()))
    at = 1 + len(parsed) * 2 // 3
    if what == "a cell given twice":
        parsed.insert(at, parsed[2])
    else:
        header = parsed[0]
        row = parsed[at]
        # the lambdas index the columns without classif2 (table 8 has one classification)
        assert header[5] == "time" and header[6] == "obs_value"
        shifted = row[:5] + [""] + row[5:]
        BAD[what](shifted)
        parsed[at] = shifted[:5] + shifted[6:]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(parsed)
    messages = []
    for fast in (False, True):
        engine = make_engine(getattr(templates, backend)())
        try:
            before = dump(engine)
            with pytest.raises(LoadRefused) as exc:
                if fast:
                    load_file(engine, path, by="pytest")
                else:
                    reference_load(engine, path)
            messages.append(str(exc.value))
            assert dump(engine) == before                      # atomic: nothing of the file was written
        finally:
            engine.dispose()
    assert messages[0] == messages[1]
    assert messages[1].startswith("t08.csv") and str(at + 1) in messages[1], messages[1]
