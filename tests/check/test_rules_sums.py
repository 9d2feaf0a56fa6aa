"""Arithmetic rules derived from the hierarchies, firing and not firing."""
from __future__ import annotations

import pytest

from .helpers import findings, obs, sexes


def test_sexes_add_up_within_rounding():
    assert findings(sexes(13, 3.0, 1.5, 1.5, RESIDENCE="THA"), "sum.total") == []
    # 3 decimals, 2 components: tolerance 0.001
    assert findings(sexes(13, 3.001, 1.5, 1.5, RESIDENCE="THA"), "sum.total") == []
    (f,) = findings(sexes(13, 3.002, 1.5, 1.5, RESIDENCE="THA"), "sum.total")
    assert f.tolerance == pytest.approx(0.001) and f.difference == pytest.approx(0.002)
    assert [c.role for c in f.cells] == ["total", "component", "component"]


def test_tolerance_follows_reported_decimals():
    data = [obs(13, 3.0, decimals=0, RESIDENCE="THA"), obs(13, 1.0, sex="SEX_M", decimals=0, RESIDENCE="THA"),
            obs(13, 1.0, sex="SEX_F", decimals=0, RESIDENCE="THA")]       # 1 + 1 vs 3: tolerance 1.0
    assert findings(data, "sum.total") == []
    five = [obs(15, 0.0, DESTINATION=d) for d in ("THA", "MYS", "SGP", "KOR", "X")]
    assert findings(five + [obs(15, 0.0025, DESTINATION="TOTAL")], "sum.total") == []
    (f,) = findings(five + [obs(15, 0.003, DESTINATION="TOTAL")], "sum.total")
    assert f.tolerance == pytest.approx(0.0025)


def test_partner_countries_and_others_make_the_total():
    data = [obs(15, 10.0, DESTINATION="THA"), obs(15, 5.0, DESTINATION="MYS"), obs(15, 1.0, DESTINATION="X")]
    assert findings(data + [obs(15, 16.0, DESTINATION="TOTAL")], "sum.total") == []
    (f,) = findings(data + [obs(15, 17.0, DESTINATION="TOTAL")], "sum.total")
    assert f.expected.value == 16.0 and len(f.cells) == 4


def test_labour_market_status_hierarchy():
    def t1(lms, v):
        return obs(1, v, AGE="AGE_10YRBANDS_TOTAL", LMS=lms, MIG="MIG_STATUS_MIGRANT")
    ok = [t1("LMS_STATUS_TOTAL", 100.0), t1("LMS_STATUS_LF", 70.0), t1("LMS_STATUS_EMP", 65.0),
          t1("LMS_STATUS_UNE", 5.0), t1("LMS_STATUS_EIP", 30.0)]
    assert findings(ok, "sum.total") == []
    bad = ok[:3] + [t1("LMS_STATUS_UNE", 6.0), ok[4]]
    (f,) = findings(bad, "sum.total")
    assert "Labour force (LMS_STATUS_LF) is 70" in f.message and f.expected.value == 71.0


def test_partial_breakdown_is_no_error():
    data = [obs(16, 10.0, ECO="ECO_ISIC4_TOTAL"), obs(16, 4.0, ECO="ECO_ISIC4_A"), obs(16, 6.0, ECO="ECO_ISIC4_C")]
    assert findings(data, "sum.total") == []
    assert findings(data, "sum.part_exceeds_total") == []
    assert findings(data, "sum.incomplete_breakdown") == []      # missing sections hold zero


def test_incomplete_breakdown_falls_short():
    data = [obs(16, 10.0, ECO="ECO_ISIC4_TOTAL"), obs(16, 4.0, ECO="ECO_ISIC4_A")]
    (f,) = findings(data, "sum.incomplete_breakdown")
    assert f.severity == "warning" and f.difference == 6.0
    assert "B. Mining and quarrying" in f.message


def test_migrants_cannot_outnumber_the_total():
    base = dict(ECO="ECO_ISIC4_TOTAL")
    ok = [obs(5, 100.0, MIG="MIG_STATUS_TOTAL", **base), obs(5, 20.0, MIG="MIG_STATUS_MIGRANT", **base)]
    assert findings(ok, "sum.part_exceeds_total") == []
    bad = [ok[0], obs(5, 120.0, MIG="MIG_STATUS_MIGRANT", **base)]
    (f,) = findings(bad, "sum.part_exceeds_total")
    assert f.reported.value == 100.0 and f.expected.value == 120.0 and f.severity == "error"


def test_missing_component_derived_from_its_own_components():
    # non-agriculture not reported: industry + services + not classified stand for it
    data = [obs(16, 10.0, ECO="ECO_SECTOR_TOTAL"), obs(16, 2.0, ECO="ECO_SECTOR_AGR"),
            obs(16, 3.0, ECO="ECO_SECTOR_IND"), obs(16, 4.0, ECO="ECO_SECTOR_SER"), obs(16, 1.0, ECO="ECO_SECTOR_X")]
    assert findings(data, "sum.total") == []
    data[0] = obs(16, 11.0, ECO="ECO_SECTOR_TOTAL")
    (f,) = findings(data, "sum.total")
    assert f.expected.value == 10.0 and len(f.cells) == 5


def test_totals_of_alternative_classifications_agree():
    same = [obs(16, 10.0, ECO="ECO_ISIC4_TOTAL"), obs(16, 10.0, ECO="ECO_SECTOR_TOTAL")]
    assert findings(same, "sum.same_categories") == []
    (f,) = findings([same[0], obs(16, 9.0, ECO="ECO_SECTOR_TOTAL")], "sum.same_categories")
    assert "both count the same people" in f.message
    agr = [obs(16, 2.0, ECO="ECO_SECTOR_AGR"), obs(16, 2.5, ECO="ECO_AGGREGATE_AGR")]
    assert len(findings(agr, "sum.same_categories")) == 1


def test_wages_are_not_added_up():
    data = [obs(8, 100.0, currency="PHP", sex=s, MIG="MIG_STATUS_TOTAL") for s in ("SEX_T", "SEX_M", "SEX_F")]
    assert findings(data, "sum.total") == []
