"""The indicators' own SDMX dataflow: structures valid against the official SDMX-ML 2.1 schema and
read by sdmx1; the SDMX-CSV of a release's bulk downloads read back by pysdmx with the values
ilms.analysis computes."""
from __future__ import annotations

import gzip
import io

import sdmx as sdmx1
from lxml import etree
from pysdmx.io import read_sdmx

from ilms.analysis import indicators, sdmx
from ilms.analysis.declarations import declarations
from ilms.analysis.vintage import published_release
from ilms.publish import bulk

from .fixtures import load


def test_structures_are_valid_sdmx_ml_and_read_by_sdmx1(shared_dir):
    text = sdmx.structure_message()
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "sdmx-reference" / "schemas" / "sdmx-ml-2.1" /
                                             "SDMXMessage.xsd")))
    assert schema.validate(etree.fromstring(text.encode("utf-8"))), schema.error_log.last_error
    msg = sdmx1.read_sdmx(io.BytesIO(text.encode("utf-8")))
    dsd = msg.structure["DSD_ILMS_INDICATORS"]
    assert [d.id for d in dsd.dimensions] == [*sdmx.DIMENSIONS, "TIME_PERIOD"]
    assert set(msg.codelist["CL_ILMS_INDICATOR"].items) == set(declarations().indicators)
    assert "ASEAN" in msg.codelist["CL_ILMS_AREA"].items and "MIG_STATUS_MIGRANT" in msg.codelist["CL_ILMS_BREAKDOWN"].items


def test_bulk_sdmx_csv_holds_the_computed_values(engine, tmp_path):
    load(engine)
    manifest = bulk.build(engine, "r1", root=tmp_path)
    files = {f["format"]: f for f in manifest["files"]}
    assert {"indicators-sdmx", "indicators-structure"} <= set(files)
    with gzip.open(tmp_path / "r1" / files["indicators-sdmx"]["name"], "rt", encoding="utf-8") as f:
        text = f.read()
    data = read_sdmx(text).get_datasets()[0].data
    assert len(data) == files["indicators-sdmx"]["rows"]
    with engine.connect() as conn:
        expected = indicators.compute(conn, "LFPR", published_release(conn).cut)
    lfpr = data[(data.INDICATOR == "LFPR") & (data.REF_AREA == "THA") & (data.BREAKDOWN == "MIG_STATUS_MIGRANT")]
    assert float(lfpr.OBS_VALUE.iloc[0]) == 80.0 == next(v.value for v in expected if v.ref_area == "THA" and
                                                          v.code("MIG") == "MIG_STATUS_MIGRANT")
    region = data[(data.INDICATOR == "MIG_SHARE_WAP") & (data.REF_AREA == "ASEAN") & (data.BASIS == "BIR") &
                  (data.SEX == "SEX_T")]
    assert float(region.OBS_VALUE.iloc[0]) == 20.0 and region.COVERAGE.iloc[0] == "MYS THA"
    structure_text = (tmp_path / "r1" / files["indicators-structure"]["name"]).read_text("utf-8")
    assert "DF_ILMS_INDICATORS" in structure_text
