"""The shapes of the demonstration data (``profiles.yaml``), checked against the declarations."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml

from ..tables import structure
from .cube import leaves, primary_hierarchy

FILE = "profiles.yaml"
PROFILES = ("low", "high", "migrant_low", "migrant_high")


class ProfilesError(ValueError):
    """``profiles.yaml`` does not fit the table declarations (the message names the entry)."""


@dataclass(frozen=True)
class DimensionProfile:
    dimension: str
    parameter: str                          # column of magnitudes.csv mixing low and high
    codes: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]   # profile -> weights in ``codes`` order


@dataclass(frozen=True)
class Shapes:
    dimensions: Mapping[str, DimensionProfile]
    participation: Mapping[str, Mapping[str, float]]
    migrant_bonus: float
    unemployment_by_age: Mapping[str, float]
    wage_by_sex: Mapping[str, float]
    wage_foreign_born_citizens: float
    employees: tuple[str, tuple[str, ...]]   # dimension and codes that count employees
    flow_shock: Mapping[int, float]
    outflow_other_purposes: float
    inflow_employed: float


def _generated_leaves(dim: str) -> set[str] | None:
    """The leaf codes the tables that split by ``dim`` need (the same for all of them)."""
    found = None
    for table in structure().tables.values():
        if table.has_dimension(dim):
            h = primary_hierarchy(table, dim)
            codes = set(leaves(h)) if h else None
            if found is not None and codes != found:
                raise ProfilesError(f"{FILE}: tables disagree on the leaf codes of {dim}")
            found = codes
    return found


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    doc = yaml.safe_load((resources.files("ilms.demo") / FILE).read_text(encoding="utf-8"))
    dims = {}
    for dim, spec in doc["dimensions"].items():
        where = f"{FILE}: dimensions: {dim}"
        wanted = _generated_leaves(dim)
        if wanted is None:
            raise ProfilesError(f"{where}: no table splits by {dim} along a hierarchy")
        codes = tuple(spec["low"])
        for name in PROFILES:
            if set(spec.get(name) or ()) != wanted:
                raise ProfilesError(f"{where}: {name} must give a weight to exactly {', '.join(sorted(wanted))}")
        dims[dim] = DimensionProfile(dim, spec["parameter"], codes,
                                     {n: tuple(float(spec[n][c]) for c in codes) for n in PROFILES})
    ages = set(dims["AGE"].codes)
    for sex, rates in doc["participation"].items():
        if set(rates) != ages:
            raise ProfilesError(f"{FILE}: participation: {sex} must cover the age bands {', '.join(sorted(ages))}")
    if set(doc["unemployment_by_age"]) != ages:
        raise ProfilesError(f"{FILE}: unemployment_by_age must cover the age bands")
    employees = doc["employees"]
    if employees["dimension"] not in dims or not set(employees["codes"]) <= set(dims[employees["dimension"]].codes):
        raise ProfilesError(f"{FILE}: employees must name codes of a profiled dimension")
    return Shapes(dims, doc["participation"], float(doc["migrant_bonus"]), doc["unemployment_by_age"],
                  doc["wage_by_sex"], float(doc["wage_foreign_born_citizens"]),
                  (employees["dimension"], tuple(employees["codes"])),
                  {int(k): float(v) for k, v in doc["flow_shock"].items()},
                  float(doc["outflow_other_purposes"]), float(doc["inflow_employed"]))
