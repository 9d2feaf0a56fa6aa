"""The availability matrix counts what the published release holds, per country, table and year."""
from __future__ import annotations

from ilms.store.summaries.availability import availability


def test_matrix_of_the_release_names_sources_types_and_counts(engine, sample):
    with engine.connect() as conn:
        m = availability(conn, sample.cut)
    assert m.countries == ("MMR", "THA")
    assert m.tables == (3, 5, 8, 9, 13, 15)
    assert m.years == ("2019", "2020")
    c = m.cell("THA", 3, "2020")
    # BA_1 BIR 4 + BA_1 CIT 2 + AA_2 2 (the confidential KHM cell exists, masked, and is counted)
    assert (c.sources, c.source_types, c.observations) == (("AA_2", "BA_1"), ("AA", "BA"), 8)
    assert m.cell("THA", 3, "2019").observations == 2
    assert m.cell("MMR", 13, "2020").observations == 3        # the later deletion is not published
    assert m.cell("MMR", 13, "2019") is None                   # a gap
    assert m.years_of("MMR", 15) == ("2019", "2020")
    assert m.source_types == ("AA", "BA", "EA", "XA")


def test_matrix_narrowed_and_as_of_a_later_cut(engine, sample):
    with engine.connect() as conn:
        narrow = availability(conn, sample.cut, countries=["MMR"], tables=[13, 15], years=["2020"])
        later = availability(conn, sample.later)
    assert set(narrow.cells) == {("MMR", 13, "2020"), ("MMR", 15, "2020")}
    assert later.cell("MMR", 13, "2020").observations == 2      # after the deletion


def test_what_each_source_feeds(engine, sample):
    from ilms.store.summaries.availability import by_source
    with engine.connect() as conn:
        uses = by_source(conn, sample.cut)
        only = by_source(conn, sample.cut, sources=["XA_6"])
    ba = {u.table: u for u in uses["BA_1"]}
    assert set(ba) == {3, 5, 8}
    assert (ba[3].first, ba[3].last, ba[3].years, ba[3].observations) == ("2019", "2020", 2, 8)
    assert [(u.table, u.first, u.last, u.observations) for u in only["XA_6"]] == [(15, "2019", "2020", 4)]
    assert set(only) == {"XA_6"}
