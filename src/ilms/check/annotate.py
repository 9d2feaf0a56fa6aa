"""An annotated copy of a questionnaire workbook: every cell a finding names is highlighted and
carries a comment with the rule and the message (provenance ``FILE!SHEET!CELL``).

Findings on what the file changes come first in a comment; findings already in the data held are
marked so ("already in the data held"), and a resubmission's fixed findings are noted (green) on
the cells they named."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .findings import ERROR
from .location import locate
from .report import PRE_EXISTING, Report

FILLS = {ERROR: PatternFill("solid", fgColor="FFB3B3"), "warning": PatternFill("solid", fgColor="FFE699"),
         "fixed": PatternFill("solid", fgColor="C6EFCE")}
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
            if loc.sheet and loc.cell and _same_file(loc.file, source):
                notes[(loc.sheet, loc.cell)].append(f)
    fixed: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in report.fixed:
        for cell in f.get("cells", ()):
            loc = cell.get("location") or {}
            if loc.get("sheet") and loc.get("cell"):
                fixed[(loc["sheet"], loc["cell"])].append(f)
    wb = load_workbook(source)
    marked = 0
    for (sheet, ref) in sorted(set(notes) | set(fixed)):
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        findings = sorted(notes.get((sheet, ref), []), key=lambda f: report.scope(f) == PRE_EXISTING)
        if findings:
            cell.fill = FILLS[ERROR if any(f.severity == ERROR for f in findings) else "warning"]
        else:
            cell.fill = FILLS["fixed"]
        parts = [f"{f.severity.upper()} [{f.rule}]"
                 f"{' (already in the data held)' if report.scope(f) == PRE_EXISTING else ''}: {f.message}"
                 for f in findings]
        parts += [f"FIXED since submission #{report.previous} [{f['rule']}]: {f['message']}"
                  for f in fixed.get((sheet, ref), [])]
        text = "\n\n".join(parts)
        cell.comment = Comment(text[:30000], AUTHOR, width=420, height=min(60 + 15 * len(text) // 60, 600))
        marked += 1
    wb.save(target)
    return marked


def _same_file(name: str | None, source: Path) -> bool:
    return name in (None, source.name) or Path(name).name == source.name
