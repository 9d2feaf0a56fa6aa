"""The observations under check, grouped for fast access, plus (optionally) the store for context.

A *slice* is one table of one country, source, basis and period: the unit inside which the
arithmetic rules compare totals and components. Earlier periods and other countries' data come
from the same dataset and, when a store connection is given, from the data already held.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

from ..observation import Observation
from ..tables import structure

QUESTIONNAIRE = "questionnaire"
PUBLISHED = "published"
CONTEXTS = (QUESTIONNAIRE, PUBLISHED)


@dataclass(frozen=True)
class Settings:
    """Thresholds of the rules; every one can be changed (``ilms check --yoy-ratio ...``)."""

    yoy_ratio: float = 0.5          # a year-on-year change above 50 % ...
    yoy_absolute: float = 5.0       # ... and above 5 units of the table (5 thousand persons)
    mirror_ratio: float = 2.0       # mirror figures differing by more than a factor of 2
    half_unit: float = 0.5          # rounding tolerance: half a unit of the last reported decimal


class SliceKey(NamedTuple):
    table: int
    ref_area: str
    source: str
    basis: str
    time: str


class Slice(NamedTuple):
    key: SliceKey
    cells: dict[tuple[str, ...], Observation]   # (SEX, own dimensions...) -> observation


class Dataset:
    """Observations under check. ``context`` says where they come from (questionnaire or published)."""

    def __init__(self, observations: Iterable[Observation], *, context: str = PUBLISHED, conn=None,
                 reported_tables: Iterable[int] | None = None, settings: Settings | None = None,
                 file: str | None = None, withheld: Iterable[Observation] = ()):
        if context not in CONTEXTS:
            raise ValueError(f"context must be one of {', '.join(CONTEXTS)}, not {context!r}")
        self.context = context
        self.conn = conn
        self.settings = settings or Settings()
        self.file = file
        self.observations: list[Observation] = []
        self.duplicates: list[tuple[Observation, Observation]] = []
        self._by_table: dict[int, list[Observation]] = defaultdict(list)
        self._slices: dict[SliceKey, dict[tuple[str, ...], Observation]] = defaultdict(dict)
        self._cells: dict[tuple, Observation] = {}
        for obs in observations:
            self.add(obs)
        self.withheld: list[Observation] = []
        for obs in withheld:
            self.withhold(obs)
        self.reported_tables = frozenset(reported_tables) if reported_tables is not None else None
        self._held: dict[tuple[int, str], list[Observation]] = {}
        self._memo: dict[str, object] = {}

    def memo(self, name: str, compute):
        """Compute once per dataset what several rules share (e.g. every total/component comparison)."""
        if name not in self._memo:
            self._memo[name] = compute(self)
        return self._memo[name]

    def add(self, obs: Observation) -> None:
        self.observations.append(obs)
        self._by_table[obs.table].append(obs)
        if len(obs.key) < 4:
            return                      # a malformed key: the structural rule reports it
        cell = obs.cell()
        if cell in self._cells:
            self.duplicates.append((self._cells[cell], obs))
            return
        self._cells[cell] = obs
        self._slices[SliceKey(obs.table, obs.key[0], obs.key[1], obs.key[2], obs.time)][obs.key[3:]] = obs

    def withhold(self, obs: Observation) -> None:
        """A cell that exists but whose value was withheld (confidential, no number): it counts as
        present (completeness) and makes its breakdowns partial (sums), but has no value to check."""
        if len(obs.key) < 4 or obs.cell() in self._cells:
            return
        self.withheld.append(obs)
        self._slices[SliceKey(obs.table, obs.key[0], obs.key[1], obs.key[2], obs.time)].setdefault(obs.key[3:], obs)

    # -- what is under check ---------------------------------------------------------------
    @property
    def tables(self) -> list[int]:
        return sorted(self._by_table)

    def of_table(self, table: int) -> list[Observation]:
        return self._by_table.get(table, [])

    def slices(self, tables: Iterable[int] | None = None) -> Iterator[Slice]:
        wanted = None if tables is None else set(tables)
        for key in sorted(self._slices):
            if wanted is None or key.table in wanted:
                yield Slice(key, self._slices[key])

    def get(self, table: int, key: tuple[str, ...], time: str) -> Observation | None:
        return self._cells.get((table, tuple(key), time))

    def ref_areas(self, table: int | None = None) -> set[str]:
        obs = self.observations if table is None else self.of_table(table)
        return {o.key[0] for o in obs if o.key}

    def is_reported(self, table: int) -> bool:
        """Whether the country declared the table as reported (default: it sent cells of it)."""
        if self.reported_tables is not None:
            return table in self.reported_tables
        return table in self._by_table

    # -- context: data already held ---------------------------------------------------------
    def held(self, table: int, ref_area: str) -> list[Observation]:
        """The store's current observations of one table and country (empty without a store)."""
        if self.conn is None:
            return []
        cache_key = (table, ref_area)
        if cache_key not in self._held:
            from ..store.read import Selection, observations
            self._held[cache_key] = list(observations(
                self.conn, Selection(table=table, filters={"REF_AREA": (ref_area,)}), public=False))
        return self._held[cache_key]

    def known(self, table: int, ref_area: str) -> dict[tuple, tuple[Observation, bool]]:
        """Every known cell of a table and country: (key, time) -> (observation, held?).

        Cells under check replace the store's version of the same cell.
        """
        out: dict[tuple, tuple[Observation, bool]] = {}
        for obs in self.held(table, ref_area):
            if obs.value is not None:
                out[(obs.key, obs.time)] = (obs, True)
        for obs in self.of_table(table):
            if obs.key and obs.key[0] == ref_area:
                out[(obs.key, obs.time)] = (obs, False)
        return out
