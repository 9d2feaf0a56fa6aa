"""The per-country orders of size the demonstration data is built from (``magnitudes.csv``)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

import pycountry

from ..tables import structure

FILE = "magnitudes.csv"


class MagnitudesError(ValueError):
    """``magnitudes.csv`` is malformed (the message names the line and column)."""


@dataclass(frozen=True)
class Country:
    country: str
    currency: str
    nso: str
    pop15: float                 # population 15+, thousands, c. 2019
    pop_growth: float
    ageing: float                # 0 young .. 1 old age pyramid
    development: float           # 0 agricultural .. 1 service economy (mixes the profiles)
    unemployment: float
    migrant_stock: float         # foreign-born stock, thousands, 2019
    migrant_female: float
    migrant_growth: float
    noncitizen_share: float      # share of the foreign-born who are not citizens
    migrant_skill: float         # 0 low .. 1 high skill mix of migrants
    bases: tuple[str, ...]       # migrant bases of module A sources (BIR, CIT)
    wage: float                  # mean monthly earnings of employees, local currency, c. 2019
    wage_growth: float
    migrant_wage_ratio: float
    lfs_from: int
    lfs_break: int | None        # year a new labour force survey replaces the old one
    census_years: tuple[int, ...]
    inflow: float                # inflow of working-age migrants, thousands a year
    inflow_from: int
    flow_basis: str
    origins: tuple[tuple[str, float], ...]
    abroad: float                # nationals abroad, thousands, 2019
    abroad_female: float
    residences: tuple[tuple[str, float], ...]
    outflow: float               # outflow of nationals for employment, thousands a year
    outflow_from: int
    emigrant_female: float
    destinations: tuple[tuple[str, float], ...]


def _weights(text: str) -> tuple[tuple[str, float], ...]:
    out = []
    for part in text.split(";"):
        code, sep, weight = part.partition(":")
        if not sep:
            raise ValueError(f"{part!r} is not CODE:weight")
        out.append((code.strip(), float(weight)))
    return tuple(out)


def _years(text: str) -> tuple[int, ...]:
    return tuple(int(y) for y in text.split(";") if y.strip())


#: Column parsers by annotated type (the annotations are strings under ``from __future__ import annotations``).
_PARSERS = {"int": int, "float": float, "str": str, "int | None": lambda t: int(t) if t.strip() else None,
            "tuple[int, ...]": _years, "tuple[str, ...]": lambda t: tuple(p.strip() for p in t.split(";")),
            "tuple[tuple[str, float], ...]": _weights}


def _check(c: Country, where: str) -> None:
    s = structure()
    partners = s.codelists["CL_PARTNER"]
    if c.country not in s.codelists["CL_COUNTRY"]:
        raise MagnitudesError(f"{where}: unknown country {c.country}")
    if pycountry.currencies.get(alpha_3=c.currency) is None:
        raise MagnitudesError(f"{where}: {c.currency} is not an ISO 4217 currency")
    for basis in (*c.bases, c.flow_basis):
        if basis not in ("BIR", "CIT"):
            raise MagnitudesError(f"{where}: migrant basis {basis!r} is not BIR or CIT")
    for column in ("origins", "residences", "destinations"):
        codes = [code for code, _ in getattr(c, column)]
        for code in codes:
            if code not in partners or code == "TOTAL":
                raise MagnitudesError(f"{where}: column {column}: {code} is not a partner country code")
        if "X" not in codes:
            raise MagnitudesError(f"{where}: column {column} needs X (other countries)")


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """The countries of ``magnitudes.csv``, by code; checked against the declarations."""
    return parse((resources.files("ilms.demo") / FILE).read_text(encoding="utf-8"))


def parse(text: str, name: str = FILE) -> dict[str, Country]:
    """Read a magnitudes table; a bad row raises ``MagnitudesError`` naming ``name:line`` and the column."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.startswith("#")]
    reader = csv.reader(line for _, line in numbered)
    header = next(reader)
    specs = {f.name: f for f in fields(Country)}
    if header != list(specs):
        raise MagnitudesError(f"{name}:{numbered[0][0]}: the header must be {','.join(specs)}")
    out = {}
    for (lineno, _), row in zip(numbered[1:], reader):
        where = f"{name}:{lineno}"
        if len(row) != len(header):
            raise MagnitudesError(f"{where}: {len(row)} columns, expected {len(header)}")
        values = {}
        for column, cell in zip(header, row):
            try:
                values[column] = _PARSERS[specs[column].type](cell)
            except ValueError as exc:
                raise MagnitudesError(f"{where}: column {column}: {exc}") from None
        country = Country(**values)
        _check(country, where)
        out[country.country] = country
    missing = set(structure().default_region.all_members()) - set(out)
    if missing:
        raise MagnitudesError(f"{name}: no row for {', '.join(sorted(missing))}")
    return out
