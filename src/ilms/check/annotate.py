"""An annotated copy of a questionnaire workbook: every cell a finding names is highlighted and
carries a comment with the rule and the message (provenance ``FILE!SHEET!CELL``)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .findings import ERROR
from .location import locate
from .report import Report

FILLS = {ERROR: PatternFill("solid", fgColor="FFB3B3"), "warning": PatternFill("solid", fgColor="FFE699")}
AUTHOR = "ilms check"


class AnnotateError(ValueError):
    pass


def annotate(report: Report, source: str | Path, target: str | Path) -> int:
    """Write the annotated copy; return how many cells were marked."""
    source, target = Path(source), Path(target)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise AnnotateError(f"{source.name}: an annotated copy is made only of XLSX workbooks")
    notes: dict[tuple[str, str], list] = defaultdict(list)
    for f in report.findings:
        for cell in f.cells:
            loc = locate(cell)
            if loc.sheet and loc.cell and (loc.file in (None, source.name) or Path(loc.file).name == source.name):
                notes[(loc.sheet, loc.cell)].append(f)
    wb = load_workbook(source)
    marked = 0
    for (sheet, ref), findings in sorted(notes.items()):
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        worst = ERROR if any(f.severity == ERROR for f in findings) else "warning"
        cell.fill = FILLS[worst]
        text = "\n\n".join(f"{f.severity.upper()} [{f.rule}]: {f.message}" for f in findings)
        cell.comment = Comment(text[:30000], AUTHOR, width=420, height=min(60 + 15 * len(text) // 60, 600))
        marked += 1
    wb.save(target)
    return marked
