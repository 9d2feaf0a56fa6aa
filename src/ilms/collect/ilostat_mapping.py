"""ILOSTAT codes <-> ILMS series keys, both ways, driven by the declarations (``tables.yaml``).

An ILOSTAT observation is (indicator, ref_area, source, sex, classif1[, classif2], time). The
indicator names the ILMS table and fixes some dimensions (BASIS; LMS for table 1); classif1 and
classif2 carry the table's own dimensions:

* a partner-country dimension with the indicator's prefix: ``CDS_DES_THA`` <-> DESTINATION ``THA``;
* the migrant status with the basis-specific ILO code (CL_MIG's ``ilostat`` map):
  ``CBR_BIR_FOREIGN`` <-> (BASIS ``BIR``, MIG ``MIG_STATUS_MIGRANT``);
* any other dimension with the code itself (``ECO_ISIC4_A``).

The source ``BA:453`` is the ILMS source code ``BA_453``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..store.sources import SourceError, ilostat_code, sdmx_code, source_type
from ..tables import IlostatIndicator, Table, structure
from ..tables.model import IlostatClassif

TIME = re.compile(r"^\d{4}(Q[1-4]|M(0[1-9]|1[0-2]))?$")
SOURCE = re.compile(r"^[A-Z]{2}:[A-Za-z0-9_.-]+$")


class CodeError(ValueError):
    """A code that does not fit: ``column`` names the ILOSTAT column, the message the code."""

    def __init__(self, column: str, message: str):
        self.column = column
        super().__init__(f"column {column}: {message}")


@dataclass(frozen=True)
class IlostatKey:
    """One observation's identity in ILOSTAT's words."""
    indicator: str
    ref_area: str
    source: str
    sex: str
    classif1: str
    classif2: str


def classif_to_code(table: Table, mapping: IlostatIndicator, classif: IlostatClassif, raw: str,
                    column: str) -> str:
    dim = table.dimension(classif.dimension)
    codelist = dim.codelist
    if classif.prefix:
        if not raw.startswith(classif.prefix):
            raise CodeError(column, f"{raw!r} is not a code of {mapping.indicator} "
                                    f"(expected {classif.prefix}<country>, e.g. {classif.prefix}TOTAL)")
        code = raw[len(classif.prefix):]
    elif codelist.ilostat:
        basis = mapping.fixed.get("BASIS")
        reverse = {ilo: ours for ours, ilo in codelist.ilostat.get(basis, {}).items()}
        if raw not in reverse:
            raise CodeError(column, f"{raw!r} is not a code of {mapping.indicator} "
                                    f"(expected one of {', '.join(reverse)})")
        code = reverse[raw]
    else:
        code = raw
    if code not in codelist:
        raise CodeError(column, f"code {raw!r} is not in {codelist.id} ({dim.name})")
    return code


def code_to_classif(table: Table, mapping: IlostatIndicator, classif: IlostatClassif, code: str) -> str:
    codelist = table.dimension(classif.dimension).codelist
    if classif.prefix:
        return classif.prefix + code
    if codelist.ilostat:
        return codelist.ilostat[mapping.fixed["BASIS"]][code]
    return code


@lru_cache(maxsize=1 << 16)
def key_of(indicator: str, ref_area: str, source: str, sex: str, classif1: str = "",
           classif2: str = "") -> tuple[Table, tuple[str, ...]]:
    """The ILMS table and series key of an ILOSTAT observation; raises ``CodeError`` naming the column."""
    found = structure().indicator(indicator)
    if found is None:
        raise CodeError("indicator", f"{indicator!r} is not an ILMS indicator "
                                     "(`ilms tables N` lists each table's ILOSTAT indicators)")
    table, mapping = found
    s = structure()
    values: dict[str, str] = dict(mapping.fixed)
    if ref_area not in s.codelists["CL_COUNTRY"]:
        raise CodeError("ref_area", f"code {ref_area!r} is not in CL_COUNTRY")
    values["REF_AREA"] = ref_area
    if not SOURCE.match(source):
        raise CodeError("source", f"{source!r} is not an ILOSTAT source id (TYPE:NUMBER, e.g. BA:453)")
    try:
        source_type(source)
    except SourceError as exc:
        raise CodeError("source", str(exc)) from None
    values["SOURCE"] = sdmx_code(source)
    if sex not in s.codelists["CL_SEX"]:
        raise CodeError("sex", f"code {sex!r} is not in CL_SEX")
    values["SEX"] = sex
    raws = {"classif1": classif1, "classif2": classif2}
    for column, classif in zip(("classif1", "classif2"), (mapping.classif1, mapping.classif2)):
        raw = raws[column]
        if classif is None:
            if raw:
                raise CodeError(column, f"{mapping.indicator} has no {column}, got {raw!r}")
            continue
        if not raw:
            raise CodeError(column, f"{mapping.indicator} needs a {column} ({classif.dimension})")
        values[classif.dimension] = classif_to_code(table, mapping, classif, raw, column)
    return table, table.key_tuple(values)


@lru_cache(maxsize=None)
def _mappings_by_fixed(table_no: int) -> dict[tuple, IlostatIndicator]:
    table = structure().table(table_no)
    return {tuple(sorted(m.fixed.items())): m for m in table.ilostat}


@lru_cache(maxsize=1 << 16)
def ilostat_key(table_no: int, key: tuple[str, ...]) -> IlostatKey:
    """The ILOSTAT identity of an ILMS series key (the inverse of ``key_of``)."""
    table = structure().table(table_no)
    values = table.key_dict(key)
    for fixed, mapping in _mappings_by_fixed(table_no).items():
        if all(values.get(d) == c for d, c in fixed):
            break
    else:
        raise ValueError(f"table {table_no}, series {'.'.join(key)}: no ILOSTAT indicator carries it")
    classifs = [code_to_classif(table, mapping, c, values[c.dimension]) for c in mapping.classifs]
    classifs += [""] * (2 - len(classifs))
    return IlostatKey(mapping.indicator, values["REF_AREA"], ilostat_code(values["SOURCE"]), values["SEX"],
                      classifs[0], classifs[1])


def has_classif2(table_numbers) -> bool:
    return any(m.classif2 is not None for n in table_numbers for m in structure().table(n).ilostat)


def check_time(text: str) -> str:
    time = text.strip().upper()
    if not TIME.match(time):
        raise CodeError("time", f"{text!r} is not a period (YYYY, YYYYQn or YYYYMmm)")
    return time


def check_status(text: str) -> str | None:
    status = text.strip().upper() or None
    if status and status not in structure().codelists["CL_OBS_STATUS"]:
        raise CodeError("obs_status", f"code {text!r} is not in CL_OBS_STATUS")
    return status


#: ILOSTAT's bulk-download columns, in order (``classif2`` only for two-classification indicators).
COLUMNS = ("ref_area", "source", "indicator", "sex", "classif1", "classif2", "time", "obs_value",
           "obs_status", "note_classif", "note_indicator", "note_source")
