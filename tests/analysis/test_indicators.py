"""Declared indicators and regional aggregates against values worked out by hand (fixtures.py)."""
from __future__ import annotations

import pytest

from ilms.analysis import indicators, regional
from ilms.analysis.declarations import declarations
from ilms.analysis.vintage import AnalysisError, published_release

from .fixtures import cell, load


def _by_country(values, **key):
    return {(v.ref_area, v.basis): v.value for v in values
            if all(v.code(d) == c for d, c in key.items())}


@pytest.fixture
def release(engine):
    load(engine)
    with engine.connect() as conn:
        yield conn, published_release(conn)


def test_every_declaration_loads_and_states_its_bases():
    decl = declarations()
    assert {"MIG_SHARE_WAP", "LFPR", "UR", "WAGE_GAP", "INTRA_REGIONAL_SHARE_MIG"} <= set(decl.indicators)
    for ind in decl.indicators.values():
        assert ind.bases and set(ind.bases) <= {"BIR", "CIT", "_Z"}


def test_shares_by_country_each_basis_alone_confidential_is_missing_not_zero(release):
    conn, r = release
    got = _by_country(indicators.compute(conn, "MIG_SHARE_WAP", r.cut), SEX="SEX_T")
    # THA 10/100, MYS 20/50 (birth) and 5/50 (citizenship); PHL's migrants are confidential
    assert got == {("THA", "BIR"): 10.0, ("MYS", "BIR"): 40.0, ("MYS", "CIT"): 10.0}
    flags = {(v.ref_area, v.basis): v.flags for v in indicators.compute(conn, "MIG_SHARE_WAP", r.cut)
             if v.code("SEX") == "SEX_T"}
    assert flags == {("THA", "BIR"): ("E",), ("MYS", "BIR"): (), ("MYS", "CIT"): ()}


def test_rates_by_migrant_status(release):
    conn, r = release
    lfpr = _by_country(indicators.compute(conn, "LFPR", r.cut), MIG="MIG_STATUS_MIGRANT")
    assert lfpr[("THA", "BIR")] == 80.0            # 8 / 10
    assert lfpr[("MYS", "BIR")] == 75.0            # 15 / 20
    nonmig = _by_country(indicators.compute(conn, "LFPR", r.cut), MIG="MIG_STATUS_NONMIG")
    assert nonmig == {("THA", "BIR"): pytest.approx(57.7777777778)}   # 52 / 90; MYS has no non-migrant cells
    ur = _by_country(indicators.compute(conn, "UR", r.cut), MIG="MIG_STATUS_TOTAL")
    assert ur == {("THA", "BIR"): 5.0}             # 3 / 60
    epr = _by_country(indicators.compute(conn, "EPR", r.cut), MIG="MIG_STATUS_MIGRANT")
    assert epr == {("THA", "BIR"): 75.0}           # 7.5 / 10


def test_distribution_concentration_skill_and_wage_gap(release):
    conn, r = release
    dist = _by_country(indicators.compute(conn, "MIG_EMP_DIST_ECO", r.cut), ECO="ECO_ISIC4_A")
    assert dist == {("THA", "BIR"): 40.0}          # 4 / 10
    conc = {v.code("ECO"): v.value for v in indicators.compute(conn, "MIG_EMP_CONC_ECO", r.cut)}
    assert conc["ECO_ISIC4_A"] == 2.0              # (4/10) / (20/100)
    assert conc["ECO_ISIC4_C"] == 0.75             # (6/10) / (80/100)
    # skill level 1 = group 9: 5 / 10; levels 3-4 need groups 1, 2 and 3: group 3 is missing -> no value
    assert _by_country(indicators.compute(conn, "MIG_EMP_SHARE_LOWSKILL", r.cut)) == {("THA", "BIR"): 50.0}
    assert indicators.compute(conn, "MIG_EMP_SHARE_HIGHSKILL", r.cut) == []
    gap = indicators.compute(conn, "WAGE_GAP", r.cut)
    assert [(v.ref_area, v.value, dict(v.terms)) for v in gap] == [("THA", 20.0, {"a": 800.0, "b": 1000.0})]
    assert regional.aggregate(conn, "WAGE_GAP", r.cut) == []      # national currencies: no regional value


def test_women_and_intra_regional_shares_use_membership_of_the_year(release):
    conn, r = release
    assert _by_country(indicators.compute(conn, "FEM_SHARE_MIG", r.cut)) == {("THA", "BIR"): 40.0}
    # MMR 5 + KHM 2 of 10; CHN is not a member, TLS joined only in 2025
    intra = _by_country(indicators.compute(conn, "INTRA_REGIONAL_SHARE_MIG", r.cut), SEX="SEX_T")
    assert intra == {("THA", "BIR"): 70.0}


def test_regional_aggregate_pools_terms_and_states_coverage(release):
    conn, r = release
    agg = {(a.basis, a.key): a for a in regional.aggregate(conn, "MIG_SHARE_WAP", r.cut)}
    bir = agg[("BIR", (("SEX", "SEX_T"),))]
    assert bir.value == 20.0                       # (10 + 20) / (100 + 50): a ratio of sums
    assert bir.coverage.countries == ("MYS", "THA")
    assert "PHL" in bir.coverage.missing and not bir.coverage.complete
    assert dict(bir.coverage.sources) == {"MYS": "BA_2", "THA": "BA_1"}
    assert bir.flags == ("E",)                     # THA's migrants are an estimate: the flag travels
    cit = agg[("CIT", (("SEX", "SEX_T"),))]
    assert cit.value == 10.0 and cit.coverage.countries == ("MYS",)     # never mixed with BIR


def test_regional_total_is_not_a_sum_when_members_are_missing(release):
    conn, r = release
    totals = regional.regional_totals(conn, 1, {"SEX": ("SEX_T",), "AGE": ("AGE_10YRBANDS_TOTAL",),
                                                "LMS": ("LMS_STATUS_TOTAL",), "MIG": ("MIG_STATUS_TOTAL",)},
                                      r.cut, basis="BIR")
    (total,) = totals
    assert total.value is None and total.reported == {"MYS": 50.0, "PHL": 40.0, "THA": 100.0}
    assert "would need estimates" in total.note and "IDN" in total.note


def test_regional_total_of_a_small_region_is_published_when_complete(engine, tmp_path, monkeypatch):
    (tmp_path / "duo.yaml").write_text("id: DUO\nname: Two countries\nmembers:\n  THA: {joined: 1967-08-08}\n"
                                       "  MYS: {joined: 1967-08-08}\n", encoding="utf-8")
    monkeypatch.setenv("ILMS_REGIONS_DIR", str(tmp_path))
    from ilms.tables import loader
    loader.structure.cache_clear()
    try:
        load(engine)
        region = regional.region_of("DUO")
        with engine.connect() as conn:
            r = published_release(conn)
            (total,) = regional.regional_totals(
                conn, 1, {"SEX": ("SEX_T",), "AGE": ("AGE_10YRBANDS_TOTAL",), "LMS": ("LMS_STATUS_TOTAL",),
                          "MIG": ("MIG_STATUS_MIGRANT",)}, r.cut, basis="BIR", region=region)
            assert total.value == 30.0 and total.coverage.complete      # THA 10 + MYS 20
            agg = regional.aggregate(conn, "MIG_SHARE_WAP", r.cut, region=region)
            assert {a.basis: a.coverage.complete for a in agg if a.key == (("SEX", "SEX_T"),)} == \
                {"BIR": True, "CIT": False}
    finally:
        loader.structure.cache_clear()


def test_unpublished_data_are_not_analysed(engine):
    load(engine, publish=False)
    with engine.connect() as conn:
        with pytest.raises(AnalysisError, match="not published"):
            published_release(conn, "r1")
        with pytest.raises(AnalysisError, match="no release has been published"):
            published_release(conn)
        with pytest.raises(AnalysisError, match="no such release"):
            published_release(conn, "nope")


def test_a_later_correction_is_not_in_the_release(engine):
    load(engine)
    from ilms.store import write
    with engine.begin() as conn:
        write.write(conn, [cell(1, "THA", "BA_1", "BIR", ("AGE_10YRBANDS_TOTAL", "LMS_STATUS_TOTAL",
                                                           "MIG_STATUS_MIGRANT"), 30)], kind="correction", by="t")
    with engine.connect() as conn:
        r = published_release(conn)
        got = _by_country(indicators.compute(conn, "MIG_SHARE_WAP", r.cut), SEX="SEX_T")
    assert got[("THA", "BIR")] == 10.0


def test_bulk_downloads_carry_the_indicators_of_the_release(engine, tmp_path):
    import csv
    import gzip

    from ilms.publish import bulk
    load(engine)
    manifest = bulk.build(engine, "r1", root=tmp_path)
    (entry,) = [f for f in manifest["files"] if f["format"] == "indicators"]
    assert entry["table"] is None and entry["name"] == "ilms-r1-all-indicators.csv.gz"
    with gzip.open(tmp_path / "r1" / entry["name"], "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == entry["rows"]
    share = {(r["REF_AREA"], r["BASIS"]): r for r in rows
             if r["INDICATOR"] == "MIG_SHARE_WAP" and r["BREAKDOWN"] == "SEX=SEX_T"}
    assert float(share[("THA", "BIR")]["OBS_VALUE"]) == 10.0
    region = share[("ASEAN", "BIR")]
    assert region["AGGREGATE"] == "Y" and float(region["OBS_VALUE"]) == 20.0
    assert region["COVERAGE"] == "MYS THA" and "PHL" in region["MISSING"].split()
    again = bulk.build(engine, "r1", root=tmp_path)
    assert [f["sha256"] for f in again["files"]] == [f["sha256"] for f in manifest["files"]]   # reproducible


def test_corridor_ranking_with_the_other_end_and_undesa_beside(engine, tmp_path):
    from ilms.analysis import corridors
    from ilms.collect.load import load_file
    from .fixtures import small_release
    # Myanmar reports 6 (thousand) of its nationals living in Thailand; Thailand 5 born in Myanmar
    load(engine, small_release() + [cell(13, "MMR", "EA_1", "_Z", ("THA",), 6)])
    od = tmp_path / "undesa_ims2020_test.csv"       # long layout; invented figures for 2020
    od.write_text("year,destination,destination_m49,destination_iso3,origin,origin_iso3,sex,migrant_stock\n"
                  "2020,Thailand,764,THA,Myanmar,MMR,M,3000\n2020,Thailand,764,THA,Myanmar,MMR,F,2500\n",
                  encoding="utf-8")
    load_file(engine, od, by="pytest")
    with engine.connect() as conn:
        r = published_release(conn)
        top = corridors.ranking(conn, "MIG_STOCK", r.cut, "2020", n=3)
    assert [(c.origin, c.destination, c.value) for c in top] == [("MMR", "THA", 5.0), ("KHM", "THA", 2.0),
                                                                 ("CHN", "THA", 1.0)]
    assert top[0].undesa == 5.5 and top[1].undesa is None        # 3000 + 2500 persons, in thousands
    assert top[0].mirror == 6.0 and top[1].mirror is None         # Myanmar's own report of the corridor
    with engine.connect() as conn:
        (abroad,) = corridors.ranking(conn, "NAT_ABROAD", published_release(conn).cut, "2020")
    assert (abroad.origin, abroad.destination, abroad.value, abroad.mirror, abroad.undesa) == \
        ("MMR", "THA", 6.0, 5.0, 5.5)
