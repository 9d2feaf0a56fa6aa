"""Prefilled from the database, read back: the same observations; values filled in with openpyxl
come back with provenance pointing at their cell."""
from __future__ import annotations

import openpyxl

from ilms.collect.questionnaire import read_questionnaire, write_questionnaire
from ilms.store import read, releases
from ilms.store.read import Selection

from .helpers import COUNTRY, YEAR, cells_of, find_cells, free_rows, obs, put, sample


def _public(conn, cut=None):
    sel = Selection(filters={"REF_AREA": (COUNTRY,)}, start=str(YEAR), end=str(YEAR), cut=cut)
    return list(read.observations(conn, sel, public=True))


def test_prefilled_questionnaire_reads_back_as_the_same_observations(engine, tmp_path):
    with engine.begin() as conn:
        put(conn, sample())
        put(conn, [obs(5, {"SEX": "SEX_T", "ECO": "ECO_ISIC4_C", "MIG": "MIG_STATUS_MIGRANT"}, 1.0,
                       time=str(YEAR - 1))])          # another year: not in this questionnaire
    path = tmp_path / "THA_2024.xlsx"
    with engine.connect() as conn:
        written = write_questionnaire(path, conn, COUNTRY, YEAR, prefill=True)
        stored = _public(conn)
    assert written.prefilled_from == "current data" and written.left_out == []
    q = read_questionnaire(path)
    back = list(q.observations())
    # the confidential value is withheld from the questionnaire (flag C, empty cell) and not read back
    expected = [o for o in stored if not o.confidential]
    assert len(expected) == len(sample()) - 1
    assert cells_of(back) == cells_of(expected)
    assert q.metadata.tables[1].source == "BA_453" and q.metadata.tables[1].basis == "BIR"
    assert q.metadata.tables[13].source == "XA_12" and q.metadata.tables[8].currency == "THB"
    # the partner country that is not listed by default was put in a free row
    china = next(o for o in back if "CHN" in o.key)
    ws = openpyxl.load_workbook(path)["T03"]
    row = int(china.provenance.rsplit("!", 1)[1][1:])
    assert row in free_rows(ws) and ws.cell(row, 2).value == "CHN - China"
    t16 = find_cells(ws.parent["T16"], 16)[frozenset({"SEX": "SEX_T", "ECO": "ECO_ISIC4_A"}.items())]
    assert ws.parent["T16"][t16["FLAG"]].value == "C" and ws.parent["T16"][t16["VALUE"]].value is None


def test_prefill_uses_the_latest_published_release(engine, tmp_path):
    cell = {"SEX": "SEX_M", "ORIGIN": "MMR"}
    with engine.begin() as conn:
        put(conn, [obs(3, cell, 100.0)])
        releases.create(conn, "2025-1", by="pytest")
        releases.publish(conn, "2025-1", by="pytest")
        put(conn, [obs(3, cell, 150.0)])                     # revised after the release
        releases.create(conn, "2025-2", by="pytest")         # created, not published
    path = tmp_path / "q.xlsx"
    with engine.connect() as conn:
        written = write_questionnaire(path, conn, COUNTRY, YEAR, prefill=True)
    assert written.prefilled_from == "release 2025-1"
    values = [o.value for o in read_questionnaire(path).observations()]
    assert values == [100.0]
    assert read_questionnaire(path).metadata.prefilled_from == "release 2025-1"


def test_values_filled_with_openpyxl_come_back_with_their_cell(sqlite_engine, tmp_path):
    path = tmp_path / "blank.xlsx"
    with sqlite_engine.begin() as conn:
        put(conn, [obs(13, {"SEX": "SEX_T", "RESIDENCE": "JPN"}, 1.0, source="XA_12")])
    with sqlite_engine.connect() as conn:
        write_questionnaire(path, conn, COUNTRY, YEAR)      # not prefilled; the catalogue holds XA_12
    wb = openpyxl.load_workbook(path)
    ws = wb["T05"]
    cells = find_cells(ws, 5)
    target = cells[frozenset({"SEX": "SEX_F", "ECO": "ECO_ISIC4_F", "MIG": "MIG_STATUS_MIGRANT"}.items())]
    ws[target["VALUE"]] = 12.5
    ws[target["FLAG"]] = "e"
    ws[target["NOTE"]] = "construction, registered workers only"
    t03 = wb["T03"]
    row = free_rows(t03)[0]
    t03.cell(row, 2, "KOR - Korea, Republic of")
    korea_cell = t03.cell(row, 4)                           # SEX_M column of the value block
    korea_cell.value = 3
    meta = wb["Metadata"]
    meta["D10"], meta["E10"] = "NEW1", "CIT"                # table 5 (row 10): a new source
    meta["D8"], meta["E8"] = "XA_12", "BIR"                 # table 3 (row 8): a source of the catalogue
    # NEW1 (row 26): ILOSTAT id, name, type, agency, migrant definition
    new = {"C26": "BA:812", "D26": "Migrant worker survey 2024", "E26": "BA", "F26": "National Statistical Office",
           "I26": "CIT"}
    for ref, value in new.items():
        meta[ref] = value
    wb.save(path)

    q = read_questionnaire(path)
    got = {o.provenance: o for o in q.observations()}
    assert set(got) == {f"blank.xlsx!T05!{target['VALUE']}", f"blank.xlsx!T03!{korea_cell.coordinate}"}
    t5 = got[f"blank.xlsx!T05!{target['VALUE']}"]
    assert t5.key == (COUNTRY, "BA_812", "CIT", "SEX_F", "ECO_ISIC4_F", "MIG_STATUS_MIGRANT")
    assert (t5.time, t5.value, t5.status, t5.comment, t5.decimals, t5.unit_mult) == (
        str(YEAR), 12.5, "E", "construction, registered workers only", 1, "3")
    korea = got[f"blank.xlsx!T03!{korea_cell.coordinate}"]
    assert korea.key == (COUNTRY, "XA_12", "BIR", "SEX_M", "KOR") and korea.value == 3.0
    assert q.metadata.new_sources["BA_812"]["name"] == "Migrant worker survey 2024"
    assert q.metadata.new_sources["BA_812"]["type"] == "BA"
