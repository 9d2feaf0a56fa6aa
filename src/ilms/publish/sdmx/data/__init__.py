"""Streaming SDMX data messages: one writer per format, registered by media type.

``write_data(table, observations, media_type, options)`` yields UTF-8 chunks; observations come
in canonical order (``store.read.observations``) -- or, with a dimension other than the time
period at observation, in ``observation_order(...)`` (the series dimensions, then that dimension;
``store.read.Selection.order``) -- and are never held: a series is written as it streams past. See ``ilms.publish.sdmx`` for the interface the REST layer uses.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable, Iterable, Iterator, Sequence

from ....observation import Observation
from ....tables import TIME_DIMENSION, Table
from .layout import Layout, chunked, read_order
from .options import (ALL_DIMENSIONS, DataOptions, InvalidOption, MessageHeader, NotAcceptable,
                      NotImplementedOption)

ACTIONS = ("Information", "Append", "Replace", "Delete", "Merge")


@dataclass(frozen=True)
class DataSetPart:
    """What goes into one data set of a message: a dataflow's observations and, for history and
    changes (``includeHistory``, ``updatedAfter``), the data set's action and validity period."""
    table: Table
    observations: Iterable[Observation]
    action: str | None = None                 # None: the format's plain answer (Information)
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass(frozen=True)
class DataSet:
    layout: Layout
    observations: Iterable[Observation]
    action: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None


@dataclass(frozen=True)
class Message:
    """What a writer gets: the structures (one layout per dataflow, known before the first byte)
    and the data sets, produced lazily in order (several per dataflow for history)."""
    layouts: list[Layout]
    datasets: Iterable[DataSet]

    def position(self, layout: Layout) -> int:
        return self.layouts.index(layout)


Writer = Callable[[Message], Iterator[str]]


@dataclass(frozen=True)
class DataFormat:
    media_type: str                    # canonical: type/subtype;version=x
    write: Writer
    default_for: tuple[str, ...] = ()  # REST API versions ("v1", "v2") that default to it
    time_series_only: bool = False     # the *TimeSeries* SDMX-ML 2.1 flavours
    flat: bool = False                 # one row per observation whatever dimensionAtObservation (SDMX-CSV)
    single: bool = False               # one dataflow per message (SDMX-JSON 1.0, SDMX-CSV 1.0)
    actions: bool = True               # data sets can say their action (not SDMX-CSV 1.0)


REGISTRY: dict[str, DataFormat] = {}


def register(media_type: str, *, default_for: tuple[str, ...] = (), time_series_only: bool = False,
             flat: bool = False, single: bool = False, actions: bool = True):
    """Register the decorated writer for ``media_type``."""
    def deco(fn: Writer) -> Writer:
        key = normalise(media_type)[0]
        if key in REGISTRY:
            raise ValueError(f"two data writers for {key}")
        REGISTRY[key] = DataFormat(key, fn, default_for, time_series_only, flat, single, actions)
        return fn
    return deco


def normalise(media_type: str) -> tuple[str, dict[str, str]]:
    """``"application/vnd.sdmx.data+csv; version=2.0.0; labels=both"`` ->
    (``"application/vnd.sdmx.data+csv;version=2.0.0"``, {"labels": "both"})."""
    base, *params = [p.strip() for p in media_type.split(";")]
    values = {}
    for p in params:
        k, _, v = p.partition("=")
        values[k.strip().lower()] = v.strip().strip('"')
    version = values.pop("version", None)
    values.pop("charset", None)
    key = base.lower() + (f";version={version}" if version else "")
    return key, values


def media_types() -> list[str]:
    return list(REGISTRY)


def default_media_type(api: str) -> str:
    return next(f.media_type for f in REGISTRY.values() if api in f.default_for)


def writer_for(media_type: str) -> DataFormat:
    key, _ = normalise(media_type)
    try:
        return REGISTRY[key]
    except KeyError:
        raise NotAcceptable(f"no data writer for {media_type!r}; available: {', '.join(REGISTRY)}") from None


def content_type(media_type: str) -> str:
    """The Content-Type header for a response in ``media_type``."""
    key = writer_for(media_type).media_type
    return key + ("; charset=utf-8" if "csv" in key else "")


def observation_order(table: Table, media_type: str, dimension_at_observation: str) -> tuple[str, ...]:
    """The order the observations given to :func:`write_data` must come in (``store.read.Selection``
    ``order``): () = canonical (table, series key, period); else the components to sort by, for a
    series layout with a dimension other than the time period at observation."""
    if writer_for(media_type).flat:
        return ()
    return read_order(table, dimension_at_observation)


def write_data(table: Table, observations: Iterable[Observation], media_type: str,
               options: DataOptions | None = None) -> Iterator[bytes]:
    """Stream a data message of ``table``; options are checked before the first chunk."""
    return write_datasets([(table, observations)], media_type, options)


def write_datasets(datasets: Iterable[tuple[Table, Iterable[Observation]] | DataSetPart], media_type: str,
                   options: DataOptions | None = None, tables: Sequence[Table] | None = None) -> Iterator[bytes]:
    """Stream one data message with the data sets given, in order: a (table, observations) pair or a
    :class:`DataSetPart` each (several dataflows; several data sets of one dataflow for history).
    ``tables``: the dataflows of the message when ``datasets`` is produced lazily (default: those
    of the list given). Each data set's observations are read only when the writer reaches it."""
    options = options or DataOptions()
    fmt = writer_for(media_type)
    if tables is None:
        datasets = list(datasets)
        tables = list({id(p[0] if isinstance(p, tuple) else p.table): (p[0] if isinstance(p, tuple) else p.table)
                       for p in datasets}.values())
    if not tables:
        raise InvalidOption("a data message needs at least one dataflow")
    if fmt.single and len(tables) > 1:
        raise NotAcceptable(f"{fmt.media_type} holds the data of one dataflow; for several use SDMX-ML, "
                            "SDMX-JSON 2.x or SDMX-CSV 2.x")
    labels = normalise(media_type)[1].get("labels")
    if labels and options.labels == "id":
        options = replace(options, labels=labels)
    layouts = {table.number: Layout(table, options) for table in tables}
    if fmt.time_series_only and options.dimension_at_observation != TIME_DIMENSION:
        raise NotAcceptable(f"{fmt.media_type} carries time series only: dimensionAtObservation="
                            f"{options.dimension_at_observation} needs another format (e.g. "
                            "application/vnd.sdmx.genericdata+xml;version=2.1)")

    def parts() -> Iterator[DataSet]:
        for p in datasets:
            if isinstance(p, tuple):
                p = DataSetPart(*p)
            if p.action not in (None, *ACTIONS):
                raise InvalidOption(f"no data set action {p.action!r}")
            if p.action and not fmt.actions:
                raise NotAcceptable(f"{fmt.media_type} cannot say a data set's action ({p.action}): "
                                    "use SDMX-CSV 2.x, SDMX-ML or SDMX-JSON")
            yield DataSet(layouts[p.table.number], p.observations, p.action, p.valid_from, p.valid_to)
    return chunked(fmt.write(Message(list(layouts.values()), parts())))


# the writers register themselves
from . import csv10, csv2, json10, json2, ml21_generic, ml21_structure_specific, ml3  # noqa: E402,F401

__all__ = ["ACTIONS", "ALL_DIMENSIONS", "DataFormat", "DataSetPart", "Message", "DataOptions", "InvalidOption", "MessageHeader",
           "NotAcceptable", "NotImplementedOption", "REGISTRY", "content_type", "default_media_type",
           "media_types", "normalise", "observation_order", "register", "write_data", "write_datasets", "writer_for"]
