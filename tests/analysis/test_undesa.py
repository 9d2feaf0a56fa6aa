"""UN DESA International Migrant Stock as context data: read from the real extracts in
../shared/realdata (and from small workbooks built to the published layout), stored apart from the
17 tables; the region's stock, the intra-regional share and the largest corridors the system
computes equal what the files say (expected values worked out here from the files with csv)."""
from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ilms.analysis import context
from ilms.analysis.vintage import AnalysisError
from ilms.collect.load import LoadRefused, load_file
from ilms.collect.registry import detect
from ilms.store import schema
from ilms.tables import structure

from ..store.helpers import counts

TOTALS = "undesa_ims2019_total_by_sex_by_destination.csv"
OD = "undesa_ims2019_od_asean_subset.csv"
ASEAN_2019_M49 = {"096": "BRN", "116": "KHM", "360": "IDN", "418": "LAO", "458": "MYS", "104": "MMR",
                  "608": "PHL", "702": "SGP", "764": "THA", "704": "VNM"}   # members on 31.12.2019 (not TLS)


def _n(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture
def loaded(engine, shared_dir):
    real = shared_dir / "realdata"
    for name in (TOTALS, OD):
        result = load_file(engine, real / name, by="pytest")
        assert result.format == "undesa-ims" and result.n_values > 1000
    return engine, real


def test_region_stock_equals_the_sum_of_the_members_rows_in_the_file(loaded):
    engine, real = loaded
    with open(real / TOTALS, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = next(i for i, r in enumerate(rows) if r[1].startswith("Major area"))
    col_2019 = rows[head + 1].index("2019")     # first block: both sexes
    by_code = {r[3]: r for r in rows[head + 2:] if r[3]}
    expected = sum(_n(by_code[str(int(code))][col_2019]) for code in ASEAN_2019_M49)
    sea = _n(by_code["920"][col_2019])          # South-Eastern Asia = the 10 members + Timor-Leste
    tls = _n(by_code["626"][col_2019])
    assert expected + tls == sea
    with engine.connect() as conn:
        stock = context.region_stock(conn, structure().default_region, 2019)
        assert stock.value == expected and stock.missing == () and "TLS" not in stock.members
        assert context.area_stock(conn, "M49_920", 2019) == sea
        assert stock.dataset.revision == "2019"
        assert conn.execute(select(func.count()).select_from(schema.observation)).scalar() == 0   # never in the tables


def _od_both_sexes(real):
    both = defaultdict(float)
    with open(real / OD, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            both[(r["year"], r["destination"], r["origin"])] += float(r["migrant_stock"])
    return both


def test_intra_regional_share_equals_the_file(loaded):
    engine, real = loaded
    both = _od_both_sexes(real)
    names = {"Brunei Darussalam", "Cambodia", "Indonesia", "Lao People's Democratic Republic", "Malaysia",
             "Myanmar", "Philippines", "Singapore", "Thailand", "Viet Nam"}
    intra = sum(v for (y, d, o), v in both.items() if y == "2019" and d in names and o in names and o != d)
    total = sum(v for (y, d, o), v in both.items() if y == "2019" and d in names and o == "Total")
    with engine.connect() as conn:
        got = context.intra_regional_share(conn, structure().default_region, 2019)
    assert (got.intra, got.total) == (intra, total)
    assert got.share == pytest.approx(100 * intra / total)


def test_largest_corridors_equal_the_file(loaded):
    engine, real = loaded
    both = _od_both_sexes(real)
    with open(real / OD, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    countries = {r["destination"] for r in rows if int(r["destination_m49"]) < 900}
    members = {r["destination"] for r in rows if r["destination_iso3"] and r["destination_iso3"] != "TLS"}
    pairs = sorted(((v, o, d) for (y, d, o), v in both.items()
                    if y == "2019" and d in countries and o in countries and (o in members or d in members)),
                   reverse=True)[:5]
    with engine.connect() as conn:
        got = context.largest_corridors(conn, structure().default_region, 2019, 5)
    assert [(c.value, c.origin_name, c.destination_name) for c in got] == pairs
    assert (got[0].origin, got[0].destination) == ("PHL", "USA")


def test_loading_the_same_file_again_changes_nothing_and_an_edition_is_replaced_whole(loaded, tmp_path):
    engine, real = loaded
    with engine.connect() as conn:
        before = counts(conn)
    again = load_file(engine, real / OD, by="pytest")
    assert again.unchanged
    with engine.connect() as conn:
        assert counts(conn) == before
    smaller = tmp_path / "undesa_ims2019_od_small.csv"
    with open(real / OD, encoding="utf-8", newline="") as f:
        smaller.write_text("".join(f.readlines()[:11]), encoding="utf-8")
    result = load_file(engine, smaller, by="pytest")
    assert result.n_values == 10 and result.replaced is not None
    with engine.connect() as conn:
        ds = context.dataset(conn, "origin_destination")
        assert ds.file_name == smaller.name
        assert conn.execute(select(func.count()).select_from(schema.context_value)
                            .where(schema.context_value.c.dataset_id == ds.id)).scalar() == 10


def _totals_workbook(path, rows):
    """A workbook built to the layout of UN_MigrantStockTotal_2019.xlsx, sheet 'Table 1' (title lines,
    the header row, a row of years, then areas with their M49 code); values here are invented."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    sheet.append([None, None, "International Migrant Stock 2019 (POP/DB/MIG/Stock/Rev.2019)"])
    sheet.append([])
    sheet.append(["Sort\norder", "Major area, region, country or area of destination", "Notes", "Code",
                  "Type of data (a)", "International migrant stock at mid-year (both sexes)", None,
                  "International migrant stock at mid-year (male)", None,
                  "International migrant stock at mid-year (female)", None])
    sheet.append([None, None, None, None, None, 2015, 2019, 2015, 2019, 2015, 2019])
    for r in rows:
        sheet.append(r)
    book.create_sheet("Table 2").append(["International migrant stock as a percentage of the total population"])
    book.save(path)


def _od_workbook(path):
    """A workbook built to the layout of UN_MigrantStockByOriginAndDestination_2019.xlsx: 'Table 1'
    (both sexes), 'Table 2' (male), 'Table 3' (female); a Year column, then the destinations down
    and the origins across; values invented."""
    book = Workbook()
    book.remove(book.active)
    for title, scale in (("Table 1", 2), ("Table 2", 1), ("Table 3", 1)):
        sheet = book.create_sheet(title)
        sheet.append(["International migrant stock at mid-year by sex and by region, country or area of "
                      "destination and origin (Rev.2019)"])
        sheet.append(["Year", "Sort\norder", "Major area, region, country or area of destination", "Notes", "Code",
                      "Type of data (a)", "Total", "Other North", "Other South", "Myanmar", "Cambodia", "China"])
        sheet.append([2019, 1, "Thailand", None, 764, "B R", 100 * scale, None, 1 * scale, 60 * scale,
                      20 * scale, 5 * scale])
        sheet.append([2019, 2, "Malaysia", None, 458, "B R", 50 * scale, None, None, 10 * scale, None, "..",])
    book.save(path)


def test_published_workbook_layouts_are_read(engine, tmp_path):
    totals = tmp_path / "UN_MigrantStockTotal_2019.xlsx"
    _totals_workbook(totals, [[1, "Thailand", None, 764, "B R", "1,000", 1200, 500, 600, 500, 600],
                              [2, "Malaysia", None, 458, "B R", 800, 900, 400, "..", 400, 450]])
    od = tmp_path / "UN_MigrantStockByOriginAndDestination_2019.xlsx"
    _od_workbook(od)
    assert detect(totals).name == detect(od).name == "undesa-ims"
    load_file(engine, totals, by="pytest")
    load_file(engine, od, by="pytest")
    region = structure().default_region
    with engine.connect() as conn:
        stock = context.region_stock(conn, region, 2019)
        assert stock.value is None and "IDN" in stock.missing     # two members only: no regional sum
        assert context.area_stock(conn, "THA", 2019) == 1200.0
        share = context.intra_regional_share(conn, region, 2019)
        assert (share.intra, share.total) == (2 * 60 + 2 * 20 + 2 * 10, 2 * 100 + 2 * 50)
        (top, *_) = context.largest_corridors(conn, region, 2019, 3)
        assert (top.origin, top.destination, top.value) == ("MMR", "THA", 120.0)


def test_a_file_of_another_layout_is_refused_whole(engine, tmp_path):
    odd = tmp_path / "undesa_ims2019_odd.csv"
    odd.write_text("x\n,Major area, region, country or area of destination,Notes,Code\n", encoding="utf-8")
    other = tmp_path / "UN_MigrantStockTotal_2019.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    sheet.append(["Sort order", "Major area, region, country or area of destination", "Notes", "Code",
                  "Type of data (a)", "Population at mid-year (thousands)"])
    book.save(other)
    with engine.connect() as conn:
        before = counts(conn)
    for path in (odd, other):
        with pytest.raises(LoadRefused) as err:
            load_file(engine, path, by="pytest")
        assert path.name in str(err.value)
    assert "another layout" in str(err.value)
    with engine.connect() as conn:
        assert counts(conn) == before
        with pytest.raises(AnalysisError, match="ilms load"):
            context.region_stock(conn, structure().default_region, 2019)
