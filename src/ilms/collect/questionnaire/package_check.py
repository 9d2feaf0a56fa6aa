"""Is an .xlsx package safe and honest to read? Checked before openpyxl parses it.

Refused, each with the part or the sheet and cell:

* macros: a macro-enabled workbook (``xl/vbaProject.bin``, an ``.xlsm`` content type). Nothing
  here runs macros, but such a file is kept with its submission and opened later by curators;
* a DTD in any XML part (``<!DOCTYPE``): Excel never writes one; it is how XML entity expansion
  ("billion laughs") and external entities (reading local files, network calls) are smuggled in;
* a formula with no computed value: the file was written by a program that does not calculate,
  and reading it "values only" would silently find the cell empty;
* a cell text longer than Excel's own limit (32,767 characters): megabyte cells are not data;
* more cells than ``max_cells`` in the whole workbook (``Limits.questionnaire_cells``,
  ``ILMS_LIMIT_QUESTIONNAIRE_CELLS``, default 200,000; a questionnaire has about 6,000): counted while streaming, before anything is built.

The XML itself is read with ``defusedxml`` (which refuses DTDs and entities a second time), and
openpyxl, which uses ``defusedxml`` whenever it is installed, reads the rest.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse, parse

from ...limits import Limits, setting
from ..registry import ReadError

#: Excel's limit on the characters of one cell
MAX_CELL_CHARS = 32_767
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_CONTENT_TYPE = b"macroEnabled"
DTD_MARKERS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


DEFAULT_MAX_CELLS = Limits.questionnaire_cells    # the default of the one setting (``ilms.limits``)
#: what a message over the cell limit says of the usual size, by the ``Limits`` field that set it
USUAL_CELLS = {"questionnaire_cells": "a questionnaire has about 6,000",
               "context_cells": "a published UN DESA workbook has about 1.5 million"}


class _Count:
    def __init__(self, limit: int, field: str):
        self.limit, self.field, self.n = limit, field, 0


def check_package(path: Path, archive: zipfile.ZipFile, *, max_cells: int = DEFAULT_MAX_CELLS,
                  cells_field: str = "questionnaire_cells") -> None:
    """Raise ``ReadError`` naming what makes the package unsafe; return quietly otherwise.
    ``cells_field`` is the ``Limits`` field ``max_cells`` comes from (named in the message)."""
    names = archive.namelist()
    for name in names:
        if posixpath.basename(name).lower() in MACRO_PARTS:
            raise ReadError(path, name, "the workbook holds macros (a macro-enabled .xlsm): save it as an "
                                        "Excel Workbook (.xlsx), without macros, and send that")
    if "[Content_Types].xml" in names and MACRO_CONTENT_TYPE in archive.read("[Content_Types].xml"):
        raise ReadError(path, "[Content_Types].xml", "the workbook is macro-enabled (.xlsm): save it as an "
                                                     "Excel Workbook (.xlsx)")
    for name in names:
        if name.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, name):
            raise ReadError(path, name, "the part declares a DTD (<!DOCTYPE ...>), which Excel never writes: "
                                        "refused (XML entity expansion or external entities)")
    count = _Count(max_cells, cells_field)
    for sheet, part in _sheet_parts(archive).items():
        if part in names:
            _check_cells(path, archive, sheet, part, count)
    if "xl/sharedStrings.xml" in names:
        _check_shared_strings(path, archive)


def _has_dtd(archive: zipfile.ZipFile, name: str) -> bool:
    tail = b""
    with archive.open(name) as f:
        while block := f.read(1 << 16):
            window = tail + block
            if any(m in window for m in DTD_MARKERS):
                return True
            tail = window[-20:]
    return False


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive (``xl/worksheets/sheet3.xml``)."""
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as f:
            targets = {r.get("Id"): r.get("Target", "") for r in parse(f).getroot().iter(f"{PKG_REL}Relationship")}
        with archive.open("xl/workbook.xml") as f:
            sheets = [(s.get("name"), s.get(f"{REL}id")) for s in parse(f).getroot().iter(f"{MAIN}sheet")]
    except (KeyError, SyntaxError):
        return {}          # not a well-formed workbook: openpyxl says what is wrong
    parts = {}
    for name, rid in sheets:
        target = targets.get(rid)
        if name and target:
            parts[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return parts


def _check_cells(path: Path, archive: zipfile.ZipFile, sheet: str, part: str, count: _Count) -> None:
    try:
        with archive.open(part) as f:
            for _event, elem in iterparse(f):
                if elem.tag == f"{MAIN}c":
                    count.n += 1
                    if count.n > count.limit:
                        raise ReadError(path, f"{sheet}!{elem.get('r') or '?'}",
                                        f"the workbook holds more than {count.limit:,} cells "
                                        f"({USUAL_CELLS[count.field]}; {setting(count.field)})")
                    _check_cell(path, sheet, elem)
                    elem.clear()
                elif elem.tag == f"{MAIN}row":
                    elem.clear()
    except SyntaxError:
        return             # damaged XML: openpyxl refuses it as a corrupt workbook


def _check_cell(path: Path, sheet: str, cell) -> None:
    ref = cell.get("r") or "?"
    formula = cell.find(f"{MAIN}f")
    value = cell.find(f"{MAIN}v")
    if formula is not None and (value is None or (not (value.text or "").strip() and cell.get("t") != "str")):
        text = (formula.text or "").strip()
        raise ReadError(path, f"{sheet}!{ref}", f"a formula (={text[:40]}) with no computed value: type the "
                                                "value, or save the file in Excel, which computes it")
    for elem in (value, *cell.iter(f"{MAIN}t")):
        if elem is not None and elem.text and len(elem.text) > MAX_CELL_CHARS:
            raise ReadError(path, f"{sheet}!{ref}", f"a cell of {len(elem.text):,} characters, over Excel's "
                                                    f"limit of {MAX_CELL_CHARS:,}")


def _check_shared_strings(path: Path, archive: zipfile.ZipFile) -> None:
    try:
        with archive.open("xl/sharedStrings.xml") as f:
            for n, (_event, elem) in enumerate(e for e in iterparse(f) if e[1].tag == f"{MAIN}si"):
                text = "".join(t.text or "" for t in elem.iter(f"{MAIN}t"))
                if len(text) > MAX_CELL_CHARS:
                    raise ReadError(path, f"xl/sharedStrings.xml, string {n + 1}",
                                    f"a text of {len(text):,} characters, over Excel's limit of {MAX_CELL_CHARS:,}")
                elem.clear()
    except SyntaxError:
        return
