"""A country's profile figures, from the published state, by the preference rule."""
from __future__ import annotations

import pytest

from sqlalchemy import select

from ilms.store.schema import disclosure_cell, release, series
from ilms.store.summaries import profiles


def test_figures_per_period_from_the_preferred_source(engine, sample):
    with engine.connect() as conn:
        stock = profiles.figure(conn, sample.cut, "THA", "stock")
        abroad = profiles.figure(conn, sample.cut, "MMR", "nationals_abroad")
        none = profiles.figure(conn, sample.cut, "THA", "nationals_abroad")
    assert [(p.period, p.value, p.source, p.basis) for p in stock] == [("2019", 95.0, "BA_1", "BIR"),
                                                                      ("2020", 100.0, "BA_1", "BIR")]
    assert stock[1].notes == ("R1:3513",)
    assert [(p.period, p.value, p.status) for p in abroad] == [("2020", 500.0, "E")]
    assert none == []
    assert profiles.latest(stock).value == 100.0


def test_ratios_share_of_employment_and_wage(engine, sample):
    with engine.connect() as conn:
        share = profiles.ratio(conn, sample.cut, "THA", "employment_share")
        wage = profiles.ratio(conn, sample.cut, "THA", "wage_ratio")
    assert [(p.period, p.parts) for p in share] == [("2020", (80.0, 1000.0))]
    assert share[0].value == pytest.approx(0.08)
    assert wage[0].value == pytest.approx(0.75)


def test_distribution_of_migrants_by_sector(engine, sample):
    with engine.connect() as conn:
        d = profiles.distribution(conn, sample.cut, "THA", 5)
        assert profiles.distribution(conn, sample.cut, "THA", 6) is None
    assert (d.dimension, d.period, d.source, d.basis) == ("ECO", "2020", "BA_1", "BIR")
    assert [(s.code, s.migrants, s.total) for s in d.rows] == [("ECO_ISIC4_A", 20.0, 300.0),
                                                               ("ECO_ISIC4_F", 30.0, 70.0)]
    assert d.rows[1].label == "F. Construction"


def test_partners_top_in_latest_period_and_their_series(engine, sample):
    with engine.connect() as conn:
        out = profiles.partners(conn, sample.cut, "MMR", 15)
        dest = profiles.partners(conn, sample.cut, "THA", 3)
        # MMR reports no table 3: THA's report about MMR migrants is not MMR's own
        assert profiles.partners(conn, sample.cut, "MMR", 3) is None
    assert out.period == "2020" and out.top == (("THA", 12.0), ("SGP", 3.0))
    assert out.series["THA"] == {"2019": 8.0, "2020": 12.0}
    # LAO is withheld by the release's secondary suppression (it would give the confidential KHM)
    assert dest.top == (("MMR", 60.0), ("KHM", None), ("LAO", None))


def test_whole_profile_and_its_sources(engine, sample):
    with engine.connect() as conn:
        tha = profiles.profile(conn, sample.cut, "THA")
        nobody = profiles.profile(conn, sample.cut, "SGP")
    assert tha.sources == ("BA_1", "XA_4")
    assert set(tha.partners) == {3, 9} and len(tha.distributions) == 1
    assert nobody.empty and not tha.empty


def test_latest_by_country_in_one_query(engine, sample):
    with engine.connect() as conn:
        stock = profiles.latest_by_country(conn, sample.cut, "stock")
        abroad = profiles.latest_by_country(conn, sample.cut, "nationals_abroad", countries=["THA"])
    assert {k: (p.period, p.value, p.source) for k, p in stock.items()} == {"THA": ("2020", 100.0, "BA_1")}
    assert abroad == {}


def test_latest_by_country_skips_a_withheld_cell(engine, sample):
    # withhold THA's 2020 total on the preferred basis (as a release's secondary suppression pattern
    # would): the country list shows the next public figure, 2020 on the citizenship basis (90), never
    # the withheld 100
    with engine.begin() as conn:
        sid = conn.execute(select(series.c.id).where(series.c.series_key == "THA.BA_1.BIR.SEX_T.TOTAL",
                                                     series.c.table_no == 3)).scalar_one()
        rid = conn.execute(select(release.c.id).where(release.c.name == "S-1")).scalar_one()
        conn.execute(disclosure_cell.insert().values(release_id=rid, series_id=sid, time_period="2020"))
    with engine.connect() as conn:
        stock = profiles.latest_by_country(conn, sample.cut, "stock")
    assert {k: (p.period, p.value, p.basis) for k, p in stock.items()} == {"THA": ("2020", 90.0, "CIT")}


def test_one_migrant_basis(engine, sample):
    with engine.connect() as conn:
        cit = profiles.figure(conn, sample.cut, "THA", "stock", basis="CIT")
        origins = profiles.partners(conn, sample.cut, "THA", 3, basis="CIT")
        abroad = profiles.figure(conn, sample.cut, "MMR", "nationals_abroad", basis="CIT")   # basis _Z stays
        assert profiles.ratio(conn, sample.cut, "THA", "employment_share", basis="CIT") == []
        whole = profiles.profile(conn, sample.cut, "THA", basis="CIT")
    assert [(p.period, p.value, p.basis) for p in cit] == [("2020", 90.0, "CIT")]
    assert origins.top == (("MMR", 55.0),)
    assert [p.value for p in abroad] == [500.0]
    assert whole.sources == ("BA_1",) and whole.distributions == ()
