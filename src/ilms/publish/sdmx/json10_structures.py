"""SDMX-JSON 1.0 structure messages, derived from the SDMX-JSON 2.0.0 message pysdmx writes.

pysdmx writes SDMX-JSON structures in 2.0.0 and 2.1.0 only; 1.0 (the format of SDMX 2.1, and
what REST v1 clients ask for with ``application/vnd.sdmx.structure+json;version=1.0.0``) differs
in a few places, all rewritten here:

* data structures: ``measureList.measures`` [one] -> ``measureList.primaryMeasure``; an
  attribute's relationship ``{"observation": {}}`` -> ``{"primaryMeasure": "OBS_VALUE"}`` (no
  ``measureRelationship``), ``usage`` -> ``assignmentStatus`` (Mandatory / Conditional);
* representations: ``format`` -> ``textFormat`` with ``textType`` for ``dataType``;
* hierarchies: SDMX 3's standalone ``hierarchies`` -> ``hierarchicalCodelists``, each holding its
  one hierarchy (1.0 has no standalone hierarchy);
* maintainable artefacts: no ``isPartial`` outside item schemes, ``meta.schema`` of 1.0.
"""
from __future__ import annotations

import json

SCHEMA = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas/1.0/sdmx-json-structure-schema.json"
USAGE = {"mandatory": "Mandatory", "optional": "Conditional"}


def _representation(rep: dict | None) -> dict | None:
    if not rep:
        return rep
    out = {k: v for k, v in rep.items() if k not in ("format", "enumerationFormat", "minOccurs", "maxOccurs")}
    fmt = rep.get("format")
    if fmt:
        text = {k: v for k, v in fmt.items() if k not in ("dataType", "isMultiLingual", "sentinelValues")}
        if "dataType" in fmt:
            text["textType"] = fmt["dataType"]
        out["textFormat"] = text
    return out


def _component(comp: dict) -> dict:
    out = {k: v for k, v in comp.items() if k not in ("localRepresentation", "measureRelationship", "usage",
                                                      "attributeRelationship", "conceptRoles")}
    rep = _representation(comp.get("localRepresentation"))
    if rep:
        out["localRepresentation"] = rep
    if "attributeRelationship" in comp:
        relation = comp["attributeRelationship"]
        if "observation" in relation or "measureRelationship" in comp:
            out["attributeRelationship"] = {"primaryMeasure": (comp.get("measureRelationship") or ["OBS_VALUE"])[0]}
        else:
            out["attributeRelationship"] = relation
        out["assignmentStatus"] = USAGE.get(comp.get("usage", "optional"), "Conditional")
    if comp.get("conceptRoles"):
        out["conceptRoles"] = comp["conceptRoles"]
    return out


def _data_structure(dsd: dict) -> dict:
    comps = dsd.get("dataStructureComponents")
    if not comps or not (comps.get("measureList") or {}).get("measures"):
        # a stub: 1.0 wants dimensions and a primary measure whenever components are given
        return {k: v for k, v in dsd.items() if k != "dataStructureComponents"}
    out = dict(comps)
    dims = comps.get("dimensionList")
    if dims:
        out["dimensionList"] = {**dims, **{k: [_component(c) for c in dims[k]]
                                           for k in ("dimensions", "timeDimensions") if k in dims}}
    attrs = comps.get("attributeList")
    if attrs:
        out["attributeList"] = {**attrs, "attributes": [_component(a) for a in attrs.get("attributes", [])]}
    measures = comps.get("measureList")
    if measures:
        [measure] = measures.get("measures", [])[:1] or [None]
        ml = {k: v for k, v in measures.items() if k != "measures"}
        if measure is not None:
            ml["primaryMeasure"] = _component(measure)
        out["measureList"] = ml
    return {**dsd, "dataStructureComponents": out}


def _hierarchical_codes(codes: list[dict]) -> list[dict]:
    return [{k: (v if k != "hierarchicalCodes" else _hierarchical_codes(v)) for k, v in c.items()
             if k not in ("validFrom", "validTo", "level")} for c in codes]


def _hierarchical_codelist(h: dict) -> dict:
    """One SDMX 3 hierarchy as an SDMX 2.1 hierarchical codelist holding it."""
    maintainable = {k: v for k, v in h.items() if k not in ("hierarchicalCodes", "hasFormalLevels", "isPartial",
                                                          "level", "links")}
    hierarchy = {"id": h["id"], "name": h["name"], "hierarchicalCodes": _hierarchical_codes(h.get("hierarchicalCodes", []))}
    if "names" in h:
        hierarchy["names"] = h["names"]
    return {**maintainable, "hierarchies": [hierarchy]}


def _concept(concept: dict) -> dict:
    out = dict(concept)
    if "coreRepresentation" in out:
        out["coreRepresentation"] = _representation(out["coreRepresentation"])
    return out


def to_json10(text20: str) -> str:
    """The SDMX-JSON 1.0 structure message with the artefacts of an SDMX-JSON 2.0.0 one."""
    doc = json.loads(text20)
    meta = {k: v for k, v in doc.get("meta", {}).items() if k in ("id", "test", "prepared", "contentLanguages",
                                                                   "name", "names", "sender", "receivers")}
    data20 = doc.get("data", {})
    data: dict = {}
    for key, items in data20.items():
        if key == "dataStructures":
            data[key] = [_data_structure(d) for d in items]
        elif key == "hierarchies":
            data["hierarchicalCodelists"] = [_hierarchical_codelist(h) for h in items]
        elif key == "conceptSchemes":
            data[key] = [{**cs, "concepts": [_concept(c) for c in cs.get("concepts", [])]} for cs in items]
        else:
            data[key] = items
    return json.dumps({"meta": {"schema": SCHEMA, **meta}, "data": data}, ensure_ascii=False, separators=(",", ":"))
