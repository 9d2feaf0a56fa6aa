"""Both REST syntaxes parse into the one query model; syntax errors name the parameter."""
from __future__ import annotations

import datetime as dt

import pytest

from ilms.web.sdmx.query import (ArtefactRef, Condition, QueryError, parse_availability_v1,
                                 parse_availability_v2, parse_data_v1, parse_data_v2, parse_period,
                                 parse_structure_v1, parse_structure_v2, query_params, version_matches)


def test_v1_flow_ref_forms():
    assert parse_data_v1("DF_ILMS_T05").flow == ArtefactRef(None, ("DF_ILMS_T05",), ("+",))
    assert parse_data_v1("ILMS,DF_ILMS_T05").flow == ArtefactRef(("ILMS",), ("DF_ILMS_T05",), ("+",))
    assert parse_data_v1("ILMS,DF_ILMS_T05,1.0").flow == ArtefactRef(("ILMS",), ("DF_ILMS_T05",), ("1.0",))
    assert parse_data_v1("all,DF_ILMS_T05,all").flow == ArtefactRef(None, ("DF_ILMS_T05",), None)
    with pytest.raises(QueryError):
        parse_data_v1("a,b,c,d")


def test_v1_key_wildcards_and_or():
    q = parse_data_v1("DF_ILMS_T05", "THA+PHL..BIR")
    assert q.keys == ((("THA", "PHL"), None, ("BIR",)),)
    assert parse_data_v1("DF_ILMS_T05", "all").keys == ((),)
    with pytest.raises(QueryError) as err:
        parse_data_v1("DF_ILMS_T05", "TH A")
    assert err.value.parameter == "key"


def test_v2_key_star_and_several_keys():
    q = parse_data_v2("dataflow", "ILMS", "DF_ILMS_T05", "+", "THA.*.BIR,PHL")
    assert q.keys == ((("THA",), None, ("BIR",)), (("PHL",),))
    assert parse_data_v2("*", "*", "DF_ILMS_T05", "*", "*").keys == ((),)
    assert q.flow.context == "dataflow" and q.flow.versions == ("+",)
    with pytest.raises(QueryError):
        parse_data_v2("nonsense", "ILMS", "DF_ILMS_T05", "+", "*")


def test_v1_detail_maps_to_v2_attributes_and_measures():
    q = parse_data_v1("DF_ILMS_T05", params={"detail": "serieskeysonly"})
    assert (q.attributes, q.measures) == (("none",), ("none",))
    assert parse_data_v2("*", "*", "X", "*", "*", {"attributes": "none"}).detail == "dataonly"
    with pytest.raises(QueryError):
        parse_data_v1("DF_ILMS_T05", params={"detail": "everything"})


def test_v2_component_filters_or_and_operators():
    params = query_params("c[SEX]=SEX_F,SEX_M&c[ECO]=ne:ECO_ISIC4_TOTAL&c[TIME_PERIOD]=ge:2019+le:2020-12")
    q = parse_data_v2("dataflow", "ILMS", "DF_ILMS_T05", "+", "*", params)
    assert q.components["SEX"] == ((Condition("eq", "SEX_F"),), (Condition("eq", "SEX_M"),))
    assert q.components["ECO"] == ((Condition("ne", "ECO_ISIC4_TOTAL"),),)
    assert "TIME_PERIOD" not in q.components          # became start/end
    assert (q.start, q.end) == ("2019", "2020M12")


def test_v2_time_period_other_operators_stay_as_filters():
    q = parse_data_v2("*", "*", "X", "*", "*", query_params("c[TIME_PERIOD]=gt:2019"))
    assert q.components["TIME_PERIOD"] == ((Condition("gt", "2019"),),)
    assert Condition("gt", "2019").holds("2020") and not Condition("gt", "2019").holds("2019")


def test_v2_rejects_v1_period_parameters():
    with pytest.raises(QueryError) as err:
        parse_data_v2("*", "*", "X", "*", "*", {"startPeriod": "2020"})
    assert err.value.parameter == "startPeriod"


def test_plus_in_query_string_is_not_a_space():
    assert query_params("c[X]=a+b&updatedAfter=2020-01-01T00:00:00+01:00") == {
        "c[X]": "a+b", "updatedAfter": "2020-01-01T00:00:00+01:00"}
    assert query_params("c%5BX%5D=a") == {"c[X]": "a"}


def test_dates_and_periods():
    q = parse_data_v2("*", "*", "X", "*", "*", {"asOf": "2024-05-01T10:00:00Z",
                                                 "updatedAfter": "2024-04-01T00:00:00 02:00"})
    assert q.as_of == dt.datetime(2024, 5, 1, 10, tzinfo=dt.timezone.utc)
    assert q.updated_after.utcoffset() == dt.timedelta(hours=2)
    with pytest.raises(QueryError):
        parse_data_v2("*", "*", "X", "*", "*", {"asOf": "2024-05-01", "updatedAfter": "2024-06-01"})
    with pytest.raises(QueryError):
        parse_data_v1("X", params={"updatedAfter": "yesterday"})
    assert parse_period("p", "2020-Q1", start=True) == "2020"
    assert parse_period("p", "2020-Q3", start=True) == "2020Q3"
    assert parse_period("p", "2020-03", start=False) == "2020M03"
    assert parse_period("p", "2020-M03", start=False) == "2020M03"
    with pytest.raises(QueryError):
        parse_period("p", "2020-13", start=False)


def test_integers_and_booleans_are_checked():
    q = parse_data_v1("X", params={"lastNObservations": "2", "includeHistory": "true"})
    assert q.last_n == 2 and q.include_history
    for bad in ({"firstNObservations": "0"}, {"lastNObservations": "x"}, {"includeHistory": "yes"}):
        with pytest.raises(QueryError):
            parse_data_v1("X", params=bad)


def test_release_extension():
    assert parse_data_v1("X", params={"release": "2025-R1"}).release == "2025-R1"
    with pytest.raises(QueryError):
        parse_data_v1("X", params={"release": "../etc"})


def test_structure_queries_both_syntaxes():
    v1 = parse_structure_v1("codelist", "ILMS", "CL_SEX", "latest", "SEX_F+SEX_M", {"detail": "allstubs"})
    v2 = parse_structure_v2("codelist", "ILMS", "CL_SEX", "~", "SEX_F,SEX_M", {"detail": "allstubs"})
    assert v1.ref.ids == v2.ref.ids == ("CL_SEX",)
    assert v1.items == v2.items == ("SEX_F", "SEX_M")
    assert parse_structure_v1("dataflow").ref == ArtefactRef(None, None, ("+",))
    with pytest.raises(QueryError):
        parse_structure_v2("codelist", params={"detail": "most"})


def test_availability_queries():
    a1 = parse_availability_v1("DF_ILMS_T05", "THA", "all", "SEX", {"mode": "available"})
    a2 = parse_availability_v2("dataflow", "ILMS", "DF_ILMS_T05", "+", "THA", "*", {})
    assert a1.components == ("SEX",) and a1.mode == "available"
    assert a2.components is None and a2.mode == "exact"
    with pytest.raises(QueryError):
        parse_availability_v1("DF_ILMS_T05", "THA", "all", "SEX", {"mode": "some"})


@pytest.mark.parametrize("pattern,actual,expected", [
    ("+", "1.0", True), ("1.0", "1.0.0", True), ("1.0.0", "1.0", True), ("2.0", "1.0", False),
    ("1.*", "1.0", True), ("1+.0.0", "1.0", True), ("2+.0.0", "1.0", False), ("1.0~", "1.0.0", True)])
def test_version_matching(pattern, actual, expected):
    assert version_matches(pattern, actual) is expected
