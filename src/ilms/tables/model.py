"""Immutable model objects for the ILMS structure: codelists, hierarchies, dimensions, tables, regions."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

#: Dimensions every table's series key starts with, in this order (pinned; see docs/identifiers.md).
COMMON_DIMENSIONS = ("REF_AREA", "SOURCE", "BASIS", "SEX")
#: The observation dimension.
TIME_DIMENSION = "TIME_PERIOD"
#: How many table-specific dimensions the store has room for (table 1 has three: AGE, LMS, MIG).
MAX_OWN_DIMENSIONS = 3


@dataclass(frozen=True)
class Code:
    id: str
    name: str


@dataclass(frozen=True)
class Codelist:
    id: str
    name: str
    codes: tuple[Code, ...]
    ilo: str | None = None                      # the ILO codelist this one follows
    description: str = ""
    extensions: Mapping[str, str] = field(default_factory=dict)   # code -> why it is not the ILO's
    ilostat: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # basis -> code -> ILO code
    open: bool = False                          # codes come from elsewhere (the source catalogue)

    def __post_init__(self):
        object.__setattr__(self, "_index", {c.id: c for c in self.codes})

    def __contains__(self, code: str) -> bool:
        return self.open or code in self._index

    def __iter__(self):
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> Code | None:
        return self._index.get(code)

    def label(self, code: str) -> str:
        found = self._index.get(code)
        return found.name if found else code


@dataclass(frozen=True)
class Hierarchy:
    """Parent codes that equal the sum of their children (``"*"``: all other codes)."""

    id: str
    codelist: str
    name: str
    sums: Mapping[str, tuple[str, ...] | str]
    optional: tuple[str, ...] = ()

    def codes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for parent, children in self.sums.items():
            seen.setdefault(parent)
            if children != "*":
                for child in children:
                    seen.setdefault(child)
        return tuple(seen)

    def children(self, parent: str, present: set[str] | None = None) -> tuple[str, ...]:
        """The children of ``parent``; for an open sum (``"*"``) the present codes other than it."""
        children = self.sums[parent]
        if children == "*":
            return tuple(sorted(c for c in (present or ()) if c != parent))
        return tuple(children)


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    codelist: Codelist


@dataclass(frozen=True)
class Unit:
    id: str
    unit_measure: str
    unit_mult: str
    label: str
    currency_required: bool = False


@dataclass(frozen=True)
class IlostatClassif:
    dimension: str
    prefix: str = ""            # partner countries: CBR_BRT_, CDS_DES_, ...


@dataclass(frozen=True)
class IlostatIndicator:
    """One ILOSTAT indicator that carries part of an ILMS table."""

    indicator: str
    fixed: Mapping[str, str]                   # dimension -> code fixed by the indicator
    classif1: IlostatClassif | None
    classif2: IlostatClassif | None = None

    @property
    def classifs(self) -> tuple[IlostatClassif, ...]:
        return tuple(c for c in (self.classif1, self.classif2) if c is not None)


@dataclass(frozen=True)
class Table:
    number: int
    module: str
    title: str
    short: str
    measure: str
    unit: Unit
    dimensions: tuple[Dimension, ...]          # the whole series key, in pinned order
    required: Mapping[str, tuple[str, ...]]    # dimension -> codes every complete table has
    ilostat: tuple[IlostatIndicator, ...]

    @property
    def id(self) -> str:
        """The pinned SDMX dataflow id, e.g. ``DF_ILMS_T05``."""
        return f"DF_ILMS_T{self.number:02d}"

    @property
    def dsd_id(self) -> str:
        return f"DSD_ILMS_T{self.number:02d}"

    @property
    def key_order(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    @property
    def own_dimensions(self) -> tuple[Dimension, ...]:
        return self.dimensions[len(COMMON_DIMENSIONS):]

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(f"table {self.number} has no dimension {dim_id}")

    def has_dimension(self, dim_id: str) -> bool:
        return any(d.id == dim_id for d in self.dimensions)

    def key_dict(self, key: tuple[str, ...]) -> dict[str, str]:
        return dict(zip(self.key_order, key))

    def key_tuple(self, values: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(values[d] for d in self.key_order)

    def required_cells(self) -> int:
        n = 1
        for codes in self.required.values():
            n *= len(codes)
        return n


@dataclass(frozen=True)
class Region:
    """A regional group with dated membership."""

    id: str
    name: str
    agency: str
    members: Mapping[str, tuple[dt.date, dt.date | None]]   # code -> (joined, left)
    default: bool = False

    def members_on(self, day: dt.date) -> tuple[str, ...]:
        return tuple(sorted(c for c, (joined, left) in self.members.items()
                            if joined <= day and (left is None or day < left)))

    def members_in(self, year: int) -> tuple[str, ...]:
        """Members on 31 December of ``year`` (the rule for a year's aggregate)."""
        return self.members_on(dt.date(year, 12, 31))

    def all_members(self) -> tuple[str, ...]:
        return tuple(sorted(self.members))


def frozen_map(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))
