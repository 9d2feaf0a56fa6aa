"""ILOSTAT bulk CSV: real extracts loaded on both backends, exported, and compared; refusals."""
from __future__ import annotations

import csv
import gzip
import shutil

import pytest
from sqlalchemy import MetaData, func, select

from ilms.collect.ilostat_mapping import ilostat_key, key_of
from ilms.collect.load import LoadRefused, load_file
from ilms.collect.registry import ReadError, ReadLog, detect, read
from ilms.publish import ilostat as ilostat_writer
from ilms.store import read as store_read
from ilms.store.read import Selection
from ilms.store.schema import metadata

from .ddf import DDF_FILES, HEADER, convert, ddf_rows, identity, write_bulk


def bulk_rows(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in metadata.sorted_tables}


@pytest.fixture
def bulk_files(shared_dir, tmp_path):
    return {name: convert(shared_dir, name, tmp_path) for name in DDF_FILES}


def test_real_extracts_round_trip(engine, bulk_files, tmp_path):
    """Load every converted extract, export each table as ILOSTAT CSV: the same observations come back."""
    for name, path in bulk_files.items():
        result = load_file(engine, path, by="pytest", reason="round trip")
        expected = {identity(r) for r in bulk_rows(path)}
        assert result.summary.added == len(expected) > 0
        assert result.format == "ilostat-csv"
        table = DDF_FILES[name]
        out = tmp_path / f"export_{table}.csv"
        with engine.connect() as conn:
            n = ilostat_writer.write(out, store_read.observations(conn, Selection(table=table)), tables=[table])
        exported = bulk_rows(out)
        assert n == len(exported) == len(expected)
        assert {identity(r) for r in exported} == expected
        assert ("classif2" in exported[0]) == (table == 5)


def test_second_load_changes_nothing(engine, bulk_files):
    path = bulk_files["ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv"]
    first = load_file(engine, path, by="pytest")
    before = row_counts(engine)
    again = load_file(engine, path, by="pytest")
    assert (again.summary.added, again.summary.changed, again.summary.unchanged) == (0, 0, first.summary.added)
    after = row_counts(engine)
    assert {k: v for k, v in after.items() if k != "changeset"} == {k: v for k, v in before.items() if k != "changeset"}
    assert again.sha256 == first.sha256


def test_bad_code_on_a_late_line_refuses_the_whole_file(engine, shared_dir, tmp_path):
    rows = list(ddf_rows(shared_dir / "realdata" / "ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv"))
    assert len(rows) > 900
    rows[898]["classif1"] = "CDS_DES_ATLANTIS"            # data line 899 = file line 900
    path = write_bulk(tmp_path / "bad.csv", rows, with_classif2=False)
    load_file(engine, convert(shared_dir, "ilostat_ddf_mna_oemp_sex_ocu_nb_idn.csv", tmp_path), by="pytest")
    before = row_counts(engine)
    with pytest.raises(LoadRefused) as refused:
        load_file(engine, path, by="pytest")
    message = str(refused.value)
    assert "bad.csv" in message and "line 900" in message and "classif1" in message and "ATLANTIS" in message
    assert row_counts(engine) == before


def test_every_row_of_the_real_extracts_is_kept(shared_dir):
    """The declarations know every code of the real extracts (the ILO's partner aggregates included)."""
    for name in DDF_FILES:
        path = shared_dir / "realdata" / name
        with open(path, encoding="utf-8") as f:
            n_lines = sum(1 for line in f if line.strip()) - 1
        assert len(list(ddf_rows(path))) == n_lines, name


def test_reload_with_changed_values_keeps_the_old_ones(engine, bulk_files, tmp_path):
    path = bulk_files["ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv"]
    load_file(engine, path, by="first")
    rows = bulk_rows(path)
    phl = next(r for r in rows if (r["ref_area"], r["sex"], r["classif1"], r["time"]) == ("PHL", "SEX_T", "CDS_DES_TOTAL", "2014"))
    assert phl["obs_value"] == "1430.842"                 # the real figure (reference notes 4.2)
    phl["obs_value"] = "1431.5"
    revised = write_bulk(tmp_path / "revised.csv", rows, with_classif2=False)
    result = load_file(engine, revised, by="second", reason="revision")
    assert (result.summary.added, result.summary.changed) == (0, 1)
    with engine.connect() as conn:
        versions = list(store_read.history(conn, 15, {"REF_AREA": ("PHL",), "SEX": ("SEX_T",),
                                                      "DESTINATION": ("TOTAL",)}, "2014"))
    assert [v["observation"].value for v in versions] == [1430.842, 1431.5]
    assert [v["actor"] for v in versions] == ["first", "second"]
    assert versions[0]["valid_to"] == versions[1]["valid_from"]
    assert versions[1]["observation"].decimals == 1


def test_gzip_input_is_read_transparently(engine, bulk_files, tmp_path):
    plain = bulk_files["ilostat_ddf_mst_temp_sex_eco_cbr_nb_brn_female_partial.csv"]
    zipped = tmp_path / "brn.csv.gz"
    with open(plain, "rb") as src, gzip.open(zipped, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert detect(zipped).name == "ilostat-csv"
    result = load_file(engine, zipped, by="pytest")
    assert result.summary.added == len(bulk_rows(plain)) == 298


def test_mapping_of_migrant_status_and_partner_prefixes():
    table, key = key_of("MST_TEMP_SEX_ECO_CBR_NB", "BRN", "BA:453", "SEX_F", "ECO_ISIC4_A", "CBR_BIR_FOREIGN")
    assert table.number == 5
    assert table.key_dict(key) == {"REF_AREA": "BRN", "SOURCE": "BA_453", "BASIS": "BIR", "SEX": "SEX_F",
                                   "ECO": "ECO_ISIC4_A", "MIG": "MIG_STATUS_MIGRANT"}
    back = ilostat_key(5, key)
    assert (back.indicator, back.source, back.classif1, back.classif2) == (
        "MST_TEMP_SEX_ECO_CBR_NB", "BA:453", "ECO_ISIC4_A", "CBR_BIR_FOREIGN")
    cct = ilostat_key(5, table.key_tuple({**table.key_dict(key), "BASIS": "CIT"}))
    assert (cct.indicator, cct.classif2) == ("MST_TEMP_SEX_ECO_CCT_NB", "CCT_CIT_NONCIT")
    table15, key15 = key_of("MNA_OEMP_SEX_CDS_NB", "PHL", "XA:1", "SEX_T", "CDS_DES_SAU")
    assert table15.key_dict(key15)["DESTINATION"] == "SAU" and table15.key_dict(key15)["BASIS"] == "_Z"


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEAD = "ref_area,source,indicator,sex,classif1,time,obs_value,obs_status,note_classif,note_indicator,note_source"


def test_confidential_notes_labels_and_decimals(tmp_path):
    path = _write(tmp_path / "c.csv", [
        "ref_area,ref_area.label,source,indicator,sex,classif1,time,obs_value,obs_status,note_classif,note_indicator,note_source",
        'THA,Thailand,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,,C,,,R1:3513_T2:85',
        'THA,Thailand,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_M,CDS_DES_TOTAL,2020,12.50,B,C6:1058,I11:264,',
    ])
    withheld, flagged = list(read(path))
    assert withheld.value is None and withheld.confidential and withheld.status == "C"
    assert withheld.note_source == "R1:3513_T2:85" and withheld.provenance == "c.csv:2"
    assert flagged.value == 12.5 and flagged.decimals == 2 and flagged.status == "B" and not flagged.confidential
    assert (flagged.note_classif, flagged.note_indicator) == ("C6:1058", "I11:264")


@pytest.mark.parametrize("line, column, fragment", [
    ("XXX,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,1,,,,", "ref_area", "XXX"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_Q,CDS_DES_TOTAL,2020,1,,,,", "sex", "SEX_Q"),
    ("THA,QQ:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,1,,,,", "source", "QQ"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CRS_RES_TOTAL,2020,1,,,,", "classif1", "CRS_RES_TOTAL"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,20x0,1,,,,", "time", "20x0"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,abc,,,,", "obs_value", "abc"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,,,,,", "obs_value", "empty"),
    ("THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,1,Q,,,", "obs_status", "Q"),
    ("THA,XA:7,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,2020,1,,,,", "indicator", "UNE_DEAP_SEX_AGE_RT"),
])
def test_bad_input_names_file_line_column_and_code(tmp_path, line, column, fragment):
    path = _write(tmp_path / "bad.csv", [HEAD, "THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2019,1,,,,", line])
    with pytest.raises(ReadError) as err:
        list(read(path))
    text = str(err.value)
    assert text.startswith(f"bad.csv, line 3: column {column}")
    assert fragment in text


def test_unknown_indicators_skipped_on_request_and_counted(tmp_path):
    path = _write(tmp_path / "country.csv", [
        HEAD,
        "THA,BA:9,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE15,2020,1.1,,,,",
        "THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,1,,,,",
        "THA,BA:9,UNE_DEAP_SEX_AGE_RT,SEX_T,AGE_YTHADULT_YGE25,2020,1.2,,,,",
    ])
    log = ReadLog()
    kept = list(read(path, log=log, skip_unknown_indicators=True))
    assert [o.table for o in kept] == [15]
    assert log.skipped == {"not an ILMS indicator: UNE_DEAP_SEX_AGE_RT": 2}


def test_missing_columns_and_unknown_formats(tmp_path):
    path = _write(tmp_path / "short.csv", ["ref_area,indicator,obs_value", "THA,MNA_OEMP_SEX_CDS_NB,1"])
    with pytest.raises(ReadError, match=r"short.csv, line 1: missing column\(s\) source, sex, classif1, time"):
        list(read(path))
    other = _write(tmp_path / "other.csv", ["a,b", "1,2"])
    with pytest.raises(ReadError, match="other.csv: format not recognised.*ilostat-csv"):
        detect(other)


def test_the_same_cell_twice_is_refused_and_nothing_written(engine, tmp_path):
    row = "THA,XA:7,MNA_OEMP_SEX_CDS_NB,SEX_T,CDS_DES_TOTAL,2020,1,,,,"
    path = _write(tmp_path / "dup.csv", [HEAD, row, row.replace(",1,", ",2,")])
    before = row_counts(engine)
    with pytest.raises(LoadRefused, match=r"dup.csv:3: the same cell is given twice \(first at dup.csv:2\)"):
        load_file(engine, path, by="pytest")
    assert row_counts(engine) == before


def test_header_helper_matches_the_documented_layout():
    assert HEADER == list(ilostat_writer.header()) and "classif2" not in ilostat_writer.header([15])
