"""What a parsed query means for the store: which table, which cut, which ``Selection``, and what is
left to do on the stream (several keys, non-equality filters, first/last N, offset/limit).

* The cut is the named published release (``release=``) or the latest published one; ``asOf``
  goes back from it (``changesets.cut_at``), never past it: unpublished data are never served.
* ``updatedAfter`` is a changeset cut too: only versions written after it (up to the release cut).
* ``includeHistory`` reads every version written up to the cut (``read.versions``), with validity.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from sqlalchemy import Connection

from ...observation import Observation
from ...store import changesets
from ...store.read import Selection
from ...store.releases import Release
from ...tables import TIME_DIMENSION, Table, structure
from .. import vintage
from ..errors import ApiError
from . import outputs
from .errors import SdmxError
from .query import ALL, ArtefactRef, ComponentFilter, DataQuery, Key, version_matches

ALL_DIMENSIONS = "AllDimensions"

#: observation-level components a c[...] filter can name, and how to read them off an Observation
COMPONENT_VALUES: dict[str, Callable[[Table, Observation], str | None]] = {
    "OBS_VALUE": lambda t, o: None if o.value is None else repr(float(o.value)),
    "OBS_STATUS": lambda t, o: o.status,
    "OBS_CONF": lambda t, o: "C" if o.confidential else "F",
    "UNIT_MEASURE": lambda t, o: t.unit.unit_measure,
    "UNIT_MULT": lambda t, o: o.unit_mult or t.unit.unit_mult,
    "CURRENCY": lambda t, o: o.currency,
    "DECIMALS": lambda t, o: None if o.decimals is None else str(o.decimals),
    "NOTE_CLASSIF": lambda t, o: o.note_classif,
    "NOTE_INDICATOR": lambda t, o: o.note_indicator,
    "NOTE_SOURCE": lambda t, o: o.note_source,
    "COMMENT": lambda t, o: o.comment,
    TIME_DIMENSION: lambda t, o: o.time,
}


class NoData(Exception):
    """The query is valid and matches nothing (v1: 404, v2: 204)."""


# ---------------------------------------------------------------------------- which dataflow

#: the artefact ids of each table, by the context of a v2 query
_IDS_BY_CONTEXT: dict[str, Callable[[Table], str]] = {
    "dataflow": lambda t: t.id, "datastructure": lambda t: t.dsd_id,
}


def tables_of(ref: ArtefactRef) -> list[Table]:
    """The tables whose dataflow (or DSD, by context) the reference selects."""
    agency = structure().agency
    if ref.agencies is not ALL and agency not in ref.agencies:
        return []
    if ref.versions is not ALL and not any(version_matches(v, outputs.version()) for v in ref.versions):
        return []
    contexts = list(_IDS_BY_CONTEXT) if ref.context == "*" else [ref.context]
    found = []
    for table in structure().tables.values():
        ids = {_IDS_BY_CONTEXT[c](table) for c in contexts if c in _IDS_BY_CONTEXT}
        if ref.ids is ALL or ids & set(ref.ids):
            found.append(table)
    return found


def no_such_dataflow() -> SdmxError:
    return SdmxError(404, "no such dataflow: the dataflows are DF_ILMS_T01 to DF_ILMS_T17 "
                          f"of agency {structure().agency}", "flowRef")


def one_table(ref: ArtefactRef) -> Table:
    tables = tables_of(ref)
    if not tables:
        raise no_such_dataflow()
    if len(tables) > 1:
        raise SdmxError(400, "this query reads one dataflow: name one of DF_ILMS_T01 to DF_ILMS_T17",
                        "resourceID")
    return tables[0]


# ---------------------------------------------------------------------------- which cut

@dataclass(frozen=True)
class Cut:
    cut: int
    release: Release
    updated_after: int | None = None


def resolve_cut(conn: Connection, query: DataQuery) -> Cut:
    """The release and cut, by the same rule as the JSON API (``ilms.web.vintage``)."""
    try:
        found = vintage.resolve(conn, query.release, query.as_of)
    except vintage.NoRelease:
        raise NoData("no release has been published yet") from None
    except ApiError as exc:
        raise SdmxError(exc.status, exc.error, exc.parameter) from None
    updated_after = None
    if query.updated_after is not None:
        updated_after = changesets.cut_at(conn, query.updated_after)
        if updated_after >= found.cut:
            raise NoData("nothing changed after updatedAfter")
    return Cut(found.cut, found.release, updated_after)


# ---------------------------------------------------------------------------- the plan

@dataclass
class Plan:
    table: Table
    selection: Selection
    cut: Cut
    history: bool = False
    predicates: list[Callable[[Observation], bool]] = field(default_factory=list)
    first_n: int | None = None
    last_n: int | None = None
    offset: int = 0
    limit: int | None = None
    dimension_at_observation: str = TIME_DIMENSION
    #: several keys (OR): per key, the codes each dimension it restricts allows (equality c[...]
    #: filters applied); ``selection.filters`` holds their hull, ``key_predicate`` checks the stream
    alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()
    key_predicate: Callable[[Observation], bool] | None = None

    @property
    def changes(self) -> bool:
        """History or changes: the versions come as data sets of one validity period each."""
        return self.selection.by_version

    def replaced_at(self, valid_to: int | None) -> int | None:
        """When a version was replaced, as seen from the cut (a later replacement is not yet)."""
        return valid_to if valid_to is not None and valid_to <= self.cut.cut else None

    def series_of(self, obs: Observation) -> tuple:
        """The series an observation belongs to in the message (for first/last N)."""
        order = self.selection.order
        if not order:
            return obs.key
        return tuple(_component(self.table, d, obs) for d in order[:-1])

    def position_of(self, obs: Observation) -> str:
        """Where an observation sits in its series: its period, or the code of the dimension at
        observation."""
        order = self.selection.order
        return obs.time if not order else _component(self.table, order[-1], obs)

    @property
    def other_predicates(self) -> list[Callable[[Observation], bool]]:
        """The stream filters besides the OR of keys (operators, attributes, values)."""
        return [p for p in self.predicates if p is not self.key_predicate]


def _component(table: Table, dim: str, obs: Observation) -> str:
    dim = dim.split(":")[0]
    return obs.time if dim == TIME_DIMENSION else obs.key[table.key_order.index(dim)]


def _key_filters(table: Table, key: Key) -> dict[str, tuple[str, ...]]:
    return {dim: tuple(key[pos]) for pos, dim in enumerate(table.key_order)
            if pos < len(key) and key[pos] is not ALL}


def _hull(table: Table, keys: tuple[Key, ...]) -> dict[str, tuple[str, ...]]:
    """Per dimension, the codes any of the keys allows (a dimension any key leaves open: none)."""
    filters: dict[str, tuple[str, ...]] = {}
    for pos, dim in enumerate(table.key_order):
        allowed: list[str] = []
        for key in keys:
            codes = key[pos] if pos < len(key) else ALL
            if codes is ALL:
                break
            allowed += [c for c in codes if c not in allowed]
        else:
            filters[dim] = tuple(allowed)
    return filters


def _key_matches(keys: tuple[Key, ...]) -> Callable[[Observation], bool]:
    def matches(obs: Observation) -> bool:
        return any(all(codes is ALL or obs.key[i] in codes for i, codes in enumerate(key)) for key in keys)
    return matches


def _only_equalities(flt: ComponentFilter) -> tuple[str, ...] | None:
    if all(len(alt) == 1 and alt[0].op == "eq" for alt in flt):
        return tuple(alt[0].value for alt in flt)
    return None


def stream_filters(table: Table, components) -> dict[str, ComponentFilter]:
    """The c[...] filters a plan leaves to the stream (not equality lists on dimensions, which go to
    the selection; ``TIME_PERIOD`` ge/le ranges are already start/end)."""
    return {c: f for c, f in components.items() if not (table.has_dimension(c) and _only_equalities(f) is not None)}


def _component_predicate(read: Callable[[Observation], str | None], flt: ComponentFilter):
    def holds(obs: Observation) -> bool:
        actual = read(obs)
        return any(all(cond.holds(actual) for cond in alt) for alt in flt)
    return holds


def make_plan(conn: Connection, query: DataQuery, table: Table | None = None, media_type: str | None = None) -> Plan:
    """``media_type``: the format the data go out in (its writer says in which order it takes them)."""
    table = table or one_table(query.flow)
    if query.provider is not ALL:
        raise NoData("ILMS data have no data provider: use all")
    for key in query.keys:
        if len(key) > len(table.key_order):
            raise SdmxError(400, f"the key has {len(key)} positions; {table.id} has {len(table.key_order)} "
                                 f"dimensions ({'.'.join(table.key_order)})", "key")
    filters = _hull(table, query.keys)
    predicates: list[Callable[[Observation], bool]] = []
    key_predicate = None
    if len(query.keys) > 1:
        key_predicate = _key_matches(query.keys)
        predicates.append(key_predicate)
    equalities: dict[str, tuple[str, ...]] = {}
    for component, flt in query.components.items():
        if table.has_dimension(component):
            pos = table.key_order.index(component)
            codes = _only_equalities(flt)
            if codes is not None:
                equalities[component] = codes
                before = filters.get(component)
                filters[component] = codes if before is None else tuple(c for c in before if c in codes)
                if not filters[component]:
                    raise NoData(f"c[{component}] excludes every code the key allows")
            else:
                predicates.append(_component_predicate(lambda o, p=pos: o.key[p], flt))
        elif component in COMPONENT_VALUES:
            read = COMPONENT_VALUES[component]
            predicates.append(_component_predicate(lambda o, r=read: r(table, o), flt))
        else:
            raise SdmxError(400, f"{table.id} has no component {component}", f"c[{component}]")
    dim_at_obs = query.dimension_at_observation or TIME_DIMENSION
    if dim_at_obs not in (TIME_DIMENSION, ALL_DIMENSIONS) and not table.has_dimension(dim_at_obs):
        raise SdmxError(400, f"{table.id} has no dimension {dim_at_obs}", "dimensionAtObservation")
    cut = resolve_cut(conn, query)
    order = outputs.observation_order(media_type, table, dim_at_obs) if media_type else ()
    if query.sort:
        order = sorted_order(table, query.sort, order or table.key_order + (TIME_DIMENSION,))
    if query.include_history or cut.updated_after is not None:
        # history: every version written up to the cut (updated_after=0: from the first changeset
        # on); changes: those written after updatedAfter. Deletions included, one validity period
        # after the other (a data set each)
        selection = Selection(table=table.number, filters=filters, start=query.start, end=query.end,
                              cut=cut.cut, updated_after=cut.updated_after or 0, include_deleted=True,
                              order=order, by_version=True)
    else:
        selection = Selection(table=table.number, filters=filters, start=query.start, end=query.end,
                              cut=cut.cut, updated_after=cut.updated_after, order=order)
    alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()
    if key_predicate is not None:
        alternatives = tuple(alt for alt in (_restricted(_key_filters(table, k), equalities) for k in query.keys)
                             if all(alt.values()))
        if not alternatives:
            raise NoData("the c[...] filters exclude every key")
    return Plan(table, selection, cut, history=query.include_history, predicates=predicates,
                first_n=query.first_n, last_n=query.last_n, offset=query.offset, limit=query.limit,
                dimension_at_observation=dim_at_obs, alternatives=alternatives, key_predicate=key_predicate)


def make_plans(conn: Connection, query: DataQuery, media_type: str | None = None) -> list[Plan]:
    """A plan per dataflow the query selects (v2 wildcards and lists of resource ids, context
    ``datastructure``/``dataflow``/``*``), in dataflow order. Over several dataflows, a dataflow
    the key or a ``c[...]`` filter cannot apply to (more key positions than it has dimensions, a
    component it does not have) and one without matching data are left out; ``offset``/``limit``
    then count over the whole message (:class:`Window`)."""
    tables = tables_of(query.flow)
    if not tables:
        raise no_such_dataflow()
    if len(tables) == 1:
        plans = [make_plan(conn, query, tables[0], media_type)]
        return [replace(p, offset=0, limit=None) for p in plans] if windowed(plans) else plans
    plans = []
    for table in tables:
        try:
            plans.append(make_plan(conn, query, table, media_type))
        except NoData:
            continue
        except SdmxError as exc:
            if exc.status != 400:
                raise
    plans = [replace(p, offset=0, limit=None) for p in plans]
    if not plans:
        raise NoData("no dataflow the query selects has matching data")
    return plans


def windowed(plans: list[Plan]) -> bool:
    """Whether offset/limit count over several data sets (several dataflows, or the validity
    periods of history and changes) rather than in one stream."""
    return len(plans) > 1 or any(p.changes for p in plans)


class Window:
    """``offset``/``limit`` over the observations of several data sets, streamed one after the other."""

    def __init__(self, offset: int, limit: int | None):
        self.offset, self.limit, self.seen = offset, limit, 0

    def take(self, stream: Iterable) -> Iterator:
        for item in stream:
            n = self.seen
            if self.limit is not None and n >= self.offset + self.limit:
                return
            self.seen += 1
            if n >= self.offset:
                yield item


NATURAL_SORTS = ("*", "*:asc", "series_key", "series_key:asc")


def sorted_order(table: Table, sort: str, base: tuple[str, ...]) -> tuple[str, ...]:
    """The read order for v2 ``sort`` (``DIM[:asc|:desc]+...``, ``*``/``series_key`` = the natural
    order, ``*:desc`` every dimension descending) over ``base`` (the series dimensions, then the one
    at observation): the series dimensions named come first in the order and direction asked, the
    others after them; the dimension at observation stays last (so each series stays together) and
    takes its direction if named. Attributes and ``OBS_VALUE``: 501 (declared); anything else: 400."""
    if sort in NATURAL_SORTS:
        return base if base != table.key_order + (TIME_DIMENSION,) else ()
    terms = []
    for term in sort.split("+"):
        comp, _, direction = term.partition(":")
        if comp.strip("*") == "" or comp == "series_key":
            terms += [(d, direction) for d in base[:-1]]
            continue
        if comp in COMPONENT_VALUES and comp != TIME_DIMENSION:
            raise SdmxError(501, f"sorting by {comp} is not implemented: sort by dimensions and TIME_PERIOD", "sort")
        if comp not in base:
            raise SdmxError(400, f"{table.id} has no dimension {comp} to sort by", "sort")
        terms.append((comp, direction))
    directions = {}
    for comp, direction in terms:
        directions.setdefault(comp, direction)
    at_obs = base[-1]
    named = [c for c in directions if c != at_obs]
    out = named + [c for c in base[:-1] if c not in directions] + [at_obs]
    return tuple(c + (":desc" if directions.get(c) == "desc" else "") for c in out)


def _restricted(key_filters: dict[str, tuple[str, ...]], equalities: dict[str, tuple[str, ...]]):
    """A key's filters with the equality filters on dimensions applied (an empty tuple: no code left)."""
    out = dict(key_filters)
    for dim, codes in equalities.items():
        out[dim] = codes if dim not in out else tuple(c for c in out[dim] if c in codes)
    return out


# ---------------------------------------------------------------------------- the stream

def _series_runs(items: Iterable, key=lambda o: o.key) -> Iterator[list]:
    run, current = [], None
    for item in items:
        k = key(item)
        if run and k != current:
            yield run
            run = []
        current = k
        run.append(item)
    if run:
        yield run


def shape(plan: Plan, items: Iterable, obs_of=lambda item: item) -> Iterator:
    """Apply what SQL did not: predicates, first/last N per series, offset and limit. Streams: holds
    at most one series at a time (for first/last N)."""
    stream: Iterable = items
    if plan.predicates:
        preds = plan.predicates
        stream = (i for i in stream if all(p(obs_of(i)) for p in preds))
    if plan.first_n or plan.last_n:
        stream = _first_last(stream, plan.first_n, plan.last_n, lambda i: plan.series_of(obs_of(i)),
                             lambda i: plan.position_of(obs_of(i)))
    if plan.offset or plan.limit:
        stream = _window(stream, plan.offset, plan.limit)
    return iter(stream)


def _first_last(stream, first_n, last_n, series_of, position_of) -> Iterator:
    """The first/last N observations of each series of the message (by period; by the code of the
    dimension at observation when that is not the time period)."""
    for run in _series_runs(stream, key=series_of):
        periods = sorted({position_of(i) for i in run})
        keep = set()
        if first_n:
            keep |= set(periods[:first_n])
        if last_n:
            keep |= set(periods[-last_n:])
        yield from (i for i in run if position_of(i) in keep)


def _window(stream, offset: int, limit: int | None) -> Iterator:
    for n, item in enumerate(stream):
        if n < offset:
            continue
        if limit is not None and n >= offset + limit:
            return
        yield item
