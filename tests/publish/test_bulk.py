"""Bulk download files of a release, on SQLite and PostgreSQL: every table in every format,
checksums and row counts that match the manifest, content equal to the release, determinism,
the changes between releases."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import zipfile

import openpyxl
import pytest

from ilms.publish import bulk, calendar, citation, release_diff
from ilms.publish.bulk_formats import FORMATS, NOTICE
from ilms.publish.bulk_names import release_token
from ilms.store import releases
from ilms.store.read import Selection, observations
from ilms.tables import structure

from .bulk_history import EXPECTED_R2, make_history

TABLES = sorted(structure().tables)


@pytest.fixture
def history(engine):
    return make_history(engine)


@pytest.fixture
def built(history, tmp_path):
    manifest = bulk.build(history.engine, "R2", root=tmp_path)
    return history, tmp_path / "R2", manifest


def _csv_rows(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _metadata(workbook) -> dict:
    return {row[0]: (row[1] if len(row) > 1 else None)
            for row in workbook["Metadata"].iter_rows(values_only=True) if row and row[0]}


def test_every_table_has_every_format_and_the_manifest_matches_the_disk(built):
    history, folder, manifest = built
    per_table = {(f["table"], f["format"]) for f in manifest["files"] if f["table"] is not None}
    table_formats = [f.id for f in FORMATS.values() if f.scope == "table"]
    assert per_table == {(n, fmt) for n in TABLES for fmt in table_formats}
    whole = {f.id for f in FORMATS.values() if f.scope in ("all", "derived")}
    assert whole >= {"all", "all-ilostat", "indicators"}
    assert {f["format"] for f in manifest["files"] if f["table"] is None} == whole
    on_disk = {p.name for p in folder.iterdir()}
    assert on_disk == {f["name"] for f in manifest["files"]} | {"manifest.json"}
    for f in manifest["files"]:
        data = (folder / f["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["name"]
        assert len(data) == f["size"]
    assert json.loads((folder / "manifest.json").read_text("utf-8")) == manifest
    assert {f["name"] for f in manifest["files"]} >= {"ilms-R2-t05.csv.gz", "ilms-R2-t05.xlsx",
                                                       "ilms-R2-t05-ilostat.csv.gz", "ilms-R2-t05-sdmx.csv.gz",
                                                       "ilms-R2-all.csv.gz", "ilms-R2-all-ilostat.csv.gz"}


def test_manifest_describes_the_release(built):
    history, _, manifest = built
    with history.engine.connect() as conn:
        r2 = releases.get(conn, "R2")
    rel = manifest["release"]
    assert (rel["name"], rel["checksum"], rel["cut"], rel["n_observations"]) == (
        "R2", r2.checksum, r2.cut, r2.n_observations)
    assert rel["published"].startswith(r2.published_at.strftime("%Y-%m-%d"))
    assert manifest["licence"]["id"] == "CC-BY-4.0"
    assert manifest["citation"] == citation.citation(r2)
    assert r2.checksum in manifest["citation"] and "release R2" in manifest["citation"]
    rows = {(f["table"], f["format"]): f["rows"] for f in manifest["files"]}
    assert rows[(5, "tidy")] == rows[(5, "xlsx")] == rows[(5, "ilostat")] == rows[(5, "sdmx")] == 5
    assert rows[(15, "tidy")] == 2 and rows[(1, "tidy")] == 0
    assert rows[(None, "all")] == rows[(None, "all-ilostat")] == r2.n_observations == 7


def test_tidy_csv_holds_exactly_the_release_observations(built):
    history, folder, _ = built
    with history.engine.connect() as conn:
        r2 = releases.get(conn, "R2")
        expected = list(observations(conn, Selection(table=5, cut=r2.cut), public=True))
    rows = _csv_rows(folder / "ilms-R2-t05.csv.gz")
    got = [(tuple(r[d] for d in structure().table(5).key_order), r["TIME_PERIOD"], r["OBS_VALUE"],
            r["OBS_STATUS"], r["CONFIDENTIAL"]) for r in rows]
    want = [(o.key, o.time, "" if o.value is None else format(o.value, "g"), o.status or "",
             "true" if o.confidential else "false") for o in expected]
    assert got == want
    by_key = {(r["REF_AREA"], r["SEX"], r["ECO"], r["TIME_PERIOD"]): r for r in rows}
    assert by_key[("THA", "SEX_T", "ECO_ISIC4_TOTAL", "2020")]["OBS_VALUE"] == "110"     # R2, not R3's 130
    assert by_key[("THA", "SEX_F", "ECO_ISIC4_A", "2020")]["OBS_VALUE"] == ""            # confidential: masked
    assert by_key[("THA", "SEX_T", "ECO_ISIC4_TOTAL", "2019")]["SOURCE_LABEL"] == "Labour Force Survey"
    assert by_key[("VNM", "SEX_T", "ECO_ISIC4_TOTAL", "2020")]["OBS_VALUE"] == "900"


def test_ilostat_sdmx_and_whole_database_files_decompress_and_agree(built):
    _, folder, _ = built
    ilo = _csv_rows(folder / "ilms-R2-t15-ilostat.csv.gz")
    assert sorted((r["sex"], r["time"], r["obs_value"]) for r in ilo) == [("SEX_F", "2021", "150"),
                                                                           ("SEX_T", "2020", "300")]
    sdmx = _csv_rows(folder / "ilms-R2-t05-sdmx.csv.gz")
    assert {r["STRUCTURE_ID"] for r in sdmx} == {f"{structure().agency}:DF_ILMS_T05(1.0)"}
    assert len(sdmx) == 5 and {r["OBS_CONF"] for r in sdmx} == {"C", "F"}
    whole = _csv_rows(folder / "ilms-R2-all.csv.gz")
    assert [r["TABLE"] for r in whole] == ["5"] * 5 + ["15"] * 2
    t15 = [r for r in whole if r["TABLE"] == "15"]
    assert {(r["DIM1"], r["DIM1_CODE"]) for r in t15} == {("DESTINATION", "TOTAL")}
    assert {(r["DIM1"], r["DIM2"], r["DIM2_CODE"]) for r in whole if r["TABLE"] == "5"} == {
        ("ECO", "MIG", "MIG_STATUS_TOTAL")}
    assert all(r["DIM2"] == "" for r in t15) and all(r["DIM3"] == "" for r in whole)
    assert next(r for r in t15 if r["TIME_PERIOD"] == "2021")["COMMENT"] == "'=provisional"   # formula-safe
    assert len(_csv_rows(folder / "ilms-R2-all-ilostat.csv.gz")) == 7
    assert _csv_rows(folder / "ilms-R2-t01.csv.gz") == []        # a table without data: the header alone
    with gzip.open(folder / "ilms-R2-t01.csv.gz", "rt", encoding="utf-8") as f:
        assert f.readline().startswith("REF_AREA,REF_AREA_LABEL,SOURCE,SOURCE_LABEL")


def test_xlsx_has_data_notes_and_metadata_sheets(built):
    history, folder, manifest = built
    wb = openpyxl.load_workbook(folder / "ilms-R2-t05.xlsx", read_only=True)
    assert wb.sheetnames == ["Data", "Notes", "Metadata"]
    data = list(wb["Data"].iter_rows(values_only=True))
    assert data[0][:2] == ("REF_AREA", "REF_AREA_LABEL") and len(data) == 1 + 5
    notes = list(wb["Notes"].iter_rows(values_only=True))
    kinds = {(k, c) for k, c, _ in notes[1:]}
    assert ("Flag (OBS_STATUS)", "E") in kinds and ("Flag (OBS_STATUS)", "C") in kinds
    assert ("Note (NOTE_SOURCE)", "R1:3513") in kinds
    assert any(k.startswith("Confidential") for k, _ in kinds)
    meta = _metadata(wb)
    assert meta["Release"] == "R2" and meta["Release checksum (SHA-256)"] == manifest["release"]["checksum"]
    assert meta["Title"] == structure().table(5).title and meta["Licence URL"].startswith("https://creativecommons")
    assert meta["Citation"] == manifest["citation"]
    assert "Notice" not in meta                                   # R2 is not synthetic
    sources_used = {row[0] for row in wb["Metadata"].iter_rows(values_only=True) if row and row[0] in
                    ("BA_453", "BA_500", "XA_0001")}
    assert sources_used == {"BA_453", "BA_500"}
    wb.close()


def test_a_synthetic_release_carries_the_notice(sqlite_engine, tmp_path):
    make_history(sqlite_engine)
    from ilms.store import schema
    with sqlite_engine.begin() as conn:
        conn.execute(schema.release.update().where(schema.release.c.name == "R1").values(synthetic=True))
    manifest = bulk.build(sqlite_engine, "R1", root=tmp_path)
    assert manifest["release"]["notice"] == NOTICE
    wb = openpyxl.load_workbook(tmp_path / "R1" / "ilms-R1-t05.xlsx", read_only=True)
    meta = _metadata(wb)
    assert meta["Notice"] == NOTICE
    wb.close()


def test_building_twice_gives_identical_bytes(built, tmp_path):
    history, folder, first = built
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = bulk.build(history.engine, "R2", root=tmp_path)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert again == first
    assert after == before                     # CSV, gzip and XLSX alike
    published = dt.datetime.fromisoformat(first["release"]["published"].replace("Z", "+00:00"))
    with zipfile.ZipFile(folder / "ilms-R2-t05.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(published.year, published.month, published.day,
                                                        published.hour, published.minute, published.second // 2 * 2)}
        core = z.read("docProps/core.xml").decode()
        assert first["release"]["published"][:19] in core
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".R2.")] == [".R2.lock"]   # no temporary folder


def test_a_stale_manifest_is_not_trusted(built, tmp_path):
    history, folder, manifest = built
    with history.engine.connect() as conn:
        r2 = releases.get(conn, "R2")
    assert bulk.read_manifest(r2, tmp_path) == manifest
    (folder / "ilms-R2-t05.xlsx").unlink()
    assert bulk.read_manifest(r2, tmp_path) is None
    assert bulk.ensure(history.engine, r2, tmp_path) == manifest      # rebuilt, same content
    assert (folder / "ilms-R2-t05.xlsx").is_file()


def test_an_unpublished_release_is_not_built(history, tmp_path):
    with pytest.raises(bulk.BulkError, match="not published"):
        bulk.build(history.engine, "R3", root=tmp_path)
    with pytest.raises(bulk.BulkError, match="no release"):
        bulk.build(history.engine, "R9", root=tmp_path)
    assert not (tmp_path / "R3").exists()


def test_a_failing_writer_leaves_nothing_behind(history, tmp_path, monkeypatch):
    from ilms.publish import bulk_formats

    def boom(*_args):
        raise RuntimeError("disk full")
    monkeypatch.setitem(FORMATS, "sdmx", bulk_formats.BulkFormat(**{**FORMATS["sdmx"].__dict__, "write": boom}))
    with pytest.raises(RuntimeError, match="disk full"):
        bulk.build(history.engine, "R2", root=tmp_path)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_changes_between_releases_by_table_and_country(history):
    with history.engine.connect() as conn:
        r1, r2 = releases.get(conn, "R1"), releases.get(conn, "R2")
        changes = release_diff.diff(conn, r1.cut, r2.cut)
        first = release_diff.diff(conn, None, r1.cut)
        assert bulk.previous_published(conn, r2).name == "R1"
        assert bulk.previous_published(conn, r1) is None
    got = {(c.table, c.country): {"added": c.added, "revised": c.revised, "removed": c.removed} for c in changes}
    assert got == EXPECTED_R2
    assert release_diff.totals(changes) == {"added": 1, "revised": 2, "removed": 1}
    assert {(c.table, c.country): c.added for c in first} == {(5, "THA"): 4, (15, "PHL"): 3}
    assert release_diff.totals(first) == {"added": 7, "revised": 0, "removed": 0}


def test_manifest_records_the_changes(built):
    _, _, manifest = built
    changes = manifest["changes"]
    assert changes["previous"]["name"] == "R1"
    assert changes["totals"] == {"added": 1, "revised": 2, "removed": 1}
    assert {(c["table"], c["country"]) for c in changes["by_table"]} == set(EXPECTED_R2)


def test_release_tokens_are_path_safe_and_distinct():
    assert release_token("2026-1") == "2026-1"
    odd = ["Bản phát hành 1", "../etc", "latest", "calendar", "a/b", "a b", "."]
    tokens = [release_token(n) for n in odd]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert "/" not in token and token not in ("latest", "calendar", ".", "..")
        assert token.isascii() and not token.startswith(".")
    assert release_token("Bản phát hành 1").startswith("ban-phat-hanh-1-")


def test_calendar_merges_planned_and_published(history):
    plan = calendar.planned("planned:\n"
                            "  - {name: R2, date: 2020-01-31, contents: revisions}\n"
                            "  - {name: 2099-1, date: 2099-06-30, contents: the next round}\n"
                            "  - {name: 2000-1, date: 2000-06-30, contents: late}\n")
    with history.engine.connect() as conn:
        cal = calendar.calendar(conn, dt.date(2030, 1, 1), plan)
    assert [(p["name"], p["status"]) for p in cal["planned"]] == [("2000-1", "delayed"), ("2099-1", "planned")]
    assert [p["name"] for p in cal["published"]] == ["R2", "R1"]        # R3 is not published: not shown
    assert cal["published"][0]["planned"] == "2020-01-31" and cal["published"][1]["planned"] is None
    assert calendar.planned()                                           # the shipped calendar.yaml reads
    with pytest.raises(calendar.CalendarError, match="YYYY-MM-DD"):
        calendar.planned("planned:\n  - {name: x, date: soon, contents: y}\n")


def test_worker_processes_build_the_same_bytes_as_one_process(history, tmp_path):
    one = bulk.build(history.engine, "R2", root=tmp_path / "one", workers=1)
    one_bytes = {p.name: p.read_bytes() for p in (tmp_path / "one" / "R2").iterdir()}
    three = bulk.build(history.engine, "R2", root=tmp_path / "three", workers=3)
    three_bytes = {p.name: p.read_bytes() for p in (tmp_path / "three" / "R2").iterdir()}
    assert three == one and three_bytes == one_bytes
    assert len(one["files"]) > 2 * len(TABLES)


def test_tables_are_dealt_largest_first_to_the_least_loaded_worker():
    from ilms.publish.bulk_workers import deal
    counts = {1: 100, 2: 10, 3: 60, 4: 50, 5: 0}
    shares = deal(counts, 2)
    assert sorted(t for s in shares for t in s) == [1, 2, 3, 4, 5]
    assert shares == [[1, 2, 5], [3, 4]]      # 101+11+1 against 61+51 (a tie goes to the first)
    assert deal({1: 5}, 4) == [[1]]
