"""Test helper: the real ILOSTAT extracts in ../shared/realdata (DDF layout) as ILMS Observations.

The rows are turned into ILOSTAT bulk-CSV rows by the interchange tests' helper
(``tests.collect.ddf``: DDF spelling back to ILOSTAT's, invented source ids) and then mapped by the
package's own ILOSTAT reader mapping (``ilms.collect.ilostat.to_observation``), so the checks see
exactly what a load of the same data would give. Provenance is ``FILE:LINE`` of the extract.
"""
from __future__ import annotations

from pathlib import Path

from ilms.collect.ilostat import to_observation
from ilms.observation import Observation

from ..collect.ddf import ddf_rows


def read_ddf(path: Path) -> list[Observation]:
    return [to_observation(row, f"{path.name}:{line}")
            for line, row in enumerate(ddf_rows(path, keep_unknown=True), start=2)]


def real_observations(shared: Path) -> list[Observation]:
    out = []
    for path in sorted((shared / "realdata").glob("ilostat_ddf_*.csv")):
        out.extend(read_ddf(path))
    return out
