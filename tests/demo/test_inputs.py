"""The demo's input tables: read and checked with errors that name the line and column."""
from __future__ import annotations

from importlib import resources

import pytest

from ilms.demo.magnitudes import MagnitudesError, countries, parse
from ilms.demo.profiles import shapes
from ilms.tables import structure

TEXT = (resources.files("ilms.demo") / "magnitudes.csv").read_text(encoding="utf-8")


def _line_of(code: str) -> int:
    return next(n for n, line in enumerate(TEXT.splitlines(), 1) if line.startswith(code + ","))


def _replace_row(code: str, change) -> str:
    lines = TEXT.splitlines()
    n = _line_of(code) - 1
    lines[n] = change(lines[n])
    return "\n".join(lines)


def test_every_member_has_plausible_magnitudes():
    found = countries()
    assert set(found) == set(structure().default_region.all_members())
    assert found["TLS"].currency == "USD" and found["THA"].currency == "THB"
    assert found["THA"].origins[0][0] == "MMR" and found["IDN"].destinations[0][0] == "MYS"
    assert all(0 < c.migrant_stock * 0.9 < c.pop15 * 1000 for c in found.values())


@pytest.mark.parametrize("change, message", [
    (lambda line: line.replace(",57500,", ",many,"), "column pop15"),
    (lambda line: line.replace(",THB,", ",THX,"), "THX is not an ISO 4217 currency"),
    (lambda line: line.replace("MMR:1859", "ZZZ:1859"), "ZZZ is not a partner country code"),
    (lambda line: line.replace(",0.64,USA:289", ",USA:289"), "30 columns, expected 31"),
    (lambda line: line.replace(";X:44,1020", ",1020"), "column origins needs X"),
    (lambda line: line.replace(",BIR;CIT,14500", ",BIRTH,14500"), "migrant basis 'BIRTH'"),
])
def test_a_bad_row_is_refused_naming_line_and_column(change, message):
    with pytest.raises(MagnitudesError) as err:
        parse(_replace_row("THA", change), "magnitudes.csv")
    assert str(err.value).startswith(f"magnitudes.csv:{_line_of('THA')}: ")
    assert message in str(err.value)


def test_a_missing_country_is_refused():
    text = "\n".join(line for line in TEXT.splitlines() if not line.startswith("BRN,"))
    with pytest.raises(MagnitudesError, match="no row for BRN"):
        parse(text)


def test_profiles_fit_the_declared_leaves():
    s = shapes()
    assert s.dimensions["ECO"].codes[0] == "ECO_ISIC4_A" and len(s.dimensions["ECO"].codes) == 22
    assert set(s.dimensions["AGE"].codes) == set(s.participation["SEX_F"])
