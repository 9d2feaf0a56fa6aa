"""SDMX structure messages: select artefacts, resolve ``references``, apply ``detail``, write.

The selection follows the SDMX REST standard (v1.5.0 and v2.x structure queries):

``references``
    ``none``; ``parents`` (artefacts that reference a match); ``parentsandsiblings`` (parents and
    what the parents reference); ``ancestors`` (parents of parents, any depth; v2);
    ``children`` (what a match references); ``descendants`` (children of children, any depth);
    ``all`` (parentsandsiblings and descendants); or an artefact type (``codelist`` ...): the
    artefacts of that type among the ancestors and descendants of the matches. v2 accepts a
    list; the union is returned.
``detail``
    ``full`` / ``raw`` (the same here: nothing is inherited); ``allstubs`` / ``allcompletestubs``
    (every artefact as a stub: identification and name, ``isExternalReference`` true; the
    complete stub keeps description and annotations; a hierarchy stub keeps its top codes,
    as both XSDs require one); ``referencestubs`` /
    ``referencecompletestubs`` (matches in full, references as stubs); ``referencepartial``
    (matches in full, referenced item schemes cut to the items the matches use — a hierarchy's
    codes, a categorisation's category; a DSD uses every code, there being no allowed
    constraints).

The writers are pysdmx's; three documented repairs make their output valid and readable:
SDMX-JSON 2.x loses the empty ``groups`` array (``minItems: 1``) and, in 2.1.0, ``isPartial`` on
hierarchies; SDMX-ML 3.x loses ``MeasureRelationship`` (optional; with one measure it says
nothing, and sdmx1 cannot read it); a stub DSD loses its empty components element.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Sequence

import msgspec
from pysdmx.io.format import Format
from pysdmx.io.writer import write_sdmx
from pysdmx.model import (Categorisation, Codelist, Components, Dataflow, DataStructureDefinition,
                          Hierarchy)
from pysdmx.model.__base import ItemScheme, MaintainableArtefact
from pysdmx.model.message import Header
from sqlalchemy import Connection

from .artefacts import TYPES, Artefacts, build, sdmx_type
from .json10_structures import to_json10

STRUCTURE_21 = "application/vnd.sdmx.structure+xml;version=2.1"
STRUCTURE_30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
STRUCTURE_31 = "application/vnd.sdmx.structure+xml;version=3.1.0"
STRUCTURE_JSON_20 = "application/vnd.sdmx.structure+json;version=2.0.0"
STRUCTURE_JSON_21 = "application/vnd.sdmx.structure+json;version=2.1.0"
STRUCTURE_JSON_10 = "application/vnd.sdmx.structure+json;version=1.0.0"

DETAILS = ("full", "allstubs", "referencestubs", "allcompletestubs", "referencecompletestubs",
           "referencepartial", "raw")
REFERENCES = ("none", "parents", "parentsandsiblings", "ancestors", "children", "descendants", "all")

#: REST type names that select the same artefacts under another name.
ALIASES = {"hierarchicalcodelist": "hierarchy", "organisationscheme": "agencyscheme"}
#: REST "all structures" type names.
EVERYTHING = ("structure", "*")


class NoResults(LookupError):
    """Nothing matches the query (REST: 404 in v1, 404/204 in v2)."""


class UnsupportedQuery(ValueError):
    """A parameter value outside the standard's (REST: 400)."""


class NotImplementedQuery(NotImplementedError):
    """A standard type or format this service does not implement (REST: 501 / 406)."""


# -- formats ---------------------------------------------------------------------------------


_EMPTY_COMPONENTS = re.compile(r"\s*<str:DataStructureComponents>\s*</str:DataStructureComponents>")
_MEASURE_RELATIONSHIP = re.compile(r"\s*<str:MeasureRelationship>.*?</str:MeasureRelationship>", re.S)


def _xml_repair(text: str) -> str:
    """A stub DSD has no components element (pysdmx writes an empty one, which the XSDs refuse)."""
    return _EMPTY_COMPONENTS.sub("", text)


def _xml3_repair(text: str) -> str:
    return _MEASURE_RELATIONSHIP.sub("", _xml_repair(text))


def _json_repair(text: str, *, hierarchy_partial: bool) -> str:
    doc = json.loads(text)
    data = doc.get("data", {})
    for dsd in data.get("dataStructures", ()):
        comps = dsd.get("dataStructureComponents")
        if comps is not None and not comps.get("groups"):
            comps.pop("groups", None)
        if comps is not None and not any(comps.values()):
            dsd.pop("dataStructureComponents")            # a stub
    if not hierarchy_partial:
        for h in data.get("hierarchies", ()):
            h.pop("isPartial", None)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StructureFormat:
    media_type: str
    pysdmx_format: Format
    repair: Callable[[str], str] = lambda text: text
    default_for: tuple[str, ...] = ()     # REST API versions that default to it


#: One writer per media type.
FORMATS: dict[str, StructureFormat] = {f.media_type: f for f in (
    StructureFormat(STRUCTURE_21, Format.STRUCTURE_SDMX_ML_2_1, _xml_repair, default_for=("v1",)),
    StructureFormat(STRUCTURE_30, Format.STRUCTURE_SDMX_ML_3_0, _xml3_repair),
    StructureFormat(STRUCTURE_31, Format.STRUCTURE_SDMX_ML_3_1, _xml3_repair),
    StructureFormat(STRUCTURE_JSON_20, Format.STRUCTURE_SDMX_JSON_2_0_0,
                    lambda t: _json_repair(t, hierarchy_partial=True)),
    StructureFormat(STRUCTURE_JSON_21, Format.STRUCTURE_SDMX_JSON_2_1_0,
                    lambda t: _json_repair(t, hierarchy_partial=False), default_for=("v2",)),
    # SDMX-JSON 1.0: pysdmx writes 2.0.0, rewritten to the 1.0 layout (json10_structures)
    StructureFormat(STRUCTURE_JSON_10, Format.STRUCTURE_SDMX_JSON_2_0_0,
                    lambda t: to_json10(_json_repair(t, hierarchy_partial=True))),
)}


def default_format(api: str) -> str:
    return next(f.media_type for f in FORMATS.values() if api in f.default_for)


# -- selection -------------------------------------------------------------------------------


def artefacts(conn: Connection | None = None, agency: str | None = None) -> Artefacts:
    """Every artefact, by type (``TYPES``) and id: ``artefacts()["dataflow"]["DF_ILMS_T05"]``."""
    return build(conn, agency)


def resolve_type(kind: str, *, strict: bool = True) -> tuple[str, ...]:
    """The artefact types a REST type name selects; a type not published here raises
    :class:`NotImplementedQuery` (``strict``) or selects nothing."""
    kind = ALIASES.get(kind.lower(), kind.lower())
    if kind in EVERYTHING:
        return TYPES
    if kind not in TYPES:
        if not strict:
            return ()
        raise NotImplementedQuery(f"structure type {kind!r} is not published by this service")
    return (kind,)


def select(arts: Artefacts, kind: str, ids: Iterable[str] | None = None,
           agency: str | None = None, version: str | None = None) -> list[MaintainableArtefact]:
    """The artefacts of ``kind`` (a REST type name) with one of ``ids`` (None: all)."""
    wanted = None if ids is None else set(ids)
    out = []
    for t in resolve_type(kind):
        for obj in arts[t].values():
            if wanted is not None and obj.id not in wanted:
                continue
            if agency not in (None, "*", "all") and _agency(obj) != agency:
                continue
            if version not in (None, "*", "all", "latest", "+", "~") and obj.version != version:
                continue
            out.append(obj)
    return out


def _agency(obj: MaintainableArtefact) -> str:
    return obj.agency if isinstance(obj.agency, str) else obj.agency.id


def _closure(start: set[str], step: Callable[[str], set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def referenced(arts: Artefacts, matched: Sequence[MaintainableArtefact],
               references: str | Sequence[str] = "none") -> list[MaintainableArtefact]:
    """The artefacts ``references`` adds to ``matched`` (not including them)."""
    refs = [references] if isinstance(references, str) else list(references)
    keys = {o.short_urn for o in matched}
    children = lambda u: arts.children.get(u, set())   # noqa: E731
    parents = arts.parents
    found: set[str] = set()
    for ref in (r.lower() for r in refs):
        if ref == "none":
            continue
        if ref == "children":
            found |= {c for k in keys for c in children(k)}
        elif ref == "descendants":
            found |= _closure(keys, children)
        elif ref == "parents":
            found |= {p for k in keys for p in parents(k)}
        elif ref == "ancestors":
            found |= _closure(keys, parents)
        elif ref in ("parentsandsiblings", "all"):
            ps = {p for k in keys for p in parents(k)}
            found |= ps | {c for p in ps for c in children(p)}
            if ref == "all":
                found |= _closure(keys, children)
        else:
            types = resolve_type(ref, strict=False)     # a type not published here adds nothing
            related = _closure(keys, children) | _closure(keys, parents)
            found |= {u for u in related if sdmx_type(arts.get(u)) in types}
    found -= keys
    index = {o.short_urn: o for o in arts}
    return [index[u] for u in sorted(found, key=lambda u: (TYPES.index(sdmx_type(index[u])), u))]


# -- items -----------------------------------------------------------------------------------


def has_items(obj: MaintainableArtefact) -> bool:
    """Whether an item query applies: item schemes, and hierarchies (their hierarchical codes)."""
    return isinstance(obj, (ItemScheme, Hierarchy))


def _wanted(path: tuple[str, ...], items: set[str]) -> bool:
    """An item is asked for by its id or (nested items, SDMX REST v1) its dotted path of ids."""
    return path[-1] in items or ".".join(path) in items


def _nested(nodes, items: set[str], children: str, path: tuple[str, ...] = ()) -> list:
    """The nodes asked for (with everything below them) and the branches leading to them."""
    kept = []
    for node in nodes:
        here = path + (node.id,)
        if _wanted(here, items):
            kept.append(node)
            continue
        below = _nested(getattr(node, children, None) or (), items, children, here)
        if below:
            kept.append(msgspec.structs.replace(node, **{children: below}))
    return kept


def select_items(obj: MaintainableArtefact, items: Iterable[str]) -> MaintainableArtefact | None:
    """The artefact cut to the items asked for (``isPartial``), or None when it has none of them.

    Codes, concepts, agencies and categories (nested categories kept under their parents) of an
    item scheme; the hierarchical codes of a hierarchy, at any depth."""
    wanted = set(items)
    if isinstance(obj, Hierarchy):
        codes = _nested(obj.codes, wanted, "codes")
        return msgspec.structs.replace(obj, codes=codes) if codes else None
    if isinstance(obj, ItemScheme):
        kept = _nested(obj.items, wanted, "categories")
        return msgspec.structs.replace(obj, items=kept, is_partial=True) if kept else None
    return None


def dataflow_structures(arts: Artefacts, flow_id: str, references: Sequence[str]) -> list[MaintainableArtefact]:
    """What an availability query's ``references`` adds: ``all`` = the dataflow and everything it
    uses (DSD, concept scheme, codelists); a type name = those of that type (none for a type not
    published here, e.g. dataproviderscheme); ``none`` = nothing."""
    refs = [r.lower() for r in references if r.lower() != "none"]
    if not refs:
        return []
    flow = select(arts, "dataflow", [flow_id])
    everything = flow + referenced(arts, flow, "descendants")
    if "all" in refs:
        return everything
    types = {t for r in refs for t in resolve_type(r, strict=False)}
    return [o for o in everything if sdmx_type(o) in types]


# -- detail ----------------------------------------------------------------------------------


def stub(obj: MaintainableArtefact, *, complete: bool = False) -> MaintainableArtefact:
    """The artefact without its content: identification, name, and (complete) description and annotations."""
    changes: dict = {"is_external_reference": True}
    if not complete:
        changes.update(description=None, annotations=())
    if isinstance(obj, ItemScheme):
        changes["items"] = ()
    elif isinstance(obj, Hierarchy):
        # the XSDs (2.1 and 3.0) require one hierarchical code: a stub keeps the top codes only
        changes["codes"] = [msgspec.structs.replace(c, codes=()) for c in obj.codes]
    elif isinstance(obj, DataStructureDefinition):
        changes["components"] = Components([])
    return msgspec.structs.replace(obj, **changes)


def _used_items(matched: Sequence[MaintainableArtefact]) -> dict[str, set[str]]:
    """Item scheme short urn -> the items the matched artefacts use (where that is a subset)."""
    used: dict[str, set[str]] = {}

    def walk(codes, cl_urn):
        for c in codes:
            used.setdefault(cl_urn, set()).add(c.id)
            walk(c.codes, cl_urn)

    for obj in matched:
        if isinstance(obj, Hierarchy) and obj.codes:
            first = obj.codes[0].urn.split("=", 1)[1]          # AGENCY:CL(1.0).CODE
            walk(obj.codes, "Codelist=" + first.rsplit(".", 1)[0])
        elif isinstance(obj, Categorisation):
            target = obj.target.split("=", 1)[1]
            scheme, cat = target.rsplit(".", 1)
            used.setdefault("CategoryScheme=" + scheme, set()).add(cat)
    return used


def partial(obj: MaintainableArtefact, items: set[str]) -> MaintainableArtefact:
    if not isinstance(obj, ItemScheme):
        return obj
    return msgspec.structs.replace(obj, items=[i for i in obj.items if i.id in items], is_partial=True)


def apply_detail(matched: list[MaintainableArtefact], refs: list[MaintainableArtefact],
                 detail: str) -> list[MaintainableArtefact]:
    if detail not in DETAILS:
        raise UnsupportedQuery(f"detail must be one of {', '.join(DETAILS)}, not {detail!r}")
    complete = "complete" in detail
    if detail in ("allstubs", "allcompletestubs"):
        return [stub(o, complete=complete) for o in matched + refs]
    if detail in ("referencestubs", "referencecompletestubs"):
        return matched + [stub(o, complete=complete) for o in refs]
    if detail == "referencepartial":
        used = _used_items(matched)
        return matched + [partial(o, used[o.short_urn]) if o.short_urn in used else o for o in refs]
    return matched + refs


# -- messages --------------------------------------------------------------------------------


def header(agency: str, message_id: str | None = None, prepared: datetime | None = None) -> Header:
    kwargs = {"sender": agency, "prepared": prepared or datetime.now(timezone.utc)}
    if message_id:
        kwargs["id"] = message_id
    return Header(**kwargs)


def write(objects: Sequence[MaintainableArtefact], media_type: str, hdr: Header) -> bytes:
    fmt = FORMATS.get(media_type)
    if fmt is None:
        raise NotImplementedQuery(f"no structure writer for {media_type!r}; "
                                  f"available: {', '.join(FORMATS)}")
    text = write_sdmx(list(objects), fmt.pysdmx_format, header=hdr, prettyprint=True) \
        if "xml" in media_type else write_sdmx(list(objects), fmt.pysdmx_format, header=hdr)
    return fmt.repair(text).encode("utf-8")


def structure_message(kind: str, ids: Iterable[str] | None = None, format: str = STRUCTURE_21,
                      detail: str = "full", references: str | Sequence[str] = "none",
                      conn: Connection | None = None, *, agency: str | None = None,
                      version: str | None = None, message_id: str | None = None,
                      prepared: datetime | None = None, arts: Artefacts | None = None,
                      items: Iterable[str] | None = None) -> bytes:
    """A structure message of the ``kind`` artefacts with ``ids`` (None: all), as ``format``.

    ``kind`` is a REST structure type (``dataflow``, ``datastructure``, ``codelist``,
    ``conceptscheme``, ``categoryscheme``, ``categorisation``, ``agencyscheme``,
    ``hierarchicalcodelist``/``hierarchy``, or ``structure``/``*`` for all). Raises
    :class:`NoResults` when nothing matches, :class:`NotImplementedQuery` for a type or format
    not served, :class:`UnsupportedQuery` for a bad ``detail``/``references``.

    ``items`` (an item query): only the item schemes and hierarchies among the matches, each cut
    to those items (:func:`select_items`); ``references`` are resolved from the cut artefacts.
    """
    refs = [references] if isinstance(references, str) else list(references)
    for r in refs:
        if not re.fullmatch(r"[A-Za-z]+", r):
            raise UnsupportedQuery(f"references: {r!r} is neither a reference word nor a structure type")
    arts = arts or artefacts(conn)
    matched = select(arts, kind, ids, agency, version)
    if items is not None:
        if matched and not any(has_items(o) for o in matched):
            raise UnsupportedQuery(f"itemID: {kind} artefacts have no items; item queries apply to item "
                                   "schemes (codelist, conceptscheme, categoryscheme, agencyscheme) and hierarchies")
        items = list(items)
        matched = [cut for cut in (select_items(o, items) for o in matched if has_items(o)) if cut is not None]
        if not matched:
            raise NoResults(f"no {kind} has the items {', '.join(items)}")
    if not matched:
        raise NoResults(f"no {kind} matches {sorted(ids) if ids is not None else 'all'}")
    objects = apply_detail(matched, referenced(arts, matched, refs), detail)
    return write(objects, format, header(arts.agency, message_id, prepared))
