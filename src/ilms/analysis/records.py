"""Indicator values as plain records: one shape for the JSON API, the bulk CSV and the report."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..tables import structure
from .declarations import Indicator, declarations
from .formulas import get as formula
from .indicators import IndicatorValue
from .regional import RegionalValue

#: columns of the indicators CSV (country values and regional aggregates in one file)
CSV_HEADER = ["INDICATOR", "INDICATOR_LABEL", "REF_AREA", "REF_AREA_LABEL", "AGGREGATE", "BASIS", "SOURCE",
              "BREAKDOWN", "TIME_PERIOD", "OBS_VALUE", "UNIT", "TABLE", "TERMS", "FLAGS", "COVERAGE", "MISSING",
              "NOTE"]


def describe(ind: Indicator) -> dict:
    return {"id": ind.id, "name": ind.name, "table": ind.table, "dataflow": structure().table(ind.table).id,
            "bases": list(ind.bases), "by": list(ind.by), "unit": ind.unit.label,
            "formula": f"{formula(ind.formula).text}" + (f" x {ind.scale:g}" if ind.scale != 1 else ""),
            "terms": {t.name: {d: (c if isinstance(c, str) else list(c)) for d, c in t.filters.items()}
                      for t in ind.terms},
            "aggregate": ind.aggregate, "note": ind.note or None}


def country_record(v: IndicatorValue) -> dict:
    return {"ref_area": v.ref_area, "source": v.source, "basis": v.basis, "breakdown": dict(v.key),
            "time": v.time, "value": v.value, "terms": dict(v.terms), "flags": list(v.flags)}


def regional_record(r: RegionalValue) -> dict:
    return {"region": r.region, "basis": r.basis, "breakdown": dict(r.key), "time": r.time, "value": r.value,
            "terms": dict(r.terms), "flags": list(r.flags), "coverage": r.coverage.as_dict()}


def _breakdown(key) -> str:
    return ";".join(f"{d}={c}" for d, c in key)


def _terms(terms) -> str:
    return ";".join(f"{k}={v:g}" for k, v in terms)


def csv_rows(values: Iterable[IndicatorValue], regional: Iterable[RegionalValue]) -> Iterator[list]:
    area = structure().codelists["CL_COUNTRY"]
    decl = declarations()
    for v in values:
        ind = decl.indicator(v.indicator)
        yield [v.indicator, ind.name, v.ref_area, area.label(v.ref_area), "N", v.basis, v.source, _breakdown(v.key),
               v.time, v.value, ind.unit.label, ind.table, _terms(v.terms), " ".join(v.flags) or None, None, None,
               ind.note or None]
    for r in regional:
        ind = decl.indicator(r.indicator)
        region = structure().regions[r.region]
        yield [r.indicator, ind.name, r.region, region.name, "Y", r.basis, None, _breakdown(r.key), r.time, r.value,
               ind.unit.label, ind.table, _terms(r.terms), " ".join(r.flags) or None, " ".join(r.coverage.countries),
               " ".join(r.coverage.missing), ind.note or None]
