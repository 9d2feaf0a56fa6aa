"""A release's disclosure control in the store, on SQLite and PostgreSQL: the pattern is computed
when the release is created, masked in every public read, audited before publishing."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select

from ilms.cli import main
from ilms.disclosure import is_suppressed, pattern, protect
from ilms.disclosure.settings import Settings
from ilms.store import releases, sources, write
from ilms.store.db import make_engine
from ilms.store.read import Selection, observations
from ilms.store.schema import disclosure_cell, disclosure_pattern, release

from .helpers import ISSUE, key, sex_by_origin, t09

SECONDARY = {key("SEX_M", "IND"), key("SEX_F", "CHN"), key("SEX_M", "CHN")}


def _load(conn, cells=None):
    sources.ensure(conn, {"XA_9083": "THA"})
    write.write(conn, cells or sex_by_origin(**ISSUE, confidential={("SEX_F", "IND")}), kind="load", by="pytest")


def _public(conn, cut=None, public=True):
    return {o.cell(): o for o in observations(conn, Selection(table=9, cut=cut), public=public)}


def test_creating_a_release_stores_its_pattern_and_public_reads_mask_it(engine):
    with engine.begin() as conn:
        _load(conn)
        r = releases.create(conn, "R1", by="pytest")
        stored = pattern.get(conn, "R1")
        assert (stored.n_primary, stored.n_secondary) == (1, 3)
        assert set(pattern.cells(conn, "R1")) == SECONDARY
        assert stored.checksum == pattern.checksum(SECONDARY)
        shown = _public(conn, r.cut)
        for cell in SECONDARY | {key("SEX_F", "IND")}:
            assert shown[cell].value is None and shown[cell].confidential      # flagged like a primary
        assert shown[key("SEX_T", "IND")].value == 0.395
        real = _public(conn, r.cut, public=False)                              # curators see real values
        assert real[key("SEX_M", "IND")].value == 0.205 and not real[key("SEX_M", "IND")].confidential
        assert real[key("SEX_F", "IND")].value == 0.19
        assert _public(conn)[key("SEX_M", "IND")].value is None                 # current / as-of reads too
        assert releases.verify(conn, "R1")[0]                                   # checksum covers the masking
        assert is_suppressed(conn, "R1", 9, key("SEX_M", "IND")[1], "2020")
        assert is_suppressed(conn, "R1", 9, key("SEX_F", "IND")[1], "2020")
        assert not is_suppressed(conn, "R1", 9, key("SEX_T", "IND")[1], "2020")
        releases.publish(conn, "R1", by="pytest")
        assert protect.audit(conn, "R1").ok


def test_publishing_refuses_a_release_whose_audit_fails_and_writes_nothing(engine):
    with engine.begin() as conn:
        _load(conn)
        releases.create(conn, "R1", by="pytest")
        rid = conn.execute(select(release.c.id).where(release.c.name == "R1")).scalar_one()
        conn.execute(delete(disclosure_cell).where(disclosure_cell.c.release_id == rid))   # as if made without one
        conn.execute(delete(disclosure_pattern).where(disclosure_pattern.c.release_id == rid))
    with pytest.raises(releases.ReleaseError) as err:
        with engine.begin() as conn:
            releases.publish(conn, "R1", by="pytest")
    assert "T09 THA.XA_9083.CIT.SEX_F.IND 2020" in str(err.value) and "ilms release protect R1" in str(err.value)
    assert err.value.cells == ["T09 THA.XA_9083.CIT.SEX_F.IND 2020"]
    with engine.connect() as conn:
        assert not releases.get(conn, "R1").published
        assert releases.latest_published(conn) is None
    with engine.begin() as conn:
        made = protect.protect(conn, "R1")
        assert made.n_secondary == 3 and releases.verify(conn, "R1")[0]
        assert releases.publish(conn, "R1", by="pytest").published


def test_a_confidential_flag_without_a_value_is_refused_and_nothing_is_created(engine):
    with engine.begin() as conn:
        _load(conn, sex_by_origin(**ISSUE) + [t09("SEX_F", "MMR", None, confidential=True)])
    with pytest.raises(releases.ReleaseError) as err:
        with engine.begin() as conn:
            releases.create(conn, "R1", by="pytest")
    assert "T09 THA.XA_9083.CIT.SEX_F.MMR 2020" in str(err.value) and "no value" in str(err.value)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(release)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(disclosure_cell)).scalar() == 0


def test_a_timeout_names_the_cells_and_changes_nothing(engine):
    with engine.begin() as conn:
        _load(conn)
        releases.create(conn, "R1", by="pytest")
        before = set(pattern.cells(conn, "R1"))
        with pytest.raises(protect.DisclosureError) as err:
            protect.protect_release(conn, releases.get(conn, "R1"), Settings(time_limit=0.0))
        assert "timed out" in str(err.value) and "SEX_F.IND" in str(err.value)
        assert set(pattern.cells(conn, "R1")) == before


def test_the_next_release_keeps_the_previous_one_protected(engine):
    with engine.begin() as conn:
        _load(conn)
        releases.create(conn, "R1", by="pytest")
        releases.publish(conn, "R1", by="pytest")
    revised = dict(men=ISSUE["men"], women={**ISSUE["women"], "IND": 0.196})
    with engine.begin() as conn:
        write.write(conn, sex_by_origin(**revised, confidential={("SEX_F", "IND")}), kind="correction", by="pytest")
        releases.create(conn, "R2", by="pytest")
        result = protect.audit(conn, "R2")
        assert result.previous == "R1" and result.ok
        assert {p.column.release for p in result.proofs} == {"current", "previous"}   # R1's old value as well
        releases.publish(conn, "R2", by="pytest")


def test_cli_audit_and_publish(env_database):
    engine = make_engine(env_database)
    with engine.begin() as conn:
        _load(conn)
    r = CliRunner()
    assert r.invoke(main, ["release", "create", "R1"]).exit_code == 0
    audited = r.invoke(main, ["release", "audit", "R1"])
    assert audited.exit_code == 0, audited.output
    assert "3 secondary cell(s)" in audited.output and "audit: PASSED" in audited.output
    assert "T09 THA.XA_9083.CIT.SEX_F.IND 2020" in audited.output
    with engine.begin() as conn:
        conn.execute(delete(disclosure_cell))
    failed = r.invoke(main, ["release", "audit", "R1"])
    assert failed.exit_code == 1 and "audit: FAILED for 1 cell(s)" in failed.output and "EXACT" in failed.output
    refused = r.invoke(main, ["release", "publish", "R1"])
    assert refused.exit_code == 1 and "SEX_F.IND" in refused.output and "Nothing was published" in refused.output
    protected = r.invoke(main, ["release", "protect", "R1"])
    assert protected.exit_code == 0 and "3 secondary cell(s)" in protected.output
    assert r.invoke(main, ["release", "publish", "R1"]).exit_code == 0
    missing = r.invoke(main, ["release", "audit", "nope"])
    assert missing.exit_code == 2 and "no release named 'nope'" in missing.output


def test_the_release_diff_does_not_tell_that_a_withheld_value_was_revised(engine):
    from ilms.publish import release_diff
    with engine.begin() as conn:
        _load(conn)
        r1 = releases.create(conn, "R1", by="pytest")
        releases.publish(conn, "R1", by="pytest")
        assert set(pattern.cells(conn, "R1")) == SECONDARY
    men_ind = t09("SEX_M", "IND", 0.207)                              # withheld in R1 and R2
    total_x = t09("SEX_T", "X", 9.001)                                # published in both
    with engine.begin() as conn:
        write.write(conn, [men_ind, total_x], kind="correction", by="pytest")
        r2 = releases.create(conn, "R2", by="pytest")
        pattern.replace(conn, "R2", sorted(SECONDARY), n_primary=1, objective="test", protection=0.15, seconds=0)
        assert is_suppressed(conn, "R2", 9, men_ind.key, "2020") and is_suppressed(conn, "R1", 9, men_ind.key, "2020")
        changes = release_diff.diff(conn, r1.cut, r2.cut)
        assert release_diff.totals(changes) == {"added": 0, "revised": 1, "removed": 0}     # SEX_T X alone
        # withheld in R1 only: the public sees it appear (it had no value, now it has one) -- a revision
        pattern.replace(conn, "R2", sorted(SECONDARY - {key("SEX_M", "IND")}), n_primary=1, objective="test",
                        protection=0.15, seconds=0)
        assert release_diff.totals(release_diff.diff(conn, r1.cut, r2.cut))["revised"] == 2
