"""The portal's one search box: tables, countries, sources, indicators, codes and labels."""
from __future__ import annotations

import pytest

from ilms.search import SearchError, search, words
from ilms.store import sources


def _ids(hits, kind):
    return [h.id for h in hits if h.kind == kind]


def test_words_fold_case_accents_and_punctuation():
    assert words("Côte d'Ivoire, ISCO-08") == ("cote", "d", "ivoire", "isco", "08")


@pytest.mark.parametrize("query, kind, expected", [
    ("construction", "code", ["ECO_ISIC4_F", "ECO_AGGREGATE_CON"]),
    ("ISCO 9", "code", ["OCU_ISCO08_9"]),
    ("Myanmar", "country", ["MMR"]),
    ("viet", "country", ["VNM"]),
    ("table 15", "table", ["15"]),
    ("mst_fore_sex_cbr_nb", "indicator", ["MST_FORE_SEX_CBR_NB"]),
])
def test_declared_things_are_found(query, kind, expected):
    hits = search(None, query)
    assert _ids(hits, kind) == expected


def test_sources_come_from_the_catalogue_and_an_exact_id_comes_first(engine):
    with engine.begin() as conn:
        sources.upsert(conn, "BA_9080", "THA", name="Labour Force Survey (synthetic)")
        sources.upsert(conn, "XA_9083", "THA", name="Entry and work permit records")
    with engine.connect() as conn:
        exact = search(conn, "BA_9080")
        by_country = search(conn, "thailand records")
    assert exact[0].kind == "source" and exact[0].id == "BA_9080" and exact[0].exact
    assert exact[0].detail == "Thailand"
    assert _ids(by_country, "source") == ["XA_9083"]


def test_a_code_names_every_table_of_its_codelist():
    (hit,) = [h for h in search(None, "ISCO 9") if h.kind == "code"]
    assert (hit.table, hit.dimension, hit.tables) == (6, "OCU", (6, 12, 17))


def test_nothing_found_empty_query_and_too_long_a_query():
    assert search(None, "zzzqqq") == []
    assert search(None, "  ,, ") == []
    with pytest.raises(SearchError, match="longer than"):
        search(None, "x" * 500)
