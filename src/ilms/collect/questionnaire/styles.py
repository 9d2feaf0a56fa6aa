"""The look of the questionnaire: fonts, fills, widths and the locked/unlocked cell helpers."""
from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
ENTRY_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
CODE_FONT = Font(color="808080", size=8)
THIN = Side(style="thin", color="B0B0B0")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
AUTHOR = "ILMS"


def entry(cell, value=None, number_format: str | None = None):
    """A cell the respondent fills in: unlocked, white, boxed."""
    if value is not None:
        cell.value = value
    cell.protection = Protection(locked=False)
    cell.fill = ENTRY_FILL
    cell.border = BOX
    if number_format:
        cell.number_format = number_format
    return cell


def header(cell, value, comment: str | None = None):
    cell.value = value
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.border = BOX
    cell.alignment = Alignment(wrap_text=True, vertical="center")
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
