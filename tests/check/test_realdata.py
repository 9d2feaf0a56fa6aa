"""The validator on the real ILOSTAT extracts (../shared/realdata): it finds every genuine
inconsistency listed in reference/ilostat-ilms-notes.md §4.2 and realdata/SOURCES.md, and raises
no error on the parts that are consistent."""
from __future__ import annotations

import pytest

from ilms.check import PUBLISHED, check_observations

from .realdata import real_observations


@pytest.fixture(scope="module")
def report(shared_dir):
    return check_observations(real_observations(shared_dir), context=PUBLISHED)


def _find(report, rule, table, area, time, **codes):
    out = []
    for f in report.findings:
        if (f.rule, f.table, f.ref_area, f.time) != (rule, table, area, time):
            continue
        if all(any(c.key.get(d) == v for c in f.cells) for d, v in codes.items()):
            out.append(f)
    return out


def test_all_cells_read(report):
    assert report.observations == 1129 + 172 + 359 + 209 + 298


def test_khm_2010_table13_sexes_do_not_add_up(report):
    (f,) = _find(report, "sum.total", 13, "KHM", "2010", SEX="SEX_T")
    assert f.severity == "error"
    assert f.reported.value == pytest.approx(72.728)
    assert f.expected.value == pytest.approx(60.541 + 133.269)
    assert f.difference == pytest.approx(72.728 - 193.810)
    assert {c.provenance.split(":")[0] for c in f.cells} == {"ilostat_ddf_mna_tpop_sex_crs_nb_asean.csv"}


def test_lao_2023_women_destinations_exceed_total(report):
    found = [f for f in _find(report, "sum.total", 15, "LAO", "2023", SEX="SEX_F")
             if f.reported.label.startswith("Total (TOTAL)")]
    assert len(found) == 1
    assert found[0].reported.value == pytest.approx(56.832)
    assert found[0].expected.value == pytest.approx(57.462)


def test_lao_2023_korea_sexes_do_not_add_up(report):
    (f,) = [f for f in _find(report, "sum.total", 15, "LAO", "2023", DESTINATION="KOR")
            if f.reported.label.startswith("Total (SEX_T)")]
    assert (f.reported.value, f.expected.value) == (pytest.approx(2.815), pytest.approx(1.702 + 1.743))


@pytest.mark.parametrize("year,t17,t15", [("2016", 234.451, 236.025), ("2017", 262.899, 264.244)])
def test_idn_table17_skill_totals_differ_from_table15(report, year, t17, t15):
    found = [f for f in _find(report, "cross.employment_outflow", 17, "IDN", year, SEX="SEX_T")]
    assert len(found) == 1
    assert (found[0].reported.value, found[0].expected.value) == (pytest.approx(t17), pytest.approx(t15))
    assert found[0].cells[0].key["OCU"] == "OCU_SKILL_TOTAL"       # equivalent of OCU_ISCO08_TOTAL


def test_idn_2020_table16_sector_total_differs_from_table15(report):
    (f,) = _find(report, "cross.employment_outflow", 16, "IDN", "2020", SEX="SEX_T")
    assert (f.reported.value, f.expected.value) == (pytest.approx(113.436), pytest.approx(112.928))


@pytest.mark.parametrize("year", ["2018", "2020", "2022", "2023", "2024"])
def test_brn_women_aggregate_components_do_not_reach_total(report, year):
    found = [f for f in report.findings if f.rule == "sum.incomplete_breakdown" and f.ref_area == "BRN"
             and f.time == year and f.reported.label.endswith("(ECO_AGGREGATE_TOTAL)")]
    assert found, f"BRN {year}: suppressed ECO_AGGREGATE cells not reported"
    assert all(f.severity == "warning" and f.difference > 0.05 for f in found)


def test_brn_2021_construction_outlier(report):
    found = [f for f in _find(report, "time.year_on_year", 5, "BRN", "2021", ECO="ECO_AGGREGATE_CON")
             if f.cells[0].key["MIG"] == "MIG_STATUS_TOTAL"]
    assert len(found) == 1
    assert (found[0].reported.value, found[0].expected.value) == (pytest.approx(76.024), pytest.approx(1.91))


def test_phl_2013_2014_break_in_table13(report):
    found = [f for f in _find(report, "time.year_on_year", 13, "PHL", "2014", SEX="SEX_T")]
    assert len(found) == 1
    assert (found[0].reported.value, found[0].expected.value) == (pytest.approx(2320), pytest.approx(10238.614))
    assert "flag it B" in found[0].suggestion


def test_no_error_where_the_extracts_are_consistent(report):
    # Indonesia's ISIC and ISCO components add up exactly to their totals 2011-2015
    for f in report.findings:
        if f.severity == "error" and f.ref_area == "IDN" and f.table in (16, 17):
            assert f.time not in {"2011", "2012", "2013", "2014", "2015"}, f.message
    # the Brunei file covers women only: partial, never an error
    assert not [f for f in report.findings if f.ref_area == "BRN" and f.severity == "error"]


def test_the_errors_are_exactly_the_genuine_inconsistencies(report):
    errors = {(f.rule, f.table, f.ref_area, f.time) for f in report.findings if f.severity == "error"}
    assert errors == {
        ("sum.total", 13, "KHM", "2010"),
        ("sum.total", 15, "LAO", "2023"),
        ("sum.total", 15, "THA", "2020"),            # TWN: F 1.744 + M 11.966 = 13.710 vs T 13.707
        ("sum.total", 17, "IDN", "2016"),            # skill levels add up to 234.373, total 234.451
        ("cross.employment_outflow", 16, "IDN", "2020"),
        ("cross.employment_outflow", 17, "IDN", "2016"),
        ("cross.employment_outflow", 17, "IDN", "2017"),
    }


def test_published_data_are_not_refused(report):
    assert report.errors > 0 and not report.passed
    assert not report.refused
