"""A streaming XLSX writer: sheets of plain cells (text and numbers), written straight into the zip.

The workbook is the smallest one spreadsheets open: the package parts (content types,
relationships, core and application properties), a workbook listing the sheets, one default
style, and per sheet its rows as ``<c>`` elements with inline strings (as openpyxl's write-only
mode writes them). Every zip entry and the document's created/modified times carry one given
moment, so the same rows and moment give the same bytes, compressed once.

Each value goes through the caller's ``cell`` (``publish.tabular.xlsx_cell``: formula-safe
text), a text once per distinct text, and is then ``None`` (no cell), ``str`` (an inline string;
at most 32,767 characters, Excel's limit, cut as openpyxl cuts it) or a number (``int``,
``float``, ``Decimal``: written as ``%.16g``, as openpyxl writes them; a NaN or an infinity as an
empty value). A sheet's XML is spooled to a temporary file first and then deflated into the
archive, so an entry over 1 GiB gets its zip64 header (a worksheet of a million rows can pass
2 GiB uncompressed).
"""
from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

MAX_TEXT = 32_767
#: distinct texts whose cell XML is kept per sheet; then the cache starts again
CACHE_LIMIT = 50_000
_ZIP64_FROM = 1 << 30
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_HEAD = (f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
               '<sheetFormatPr defaultRowHeight="15"/><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"
_STYLES = (f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>')

#: kept as a character reference: an XML reader turns a literal carriage return into a line feed
_CARRIAGE_RETURN = {"\r": "&#13;"}

Row = Sequence[Any]


def column_letters(n: int) -> list[str]:
    """The first ``n`` column names: A, B, ..., Z, AA, AB, ... (openpyxl's, which reads them back)."""
    return [get_column_letter(i) for i in range(1, n + 1)]


def _text_cell(text: str) -> str:
    """What follows a text cell's reference: its type and inline string."""
    text = text[:MAX_TEXT]
    if not text:
        return '" t="inlineStr"/>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'" t="inlineStr"><is><t{space}>{escape(text, _CARRIAGE_RETURN)}</t></is></c>'


def _number_cell(value) -> str:
    try:
        finite = math.isfinite(value)
    except OverflowError:           # an int too large for a float
        finite = False
    return f'" t="n"><v>{"%.16g" % value if finite else ""}</v></c>'


class _Sheet:
    """One worksheet's XML, written row by row to a spool file."""

    def __init__(self, spool, cell: Callable[[Any], Any]):
        self.spool, self.cell = spool, cell
        self.rows = 0
        self.letters: list[str] = []
        self.texts: dict[str, str] = {}
        spool.write(_SHEET_HEAD)

    def append(self, row: Row) -> None:
        self.rows += 1
        r = str(self.rows)
        if len(row) > len(self.letters):
            self.letters = column_letters(len(row))
        texts, other, str_, letters = self.texts, self._other, str, self.letters

        def cells_of() -> str:
            return "".join([f'<c r="{letter}{r}{texts[value]}' if type(value) is str_ else other(letter, r, value)
                            for letter, value in zip(letters, row) if value is not None])
        try:        # the usual row: every text met before
            cells = cells_of()
        except KeyError:
            self._learn(row)
            cells = cells_of()
        self.spool.write(f'<row r="{r}">{cells}</row>' if cells else f'<row r="{r}"/>')

    def _learn(self, row: Row) -> None:
        """Cache the cell XML of the row's texts (once per distinct text)."""
        texts = self.texts
        if len(texts) + len(row) > CACHE_LIMIT:
            texts.clear()
        for value in row:
            if type(value) is str and value not in texts:
                texts[value] = _text_cell(self.cell(value))

    def _other(self, letter: str, r: str, value) -> str:
        """A cell of anything but text: a number, or what ``cell`` makes of it."""
        value = self.cell(value)
        if value is None:
            return ""
        return f'<c r="{letter}{r}{_text_cell(value) if isinstance(value, str) else _number_cell(value)}'

    def close(self) -> None:
        self.spool.write(_SHEET_TAIL)


def _w3c(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parts(titles: list[str], when: dt.datetime) -> list[tuple[str, str]]:
    """Every part but the worksheets: (name in the archive, XML)."""
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                     f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     for i in range(1, len(titles) + 1))
    types = (f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/styles.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             f'{sheets}'
             '<Override PartName="/docProps/core.xml" '
             'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             '<Override PartName="/docProps/app.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    package_rels = (f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">'
                    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                    f'<Relationship Id="rId2" Type="{_PACKAGE_REL}/metadata/core-properties" '
                    'Target="docProps/core.xml"/>'
                    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
                    '</Relationships>')
    stamp = _w3c(when)
    core = (f'{_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>ILMS</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>ILMS</Application></Properties>')
    listed = "".join(f'<sheet name={quoteattr(t)} sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, 1))
    workbook = (f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                f'<sheets>{listed}</sheets></workbook>')
    links = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, len(titles) + 1))
    workbook_rels = (f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">{links}'
                     f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                     '</Relationships>')
    return [("[Content_Types].xml", types), ("_rels/.rels", package_rels), ("docProps/core.xml", core),
            ("docProps/app.xml", app), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/styles.xml", _STYLES)]


def _entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    # zip (DOS) times count seconds in twos and start in 1980
    info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), when.month, when.day, when.hour, when.minute,
                                            when.second - when.second % 2))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def write(path: str | Path, sheets: Iterable[tuple[str, Iterable[Row]]], when: dt.datetime,
          cell: Callable[[Any], Any]) -> dict[str, int]:
    """Write the workbook ``sheets`` (``(title, rows)``, titles valid and unique) to ``path``, each
    value through ``cell``, time stamped ``when`` (UTC, or naive meaning UTC); returns the number of
    rows per title. Each sheet's rows are consumed in turn, so a later sheet's rows may depend on
    what an earlier one saw."""
    when = when.astimezone(dt.timezone.utc) if when.tzinfo else when
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (title, rows) in enumerate(sheets, 1):
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=Path(path).parent) as spool:
                sheet = _Sheet(spool, cell)
                for row in rows:
                    sheet.append(row)
                sheet.close()
                size = spool.tell()
                spool.seek(0)
                info = _entry(f"xl/worksheets/sheet{i}.xml", when)
                with archive.open(info, "w", force_zip64=size > _ZIP64_FROM) as out:
                    shutil.copyfileobj(spool.buffer, out, 1 << 20)
            counts[title] = sheet.rows
        for name, xml in _parts(list(counts), when):
            archive.writestr(_entry(name, when), xml.encode("utf-8"))
    return counts
