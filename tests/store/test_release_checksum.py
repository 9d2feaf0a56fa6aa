"""The fast release checksum (``store.release_checksum``) equals the reference one, on random data
with history (revisions, deletions), confidential values and withheld cells, at every cut."""
from __future__ import annotations

import random

import pytest

from ilms.disclosure import pattern
from ilms.store import release_checksum, releases, write

from .helpers import obs15, with_sources

DESTINATIONS = ["MYS", "SGP", "HKG", "JPN", "KOR", "USA", "TOTAL", "X"]
SEXES = ["SEX_T", "SEX_M", "SEX_F"]
YEARS = [str(y) for y in range(2000, 2012)]
TEXTS = [None, "", "T2:85", "C6:1058_T3:95", "with\ttab", "line\nbreak", "ça, \"quoted\"", "=1+1", "\r"]


def _value(rng: random.Random) -> float:
    return rng.choice([0.0, -0.0, 1.0, 1e-3, 10.125, 1e15, 123456789.123, -2.5, rng.random() * 10 ** rng.randint(-6, 9)])


def _random_obs(rng: random.Random, cell) -> object:
    dest, sex, year = cell
    texts = {k: rng.choice(TEXTS) if rng.random() < 0.3 else None
             for k in ("note_classif", "note_indicator", "note_source", "comment")}
    return obs15(dest, year, _value(rng), sex=sex, status=rng.choice([None, None, "B", "E", "P"]),
                 confidential=rng.random() < 0.08, unit_mult=rng.choice([None, "0", "3"]),
                 currency=rng.choice([None, None, "USD"]), **texts)


def _both(conn, cut: int, batch: int) -> tuple:
    return releases.reference_checksum_at(conn, cut), release_checksum.fast_checksum(conn, cut, batch=batch)


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_checksum_equals_the_reference_on_random_history(engine, monkeypatch, seed):
    # the disclosure hook would compute a real pattern; here the patterns are random, set below
    monkeypatch.setattr(releases, "CREATE_HOOKS", [])
    rng = random.Random(seed)
    cells = [(d, s, y) for d in DESTINATIONS for s in SEXES for y in YEARS]
    cuts = []
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        for round_no in range(3):
            chosen = rng.sample(cells, k=len(cells) * 2 // 3)
            write.write(conn, [_random_obs(rng, c) for c in chosen], kind="load", by="t")
            gone = rng.sample(chosen, k=5)
            write.delete(conn, [(15, ("THA", "BA_1", "_Z", s, d), y) for d, s, y in gone], by="t")
            name = f"r{round_no}"
            made = releases.create(conn, name, by="t")
            withheld = [(15, ("THA", "BA_1", "_Z", s, d), y) for d, s, y in rng.sample(chosen, k=12)]
            pattern.replace(conn, name, withheld, n_primary=0, objective="test", protection=0.1, seconds=0)
            cuts.append(made.cut)
            if round_no < 2:        # an unreleased cut between releases: every pattern applies
                write.write(conn, [_random_obs(rng, c) for c in rng.sample(cells, k=20)], kind="load", by="t")
                cuts.append(made.cut + 1)
        for cut in cuts:
            for batch in (7, 1000):
                (ref, n_ref), (fast, n_fast) = _both(conn, cut, batch)
                assert (fast, n_fast) == (ref, n_ref), f"cut {cut}, batch {batch}"
                assert n_ref > 100
        # inside the create transaction, after the hook changed the pattern: both see it
        before = releases.checksum_at(conn, cuts[-1])
        pattern.replace(conn, "r2", [], n_primary=0, objective="test", protection=0.1, seconds=0)
        after = releases.checksum_at(conn, cuts[-1])
        assert after != before and after == releases.reference_checksum_at(conn, cuts[-1])
        assert releases.refresh_checksum(conn, "r2").checksum == after[0]
    with engine.connect() as conn:
        assert releases.verify(conn, "r2")[0]


def test_the_careful_path_follows_the_reference_rule(engine, monkeypatch):
    monkeypatch.setattr(releases, "CREATE_HOOKS", [])
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 1.5, comment="a\tb\nc", note_source="x\ty"),
                           obs15("SGP", "2020", 2.0, comment="plain")], kind="load", by="t")
        r = releases.create(conn, "r", by="t")
        assert (r.checksum, r.n_observations) == releases.reference_checksum_at(conn, r.cut)
        assert releases.checksum_at(conn, r.cut) == releases.reference_checksum_at(conn, r.cut)


def test_sqlite_reads_the_cut_in_key_order_without_sorting(engine):
    """The rewritten SQLite query applies (it matches the read's SQL) and its plan has no sort."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    from ilms.store.read import Selection, _statement
    with engine.connect() as conn:
        compiled = _statement(conn, Selection(cut=1), public=True).compile(dialect=conn.dialect)
        sql = release_checksum.sqlite_walk(compiled.string)
        assert sql != compiled.string
        params = tuple(compiled.params[k] for k in compiled.positiontup)
        plan = " ".join(r[3] for r in conn.connection.dbapi_connection.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "TEMP B-TREE" not in plan and plan.index("series") < plan.index("observation"), plan
