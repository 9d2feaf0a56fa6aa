"""The look of the questionnaire: named cell styles (registered once per workbook, so that
styling thousands of cells stays fast), comments and sheet protection."""
from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="555555")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
AUTHOR = "ILMS"
_THIN = Side(style="thin", color="B0B0B0")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

#: Number formats of value cells, by the table unit's multiplier.
NUMBER_FORMATS = {"3": "#,##0.000", "0": "#,##0.00"}


def _entry(name: str, number_format: str = "General") -> NamedStyle:
    return NamedStyle(name, fill=PatternFill("solid", fgColor="FFFFFF"), border=_BOX,
                      protection=Protection(locked=False), number_format=number_format)


STYLES = (
    _entry("ILMS entry"),
    *(_entry(f"ILMS value {mult}", fmt) for mult, fmt in NUMBER_FORMATS.items()),
    NamedStyle("ILMS header", font=BOLD, fill=PatternFill("solid", fgColor="DDE4EE"), border=_BOX,
               alignment=Alignment(wrap_text=True, vertical="center")),
    NamedStyle("ILMS code", font=Font(color="808080", size=8)),
)


def register(wb) -> None:
    for style in STYLES:
        wb.add_named_style(style)


def entry(cell, value=None, style: str = "ILMS entry"):
    """A cell the respondent fills in: unlocked, white, boxed."""
    if value is not None:
        cell.value = value
    cell.style = style
    return cell


def value_style(table) -> str:
    return f"ILMS value {table.unit.unit_mult}"


def code(cell, value):
    cell.value = value
    cell.style = "ILMS code"
    return cell


def header(cell, value, comment: str | None = None):
    cell.value = value
    cell.style = "ILMS header"
    if comment:
        note(cell, comment)
    return cell


def note(cell, text: str, width: int = 320, height: int = 160):
    """A cell comment carrying a definition."""
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = width, height
    cell.comment = comment
    return cell


def protect(ws):
    """Sheet protection without a password: the structure is locked, unlocked cells stay editable."""
    ws.protection.sheet = True
    return ws
