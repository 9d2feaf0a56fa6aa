"""The template version and the structure fingerprint, recorded in the hidden sheet ``_ilms``.

* ``TEMPLATE_VERSION`` changes whenever this package lays a workbook out differently: a reader
  only accepts workbooks of its own version.
* The fingerprint is a hash of what the declarations say about the questionnaire (tables, their
  titles, units, dimensions and required codes; the codes of every fixed codelist they use). A
  workbook generated before a declaration changed carries another fingerprint and is refused as
  outdated. Country names and partner codes are not part of it: a partner code is checked
  against the current codelist when the workbook is read.
"""
from __future__ import annotations

import hashlib
import json

from ...tables import Structure, structure

TEMPLATE_VERSION = "1"
META_SHEET = "_ilms"
LISTS_SHEET = "_lists"
#: Codelists whose codes the workbook relies on besides the tables' own dimensions.
ATTRIBUTE_CODELISTS = ("CL_OBS_STATUS", "CL_SOURCE_TYPE", "CL_BASIS")


def fingerprint(s: Structure | None = None) -> str:
    s = s or structure()
    codelists = set(ATTRIBUTE_CODELISTS)
    tables = []
    for t in s.tables.values():
        tables.append({"number": t.number, "title": t.title, "unit": [t.unit.id, t.unit.unit_mult, t.unit.label],
                       "key": list(t.key_order), "required": {d: list(c) for d, c in t.required.items()}})
        codelists.update(d.codelist.id for d in t.dimensions)
    fixed = {cl: [c.id for c in s.codelists[cl]] for cl in sorted(codelists)
             if not s.codelists[cl].open and cl not in ("CL_COUNTRY", "CL_PARTNER")}
    text = json.dumps({"tables": tables, "codelists": fixed}, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
