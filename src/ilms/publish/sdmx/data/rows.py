"""A read's driver tuples as the data writers take them, without an ``Observation`` per row.

``store.read.PublicRead`` offers a data set's observations also as the driver's tuples
(``row_batches()``: ``store.read.public_rows``, columns ``store.read.ROW_FIELDS``: the series key
text, the period, the value, then the attributes' fields, masked by the database). A writer that
formats tuples itself groups them into series with :func:`row_series` and turns their attribute
fields into text with :class:`AttributeTexts`, through the same ``Layout.attribute_tuple`` as its
``Observation`` path: the same bytes.
"""
from __future__ import annotations

from itertools import chain, groupby
from operator import itemgetter
from typing import Callable, Iterable, Iterator

from ....observation import Observation
from .layout import Layout

#: where a tuple holds the attribute fields (status, confidential, the notes and comment, unit
#: multiplier, currency, decimals: ``ROW_FIELDS[3:12]``)
ATTRIBUTE_FIELDS = slice(3, 12)
_SERIES_KEY = itemgetter(0)


def row_series(batches: Iterable[list[tuple]]) -> Iterator[tuple[str, Iterator[tuple]]]:
    """The tuples grouped into series (consecutive equal series keys), lazily: (key text, tuples)
    -- ``layout.series`` of a canonical-order read."""
    return groupby(chain.from_iterable(batches), key=_SERIES_KEY)


class AttributeTexts(dict):
    """What a writer makes of a tuple's attribute fields (``row[ATTRIBUTE_FIELDS]``), by those
    fields: ``make(layout.attribute_tuple(obs))`` for an ``Observation`` of their own, the first
    time a distinct tuple is met (observations share few); at most ``limit`` kept, then it starts
    again (memory stays bounded whatever the data)."""

    def __init__(self, layout: Layout, make: Callable[[tuple], object], limit: int):
        super().__init__()
        self.table, self.attributes_of, self.make, self.limit = layout.table.number, layout.attribute_tuple, make, limit

    def __missing__(self, fields: tuple):
        if len(self) >= self.limit:
            self.clear()
        status, confidential, *rest = fields
        text = self[fields] = self.make(self.attributes_of(Observation(self.table, (), "", None, status,
                                                                        bool(confidential), *rest)))
        return text
