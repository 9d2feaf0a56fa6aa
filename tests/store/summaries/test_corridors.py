"""Corridors from both sides: one figure per corridor, the preferred source, confidential masked,
and the mirror comparison with its difference."""
from __future__ import annotations

import pytest

from ilms.disclosure.pattern import is_suppressed
from ilms.store.summaries import corridors
from ilms.store.summaries.corridors import DESTINATION, ORIGIN


def test_partner_tables_and_who_reports_them_come_from_the_declarations():
    tables = corridors.partner_tables()
    assert set(tables) == {3, 4, 9, 13, 14, 15}
    assert tables[3] == ("ORIGIN", DESTINATION) and tables[13] == ("RESIDENCE", ORIGIN)
    assert tables[15] == ("DESTINATION", ORIGIN)
    assert {"TOTAL", "X"} <= set(corridors.not_countries()) and "THA" not in corridors.not_countries()


def test_flows_pick_one_figure_per_corridor_by_the_preference_rule(engine, sample):
    with engine.connect() as conn:
        got = corridors.flows(conn, sample.cut, 3)
    by = {(f.origin, f.destination, f.period): f for f in got}
    # TOTAL is no corridor; BA (survey) before AA (census), BIR before CIT; the later 999 is unpublished
    assert set(by) == {("MMR", "THA", "2019"), ("MMR", "THA", "2020"), ("LAO", "THA", "2020"),
                       ("KHM", "THA", "2020")}
    mmr = by[("MMR", "THA", "2020")]
    assert (mmr.value, mmr.source, mmr.basis, mmr.reporter, mmr.reporting_country) == (60.0, "BA_1", "BIR",
                                                                                       DESTINATION, "THA")
    assert by[("KHM", "THA", "2020")].value is None            # confidential: masked, never a number
    lao = by[("LAO", "THA", "2020")]                            # withheld by the release's secondary suppression
    assert (lao.value, lao.status) == (None, "C")               # flagged like a confidential cell
    with engine.connect() as conn:
        assert {f.value for f in corridors.flows(conn, sample.later, 3, years=["2020"], countries=["MMR"])} == {999.0}


def test_ranking_largest_first_confidential_last(engine, sample):
    with engine.connect() as conn:
        ranked = corridors.ranking(conn, sample.cut, 3, "2020")
        assert corridors.years(conn, sample.cut, 15) == {"2019": 1, "2020": 1}
        assert corridors.years(conn, sample.later, 3) == {"2019": 1, "2020": 1}
    assert corridors.best_year({"2019": 3, "2020": 5, "2021": 5, "2022": 2}) == "2021"
    assert corridors.best_year({}) is None
    # LAO is withheld by the release's secondary suppression: with TOTAL and MMR published it would give
    # the confidential KHM by difference (docs/disclosure.md); withheld corridors rank last, like KHM
    assert [(f.origin, f.value) for f in ranked] == [("MMR", 60.0), ("KHM", None), ("LAO", None)]
    with engine.connect() as conn:
        assert is_suppressed(conn, "S-1", 3, "THA.BA_1.BIR.SEX_T.LAO", "2020")


def test_mirror_shows_both_sides_and_the_difference(engine, sample):
    with engine.connect() as conn:
        pairs = corridors.mirror(conn, sample.cut, years=["2020"])
    both = {(p.mirror, p.origin_table, p.origin, p.destination): p for p in pairs}
    abroad = both[("nationals_abroad", 13, "MMR", "THA")]
    # MMR says 70 of its nationals live in THA; THA says 60 migrants come from MMR
    assert (abroad.origin_figure.value, abroad.destination_figure.value) == (70.0, 60.0)
    assert abroad.difference == pytest.approx(10.0) and abroad.ratio == pytest.approx(70 / 60)
    outflow = both[("outflow_inflow", 15, "MMR", "THA")]
    assert (outflow.origin_figure.value, outflow.destination_figure.value, outflow.difference) == (12.0, 10.0, 2.0)
    # one side only: shown, with no difference
    mys = both[("nationals_abroad", 13, "MMR", "MYS")]
    assert mys.destination_figure is None and mys.difference is None
    lao = both[("nationals_abroad", 13, "LAO", "THA")]
    assert lao.origin_figure is None and lao.destination_figure.value is None    # withheld (secondary)
    assert both[("nationals_abroad", 13, "KHM", "THA")].difference is None     # confidential side


def test_flows_refuse_a_table_without_partner_country(engine, sample):
    with engine.connect() as conn, pytest.raises(KeyError, match="table 5"):
        corridors.flows(conn, sample.cut, 5)
