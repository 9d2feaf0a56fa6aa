"""The demonstration dataset as a stream of observations (no database needed)."""
from __future__ import annotations

from typing import Iterator

from ..observation import Observation
from ..tables import Table, structure
from .cells import WAGE_TABLES, axes, has_alternatives, persons, wages
from .magnitudes import countries
from .model import PARTNER_COLUMNS, Frame
from .plan import Source, confidential, sources, status, with_alternatives

THOUSAND = 1000


def observations(seed: int, plan: list[Source] | None = None) -> Iterator[Observation]:
    """Every observation of the dataset for ``seed``, source by source; within a source series by
    series (all years of a series together: the store then looks up far fewer series per batch)."""
    for source in plan if plan is not None else sources(seed):
        yield from sorted(source_observations(seed, source), key=lambda o: (o.table, o.key, o.time))


def source_observations(seed: int, source: Source) -> Iterator[Observation]:
    """The observations of one source, year by year, table by table, basis by basis."""
    for year in source.years:
        frame = Frame(seed, countries()[source.country], source, year)
        for table_no in source.tables[year]:
            for basis in source.bases:
                yield from _table(seed, frame, structure().table(table_no), basis)


def _table(seed: int, frame: Frame, table: Table, basis: str) -> Iterator[Observation]:
    source, time = frame.source, str(frame.year)
    common = {"REF_AREA": source.country, "SOURCE": source.code, "BASIS": basis}
    prefix = tuple(common[d] for d in table.key_order[:-len(axes(table))])   # the cube holds the rest
    flag = status(source, frame.year, table.number)
    provenance = f"ilms demo --seed {seed}"
    if table.number in WAGE_TABLES:
        for key, value in wages(table.number, frame, basis):
            yield Observation(table.number, prefix + key, time, value, status=flag, unit_mult="0",
                              currency=frame.country.currency, decimals=0, provenance=provenance)
        return
    alt = has_alternatives(table) and with_alternatives(seed, source, table.number)
    partner = next((i for i, d in enumerate(axes(table)) if d in PARTNER_COLUMNS), None)
    cube = persons(table.number, frame, basis, alt)
    for key, n in cube.items():
        full = prefix + key
        secret = confidential(seed, table.number, full, time, n, None if partner is None else key[partner])
        yield Observation(table.number, full, time, n / THOUSAND, status=flag, confidential=secret,
                          unit_mult=table.unit.unit_mult, decimals=3, provenance=provenance)
