"""The terminal summary: the verdict first, big and clear, then the findings grouped by table."""
from __future__ import annotations

from .findings import ERROR
from .location import locate
from .report import Report

WIDTH = 72


def render(report: Report, *, limit: int | None = None) -> str:
    lines = ["=" * WIDTH, f"  {report.verdict}", ""]
    what = f"{report.file} ({report.format}, {report.context})" if report.file else report.context
    lines.append(f"  {what}: {report.observations} cells checked")
    if report.refused:
        lines.append("  A questionnaire with errors is sent back: correct the errors and send it again.")
    elif not report.passed:
        lines.append("  Published data are not refused: the findings are recorded with the data.")
    lines += ["=" * WIDTH, ""]
    pre = report.pre_existing
    if report.changed_cells is not None:
        lines += [f"Findings on the cells this file adds or changes: {len(report.on_changes)}", ""]
    for heading, findings in report.by_table(report.on_changes):
        lines.append(heading)
        lines.append("-" * min(len(heading), WIDTH))
        shown = findings if limit is None else findings[:limit]
        for f in shown:
            lines += _finding(f)
        if len(shown) < len(findings):
            lines.append(f"  ... {len(findings) - len(shown)} more findings in this table (see the HTML or JSON report)")
        lines.append("")
    if pre:
        lines.append(f"Already in the data held (not changed by this file): {len(pre)} findings")
        for rid, severity, findings in report.pre_existing_groups():
            lines.append(f"  {len(findings):>5} {severity:<7} [{rid}]")
        lines.append("")
    if report.fixed:
        lines.append(f"Fixed since submission #{report.previous}: {len(report.fixed)} findings")
        for f in report.fixed[: (limit or len(report.fixed))]:
            lines.append(f"  fixed   [{f['rule']}] {f['message']}")
        lines.append("")
    if report.diff is not None:
        d = report.diff
        lines.append(f"Compared with the database: {d.summary()}")
        for word, changes in (("added", d.added), ("changed", d.changed), ("removed", d.removed)):
            for c in changes[: (limit or len(changes))]:
                arrow = {"added": f"{c.new}", "changed": f"{c.old} -> {c.new}", "removed": f"{c.old} (not in the file)"}
                lines.append(f"  {word:<8} T{c.table} {'.'.join(c.key)} {c.time}: {arrow[word]}")
        lines.append("")
    return "\n".join(lines)


def _finding(f) -> list[str]:
    tag = "ERROR  " if f.severity == ERROR else "warning"
    lines = [f"  {tag} [{f.rule}] {f.message}"]
    for cell in f.cells[:4]:
        lines.append(f"          {cell.role}: {cell.label()} = {cell.value} — {locate(cell).text()}")
    if len(f.cells) > 4:
        lines.append(f"          ... and {len(f.cells) - 4} more cells")
    if f.suggestion:
        lines.append(f"          what to do: {f.suggestion}")
    return lines
