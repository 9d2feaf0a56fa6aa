"""Every hostile file of the corpus is refused with a message naming the file and the line, sheet,
cell or part, and leaves the database as it was: row for row on both backends, and byte for byte
for the SQLite file."""
from __future__ import annotations

import hashlib
import time

import pytest

from ilms.collect.load import LoadRefused, load_file
from ilms.store.db import make_engine

from ...store.durability import dump
from .corpus import ACCEPTED, CASES, HEADER, ROW_2, build, questionnaire_template


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    template = questionnaire_template(folder)
    return {case.name: build(case, folder, template) for case in [*CASES, *(c for c, _ in ACCEPTED)]}


@pytest.fixture
def seeded(database_url, tmp_path):
    """A database holding one loaded file, at rest (SQLite: its WAL checkpointed into the file)."""
    engine = make_engine(database_url)
    seed = tmp_path / "seed.csv"
    seed.write_text(f"{HEADER}\n{ROW_2.replace('THA', 'VNM')}\n", encoding="utf-8")
    load_file(engine, seed, by="seed")
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    yield engine
    engine.dispose()


def _file_digest(engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    engine.dispose()                     # the last connection closed: nothing pending anywhere
    with open(engine.url.database, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_is_refused_and_changes_nothing(case, corpus, seeded):
    before, digest = dump(seeded), _file_digest(seeded)
    started = time.monotonic()
    with pytest.raises(LoadRefused) as refused:
        load_file(seeded, corpus[case.name], by="attacker")
    message = str(refused.value)
    assert time.monotonic() - started < 20, "no hang"
    for needle in (case.name, *case.expect):
        assert needle in message, f"{needle!r} not in {message!r}"
    assert dump(seeded) == before
    assert _file_digest(seeded) == digest


@pytest.mark.parametrize("case,n", ACCEPTED, ids=[c.name for c, _ in ACCEPTED])
def test_awkward_but_valid_files_load(case, n, corpus, sqlite_engine):
    result = load_file(sqlite_engine, corpus[case.name], by="pytest")
    assert result.summary.added == n


def test_every_xml_the_system_reads_goes_through_a_hardened_parser(corpus):
    """openpyxl (questionnaires, annotated reports, submissions) parses with defusedxml when it is
    installed: a DTD that slipped past the package check still could not expand an entity."""
    import openpyxl
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    with pytest.raises(Exception) as err:          # openpyxl itself, without the package check
        openpyxl.load_workbook(corpus["external-entity.xlsx"])
    assert "Forbidden" in type(err.value).__name__ or "DTD" in str(err.value) or "could not read" in str(err.value)
