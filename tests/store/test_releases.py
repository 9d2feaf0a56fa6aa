"""Releases are cuts in the history with a checksum that detects tampering."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from ilms.store import read, releases, schema, write
from ilms.store.read import Selection

from .helpers import counts, obs15, with_sources


def _load(engine, values: dict[str, float], by="ana"):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        return write.write(conn, [obs15(d, "2020", v) for d, v in values.items()], kind="load", by=by)


def test_release_is_a_cut_not_a_copy_and_publishing_a_new_one_changes_no_old_one(engine):
    _load(engine, {"MYS": 10.0, "SGP": 2.0})
    with engine.begin() as conn:
        before = counts(conn)
        r1 = releases.create(conn, "2025-1", by="cur", description="first")
        assert counts(conn)["observation"] == before["observation"]      # no copy of the data
        releases.publish(conn, "2025-1", by="cur")
    _load(engine, {"MYS": 11.0, "HKG": 1.0})
    with engine.begin() as conn:
        r2 = releases.create(conn, "2025-2", by="cur")
        # created but unpublished: the public still sees 2025-1
        assert releases.latest_published(conn).name == "2025-1"
        releases.publish(conn, "2025-2", by="cur")
        assert releases.latest_published(conn).name == "2025-2"
        old = releases.get(conn, "2025-1")
        assert (old.checksum, old.n_observations, old.cut) == (r1.checksum, 2, r1.cut)
        assert releases.verify(conn, "2025-1")[0] and releases.verify(conn, "2025-2")[0]
        assert r2.n_observations == 3 and r2.checksum != r1.checksum
        values_1 = sorted(o.value for o in read.observations(conn, Selection(cut=r1.cut)))
    assert values_1 == [2.0, 10.0]


def test_verify_detects_a_tampered_observation(engine):
    _load(engine, {"MYS": 10.0, "SGP": 2.0})
    with engine.begin() as conn:
        releases.create(conn, "r", by="cur")
        conn.execute(update(schema.observation).where(schema.observation.c.value == 2.0).values(value=2.5))
    with engine.connect() as conn:
        ok, stored, recomputed = releases.verify(conn, "r")
    assert not ok and stored != recomputed


def test_checksum_is_the_same_on_both_backends_for_the_same_data(engine):
    _load(engine, {"MYS": 10.123, "SGP": 0.001, "X": 1e-3, "TOTAL": 10.125})
    with engine.begin() as conn:
        r = releases.create(conn, "r", by="cur")
    # computed independently from the canonical lines, in Python byte order
    lines = sorted(releases.canonical_line(obs15(d, "2020", v, sex="SEX_T").with_(unit_mult="3"))
                   for d, v in {"MYS": 10.123, "SGP": 0.001, "X": 1e-3, "TOTAL": 10.125}.items())
    import hashlib
    assert r.checksum == hashlib.sha256("".join(lines).encode()).hexdigest()


def test_release_errors(engine):
    with engine.begin() as conn:
        with pytest.raises(releases.ReleaseError, match="no data"):
            releases.create(conn, "empty", by="cur")
    _load(engine, {"MYS": 1.0})
    with engine.begin() as conn:
        releases.create(conn, "r", by="cur")
        with pytest.raises(releases.ReleaseError, match="exists already"):
            releases.create(conn, "r", by="cur")
        releases.publish(conn, "r", by="cur")
        with pytest.raises(releases.ReleaseError, match="was published"):
            releases.publish(conn, "r", by="cur")
        with pytest.raises(releases.ReleaseError, match="no release named"):
            releases.verify(conn, "nope")


def test_confidential_values_do_not_enter_the_public_checksum(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 4.0, confidential=True)], kind="load", by="a")
        r1 = releases.create(conn, "a", by="c")
        write.write(conn, [obs15("MYS", "2020", 5.0, confidential=True)], kind="load", by="a")
        r2 = releases.create(conn, "b", by="c")
    # the hidden number changed, the public content did not
    assert r1.checksum == r2.checksum
