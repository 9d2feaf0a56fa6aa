"""The pinned-identifier table of docs/sdmx.md, generated from ``structure()`` (a test compares)."""
from __future__ import annotations

from ...tables import TIME_DIMENSION, structure
from .artefacts import VERSION

BEGIN = "<!-- BEGIN GENERATED: pinned identifiers (ilms.publish.sdmx.docs.identifiers_table) -->"
END = "<!-- END GENERATED -->"


def identifiers_table() -> str:
    s = structure()
    lines = ["| Table | Module | Dataflow | DSD | Key order (then TIME_PERIOD) |",
             "|---|---|---|---|---|"]
    for t in s.tables.values():
        lines.append(f"| {t.number} | {t.module} | `{s.agency}:{t.id}({VERSION})` | `{s.agency}:{t.dsd_id}({VERSION})` "
                     f"| `{'.'.join(t.key_order)}` |")
    lines.append("")
    lines.append(f"The observation dimension is always `{TIME_DIMENSION}`.")
    return "\n".join(lines)


def generated_block() -> str:
    return f"{BEGIN}\n{identifiers_table()}\n{END}"
