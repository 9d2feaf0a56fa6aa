"""Test helper: the real ILOSTAT extracts in ../shared/realdata (DDF layout) as ILMS Observations.

DDF lower-cases codes and turns '-' into '_'; the value column is named after the indicator.
Codes are looked up case-insensitively with '-' and '_' folded. Sources are made up (DDF drops
them): ``XA_0`` for module C tables, ``BA_0`` for stock tables.
"""
from __future__ import annotations

import csv
from pathlib import Path

from ilms.observation import Observation, decimals_of
from ilms.tables import structure

SOURCE_BY_MODULE = {"A": "BA_0", "B": "XA_0", "C": "XA_0"}


def _fold(code: str) -> str:
    return code.upper().replace("-", "_")


def _lookup(dim_id: str, ddf_code: str, prefix: str, basis: str) -> str:
    s = structure()
    codelist = s.dimensions[dim_id].codelist
    code = _fold(ddf_code)
    if prefix:
        if not code.startswith(_fold(prefix)):
            raise ValueError(f"{ddf_code}: expected prefix {prefix}")
        code = code[len(prefix):]
    ilo_map = codelist.ilostat.get(basis, {})
    for ours, theirs in ilo_map.items():
        if _fold(theirs) == code:
            return ours
    for c in codelist:
        if _fold(c.id) == code:
            return c.id
    raise ValueError(f"{ddf_code}: no code of {codelist.id} matches")


def read_ddf(path: Path) -> list[Observation]:
    s = structure()
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        indicator = reader.fieldnames[-1]
        table, mapping = s.indicator(indicator.upper())
        basis = mapping.fixed["BASIS"]
        source = SOURCE_BY_MODULE[table.module]
        out = []
        for line, row in enumerate(reader, start=2):
            codes = {"REF_AREA": row["ref_area"].upper(), "SOURCE": source, "BASIS": basis,
                     "SEX": _lookup("SEX", row["sex"], "", basis)}
            codes.update({d: c for d, c in mapping.fixed.items() if d != "BASIS"})
            for i, classif in enumerate(mapping.classifs, start=1):
                codes[classif.dimension] = _lookup(classif.dimension, row[f"classif{i}"], classif.prefix, basis)
            text = row[indicator]
            out.append(Observation(table=table.number, key=table.key_tuple(codes), time=row["time"],
                                   value=float(text), decimals=decimals_of(text),
                                   provenance=f"{path.name}:{line}"))
        return out


def real_observations(shared: Path) -> list[Observation]:
    out = []
    for path in sorted((shared / "realdata").glob("ilostat_ddf_*.csv")):
        out.extend(read_ddf(path))
    return out
