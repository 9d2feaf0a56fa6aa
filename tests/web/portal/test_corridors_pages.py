"""The corridors page and the availability matrix, on both backends, with the sample's figures."""
from __future__ import annotations

import re

from .pages_sample import sample_client  # noqa: F401  (fixture)
from .test_profiles_pages import _text


def _table(html: str, table_id: str) -> str:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert found, f"no table #{table_id}"
    return _text(found.group(0))


def test_corridors_ranking_matrix_flow_map_and_mirror(sample_client):
    r = sample_client.get("/corridors?table=3&year=2020&country=THA&direction=inward")
    assert r.status_code == 200
    html = r.text
    ranking = _table(html, "ranking")
    # Cambodia is confidential; Laos is withheld by the release's secondary suppression (with the total
    # and Myanmar published, its 30.0 would give Cambodia's value by difference): both rank last
    assert re.search(r"1 Myanmar Thailand 60\.0 BA_1 2 Cambodia Thailand confidential BA_1 \(C\) "
                     r"3 Lao People's Democratic Republic Thailand confidential", ranking)
    assert "30.0" not in ranking
    assert "Myanmar 60.0" in _table(html, "matrix")
    assert '<svg class="svg-chart sankey wide"' in html and 'sankey narrow' in html   # flow diagram, 2 drawings
    assert 'aria-describedby="map-table"' in html and "Myanmar 60.0" in _table(html, "map-table")
    mirror = _table(html, "mirror")
    # MMR reports 70 nationals in THA (table 13); THA reports 60 from MMR (table 3): +10.0, ratio 1.17
    assert "Table 13 vs table 3 Myanmar Thailand 70.0 60.0 +10.0 1.17" in mirror
    assert "Table 15 vs table 9 Myanmar Thailand 12.0 10.0 +2.0 1.20" in mirror
    assert "Lao People's Democratic Republic Thailand not reported confidential" in mirror


def test_corridors_outward_from_the_origin(sample_client):
    html = sample_client.get("/corridors?table=15&year=2020&country=MMR&direction=outward").text
    assert "Corridors from Myanmar" in html
    assert re.search(r"Thailand 12\.0 .*Singapore 3\.0", _table(html, "map-table"))
    # outward from a country that reports nothing itself: what the destinations report
    lao = sample_client.get("/corridors?table=3&country=LAO&direction=outward").text
    assert "Thailand confidential" in _table(lao, "map-table")         # withheld (secondary suppression)
    # the default year is the table's latest
    assert 'selected>2020<' in sample_client.get("/corridors?table=15").text


def test_corridors_bad_parameters_are_400_pages(sample_client):
    for query, parameter in (("table=5", "table"), ("year=20x0", "year"), ("direction=up", "direction"),
                             ("country=QQQ", "country")):
        r = sample_client.get(f"/corridors?{query}")
        assert r.status_code in (400, 404) and f"<code>{parameter}</code>" in r.text, query


def test_availability_matrix_cells_are_typed_and_link_to_the_data(sample_client):
    r = sample_client.get("/availability")
    assert r.status_code == 200
    html = r.text
    tha = re.search(r'<section class="avail" aria-labelledby="h-THA">.*?</section>', html, re.S).group(0)
    # table 3, 2020: a survey and a census -> two types, one mixed cell linking to the explorer
    assert re.search(r'<td class="src-mixed"><a href="/tables/3\?country=THA&amp;year=2020" '
                     r'title="AA_2, BA_1: 8 values">AA\+BA</a>', tha)
    assert re.search(r'<td class="src-BA"><a href="/tables/3\?country=THA&amp;year=2019"', tha)
    # 2 years x 17 tables; filled: table 3 in 2019 and 2020, tables 5, 8 and 9 in 2020
    assert tha.count('class="gap"') == 17 * 2 - 5
    # the overview: years with data per country and table (2 years in all: 2019 and 2020)
    row = re.search(r'<tr><th scope="row"><a href="#h-THA">Thailand</a></th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="(\w+)">(\d*)', row)
    assert cells[2] == ("full", "2") and cells[4] == ("part", "1") and cells[0] == ("gap", "")
    narrowed = sample_client.get("/availability?country=MMR&table=13").text
    assert 'id="h-THA"' not in narrowed and 'src-EA' in narrowed
    assert sample_client.get("/availability?table=18").status_code == 404
