"""The history guarantees: nothing is overwritten, every old value stays retrievable."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import update

from ilms.observation import Observation
from ilms.store import changesets, read, schema, write
from ilms.store.read import Selection

from .helpers import counts, obs15, with_sources


def current(conn, table=15, **filters):
    return {(o.key, o.time): o for o in read.observations(conn, Selection(table=table, filters=filters), public=False)}


def test_reload_with_changed_values_keeps_old_ones_with_who_and_why(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        first = write.write(conn, [obs15("MYS", "2020", 10.5), obs15("SGP", "2020", 3.25)], kind="load", by="ana")
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    with engine.begin() as conn:
        second = write.write(conn, [obs15("MYS", "2020", 11.0), obs15("SGP", "2020", 3.25)], kind="load",
                             by="ben", reason="revised by the ministry")
    assert (second.added, second.changed, second.unchanged) == (0, 1, 1)
    with engine.connect() as conn:
        assert current(conn)[(obs15("MYS", "2020", 0).key, "2020")].value == 11.0
        versions = list(read.history(conn, 15, {"DESTINATION": ("MYS",)}, "2020"))
    assert [v["observation"].value for v in versions] == [10.5, 11.0]
    assert [v["actor"] for v in versions] == ["ana", "ben"]
    assert versions[1]["reason"] == "revised by the ministry"
    assert versions[0]["valid_to"] == versions[1]["valid_from"] == second.changeset_id
    assert versions[1]["valid_to"] is None


def test_same_load_twice_changes_nothing(engine):
    rows = [obs15("MYS", "2020", 10.5, status="P", note_source="R1:3513"), obs15("MYS", "2021", 0.0)]
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, rows, kind="load", by="ana")
        before = counts(conn)
    with engine.begin() as conn:
        again = write.write(conn, rows, kind="load", by="ana")
        after = counts(conn)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    assert after["observation"] == before["observation"]


def test_a_changed_flag_or_note_alone_is_a_revision(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
        s = write.write(conn, [obs15("MYS", "2020", 10.5, status="B")], kind="correction", by="ana")
    assert s.changed == 1


def test_as_of_returns_the_earlier_value(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
    with engine.connect() as conn:
        moment = conn.execute(schema.changeset.select()).first().created_at
    time.sleep(0.01)
    with engine.begin() as conn:
        write.write(conn, [obs15("MYS", "2020", 12.0)], kind="load", by="ben")
    with engine.connect() as conn:
        cut = changesets.cut_at(conn, moment)
        old = list(read.observations(conn, Selection(table=15, cut=cut)))
        new = list(read.observations(conn, Selection(table=15)))
        before_anything = list(read.observations(conn, Selection(table=15, cut=changesets.cut_at(
            conn, dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)))))
    assert [o.value for o in old] == [10.5]
    assert [o.value for o in new] == [12.0]
    assert before_anything == []


class Boom(RuntimeError):
    pass


def _then_fail(good, n_before_failure):
    for i, o in enumerate(good):
        if i == n_before_failure:
            raise Boom("the file broke here")
        yield o


def test_a_load_that_fails_part_way_leaves_the_database_exactly_as_before(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
    with engine.connect() as conn:
        before = counts(conn)
        snapshot = current(conn)
    # 5000 rows: more than two write batches land in the database before the failure
    many = [obs15(f"X", str(1900 + i % 100), float(i), sex=("SEX_M", "SEX_F", "SEX_T")[i % 3], source="BA_1",
                  area="THA").with_(key=("THA", "BA_1", "_Z", ("SEX_M", "SEX_F", "SEX_T")[i % 3],
                                         ("X", "MYS", "SGP", "TOTAL", "HKG")[i // 300 % 5]),
                                    time=str(1800 + i % 300))
            for i in range(5000)]
    many = list({o.cell(): o for o in many}.values())
    with pytest.raises(Boom):
        with engine.begin() as conn:
            write.write(conn, _then_fail(many + [obs15("MYS", "2020", 99.0)], len(many) - 1), kind="load", by="x")
    with engine.connect() as conn:
        assert counts(conn) == before
        assert current(conn) == snapshot


def test_duplicate_cell_in_one_load_is_refused_naming_both_places(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        before = counts(conn)
    with pytest.raises(write.StoreError, match=r"f\.csv:7.*first at f\.csv:3"):
        with engine.begin() as conn:
            write.write(conn, [obs15("MYS", "2020", 1.0, provenance="f.csv:3"),
                               obs15("MYS", "2020", 2.0, provenance="f.csv:7")], kind="load", by="x")
    with engine.connect() as conn:
        assert counts(conn) == before


def test_deletion_is_a_tombstone_and_the_old_value_stays(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        first = write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
        gone = write.delete(conn, [(15, obs15("MYS", "2020", 0).key, "2020")], by="ben", reason="duplicate of census")
        again = write.delete(conn, [(15, obs15("MYS", "2020", 0).key, "2020")], by="ben")
    assert gone.deleted == 1 and again.deleted == 0
    with engine.connect() as conn:
        assert current(conn) == {}
        assert [o.value for o in read.observations(conn, Selection(table=15, cut=first.changeset_id))] == [10.5]
        versions = list(read.history(conn, 15))
        changes = list(read.versions(conn, Selection(table=15, updated_after=first.changeset_id, include_deleted=True)))
    assert [v["deleted"] for v in versions] == [False, True]
    assert versions[1]["reason"] == "duplicate of census"
    assert [c.deleted for c in changes] == [True]
    with engine.begin() as conn:
        back = write.write(conn, [obs15("MYS", "2020", 10.7)], kind="load", by="ana")
    assert back.added == 1


def test_two_sources_and_two_bases_never_overwrite_each_other(engine):
    lfs = Observation(5, ("THA", "BA_1", "BIR", "SEX_T", "ECO_ISIC4_A", "MIG_STATUS_MIGRANT"), "2020", 100.0)
    census = lfs.with_(key=("THA", "AA_1", "BIR", "SEX_T", "ECO_ISIC4_A", "MIG_STATUS_MIGRANT"), value=120.0)
    citizens = lfs.with_(key=("THA", "BA_1", "CIT", "SEX_T", "ECO_ISIC4_A", "MIG_STATUS_MIGRANT"), value=80.0)
    with engine.begin() as conn:
        with_sources(conn, "BA_1", "AA_1")
        s = write.write(conn, [lfs, census, citizens], kind="load", by="ana")
    assert s.added == 3
    with engine.connect() as conn:
        got = sorted(o.value for o in read.observations(conn, Selection(table=5)))
        only_census = [o.value for o in read.observations(conn, Selection(table=5, filters={"SOURCE": ("AA_1",)}))]
        only_cit = [o.value for o in read.observations(conn, Selection(table=5, filters={"BASIS": ("CIT",), "ECO": ("ECO_ISIC4_A",)}))]
    assert got == [80.0, 100.0, 120.0]
    assert only_census == [120.0] and only_cit == [80.0]


def test_confidential_values_are_stored_but_never_public(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 4.2, confidential=True, status="C")], kind="load", by="ana")
    with engine.connect() as conn:
        public = list(read.observations(conn, Selection(table=15)))
        internal = list(read.observations(conn, Selection(table=15), public=False))
        hist = list(read.history(conn, 15))
    assert public[0].value is None and public[0].confidential and public[0].status == "C"
    assert internal[0].value == 4.2
    assert hist[0]["observation"].value is None


def test_wrong_key_length_is_refused(engine):
    with pytest.raises(write.StoreError, match="table 15 needs a key of 5 codes"):
        with engine.begin() as conn:
            write.write(conn, [Observation(15, ("THA", "BA_1", "SEX_T"), "2020", 1.0)], kind="load", by="x")


def test_year_filters_and_area_filters(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        with_sources(conn, "BA_2", area="VNM")
        write.write(conn, [obs15("MYS", y, float(y)) for y in ("2014", "2015", "2020", "2024")]
                    + [obs15("MYS", "2020", 1.0, area="VNM", source="BA_2")], kind="load", by="x")
    with engine.connect() as conn:
        years = [o.time for o in read.observations(conn, Selection(table=15, start="2015", end="2020",
                                                                    filters={"REF_AREA": ("THA",)}))]
        areas = {o.ref_area for o in read.observations(conn, Selection(filters={"REF_AREA": ("VNM",)}))}
    assert years == ["2015", "2020"]
    assert areas == {"VNM"}


def test_as_of_times_with_an_offset_are_compared_in_utc(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
    with engine.connect() as conn:
        at = conn.execute(schema.changeset.select()).first().created_at.replace(tzinfo=dt.timezone.utc)
        bangkok = dt.timezone(dt.timedelta(hours=7))
        just_before = (at - dt.timedelta(minutes=30)).astimezone(bangkok)
        just_after = (at + dt.timedelta(seconds=1)).astimezone(bangkok)
        assert changesets.cut_at(conn, just_before) == 0
        assert changesets.cut_at(conn, just_after) == 1
