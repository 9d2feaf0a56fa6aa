"""Arithmetic rules within a table, derived from the hierarchies (``hierarchies.yaml``).

For every table of counts, every dimension with a hierarchy (sex, age, labour market status,
migrant status, education, economic activity, occupation, status in employment, partner
country) and every parent code of that hierarchy, the reported parent is compared with its
components. A component that is not reported but whose own components are counts as their sum.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...tables import structure
from ..arithmetic import (EPSILON, Resolved, additive_tables, children, depends_on, direct_pairs,
                          equivalent_codes, fmt, groups, half_unit, hierarchies, resolve)
from ..dataset import Dataset
from ..findings import Cell, Finding, Value
from ..registry import rule
from .common import code_label, sum_label, where

TABLES = additive_tables()


@dataclass(frozen=True)
class Comparison:
    """One parent code against its components in one group of cells."""

    kind: str                      # complete | exceeds | short
    finding: Finding


def _compare(ds: Dataset) -> list[Comparison]:
    half = ds.settings.half_unit
    out = []
    for sl in ds.slices(TABLES):
        table = structure().table(sl.key.table)
        for g in groups(table, sl.cells):
            present = set(g.cells) | g.withheld
            required_by_table = frozenset(table.required.get(g.dim, ()))
            for h in hierarchies(table, g.dim):
                for parent in h.sums:
                    total = g.cells.get(parent)
                    if total is None:
                        continue
                    required, optional = children(h, parent, present)
                    if not required:
                        continue
                    parts = [resolve(h, c, g.cells, half) for c in required]
                    extra = [resolve(h, c, g.cells, half) for c in optional]
                    found = [p for p in parts + extra if p is not None]
                    if not found:
                        continue
                    complete = all(p is not None for p in parts + extra)
                    unresolved = [c for c, p in zip(required + optional, parts + extra) if p is None]
                    # a confidential component withheld without its value is not "missing", and a
                    # component the table does not require (tables.yaml ``required``) is not either
                    missing = [c for c in unresolved if not depends_on(h, c, g.withheld)
                               and depends_on(h, c, required_by_table)]
                    out.extend(_judge(sl.key, g, parent, total, found, complete, missing, half))
    return out


def _judge(key, g, parent, total, found: list[Resolved], complete: bool, missing: list[str], half):
    value = float(total.value)
    summed = sum(p.value for p in found)
    tolerance = sum(p.tolerance for p in found)
    diff = value - summed
    if abs(diff) <= tolerance + EPSILON:
        return []
    table = key.table
    codes = tuple(p.code for p in found)
    cells = (Cell.of(total, "total"),) + tuple(Cell.of(o, "component") for p in found for o in p.cells)
    parent_label = f"{code_label(table, g.dim, parent)} ({parent})"
    reported = Value(parent_label, value)
    if complete:
        expected = Value(sum_label(table, g.dim, codes), summed)
        message = (f"{where(key, g.fixed)}: {parent_label} is {fmt(value)} but {expected.label} "
                   f"is {fmt(summed)} (difference {fmt(diff)}, more than the rounding tolerance {fmt(tolerance)}).")
        return [Comparison("complete", Finding(message, table, key.ref_area, key.time, cells, reported, expected,
                                               tolerance, "Correct the total or the components so that they add up."))]
    expected = Value(f"the {len(codes)} reported components", summed)
    missing_words = ", ".join(code_label(table, g.dim, c) for c in missing[:6]) + (" ..." if len(missing) > 6 else "")
    if diff < 0:
        unreported = (f", although {len(missing)} component(s) are not even reported ({missing_words})"
                      if missing else "")
        message = (f"{where(key, g.fixed)}: the reported components add up to {fmt(summed)}, more than "
                   f"{parent_label} = {fmt(value)} (by {fmt(-diff)}){unreported}.")
        return [Comparison("exceeds", Finding(message, table, key.ref_area, key.time, cells, reported, expected,
                                              tolerance, "A part cannot be larger than its total: correct either."))]
    if not missing:
        return []       # the gap is what is confidential or what the table does not ask for
    message = (f"{where(key, g.fixed)}: the reported components add up to {fmt(summed)}, {fmt(diff)} less than "
               f"{parent_label} = {fmt(value)}; not reported: {missing_words}.")
    return [Comparison("short", Finding(
        message, table, key.ref_area, key.time, cells, reported, expected, tolerance,
        f"Report the missing cells ({fmt(diff)} in all), or mark them confidential if they are suppressed.",
        extra={"missing": tuple(missing)}))]


def _of_kind(ds: Dataset, kind: str):
    return (c.finding for c in ds.memo("sums", _compare) if c.kind == kind)


@rule(id="sum.total", title="Components add up to their total", severity="error", category="arithmetic",
      tables=TABLES, description="""
      Wherever a table reports a total and all of its components, the components must add up to the
      total: men + women = both sexes; the age bands, ISCED levels, ISIC sections, ISCO groups and ICSE
      statuses = their total and their aggregate groups; employed + unemployed = labour force; labour
      force + outside the labour force = working-age population; migrants + non-migrants = total; listed
      countries + other countries = total. A difference up to half a unit of the last reported decimal
      per component (0.0005 per component for three decimals) is rounding and is accepted. A component
      flagged confidential (C) without its value is not summed as if reported: its breakdown is
      partial, and only the "no part larger than its total" rule applies.""")
def sum_total(ds: Dataset):
    return _of_kind(ds, "complete")


@rule(id="sum.part_exceeds_total", title="No part larger than its total", severity="error",
      category="arithmetic", tables=TABLES, description="""
      Even when some components are not reported, those that are cannot add up to more than their total:
      for example migrants cannot outnumber the whole population of the same row, and women employed in
      one industry cannot outnumber all employed women.""")
def part_exceeds(ds: Dataset):
    return _of_kind(ds, "exceeds")


@rule(id="sum.incomplete_breakdown", title="Breakdown with missing cells does not reach its total",
      severity="warning", category="arithmetic", tables=TABLES, description="""
      A total is reported with only some of its components, and the reported components fall short of
      the total by more than rounding. Usually some cells were suppressed or forgotten. A partial
      breakdown is not an error, but the missing cells should be reported or marked confidential.
      Not reported as missing: a cell flagged confidential (C) without its value, and a component
      the table does not require (for example non-migrants, where a table asks only for the total
      and migrants).""")
def incomplete(ds: Dataset):
    return _of_kind(ds, "short")


@rule(id="sum.same_categories", title="Totals of alternative classifications agree", severity="error",
      category="arithmetic", tables=TABLES, description="""
      Codes that cover the same people must have the same value: the total by ISIC sections, by broad
      sectors and by ILOSTAT's aggregate groups; the total by ISCO major groups and by skill level;
      agriculture as a sector, as an aggregate group and as ISIC section A.""")
def same_categories(ds: Dataset):
    half = ds.settings.half_unit
    for sl in ds.slices(TABLES):
        table = structure().table(sl.key.table)
        for g in groups(table, sl.cells):
            cl = table.dimension(g.dim).codelist.id
            skip = direct_pairs(cl)
            for codes in equivalent_codes(cl):
                present = [c for c in codes if c in g.cells]
                for i, a in enumerate(present):
                    for b in present[i + 1:]:
                        if frozenset((a, b)) in skip:
                            continue
                        oa, ob = g.cells[a], g.cells[b]
                        tol = half_unit(oa, half) + half_unit(ob, half)
                        diff = float(oa.value) - float(ob.value)
                        if abs(diff) <= tol + EPSILON:
                            continue
                        ra, rb = Value(f"{code_label(table.number, g.dim, a)} ({a})", float(oa.value)), \
                            Value(f"{code_label(table.number, g.dim, b)} ({b})", float(ob.value))
                        yield Finding(
                            f"{where(sl.key, g.fixed)}: {ra.label} is {fmt(ra.value)} but {rb.label} is "
                            f"{fmt(rb.value)}; both count the same people (difference {fmt(diff)}).",
                            table.number, sl.key.ref_area, sl.key.time,
                            (Cell.of(oa, "total"), Cell.of(ob, "total")), ra, rb, tol,
                            "Both figures must be equal: correct one of them.")
