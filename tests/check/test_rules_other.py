"""Cross-table, time, completeness and mirror rules, and the registry, on hand-made data."""
from __future__ import annotations

import pytest

from ilms.check import Dataset, run
from ilms.check.agreements import load
from ilms.check.registry import RuleError, rule

from .helpers import findings, hold, obs


def employed_migrants(t4, t5, t6, t7):
    return [obs(4, t4, ORIGIN="TOTAL"), obs(5, t5, ECO="ECO_ISIC4_TOTAL", MIG="MIG_STATUS_MIGRANT"),
            obs(6, t6, OCU="OCU_ISCO08_TOTAL", MIG="MIG_STATUS_MIGRANT"),
            obs(7, t7, STE="STE_ICSE93_TOTAL", MIG="MIG_STATUS_MIGRANT")]


def test_cross_table_agreements_are_declared_as_data():
    agreements, mirrors = load()
    ids = {a.id for a in agreements}
    assert {"employed_migrants", "employment_outflow", "employed_within_working_age"} <= ids
    assert {m.id for m in mirrors} == {"outflow_inflow", "nationals_abroad"}


def test_employed_migrants_agree():
    assert findings(employed_migrants(50.0, 50.0, 50.0, 50.0), "cross.employed_migrants") == []
    (f,) = findings(employed_migrants(50.0, 50.0, 48.0, 50.0), "cross.employed_migrants")
    assert f.table == 6 and f.reported.value == 48.0 and f.expected.value == 50.0
    assert f.extra["other_table"] == 4


def test_other_basis_or_source_is_not_compared():
    data = employed_migrants(50.0, 50.0, 50.0, 50.0) + [obs(6, 40.0, basis="CIT", OCU="OCU_ISCO08_TOTAL",
                                                            MIG="MIG_STATUS_MIGRANT")]
    assert findings(data, "cross.employed_migrants") == []


def test_outflow_accepts_equivalent_totals():
    data = [obs(15, 10.0, DESTINATION="TOTAL"), obs(17, 10.0, OCU="OCU_SKILL_TOTAL")]
    assert findings(data, "cross.employment_outflow") == []
    (f,) = findings([data[0], obs(16, 11.0, ECO="ECO_SECTOR_TOTAL")], "cross.employment_outflow")
    assert f.difference == 1.0


def test_employed_within_working_age():
    ok = [obs(4, 50.0, ORIGIN="TOTAL"), obs(3, 80.0, ORIGIN="TOTAL")]
    assert findings(ok, "cross.employed_within_working_age") == []
    (f,) = findings([obs(4, 90.0, ORIGIN="TOTAL"), ok[1]], "cross.employed_within_working_age")
    assert "cannot exceed" in f.message


def test_cross_table_against_data_held(sqlite_engine):
    with sqlite_engine.begin() as conn:
        hold(conn, [obs(15, 10.0, source="XA_1", DESTINATION="TOTAL")])
        sent = [obs(16, 12.0, source="XA_1", ECO="ECO_SECTOR_TOTAL")]
        assert findings(sent, "cross.employment_outflow") == []
        (f,) = run(Dataset(sent, conn=conn), only=["cross.employment_outflow"])
        assert [c.held for c in f.cells] == [False, True]


def series(values: dict[str, float], **kw):
    return [obs(13, v, time=t, RESIDENCE="TOTAL", **kw) for t, v in values.items()]


def test_year_on_year():
    assert findings(series({"2019": 100.0, "2020": 140.0}), "time.year_on_year") == []      # +40 %
    assert findings(series({"2019": 4.0, "2020": 8.0}), "time.year_on_year") == []          # +4 thousand
    assert findings(series({"2018": 10.0, "2020": 100.0}), "time.year_on_year") == []       # not consecutive
    (f,) = findings(series({"2019": 10.0, "2020": 100.0}), "time.year_on_year")
    assert f.time == "2020" and "+900%" in f.message and "flag it B" in f.suggestion
    flagged = series({"2019": 10.0}) + [obs(13, 100.0, time="2020", status="B", RESIDENCE="TOTAL")]
    assert findings(flagged, "time.year_on_year") == []


def test_year_on_year_thresholds_configurable():
    from ilms.check import Settings
    data = series({"2019": 100.0, "2020": 140.0})
    assert len(run(Dataset(data, settings=Settings(yoy_ratio=0.3)), only=["time.year_on_year"])) == 1


def test_year_on_year_against_earlier_data_held(sqlite_engine):
    with sqlite_engine.begin() as conn:
        hold(conn, series({"2019": 10.0}))
        sent = series({"2020": 100.0})
        (f,) = run(Dataset(sent, conn=conn), only=["time.year_on_year"])
        assert f.cells[1].held and f.expected.value == 10.0


def test_series_break_when_the_source_changes():
    data = series({"2019": 10.0}, source="XA_1") + series({"2020": 10.5}, source="XA_2")
    (f,) = findings(data, "time.series_break")
    assert f.time == "2020" and "XA_1 (_Z)" in f.message and "Flag the 2020 values B" in f.suggestion
    flagged = series({"2019": 10.0}, source="XA_1") + [
        obs(13, 10.5, time="2020", source="XA_2", status="B", RESIDENCE="TOTAL")]
    assert findings(flagged, "time.series_break") == []
    same = series({"2019": 10.0, "2020": 11.0}, source="XA_1")
    assert findings(same, "time.series_break") == []


def test_series_break_when_the_basis_changes():
    data = [obs(3, 10.0, time="2019", basis="BIR", ORIGIN="TOTAL"), obs(3, 8.0, time="2020", basis="CIT", ORIGIN="TOTAL")]
    assert len(findings(data, "time.series_break")) == 1


def complete_table13(**kw):
    return [obs(13, v, sex=s, RESIDENCE="TOTAL", **kw) for s, v in (("SEX_T", 3.0), ("SEX_M", 1.0), ("SEX_F", 2.0))]


def test_required_cells():
    assert findings(complete_table13(), "complete.required_cells") == []
    partial = complete_table13()[:2]
    (f,) = findings(partial, "complete.required_cells")
    assert f.severity == "warning" and f.extra["missing"] == ["SEX_F.TOTAL"]
    (g,) = findings(partial, "complete.required_cells", context="questionnaire")
    assert g.severity == "error"
    (h,) = findings(partial, "complete.required_cells", context="questionnaire", reported_tables=[15])
    assert h.severity == "warning"          # table 13 not declared as reported


def test_mirror_outflow_against_inflow():
    mine = obs(15, 100.0, area="PHL", source="XA_1", DESTINATION="THA")
    theirs = obs(9, 80.0, area="THA", source="XA_9", ORIGIN="PHL")
    assert findings([mine, theirs], "mirror.outflow_inflow") == []
    far = theirs.with_(value=10.0)
    (f,) = findings([mine, far], "mirror.outflow_inflow")
    assert f.severity == "warning" and f.ratio == 10.0 and "ratio 10.00" in f.message
    assert (f.reported.value, f.expected.value) == (100.0, 10.0)


def test_mirror_partner_data_from_the_store(sqlite_engine):
    with sqlite_engine.begin() as conn:
        hold(conn, [obs(3, 300.0, area="THA", source="BA_9", ORIGIN="MMR")])
        sent = [obs(13, 1418.472, area="MMR", source="AA_1", RESIDENCE="THA")]
        assert findings(sent, "mirror.nationals_abroad") == []
        (f,) = run(Dataset(sent, conn=conn), only=["mirror.nationals_abroad"])
        assert f.ratio == pytest.approx(1418.472 / 300.0)


def test_registry_refuses_bad_declarations():
    with pytest.raises(RuleError, match="declared twice"):
        rule(id="sum.total", title="x", severity="error", category="arithmetic", description="x")(lambda ds: [])
    with pytest.raises(RuleError, match="severity"):
        rule(id="x.y", title="x", severity="fatal", category="arithmetic", description="x")
    with pytest.raises(KeyError, match="no such rule"):
        run(Dataset([]), only=["no.such_rule"])
