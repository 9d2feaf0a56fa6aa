"""The rule catalogue as Markdown (docs/validation.md is this text; a test keeps it true)."""
from __future__ import annotations

import textwrap

from .dataset import Settings
from .registry import CATEGORIES, rules

HEADER = """# Validation rules

<!-- Generated from the rule registry by `ilms.check.catalogue.markdown()`; do not edit by hand.
     Regenerate with: python -c "from ilms.check.catalogue import write; write()" -->

`ilms check FILE` applies every rule below to a file without loading it, and reports what they
find: a summary on the terminal (the verdict first), and on request an HTML report (`--html`),
a JSON report (`--json`, schema in `src/ilms/check/report.schema.json`), an annotated copy of a
questionnaire workbook (`--annotated`) and the differences from the values already held
(`--diff`). Exit status: 0 no error, 1 errors, 2 the file cannot be read.

**Errors and warnings.** An error is a figure that cannot be right; a warning is one that
deserves a look. What a rule finds is treated according to where the data come from: a
questionnaire with errors is sent back; published (ILOSTAT) data are never refused, their
findings are recorded and reported.

**Rounding.** Sums are compared within half a unit of the last reported decimal of each
component (e.g. 0.0005 x 5 = 0.0025 for five components reported with three decimals).

**Derived, not hand-written.** The arithmetic rules follow the hierarchies of
`tables/data/hierarchies.yaml`; the required cells follow each table's `required:`; the
cross-table and mirror rules are the entries of `check/agreements.yaml`.

Default thresholds: {thresholds}.
"""


def markdown() -> str:
    s = Settings()
    thresholds = (f"year-on-year change above {s.yoy_ratio:.0%} and above {s.yoy_absolute:g} (thousand persons); "
                  f"mirror figures differing by more than a factor {s.mirror_ratio:g}")
    out = [HEADER.format(thresholds=thresholds)]
    all_rules = rules()
    for category, title in CATEGORIES.items():
        mine = [r for r in all_rules if r.category == category]
        if not mine:
            continue
        out.append(f"## {title}\n")
        out.append("| rule | severity | tables |\n|---|---|---|")
        for r in mine:
            out.append(f"| [`{r.id}`](#{r.id.replace('.', '')}) {r.title} | {r.severity} | {_tables(r.tables)} |")
        out.append("")
        for r in mine:
            out.append(f"### {r.id}\n")
            out.append(f"**{r.title}** — {r.severity}; tables {_tables(r.tables)}.\n")
            out.append(textwrap.fill(r.description, 100) + "\n")
    return "\n".join(out).rstrip() + "\n"


def _tables(tables: tuple[int, ...]) -> str:
    if tables == tuple(range(1, 18)):
        return "all"
    runs, start, prev = [], None, None
    for t in tables:
        if start is None:
            start = prev = t
        elif t == prev + 1:
            prev = t
        else:
            runs.append((start, prev))
            start = prev = t
    if start is not None:
        runs.append((start, prev))
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def write(path: str = "docs/validation.md") -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(markdown())
