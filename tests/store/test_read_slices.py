"""The one-country fast path of ``store.read`` (a seek on the series key's area prefix) returns
exactly what the reference path does: the whole table read and filtered in Python, on random
queries over random data with history (several areas, sources, cuts, deletions)."""
from __future__ import annotations

import random

from ilms.observation import Observation
from ilms.store import read, write
from ilms.store.read import Selection

from .helpers import with_sources

AREAS = ("THA", "THA", "MYS", "SGP", "LAO", "KHM")       # THA twice: more of it


def test_one_country_slices_equal_the_filtered_table(engine):
    rng = random.Random(20261201)
    cuts = []
    with engine.begin() as conn:
        for area in set(AREAS):
            with_sources(conn, "BA_1", "XA_2", area=area)
    for round_ in range(3):
        cells = {}
        for _ in range(150):
            area = rng.choice(AREAS)
            key = (area, rng.choice(("BA_1", "XA_2")), "_Z", rng.choice(("SEX_T", "SEX_M", "SEX_F")),
                   rng.choice(("MYS", "SGP", "THA", "TOTAL", "JPN")))
            cells[(key, str(rng.randint(2010, 2024)))] = round(rng.uniform(0, 100), 1)
        with engine.begin() as conn:
            cuts.append(write.write(conn, [Observation(15, k, t, v, confidential=rng.random() < 0.1)
                                           for (k, t), v in cells.items()], kind="load", by="t").changeset_id)
            if round_ == 1:
                gone = rng.sample(sorted(cells), 10)
                cuts.append(write.delete(conn, [(15, k, t) for k, t in gone], by="t").changeset_id)
    with engine.connect() as conn:
        for _ in range(25):
            area = rng.choice(AREAS + ("VNM",))                 # VNM: no data at all
            cut = rng.choice(cuts + [None])
            start = rng.choice((None, "2015"))
            public = rng.random() < 0.5
            fast = list(read.observations(conn, Selection(table=15, filters={"REF_AREA": (area,)}, cut=cut,
                                                          start=start), public=public))
            reference = [o for o in read.observations(conn, Selection(table=15, cut=cut, start=start), public=public)
                         if o.ref_area == area]
            assert fast == reference, (area, cut, start)
            assert all(o.ref_area == area for o in fast)
        assert any(read.observations(conn, Selection(table=15, filters={"REF_AREA": ("THA",)})))
