"""One query model for SDMX REST v1 (1.5.0) and v2 (2.2.2): both syntaxes parse into it.

Nothing here touches the database: parsing checks syntax only (a syntax error is a ``QueryError``,
answered 400). What a query *means* for the store (which table, which cut) is ``plan.py``'s job.

* v1 key: ``A+B..C`` -- positions separated by ``.``, empty = any code, ``+`` = OR, ``all`` = any key.
* v2 key: ``A.*.C`` -- ``*`` = any code, trailing positions may be omitted, several keys separated by
  ``,`` (OR). Empty positions and ``+`` are also read as in v1 (lenient; never ambiguous here).
* v2 ``c[COMPONENT]=...``: ``,`` separates alternatives (OR), ``+`` joins conditions of one alternative
  (AND), each condition ``op:value`` with op in eq ne lt le gt ge co nc sw ew (``eq`` by default).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import parse_qsl

OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "co", "nc", "sw", "ew")
DETAILS_V1 = ("full", "dataonly", "serieskeysonly", "nodata")
#: v1 ``detail`` expressed with v2's ``attributes`` and ``measures`` (one model for both)
DETAIL_AS_V2 = {"full": ("dsd", "all"), "dataonly": ("none", "all"),
                "serieskeysonly": ("none", "none"), "nodata": ("dsd", "none")}
STRUCTURE_DETAILS = ("full", "allstubs", "referencestubs", "allcompletestubs", "referencecompletestubs",
                     "referencepartial", "raw")
MODES = ("exact", "available")
#: ``references`` of a structure query: the standard's values (v1.5.0 and v2.2.2 OpenAPI enums);
#: anything else is a 400. A structure type this service does not publish simply adds nothing.
REFERENCE_WORDS = ("none", "parents", "parentsandsiblings", "ancestors", "children", "descendants", "all")
REFERENCE_TYPES = (
    "datastructure", "metadatastructure", "categoryscheme", "conceptscheme", "codelist", "hierarchy",
    "hierarchicalcodelist", "hierarchyassociation", "organisationscheme", "agencyscheme", "dataproviderscheme",
    "dataconsumerscheme", "organisationunitscheme", "dataflow", "metadataflow", "reportingtaxonomy",
    "provisionagreement", "structureset", "process", "categorisation", "contentconstraint", "actualconstraint",
    "allowedconstraint", "attachmentconstraint", "dataconstraint", "metadataconstraint", "transformationscheme",
    "rulesetscheme", "userdefinedoperatorscheme", "customtypescheme", "namepersonalisationscheme",
    "namealiasscheme", "valuelist", "structuremap", "representationmap", "conceptschememap",
    "categoryschememap", "organisationschememap", "reportingtaxonomymap", "vtlmappingscheme")
#: ``references`` of an availability query (both versions; valuelist is v2 only)
AVAILABILITY_REFERENCES = ("none", "all", "datastructure", "conceptscheme", "codelist", "dataproviderscheme",
                           "dataflow", "valuelist")
#: v2.2 ``sort``: ``*`` or component ids, each with an optional ``:asc``/``:desc``, joined by ``+``
_SORT = re.compile(r"^(([A-Za-z0-9_@$\-]+(:(asc|desc))?(\+[A-Za-z0-9_@$\-]+(:(asc|desc))?)*)|(\*+(:(asc|desc))?))$")
ALL = None     # "every value" of an identifier list, a key position or a version


class QueryError(ValueError):
    """A syntax error in the query: HTTP 400, naming the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.message = parameter, message


@dataclass(frozen=True)
class Condition:
    op: str
    value: str

    def holds(self, actual: str | None) -> bool:
        return _TESTS[self.op](actual if actual is not None else "", self.value)


def _cmp(a: str, b: str) -> int:
    return (a > b) - (a < b)


_TESTS = {
    "eq": lambda a, v: a == v, "ne": lambda a, v: a != v,
    "lt": lambda a, v: _cmp(a, v) < 0, "le": lambda a, v: _cmp(a, v) <= 0,
    "gt": lambda a, v: _cmp(a, v) > 0, "ge": lambda a, v: _cmp(a, v) >= 0,
    "co": lambda a, v: v in a, "nc": lambda a, v: v not in a,
    "sw": lambda a, v: a.startswith(v), "ew": lambda a, v: a.endswith(v),
}


#: a component filter: alternatives (OR) of conditions (AND)
ComponentFilter = tuple[tuple[Condition, ...], ...]


@dataclass(frozen=True)
class ArtefactRef:
    """Which artefacts: each field a tuple of accepted values, or ``ALL`` (None)."""
    agencies: tuple[str, ...] | None = ALL
    ids: tuple[str, ...] | None = ALL
    versions: tuple[str, ...] | None = ALL     # v1 "latest" is read as v2 "+"
    context: str = "dataflow"                  # dataflow | datastructure | provisionagreement | *


#: a series key: per position the codes allowed, ALL = any
Key = tuple[tuple[str, ...] | None, ...]


@dataclass(frozen=True)
class DataQuery:
    api: int
    flow: ArtefactRef
    keys: tuple[Key, ...] = ((),)              # OR of keys; ((),) = everything
    provider: tuple[str, ...] | None = ALL
    components: Mapping[str, ComponentFilter] = field(default_factory=dict)
    start: str | None = None                   # v1 startPeriod, or v2 c[TIME_PERIOD]=ge:
    end: str | None = None
    first_n: int | None = None
    last_n: int | None = None
    dimension_at_observation: str | None = None
    detail: str = "full"                       # v1 name of (attributes, measures), kept for writers
    attributes: tuple[str, ...] = ("dsd",)
    measures: tuple[str, ...] = ("all",)
    updated_after: dt.datetime | None = None
    include_history: bool = False
    as_of: dt.datetime | None = None
    release: str | None = None                 # ILMS extension: a published release by name
    offset: int = 0
    limit: int | None = None
    sort: str | None = None
    format: str | None = None                  # ?format= (browsers)
    labels: str | None = None


@dataclass(frozen=True)
class AvailabilityQuery:
    data: DataQuery
    components: tuple[str, ...] | None = ALL   # componentID
    mode: str = "exact"
    references: tuple[str, ...] = ("none",)


@dataclass(frozen=True)
class StructureQuery:
    api: int
    type: str
    ref: ArtefactRef
    items: tuple[str, ...] | None = ALL
    detail: str = "full"
    references: tuple[str, ...] = ("none",)
    as_of: dt.datetime | None = None
    format: str | None = None


# ---------------------------------------------------------------------------- query string

def query_params(raw: str) -> dict[str, str]:
    """The raw query string as a dict; ``+`` stays ``+`` (SDMX uses it as AND/OR, never as a space)."""
    out: dict[str, str] = {}
    for name, value in parse_qsl(raw.replace("+", "%2B"), keep_blank_values=True):
        if name in out and name.startswith("c["):
            out[name] = out[name] + "," + value      # c[X]=a&c[X]=b is an OR too
        else:
            out[name] = value
    return out


def _int(params, name: str, minimum: int) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"\d+", raw) or int(raw) < minimum:
        raise QueryError(name, f"expected an integer >= {minimum}, got {raw!r}")
    return int(raw)


def _bool(params, name: str) -> bool:
    raw = (params.get(name) or "false").lower()
    if raw not in ("true", "false"):
        raise QueryError(name, f"expected true or false, got {raw!r}")
    return raw == "true"


def _choice(params, name: str, allowed, default: str) -> str:
    raw = params.get(name) or default
    if raw not in allowed:
        raise QueryError(name, f"expected one of {', '.join(allowed)}, got {raw!r}")
    return raw


def parse_datetime(name: str, raw: str | None) -> dt.datetime | None:
    """xs:dateTime (or a date); a space is read back as the ``+`` of an offset."""
    if raw is None or raw == "":
        return None
    text = raw.strip().replace(" ", "+")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(name, f"expected a date-time such as 2024-05-01T12:00:00Z, got {raw!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


_PERIOD = re.compile(r"^(\d{4})(?:-?(?:([QSTWMD])(\d{1,3})|(\d{2})(?:-(\d{2}))?))?$")


def parse_period(name: str, raw: str | None, *, start: bool) -> str | None:
    """An SDMX period (``2020``, ``2020-Q1``, ``2020-01``, ``2020-01-15``, ``2020-M01``) in the store's
    notation (``2020``, ``2020Q1``, ``2020M01``). A start on the first day of a year is the year, so an
    annual observation of that year is included."""
    if raw is None or raw == "":
        return None
    m = _PERIOD.match(raw.strip())
    if not m:
        raise QueryError(name, f"expected a period such as 2020, 2020-Q1 or 2020-01, got {raw!r}")
    year, kind, number, month, day = m.groups()
    if kind:
        n = int(number)
        if n < 1:
            raise QueryError(name, f"no period {raw!r}")
        if start and n == 1:
            return year
        if kind == "D":          # a reporting day: the store has no daily data, its year bounds it
            return year
        return f"{year}M{n:02d}" if kind == "M" else f"{year}{kind}{n}"
    if month:
        if not 1 <= int(month) <= 12:
            raise QueryError(name, f"no month in {raw!r}")
        if start and month == "01" and (day in (None, "01")):
            return year
        return f"{year}M{month}"
    return year


# ---------------------------------------------------------------------------- keys and refs

def _codes(part: str, wildcard: str) -> tuple[str, ...] | None:
    if part in ("", wildcard, "*"):
        return ALL
    codes = tuple(c for c in part.split("+"))
    if any(not re.fullmatch(r"[A-Za-z0-9_@$\-]+", c) for c in codes):
        raise QueryError("key", f"invalid code in {part!r}")
    return codes


def parse_key_v1(raw: str) -> tuple[Key, ...]:
    if raw in ("", "all", "*"):
        return ((),)
    return (tuple(_codes(p, "") for p in raw.split(".")),)


def parse_key_v2(raw: str) -> tuple[Key, ...]:
    if raw in ("", "*", "all"):
        return ((),)
    keys = []
    for one in raw.split(","):
        if one in ("", "*"):
            return ((),)
        keys.append(tuple(_codes(p, "*") for p in one.split(".")))
    return tuple(keys)


def _ids(raw: str, parameter: str, all_words=("*", "all")) -> tuple[str, ...] | None:
    raw = raw.strip()
    if raw in all_words or raw == "":
        return ALL
    values = tuple(v for v in raw.split(","))
    if any(not re.fullmatch(r"[A-Za-z0-9_@$.\-+~*]+", v) for v in values):
        raise QueryError(parameter, f"invalid identifier in {raw!r}")
    return values


def parse_flow_ref_v1(raw: str) -> ArtefactRef:
    """``ID`` | ``AGENCY,ID`` | ``AGENCY,ID,VERSION`` (``all`` = any agency, ``latest``)."""
    parts = raw.split(",")
    if len(parts) > 3 or not parts[-1 if len(parts) < 3 else 1]:
        raise QueryError("flowRef", f"expected ID, AGENCY,ID or AGENCY,ID,VERSION; got {raw!r}")
    if len(parts) == 1:
        parts = ["all", parts[0], "latest"]
    elif len(parts) == 2:
        parts = [parts[0], parts[1], "latest"]
    agency, ident, version = (p.strip() for p in parts)
    return ArtefactRef(agencies=_one(agency, "flowRef"), ids=_one(ident, "flowRef"),
                       versions=_version_v1(version))


def _one(value: str, parameter: str) -> tuple[str, ...] | None:
    if value in ("", "all", "*"):
        return ALL
    if not re.fullmatch(r"[A-Za-z0-9_@$.\-]+", value):
        raise QueryError(parameter, f"invalid identifier {value!r}")
    return (value,)


def _version_v1(version: str) -> tuple[str, ...] | None:
    if version in ("", "all", "*"):
        return ALL
    if version == "latest":
        return ("+",)
    return _ids(version, "version")


def parse_provider_v1(raw: str) -> tuple[str, ...] | None:
    if raw in ("", "all", "*"):
        return ALL
    return tuple(p.split(",")[-1] for p in raw.split("+"))


# ---------------------------------------------------------------------------- c[...] filters

def parse_component_filter(name: str, raw: str) -> ComponentFilter:
    alternatives = []
    for alternative in raw.split(","):
        conditions = []
        for term in alternative.split("+"):
            op, sep, value = term.partition(":")
            if not sep:
                op, value = "eq", term
            elif op not in OPERATORS:
                # a value with a colon and no operator (e.g. an ILOSTAT note code) is an equality
                op, value = "eq", term
            if value == "":
                raise QueryError(name, f"empty value in {raw!r}")
            conditions.append(Condition(op, value))
        alternatives.append(tuple(conditions))
    return tuple(alternatives)


def _components(params) -> dict[str, ComponentFilter]:
    out = {}
    for name, raw in params.items():
        m = re.fullmatch(r"c\[([A-Za-z][A-Za-z0-9_\-]*)\]", name)
        if m:
            out[m.group(1)] = parse_component_filter(name, raw)
        elif name.startswith("c[") or name == "c":
            raise QueryError(name, "expected c[COMPONENT_ID]=value")
    return out


def _time_bounds(comp: dict[str, ComponentFilter]) -> tuple[str | None, str | None]:
    """``c[TIME_PERIOD]`` with one alternative of ge/le (or eq) conditions becomes start/end; anything
    else stays a filter on the stream."""
    time = comp.get("TIME_PERIOD")
    if not time or len(time) != 1:
        return None, None
    start = end = None
    rest = []
    for cond in time[0]:
        if cond.op == "ge" and start is None:
            start = parse_period("c[TIME_PERIOD]", cond.value, start=True)
        elif cond.op == "le" and end is None:
            end = parse_period("c[TIME_PERIOD]", cond.value, start=False)
        elif cond.op == "eq" and start is None and end is None:
            start = end = parse_period("c[TIME_PERIOD]", cond.value, start=False)
            rest.append(Condition("eq", start))
        else:
            value = cond.value if cond.op in ("co", "nc", "sw", "ew") else \
                parse_period("c[TIME_PERIOD]", cond.value, start=False)
            rest.append(Condition(cond.op, value))
    if rest:
        comp["TIME_PERIOD"] = (tuple(rest),)
    else:
        del comp["TIME_PERIOD"]
    return start, end


def _common(params, api: int) -> dict:
    first_n = _int(params, "firstNObservations", 1)
    last_n = _int(params, "lastNObservations", 1)
    dim_at_obs = params.get("dimensionAtObservation") or None
    if dim_at_obs is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", dim_at_obs):
        raise QueryError("dimensionAtObservation", f"invalid dimension id {dim_at_obs!r}")
    release = params.get("release") or None
    if release is not None and not re.fullmatch(r"[A-Za-z0-9_.\-]{1,80}", release):
        raise QueryError("release", f"invalid release name {release!r}")
    return dict(api=api, first_n=first_n, last_n=last_n, dimension_at_observation=dim_at_obs,
                updated_after=parse_datetime("updatedAfter", params.get("updatedAfter")),
                include_history=_bool(params, "includeHistory"), release=release,
                format=params.get("format") or None, labels=params.get("labels") or None)


# ---------------------------------------------------------------------------- data queries

def parse_data_v1(flow: str, key: str = "all", provider: str = "all", params: Mapping[str, str] = {}) -> DataQuery:
    detail = _choice(params, "detail", DETAILS_V1, "full")
    attributes, measures = DETAIL_AS_V2[detail]
    return DataQuery(flow=parse_flow_ref_v1(flow), keys=parse_key_v1(key), provider=parse_provider_v1(provider),
                     start=parse_period("startPeriod", params.get("startPeriod"), start=True),
                     end=parse_period("endPeriod", params.get("endPeriod"), start=False),
                     detail=detail, attributes=(attributes,), measures=(measures,), **_common(params, 1))


def _list(params, name: str, default: str) -> tuple[str, ...]:
    raw = params.get(name) or default
    values = tuple(v for v in re.split(r"[,+]", raw) if v)
    if any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", v) for v in values):
        raise QueryError(name, f"invalid value {raw!r}")
    return values or (default,)


def _enum_list(params, name: str, allowed: tuple[str, ...], default: str, *, several: bool) -> tuple[str, ...]:
    """A list parameter whose values the standard enumerates (v2: ``,``-separated; v1: one value)."""
    raw = params.get(name) or default
    values = tuple(v for v in (raw.split(",") if several else [raw]) if v) or (default,)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise QueryError(name, f"{bad[0]!r} is not a value of {name}; expected "
                               f"{'a list of ' if several else 'one of '}{', '.join(allowed)}")
    return values


def _detail_v1_name(attributes: tuple[str, ...], measures: tuple[str, ...]) -> str:
    no_attr, no_meas = attributes == ("none",), measures == ("none",)
    return {(False, False): "full", (True, False): "dataonly", (True, True): "serieskeysonly",
            (False, True): "nodata"}[(no_attr, no_meas)]


def parse_data_v2(context: str, agency: str, ident: str, version: str, key: str,
                  params: Mapping[str, str] = {}) -> DataQuery:
    if context not in ("dataflow", "datastructure", "provisionagreement", "*"):
        raise QueryError("context", f"expected dataflow, datastructure, provisionagreement or *, got {context!r}")
    comp = _components(params)
    start, end = _time_bounds(comp)
    if params.get("startPeriod") or params.get("endPeriod"):
        raise QueryError("startPeriod", "REST v2 has no startPeriod/endPeriod: use c[TIME_PERIOD]=ge:2015+le:2020")
    attributes = _list(params, "attributes", "dsd")
    measures = _list(params, "measures", "all")
    as_of = parse_datetime("asOf", params.get("asOf"))
    common = _common(params, 2)
    if as_of and common["updated_after"] and common["updated_after"] > as_of:
        raise QueryError("updatedAfter", "updatedAfter is later than asOf")
    sort = params.get("sort") or None
    if sort is not None and not _SORT.fullmatch(sort):
        raise QueryError("sort", f"invalid sort {sort!r}: expected * or COMPONENT[:asc|:desc] joined by +")
    ref = ArtefactRef(agencies=_ids(agency, "agencyID"), ids=_ids(ident, "resourceID"),
                      versions=_ids(version, "version", ("*",)), context=context)
    return DataQuery(flow=ref, keys=parse_key_v2(key), components=comp, start=start, end=end,
                     detail=_detail_v1_name(attributes, measures), attributes=attributes, measures=measures,
                     as_of=as_of, offset=_int(params, "offset", 0) or 0, limit=_int(params, "limit", 1),
                     sort=sort, **common)


# ---------------------------------------------------------------------------- availability

def parse_availability_v1(flow: str, key: str, provider: str, component: str,
                          params: Mapping[str, str] = {}) -> AvailabilityQuery:
    data = parse_data_v1(flow, key, provider, {k: v for k, v in params.items() if k != "detail"})
    return AvailabilityQuery(data, _ids(component, "componentID"), _choice(params, "mode", MODES, "exact"),
                             _enum_list(params, "references", AVAILABILITY_REFERENCES[:-1], "none", several=False))


def parse_availability_v2(context: str, agency: str, ident: str, version: str, key: str, component: str,
                          params: Mapping[str, str] = {}) -> AvailabilityQuery:
    if context == "*":
        raise QueryError("context", "expected datastructure, dataflow or provisionagreement, got '*'")
    data = parse_data_v2(context, agency, ident, version, key, params)
    return AvailabilityQuery(data, _ids(component, "componentID"), _choice(params, "mode", MODES, "exact"),
                             _enum_list(params, "references", AVAILABILITY_REFERENCES, "none", several=True))


# ---------------------------------------------------------------------------- structure queries

def _structure_common(params, api: int) -> dict:
    details = STRUCTURE_DETAILS if api == 2 else tuple(d for d in STRUCTURE_DETAILS if d != "raw")
    words = REFERENCE_WORDS if api == 2 else tuple(w for w in REFERENCE_WORDS if w != "ancestors")
    return dict(detail=_choice(params, "detail", details, "full"),
                references=_enum_list(params, "references", words + REFERENCE_TYPES, "none", several=api == 2),
                format=params.get("format") or None)


def _items(raw: str, separator: str, every: tuple[str, ...]) -> tuple[str, ...] | None:
    """itemID: ids (or dotted paths of nested ids) separated by ``separator``; ``every`` = all."""
    if raw in every:
        return ALL
    values = tuple(raw.split(separator))
    bad = [v for v in values if not re.fullmatch(r"[A-Za-z0-9_@$\-]+(\.[A-Za-z0-9_@$\-]+)*", v)]
    if bad:
        raise QueryError("itemID", f"invalid item id {bad[0]!r}")
    return values


def parse_structure_v1(type_: str, agency: str = "all", ident: str = "all", version: str = "latest",
                       items: str = "all", params: Mapping[str, str] = {}) -> StructureQuery:
    ref = ArtefactRef(agencies=_one(agency, "agencyID") if "+" not in agency else _ids(agency.replace("+", ","), "agencyID"),
                      ids=_one(ident, "resourceID") if "+" not in ident else _ids(ident.replace("+", ","), "resourceID"),
                      versions=_version_v1(version))
    its = _items(items, "+", ("all", "*", ""))
    return StructureQuery(api=1, type=type_, ref=ref, items=its, **_structure_common(params, 1))


def parse_structure_v2(type_: str, agency: str = "*", ident: str = "*", version: str = "~",
                       items: str = "*", params: Mapping[str, str] = {}) -> StructureQuery:
    ref = ArtefactRef(agencies=_ids(agency, "agencyID"), ids=_ids(ident, "resourceID"),
                      versions=_ids(version, "version", ("*",)))
    its = _items(items, ",", ("*", ""))
    return StructureQuery(api=2, type=type_, ref=ref, items=its,
                          as_of=parse_datetime("asOf", params.get("asOf")), **_structure_common(params, 2))


# ---------------------------------------------------------------------------- versions

def version_matches(pattern: str, actual: str) -> bool:
    """SDMX version selection against one artefact version: exact (``1.0`` = ``1.0.0``), ``+``/``~``/
    ``*`` (any: every artefact here has one version) or a semantic-version wildcard (``1.*``, ``1+.0.0``,
    ``1.0~``)."""
    if pattern in ("+", "~", "*", "latest", "all"):
        return True
    want = pattern.split(".")
    have = [int(p) if p.isdigit() else 0 for p in actual.split(".")]
    have += [0] * (3 - len(have))
    for i, part in enumerate(want[:3]):
        if part in ("*", "+", "~"):
            return True
        m = re.fullmatch(r"(\d+)([+~*]?)", part)
        if not m:
            return False
        number, wild = int(m.group(1)), m.group(2)
        if wild:
            return have[i] >= number if wild in "+~" else have[i] == number
        if have[i] != number:
            return False
    return True


# ---------------------------------------------------------------------------- schema queries

@dataclass(frozen=True)
class SchemaQuery:
    """The structure-specific XML schema of a dataflow's (or DSD's) data: ``/schema/...``."""
    api: int
    ref: ArtefactRef
    dimension_at_observation: str | None = None
    format: str | None = None


SCHEMA_CONTEXTS = ("datastructure", "dataflow", "provisionagreement", "metadatastructure", "metadataflow",
                   "metadataprovisionagreement")


def parse_schema(api: int, context: str, agency: str, ident: str, version: str,
                 params: Mapping[str, str] = {}) -> SchemaQuery:
    if context not in SCHEMA_CONTEXTS:
        raise QueryError("context", f"expected one of {', '.join(SCHEMA_CONTEXTS)}, got {context!r}")
    for flag in ("explicitMeasure", "deletion"):
        _bool(params, flag)                   # no effect here: one measure, no deletion schema needed
    dim_at_obs = params.get("dimensionAtObservation") or None
    if dim_at_obs is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", dim_at_obs):
        raise QueryError("dimensionAtObservation", f"invalid dimension id {dim_at_obs!r}")
    parse_datetime("asOf", params.get("asOf"))
    versions = _version_v1(version) if api == 1 else _ids(version, "version", ("*",))
    ref = ArtefactRef(agencies=_one(agency, "agencyID"), ids=_one(ident, "resourceID"), versions=versions,
                      context=context)
    return SchemaQuery(api, ref, dim_at_obs, params.get("format") or None)
