"""Validation: the rule catalogue (``registry``), findings and reports.

``check_observations`` applies every rule to observations; ``check_file`` reads a file through
the format registry first (without loading it). What a rule finds is treated according to where
the data come from: a questionnaire with errors is refused, published data never is (its
findings are recorded and reported).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..observation import Observation
from .dataset import CONTEXTS, PUBLISHED, QUESTIONNAIRE, Dataset, Settings
from .findings import Cell, Finding, Value
from .registry import RULES, Rule, rule, rules, run
from .report import Report

__all__ = ["CONTEXTS", "PUBLISHED", "QUESTIONNAIRE", "Cell", "Dataset", "Finding", "RULES", "Report", "Rule",
           "Settings", "Value", "check_file", "check_observations", "context_of", "rule", "rules", "run"]


def check_observations(observations: Iterable[Observation], *, context: str = PUBLISHED, conn=None,
                       settings: Settings | None = None, reported_tables=None, file: str | None = None,
                       format: str | None = None, withheld: Iterable[Observation] = ()) -> Report:
    ds = Dataset(observations, context=context, conn=conn, settings=settings,
                 reported_tables=reported_tables, file=file, withheld=withheld)
    return Report(run(ds), context, len(ds.observations), file=file, format=format)


def context_of(path: Path, reader_name: str) -> str:
    """A questionnaire (a workbook sent by a focal point) or published data (ILOSTAT, SDMX)."""
    if "questionnaire" in reader_name or path.suffix.lower() in (".xlsx", ".xlsm"):
        return QUESTIONNAIRE
    return PUBLISHED


def check_file(path: str | Path, *, context: str | None = None, conn=None, settings: Settings | None = None,
               with_diff: bool = False) -> Report:
    """Read ``path`` through the format registry and check it. Raises ``ReadError`` when unreadable."""
    from ..collect.questionnaire.reader import read_any
    path = Path(path)
    reader, observations, workbook = read_any(path)
    reported = workbook.reported_tables() if workbook is not None else None
    withheld = workbook.withheld() if workbook is not None else []
    report = check_observations(observations, context=context or context_of(path, reader.name), conn=conn,
                                settings=settings, reported_tables=reported, file=path.name, format=reader.name,
                                withheld=withheld)
    if conn is not None:        # the baseline: which findings are on what the file changes
        from .diff import diff
        report.set_baseline(diff(conn, observations, kept=withheld), show=with_diff)
    return report
