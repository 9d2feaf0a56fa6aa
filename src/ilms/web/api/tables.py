"""``/api/v1/tables`` and ``/api/v1/tables/{number}``: the 17 tables as declared (``structure()``)."""
from __future__ import annotations

from fastapi import APIRouter

from ...tables import Structure, Table, structure
from ..errors import ERROR_RESPONSES, not_found
from ..models import (ClassifOut, CodeOut, DimensionDetail, DimensionOut, IlostatIndicatorOut, Links,
                      TableDetail, TableList, TableOut, UnitOut)
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/tables", tags=["tables"])


def table_path(number: int) -> str:
    return f"{PREFIX}/tables/{number}"


def lookup(number: str) -> Table:
    try:
        return structure().table(number)
    except KeyError as exc:
        raise not_found(str(exc.args[0]), "number") from None


def _common(s: Structure, t: Table) -> dict:
    return dict(number=t.number, id=t.id, module=t.module, module_name=s.modules[t.module], title=t.title,
                short_title=t.short, measure=t.measure,
                unit=UnitOut(id=t.unit.id, unit_measure=t.unit.unit_measure, unit_mult=t.unit.unit_mult,
                             label=t.unit.label, currency_required=t.unit.currency_required),
                key_order=list(t.key_order),
                links=Links(self=table_path(t.number), data=f"{table_path(t.number)}/data"))


def summary(s: Structure, t: Table) -> TableOut:
    return TableOut(**_common(s, t), dimensions=[DimensionOut(id=d.id, name=d.name, codelist=d.codelist.id)
                                                 for d in t.dimensions])


def detail(s: Structure, t: Table) -> TableDetail:
    dims = [DimensionDetail(id=d.id, name=d.name, codelist=d.codelist.id, codelist_name=d.codelist.name,
                            open=d.codelist.open, codes=[CodeOut(id=c.id, name=c.name) for c in d.codelist],
                            required=list(t.required.get(d.id, ())))
            for d in t.dimensions]
    indicators = [IlostatIndicatorOut(indicator=m.indicator, fixed=dict(m.fixed),
                                      classif1=_classif(m.classif1), classif2=_classif(m.classif2))
                  for m in t.ilostat]
    return TableDetail(**_common(s, t), dsd_id=t.dsd_id, agency=s.agency, dimensions=dims, ilostat=indicators)


def _classif(c) -> ClassifOut | None:
    return None if c is None else ClassifOut(dimension=c.dimension, prefix=c.prefix)


@router.get("", response_model=TableList, summary="The 17 ILMS tables")
def list_tables() -> TableList:
    s = structure()
    return TableList(tables=[summary(s, t) for t in s.tables.values()])


@router.get("/{number}", response_model=TableDetail, responses={404: ERROR_RESPONSES[404]},
            summary="One table in detail: dimensions with their codes, and its ILOSTAT indicators")
def get_table(number: str) -> TableDetail:
    return detail(structure(), lookup(number))
