"""Structural rules, each firing and not firing on small hand-made data."""
from __future__ import annotations

import math

import pytest

from ilms.check import Dataset, run
from ilms.observation import Observation
from ilms.store import sources

from .helpers import findings, obs


def test_codes_valid_pass():
    assert findings([obs(13, 1.0, RESIDENCE="THA")], "struct.codes") == []


@pytest.mark.parametrize("bad, words", [
    (obs(13, 1.0, RESIDENCE="ATLANTIS"), "'ATLANTIS' is not a code of country of residence"),
    (obs(13, 1.0, sex="SEX_Q", RESIDENCE="THA"), "'SEX_Q' is not a code of sex"),
    (obs(13, 1.0, time="2020-01", RESIDENCE="THA"), "is not a year"),
    (obs(13, 1.0, status="Q", RESIDENCE="THA"), "flag 'Q' is not an observation flag"),
    (Observation(13, ("PHL", "BA_1", "_Z", "SEX_T"), "2020", 1.0), "needs 5 codes"),
    (Observation(18, ("PHL", "BA_1", "_Z", "SEX_T"), "2020", 1.0), "tables are numbered 1 to 17"),
])
def test_codes_invalid(bad, words):
    (f,) = findings([bad], "struct.codes")
    assert words in f.message and f.severity == "error"


def test_basis_fits_the_table():
    assert findings([obs(15, 1.0, DESTINATION="THA"), obs(9, 1.0, basis="CIT", ORIGIN="THA")], "struct.basis") == []
    (f,) = findings([obs(15, 1.0, basis="BIR", DESTINATION="THA")], "struct.basis")
    assert "use _Z" in f.message


@pytest.mark.parametrize("value, words", [(-1.0, "negative"), (math.nan, "not a finite number"),
                                          (None, "has no value"), ("12", "not a number")])
def test_values_fire(value, words):
    (f,) = findings([obs(13, value, RESIDENCE="THA")], "struct.values")
    assert words in f.message


def test_values_pass_zero_and_confidential():
    data = [obs(13, 0.0, RESIDENCE="THA"), obs(13, None, RESIDENCE="MYS", confidential=True)]
    assert findings(data, "struct.values") == []


def test_duplicates():
    a = obs(13, 1.0, RESIDENCE="THA")
    (f,) = findings([a, a.with_(value=2.0)], "struct.duplicates")
    assert "given twice (1 and 2)" in f.message
    assert findings([a, a.with_(time="2021")], "struct.duplicates") == []


def test_units_wages_need_one_valid_currency():
    good = [obs(8, 15000.0, currency="PHP", MIG="MIG_STATUS_TOTAL"),
            obs(8, 14000.0, currency="PHP", MIG="MIG_STATUS_MIGRANT")]
    assert findings(good, "struct.units") == []
    msgs = [f.message for f in findings([obs(8, 1.0, MIG="MIG_STATUS_TOTAL")], "struct.units")]
    assert msgs == ["Table 8: wages need their currency (ISO 4217 code)."]
    (bad,) = findings([obs(8, 1.0, currency="PESO", MIG="MIG_STATUS_TOTAL")], "struct.units")
    assert "not an ISO 4217" in bad.message
    mixed = findings([good[0], obs(8, 300.0, currency="USD", MIG="MIG_STATUS_MIGRANT")], "struct.units")
    assert len(mixed) == 1 and "2 currencies (PHP, USD)" in mixed[0].message


def test_units_counts_in_thousands_without_currency():
    assert findings([obs(13, 1.0, unit_mult="3", RESIDENCE="THA")], "struct.units") == []
    (f,) = findings([obs(13, 1000.0, unit_mult="0", RESIDENCE="THA")], "struct.units")
    assert "multiplier 0" in f.message
    (g,) = findings([obs(13, 1.0, currency="PHP", RESIDENCE="THA")], "struct.units")
    assert "takes no currency" in g.message


def test_source_named_with_a_known_type():
    assert findings([obs(13, 1.0, source="XA_12", RESIDENCE="THA")], "struct.source") == []
    (f,) = findings([obs(13, 1.0, source="_Z", RESIDENCE="THA")], "struct.source")
    assert "no source is named" in f.message
    (g,) = findings([obs(13, 1.0, source="QQ_1", RESIDENCE="THA")], "struct.source")
    assert "does not start with a type" in g.message


def test_source_described_only_with_a_store(sqlite_engine):
    data = [obs(13, 1.0, source="XA_12", RESIDENCE="THA")]
    assert findings(data, "struct.source_described") == []          # no store: nothing to compare with
    with sqlite_engine.begin() as conn:
        (f,) = run(Dataset(data, conn=conn), only=["struct.source_described"])
        assert "'XA_12'" in f.message and f.severity == "warning"
        sources.upsert(conn, "XA_12", "PHL", name="Overseas employment register")
        assert run(Dataset(data, conn=conn), only=["struct.source_described"]) == []
