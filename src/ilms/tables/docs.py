"""Render the pinned identifiers as Markdown (docs/identifiers.md is this text; a test keeps them equal)."""
from __future__ import annotations

from .loader import structure


def identifiers_markdown() -> str:
    s = structure()
    lines = [
        "# Pinned identifiers",
        "",
        "These ids and key orders are permanent: clients, bookmarks and SDMX consumers rely on them.",
        "A change needs a new dataflow version and a redirect, never an edit here. This page is",
        "generated from `src/ilms/tables/data/tables.yaml` (`python -m ilms.tables.docs`), and a test",
        "fails when the two disagree.",
        "",
        f"* SDMX agency id: `{s.agency}` (configurable with `ILMS_AGENCY`; default `ILMS`).",
        "* Dataflow ids: `DF_ILMS_Tnn`, version `1.0`; data structure ids: `DSD_ILMS_Tnn`.",
        "* Series key: `REF_AREA.SOURCE.BASIS.SEX` then the table's own dimensions; `TIME_PERIOD` is the",
        "  observation dimension. SOURCE is the source catalogue id (ILOSTAT `BA:453` becomes `BA_453`);",
        "  BASIS is `BIR` (place of birth), `CIT` (citizenship) or `_Z` (not applicable, module C).",
        "* Tables are addressed by their number, 1 to 17, everywhere (CLI, API paths, questionnaires).",
        "",
        "| table | module | dataflow | key order | ILOSTAT indicators |",
        "|---|---|---|---|---|",
    ]
    for t in s.tables.values():
        indicators = ", ".join(sorted({m.indicator for m in t.ilostat}))
        lines.append(f"| {t.number} | {t.module} | `{t.id}` | `{'.'.join(t.key_order)}` | {indicators} |")
    lines += ["", "## Regions", ""]
    for r in s.regions.values():
        members = ", ".join(f"{c} ({j:%Y-%m-%d}{' to ' + format(l, '%Y-%m-%d') if l else ''})"
                            for c, (j, l) in sorted(r.members.items(), key=lambda kv: (kv[1][0], kv[0])))
        lines.append(f"* `{r.id}` {r.name}{' (default)' if r.default else ''}: {members}.")
    lines += ["", "An aggregate for a reference year uses the members on 31 December of that year."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(identifiers_markdown(), end="")
