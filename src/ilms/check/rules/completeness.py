"""Completeness: the cells every complete table has (``Table.required`` in tables.yaml)."""
from __future__ import annotations

from itertools import product

from ...tables import structure
from ..dataset import QUESTIONNAIRE, Dataset
from ..findings import ERROR, WARNING, Finding
from ..registry import rule

SHOWN = 8


def required_tails(table) -> list[tuple[str, ...]]:
    """Every required combination of SEX and the table's own dimensions."""
    dims = table.key_order[3:]
    return [tuple(c) for c in product(*(table.required.get(d, ()) for d in dims))]


@rule(id="complete.required_cells", title="Required cells are present", severity="warning",
      category="completeness", description="""
      Each table a country reports for a year and source has a set of required cells (for example
      both sexes, men and women, and every ISIC section with its total). In a questionnaire, a
      missing required cell of a table the country reports is an error; in published data it is a
      warning. A cell that exists but may not be published should be sent flagged confidential.""")
def required_cells(ds: Dataset):
    for sl in ds.slices():
        if sl.key.table not in structure().tables:
            continue
        table = structure().table(sl.key.table)
        missing = [t for t in required_tails(table) if t not in sl.cells]
        if not missing:
            continue
        severity = ERROR if ds.context == QUESTIONNAIRE and ds.is_reported(table.number) else WARNING
        required = len(required_tails(table))
        shown = "; ".join(".".join(t) for t in missing[:SHOWN]) + (" ..." if len(missing) > SHOWN else "")
        yield Finding(
            f"Table {table.number}, {sl.key.ref_area}, {sl.key.time} (source {sl.key.source}, basis "
            f"{sl.key.basis}): {len(missing)} of {required} required cells are missing: {shown}.",
            table.number, sl.key.ref_area, sl.key.time, severity=severity,
            suggestion="Report the missing cells, or send them flagged confidential.",
            extra={"missing": [".".join(t) for t in missing], "required": required})
