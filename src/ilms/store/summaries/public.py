"""The conditions every summary applies: visible at the release's cut, not deleted, confidential
values masked; and the one rule that picks a figure when several sources or bases report it."""
from __future__ import annotations

from sqlalchemy import and_, case, func

from ...tables import structure
from .. import read
from ..read import visible_at
from ..schema import observation, series, source


def visible(cut: int):
    """Rows of the published state at ``cut`` (a release's cut or an as-of cut; never None)."""
    if cut is None:
        raise ValueError("a public summary needs a cut (see ilms.web.vintage.resolve)")
    return and_(visible_at(cut), observation.c.deleted.is_(False))


def public_value(cut: int):
    """The value, or NULL where it is confidential or withheld by the release's secondary suppression
    pattern: SUM/AVG then leave it out, a cell shows none (``store.read.public_value``, one rule)."""
    return read.public_value(cut)


def public_status(cut: int):
    """The status shown beside it: ``C`` for a withheld cell, like a confidential one."""
    return read.public_status(cut).label("status")


def _rank(codelist_id: str, column):
    """A code's position in its declared codelist (unknown codes last)."""
    order = {c.id: i for i, c in enumerate(structure().codelists[codelist_id])}
    return case(order, value=column, else_=len(order))


def preference():
    """ORDER BY of the rule that picks one figure among several reports of the same thing: source
    types in the order CL_SOURCE_TYPE declares them (labour force survey first), then the migrant
    basis in CL_BASIS order (place of birth first), then the source id."""
    return (_rank("CL_SOURCE_TYPE", source.c.type), _rank("CL_BASIS", series.c.basis), series.c.source)


def ranked(partition: list, *, by=None):
    """ROW_NUMBER() over ``partition`` following ``preference()``: 1 marks the chosen figure."""
    return func.row_number().over(partition_by=partition, order_by=by or preference())


def joined():
    """observation JOIN series JOIN source."""
    return observation.join(series, series.c.id == observation.c.series_id).join(
        source, source.c.code == series.c.source)
