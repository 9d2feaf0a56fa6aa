"""The indicator and corridor declarations (``tables/data/indicators.yaml``) as immutable objects.

Checked against the table declarations when first loaded: every dimension and code an indicator
names must exist in its table, every formula must be registered and get the terms it needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import yaml

from ..tables import DeclarationError, structure
from ..tables.loader import DATA
from ..tables.model import frozen_map
from . import formulas

REGION_MEMBERS = "@region"
BASES = ("BIR", "CIT", "_Z")


@dataclass(frozen=True)
class Term:
    """One cell selection of an indicator: dimension -> codes (or REGION_MEMBERS).

    On a ``by`` dimension the codes restrict the result (one value per code) and a single code
    *fixes* it: the term is then matched without that dimension (a denominator's total). On any
    other dimension the codes are summed; with ``complete`` all of them must be present.
    """
    name: str
    filters: Mapping[str, tuple[str, ...] | str]
    fixed: tuple[str, ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class Unit:
    id: str
    label: str
    unit_measure: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    table: int
    bases: tuple[str, ...]
    by: tuple[str, ...]
    unit: Unit
    formula: str
    scale: float
    terms: tuple[Term, ...]
    aggregate: str = "pooled"          # pooled | none
    note: str = ""

    def term(self, name: str) -> Term:
        return next(t for t in self.terms if t.name == name)

    def key_dims(self, term: Term) -> tuple[str, ...]:
        """The ``by`` dimensions a term's cells are matched on (those it does not fix)."""
        return tuple(d for d in self.by if d not in term.fixed)


@dataclass(frozen=True)
class Corridor:
    id: str
    name: str
    table: int
    partner: str
    reporter: str            # origin | destination
    bases: tuple[str, ...]
    mirror: str | None = None    # the corridor the other end reports for the same pair
    undesa: bool = False         # UN DESA's origin-destination stock beside it


@dataclass(frozen=True)
class Declarations:
    indicators: Mapping[str, Indicator]
    corridors: Mapping[str, Corridor]
    units: Mapping[str, Unit]

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id.upper()]
        except KeyError:
            raise KeyError(f"no indicator {indicator_id!r}; known: {', '.join(self.indicators)}") from None


def _term(where: str, name: str, spec: dict, table, by: tuple[str, ...]) -> Term:
    spec = dict(spec)
    complete = bool(spec.pop("complete", True))
    filters: dict[str, tuple[str, ...] | str] = {}
    fixed: list[str] = []
    s = structure()
    for dim, value in spec.items():
        if not table.has_dimension(dim):
            raise DeclarationError(f"{where}: term {name}: table {table.number} has no dimension {dim}")
        if value == REGION_MEMBERS:
            filters[dim] = REGION_MEMBERS
            continue
        if isinstance(value, str) and value in s.hierarchies:
            codes = s.hierarchies[value].codes()
        else:
            codes = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
            if dim in by and len(codes) == 1:
                fixed.append(dim)
        for code in codes:
            if code not in table.dimension(dim).codelist:
                raise DeclarationError(f"{where}: term {name}: {code} is not a code of {dim}")
        filters[dim] = codes
    if "SEX" not in by and "SEX" not in filters:
        filters["SEX"] = ("SEX_T",)            # an indicator not by sex reads the totals
    return Term(name, frozen_map(filters), tuple(fixed), complete)


def _indicator(ind_id: str, spec: dict, units: Mapping[str, Unit]) -> Indicator:
    where = f"indicators.yaml: {ind_id}"
    table = structure().table(spec["table"])
    by = tuple(spec.get("by", ()))
    for dim in by:
        if dim in ("REF_AREA", "SOURCE", "BASIS") or not table.has_dimension(dim):
            raise DeclarationError(f"{where}: cannot keep {dim} (table {table.number}: "
                                   f"{', '.join(table.key_order)}; REF_AREA, SOURCE and BASIS are always kept)")
    bases = tuple(spec["basis"])
    if not bases or set(bases) - set(BASES):
        raise DeclarationError(f"{where}: basis must list some of {', '.join(BASES)}")
    formula = formulas.get(spec["formula"])
    terms = tuple(_term(where, name, t, table, by) for name, t in spec["terms"].items())
    if tuple(t.name for t in terms) != formula.terms:
        raise DeclarationError(f"{where}: formula {formula.id} needs terms {', '.join(formula.terms)}")
    aggregate = spec.get("aggregate", "pooled")
    if aggregate not in ("pooled", "none"):
        raise DeclarationError(f"{where}: aggregate must be pooled or none")
    if spec["unit"] not in units:
        raise DeclarationError(f"{where}: unknown unit {spec['unit']}")
    return Indicator(ind_id, spec["name"], table.number, bases, by, units[spec["unit"]], formula.id,
                     float(spec.get("scale", 100)), terms, aggregate, " ".join(str(spec.get("note", "")).split()))


def _corridor(c_id: str, spec: dict) -> Corridor:
    table = structure().table(spec["table"])
    where = f"indicators.yaml: corridor {c_id}"
    if not table.has_dimension(spec["partner"]) or spec["reporter"] not in ("origin", "destination"):
        raise DeclarationError(f"{where}: partner must be a dimension of table {table.number}; "
                               "reporter origin or destination")
    return Corridor(c_id, spec["name"], table.number, spec["partner"], spec["reporter"], tuple(spec["basis"]),
                    spec.get("mirror"), bool(spec.get("undesa", False)))


@lru_cache(maxsize=1)
def declarations() -> Declarations:
    doc = yaml.safe_load((DATA / "indicators.yaml").read_text(encoding="utf-8"))
    units = {u: Unit(u, s["label"], s["unit_measure"]) for u, s in doc["units"].items()}
    indicators = {i: _indicator(i, spec, units) for i, spec in doc["indicators"].items()}
    corridors = {c: _corridor(c, spec) for c, spec in doc.get("corridors", {}).items()}
    for c in corridors.values():
        if c.mirror is not None and (c.mirror not in corridors or corridors[c.mirror].reporter == c.reporter):
            raise DeclarationError(f"indicators.yaml: corridor {c.id}: mirror {c.mirror} must be a corridor "
                                   "reported by the other end")
    return Declarations(frozen_map(indicators), frozen_map(corridors), frozen_map(units))
