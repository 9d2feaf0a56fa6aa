"""Rules over time: large year-on-year changes and breaks in series (source or basis changed).

Earlier years come from the data under check and, with a store, from the data already held.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from ...tables import structure
from ..arithmetic import fmt, usable
from ..dataset import Dataset
from ..findings import Cell, Finding, Value
from ..registry import ALL_TABLES, rule
from .common import key_words

BREAK = "B"


def _annual(time: str) -> bool:
    return len(time) == 4 and time.isdigit()


@rule(id="time.year_on_year", title="Large change from the year before", severity="warning", category="time",
      description="""
      A value that changed by more than 50 % and by more than 5 (thousand persons, or units of the
      table) from the year before is unusual. Check it; if the source, its coverage or the definition
      changed, flag the value B (break in series). Values already flagged B are not reported. The
      earlier year may come from data already in the database. Both thresholds can be changed.""")
def year_on_year(ds: Dataset):
    cfg = ds.settings
    for table_no in ds.tables:
        if table_no not in structure().tables:
            continue
        for area in sorted(ds.ref_areas(table_no)):
            series = defaultdict(dict)
            for (key, time), (obs, held) in ds.known(table_no, area).items():
                if _annual(time) and usable(obs):
                    series[key][int(time)] = (obs, held)
            for key, years in sorted(series.items()):
                for year in sorted(years):
                    if year - 1 not in years:
                        continue
                    (prev, held_prev), (cur, held_cur) = years[year - 1], years[year]
                    if held_prev and held_cur or cur.status == BREAK:
                        continue
                    p, c = float(prev.value), float(cur.value)
                    change = c - p
                    if abs(change) <= cfg.yoy_absolute or (p and abs(change) / p <= cfg.yoy_ratio):
                        continue
                    pct = f"{change / p:+.0%}" if p else "from zero"
                    yield Finding(
                        f"Table {table_no}, {area}, {key_words(table_no, key)}: {fmt(p)} in {year - 1}, {fmt(c)} in "
                        f"{year} ({pct}, {'+' if change > 0 else ''}{fmt(change)}).",
                        table_no, area, str(year),
                        (Cell.of(cur, "current", held=held_cur), Cell.of(prev, "earlier", held=held_prev)),
                        Value(f"{year}", c), Value(f"{year - 1}", p), None,
                        f"Check the {year} value; if the source or definition changed, flag it {BREAK} "
                        "(break in series).")


@rule(id="time.series_break", title="Source or definition changed", severity="warning", category="time",
      description="""
      The figures of a table come from another source, or use another definition of migrant (place of
      birth or citizenship), than in the year before: the series has a break. Flag the first year of
      the new source B (break in series) unless it already is.""")
def series_break(ds: Dataset):
    for table_no in ds.tables:
        if table_no not in ALL_TABLES:
            continue
        for area in sorted(ds.ref_areas(table_no)):
            by_year = defaultdict(lambda: defaultdict(list))     # year -> (source, basis) -> cells
            for (key, time), (obs, held) in ds.known(table_no, area).items():
                if _annual(time) and len(key) > 3:
                    by_year[int(time)][(key[1], key[2])].append((obs, held))
            for y1, y2 in pairwise(sorted(by_year)):
                before, after = set(by_year[y1]), set(by_year[y2])
                if before & after:
                    continue
                unflagged = [(o, h) for pair in sorted(after) for o, h in by_year[y2][pair]
                             if o.status != BREAK]
                if not unflagged or all(h for _, h in unflagged):
                    continue
                old = ", ".join(f"{s} ({b})" for s, b in sorted(before))
                new = ", ".join(f"{s} ({b})" for s, b in sorted(after))
                yield Finding(
                    f"Table {table_no}, {area}: {y1} comes from {old}, {y2} from {new}; "
                    f"{len(unflagged)} cell(s) of {y2} are not flagged {BREAK}.",
                    table_no, area, str(y2), tuple(Cell.of(o, "cell", held=h) for o, h in unflagged),
                    suggestion=f"Flag the {y2} values {BREAK} (break in series).",
                    extra={"from": sorted(before), "to": sorted(after)})
