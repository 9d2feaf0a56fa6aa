"""What every data writer needs, derived from the table declaration and the options.

A :class:`Layout` says which dimensions form the series key, which attributes and measures a
message carries, and turns an :class:`Observation` into SDMX values: time periods in SDMX form,
values as shortest round-trip decimals, attributes in the DSD's order (flags, confidentiality,
units, currency, decimals, notes and comment travel with every observation).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Iterable, Iterator

from ....observation import Observation
from ....tables import TIME_DIMENSION, Table, structure
from ..artefacts import ATTRIBUTES, MEASURE, OBS_CONF_CODES, VERSION
from .options import ALL_DIMENSIONS, DataOptions, InvalidOption

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_SEMESTER = re.compile(r"^(\d{4})S([12])$")

ATTRIBUTE_IDS = tuple(a.id for a in ATTRIBUTES)
_KEY = attrgetter("key")
#: the order of ``Layout.attribute_tuple``'s full tuple (that of ``observation_attributes``)
_TUPLE_ORDER = ("OBS_STATUS", "OBS_CONF", "UNIT_MEASURE", "UNIT_MULT", "CURRENCY", "DECIMALS", "NOTE_CLASSIF",
                "NOTE_INDICATOR", "NOTE_SOURCE", "COMMENT")
_SPECS = {a.id: a for a in ATTRIBUTES}
#: Attribute levels of the REST v2 ``attributes`` parameter that hold ours (all at observation).
_OBS_LEVELS = ("dsd", "all", "obs")
_NO_LEVELS = ("none", "msd", "dataset", "series")


@lru_cache(maxsize=4096)
def sdmx_time(period: str) -> str:
    """ILOSTAT-style periods to SDMX: ``2024Q3`` -> ``2024-Q3``, ``2024M07`` -> ``2024-07`` (memoised:
    a message has few distinct periods and this runs per observation)."""
    for pattern, repl in ((_QUARTER, r"\1-Q\2"), (_MONTH, r"\1-\2"), (_SEMESTER, r"\1-S\2")):
        if pattern.match(period):
            return pattern.sub(repl, period)
    return period


def number(value: float | None) -> str | None:
    """Shortest text that reads back as the same float (``repr``), without a trailing ``.0``."""
    if value is None:
        return None
    text = repr(float(value))
    if text in ("nan", "inf", "-inf"):
        return None
    return text[:-2] if text.endswith(".0") else text


def observation_attributes(table: Table, obs: Observation) -> dict[str, str | None]:
    """Every attribute of an observation, in the DSD's order; None where it has no value."""
    return {
        "OBS_STATUS": obs.status or None,
        "OBS_CONF": "C" if obs.confidential else "F",
        "UNIT_MEASURE": table.unit.unit_measure,
        "UNIT_MULT": obs.unit_mult or table.unit.unit_mult,
        "CURRENCY": obs.currency or None,
        "DECIMALS": None if obs.decimals is None else str(obs.decimals),
        "NOTE_CLASSIF": obs.note_classif or None,
        "NOTE_INDICATOR": obs.note_indicator or None,
        "NOTE_SOURCE": obs.note_source or None,
        "COMMENT": obs.comment or None,
    }


def _chosen(value, allowed: tuple[str, ...], every: tuple[str, ...], none: tuple[str, ...], what: str):
    if isinstance(value, str):
        v = value
        if v in every:
            return allowed
        if v in none:
            return ()
        value = v.split(",")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise InvalidOption(f"unknown {what}: {', '.join(unknown)}", what)
    return tuple(a for a in allowed if a in value)


@dataclass(frozen=True)
class Layout:
    table: Table
    options: DataOptions

    def __post_init__(self):
        dao = self.options.dimension_at_observation
        if dao not in (TIME_DIMENSION, ALL_DIMENSIONS) and not self.table.has_dimension(dao):
            raise InvalidOption(f"table {self.table.number} has no dimension {dao}", "dimensionAtObservation")
        self.attributes, self.measures      # checked now, before a writer starts: a bad id is a 400, not a broken stream

    # -- identification ------------------------------------------------------------------
    @property
    def agency(self) -> str:
        return self.options.agency or structure().agency

    @property
    def flow_ref(self) -> str:
        """``AGENCY:DF_ILMS_Tnn(1.0)`` (SDMX-CSV)."""
        return f"{self.agency}:{self.table.id}({VERSION})"

    @property
    def dsd_urn(self) -> str:
        return f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={self.agency}:{self.table.dsd_id}({VERSION})"

    @property
    def flow_urn(self) -> str:
        return f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={self.agency}:{self.table.id}({VERSION})"

    @property
    def structure_id(self) -> str:
        return f"{self.agency}_{self.table.dsd_id}_{VERSION.replace('.', '_')}"

    # -- shape ---------------------------------------------------------------------------
    @cached_property
    def flat(self) -> bool:
        return self.options.dimension_at_observation == ALL_DIMENSIONS

    @property
    def dimension_at_observation(self) -> str:
        return self.options.dimension_at_observation

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.table.key_order

    @cached_property
    def series_dimensions(self) -> tuple[str, ...]:
        """The dimensions of a series key: every dimension but the one at observation (the time
        period last when another dimension is at observation); none when flat."""
        dao = self.dimension_at_observation
        if self.flat:
            return ()
        if dao == TIME_DIMENSION:
            return self.table.key_order
        return tuple(d for d in self.table.key_order if d != dao) + (TIME_DIMENSION,)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.table.key_order)}

    def component(self, dim: str, obs: Observation) -> str:
        """The SDMX value of a dimension (or the time period) of an observation."""
        return sdmx_time(obs.time) if dim == TIME_DIMENSION else obs.key[self._positions[dim]]

    def series_key(self, obs: Observation) -> tuple[str, ...]:
        return tuple(self.component(d, obs) for d in self.series_dimensions)

    def observation_key(self, obs: Observation) -> str:
        """The value of the dimension at observation (not for the flat layout)."""
        return self.component(self.dimension_at_observation, obs)

    def series(self, observations: Iterable[Observation]) -> Iterator[tuple[tuple[str, ...], Iterator[Observation]]]:
        """Group the stream into this layout's series (consecutive equal series keys), lazily;
        the stream comes in :func:`read_order` when a dimension other than time is at observation."""
        if self.series_dimensions == self.table.key_order:      # time at observation: the key itself
            return groupby(observations, key=_KEY)
        return groupby(observations, key=self.series_key)

    @cached_property
    def all_dimensions(self) -> tuple[str, ...]:
        return self.table.key_order + (TIME_DIMENSION,)

    @property
    def detail(self) -> str:
        return self.options.detail

    @cached_property
    def with_observations(self) -> bool:
        return self.detail in ("full", "dataonly")

    @cached_property
    def attributes(self) -> tuple[str, ...]:
        if self.detail != "full":        # every ILMS attribute sits at observation level
            return ()
        return _chosen(self.options.attributes, ATTRIBUTE_IDS, _OBS_LEVELS, _NO_LEVELS, "attributes")

    @cached_property
    def measures(self) -> tuple[str, ...]:
        if not self.with_observations:
            return ()
        return _chosen(self.options.measures, (MEASURE,), ("all",), ("none",), "measures")

    @cached_property
    def with_value(self) -> bool:
        return MEASURE in self.measures

    # -- values --------------------------------------------------------------------------
    @cached_property
    def attribute_tuple(self):
        """``obs -> tuple``: the message's attributes of an observation, aligned with ``attributes``
        (None where it has no value) -- ``observation_attributes`` without a dict per observation.
        The writers cache what they make of a tuple: observations share few distinct ones."""
        unit_measure, unit_mult = self.table.unit.unit_measure, self.table.unit.unit_mult

        def every(obs: Observation) -> tuple:
            decimals = obs.decimals
            return (obs.status or None, "C" if obs.confidential else "F", unit_measure, obs.unit_mult or unit_mult,
                    obs.currency or None, None if decimals is None else str(decimals), obs.note_classif or None,
                    obs.note_indicator or None, obs.note_source or None, obs.comment or None)
        positions = [_TUPLE_ORDER.index(a) for a in self.attributes]
        if not positions:
            return lambda obs: ()
        if positions == list(range(len(_TUPLE_ORDER))):
            return every
        pick = itemgetter(*positions)
        if len(positions) == 1:
            return lambda obs: (pick(every(obs)),)
        return lambda obs: pick(every(obs))

    def attribute_values(self, obs: Observation) -> list[tuple[str, str]]:
        """(id, value) of the message's attributes that have a value."""
        return [(a, v) for a, v in zip(self.attributes, self.attribute_tuple(obs)) if v is not None]

    def attribute_row(self, obs: Observation) -> list[str | None]:
        """The message's attributes of an observation, aligned with ``attributes``."""
        return list(self.attribute_tuple(obs))

    def is_coded(self, attr: str) -> bool:
        return _SPECS[attr].codelist is not None

    def value(self, obs: Observation) -> str | None:
        return number(obs.value) if self.with_value else None

    def code_name(self, dim: str, code: str) -> str:
        if dim == TIME_DIMENSION:
            return code
        names = self.options.code_names.get(dim)
        if names and code in names:
            return names[code]
        return self.table.dimension(dim).codelist.label(code)

    def attribute_name(self, attr: str, value: str) -> str:
        spec = _SPECS[attr]
        if spec.codelist == "CL_OBS_CONF":
            return OBS_CONF_CODES.get(value, value)
        if spec.codelist and spec.codelist in structure().codelists:
            return structure().codelists[spec.codelist].label(value)
        return value

    def component_name(self, comp: str) -> str:
        if comp == TIME_DIMENSION:
            return "Time period"
        if comp == MEASURE:
            return "Observation value"
        if comp in ATTRIBUTE_IDS:
            return next(a.name for a in ATTRIBUTES if a.id == comp)
        return self.table.dimension(comp).name


def read_order(table: Table, dimension_at_observation: str) -> tuple[str, ...]:
    """The order observations must come in for a series layout: the series dimensions, then the
    dimension at observation; () for the canonical order (time or all dimensions at observation)."""
    if dimension_at_observation in (TIME_DIMENSION, ALL_DIMENSIONS):
        return ()
    return tuple(d for d in table.key_order if d != dimension_at_observation) + (TIME_DIMENSION, dimension_at_observation)


def series(observations: Iterable[Observation]) -> Iterator[tuple[tuple[str, ...], Iterator[Observation]]]:
    """Group a canonical-order stream into series (consecutive equal keys), lazily."""
    return groupby(observations, key=lambda o: o.key)


def chunked(parts: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """Join small text parts into UTF-8 chunks of about ``size`` bytes."""
    buf: list[str] = []
    n = 0
    for part in parts:
        buf.append(part)
        n += len(part)
        if n >= size:
            yield "".join(buf).encode("utf-8")
            buf.clear()
            n = 0
    if buf:
        yield "".join(buf).encode("utf-8")
