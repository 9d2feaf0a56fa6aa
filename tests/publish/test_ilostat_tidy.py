"""The ILOSTAT and tidy writers on hand-made observations (no database needed)."""
from __future__ import annotations

import csv
import io

import pytest

from ilms.observation import Observation
from ilms.publish import ilostat, tidy

T5 = Observation(5, ("BRN", "BA_453", "CIT", "SEX_F", "ECO_ISIC4_A", "MIG_STATUS_MIGRANT"), "2021", 12.5,
                 status="B", decimals=2, note_source="R1:3513")
T15 = Observation(15, ("THA", "XA_7", "_Z", "SEX_T", "MYS"), "2022", None, status="C", confidential=True)
T8 = Observation(8, ("VNM", "BA_1", "BIR", "SEX_M", "MIG_STATUS_TOTAL"), "2020", -1.5, currency="VND",
                 comment="+ revised by NSO")


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_mixed_tables_get_classif2_decimals_and_confidential_cells():
    out = io.StringIO()
    assert ilostat.write(out, [T5, T15]) == 2
    t5, t15 = rows_of(out.getvalue())
    assert (t5["indicator"], t5["source"], t5["classif1"], t5["classif2"]) == (
        "MST_TEMP_SEX_ECO_CCT_NB", "BA:453", "ECO_ISIC4_A", "CCT_CIT_NONCIT")
    assert t5["obs_value"] == "12.50" and t5["obs_status"] == "B" and t5["note_source"] == "R1:3513"
    assert (t15["indicator"], t15["classif1"], t15["classif2"]) == ("MNA_OEMP_SEX_CDS_NB", "CDS_DES_MYS", "")
    assert t15["obs_value"] == "" and t15["obs_status"] == "C"


def test_one_classification_tables_have_no_classif2_column():
    out = io.StringIO()
    ilostat.write(out, [T15], tables=[15])
    assert out.getvalue().splitlines()[0] == ("ref_area,source,indicator,sex,classif1,time,obs_value,obs_status,"
                                              "note_classif,note_indicator,note_source")
    with pytest.raises(ValueError, match="classif2"):
        ilostat.write(io.StringIO(), [T5], tables=[15])


def test_tidy_has_codes_with_labels_currency_and_neutralised_comments():
    out = io.StringIO()
    tidy.write(out, 8, [T8], source_names={"BA_1": "Labour Force Survey"})
    (row,) = rows_of(out.getvalue())
    assert row["REF_AREA_LABEL"] == "Viet Nam" and row["SOURCE_LABEL"] == "Labour Force Survey"
    assert row["MIG"] == "MIG_STATUS_TOTAL" and row["MIG_LABEL"] == "Total"
    assert (row["OBS_VALUE"], row["UNIT_MEASURE"], row["UNIT_MULT"], row["CURRENCY"]) == ("-1.5", "LC", "0", "VND")
    assert row["COMMENT"] == "'+ revised by NSO"
    assert "CURRENCY" not in tidy.header(15)


def test_tidy_refuses_another_table():
    with pytest.raises(ValueError, match="one table"):
        tidy.write(io.StringIO(), 15, [T5])
