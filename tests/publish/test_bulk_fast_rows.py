"""The bulk build's tidy files through ``tidy.cell_rows`` (cells cached per series and flags) are
byte for byte what the row-by-row reference wrote (``tidy.rows`` through ``write_csv``): the
per-table tidy CSV and the all-tables file, on random public observations of every table."""
from __future__ import annotations

import io
import random
from itertools import groupby

from ilms.observation import Observation
from ilms.publish import tidy
from ilms.publish.bulk_formats import OWN_SLOTS, all_header, all_rows
from ilms.publish.tabular import write_csv
from ilms.tables import COMMON_DIMENSIONS, structure

NOTES = (None, None, "C6:1058", "T2:85_R1:3513", 'a, "quoted" note', "line\nbreak", "=formula", "-1.5", "")
NAMES = {"BA_1": "Labour force survey, \"LFS\"", "XA_2": "=register"}


def random_observations(rng: random.Random, table_no: int, n: int) -> list[Observation]:
    table = structure().table(table_no)
    keys = set()
    for _ in range(n):
        keys.add(tuple(rng.choice(("BA_1", "XA_2", "ZZ_9")) if d.id == "SOURCE" else
                       rng.choice([c.id for c in d.codelist.codes] or ["X"]) for d in table.dimensions))
    out = []
    for key in sorted(keys):
        for year in sorted(rng.sample(range(2000, 2025), rng.randint(1, 4))):
            confidential = rng.random() < 0.1
            value = rng.choice((0.0, 1e-7, 1430.842, -2.5, 12345678912345.0, round(rng.uniform(0, 1e6), 3)))
            out.append(Observation(
                table_no, key, str(year), None if confidential else value,
                status=rng.choice((None, None, "E", "P", "B")), confidential=confidential,
                note_classif=rng.choice(NOTES), note_indicator=rng.choice(NOTES), note_source=rng.choice(NOTES),
                comment=rng.choice(NOTES), unit_mult=rng.choice((None, None, "3")),
                currency=rng.choice((None, "THB", "USD")) if table.unit.currency_required else None,
                decimals=rng.choice((None, 0, 1, 3))))
    return out


def reference_all_rows(observations, names):
    """The all-tables rows as they were made before: ``tidy.rows``, cells converted by ``write_csv``."""
    n_common = len(COMMON_DIMENSIONS)
    for table_no, group in groupby(observations, key=lambda o: o.table):
        table = structure().table(table_no)
        own = [d.id for d in table.own_dimensions]
        n_dims = len(table.key_order)
        for row in tidy.rows(table_no, group, names):
            dims, tail = row[:2 * n_dims], row[2 * n_dims:]
            out = [table_no, table.id] + dims[:2 * n_common]
            for slot in range(OWN_SLOTS):
                out += [own[slot], dims[2 * (n_common + slot)], dims[2 * (n_common + slot) + 1]] \
                    if slot < len(own) else [None, None, None]
            if not table.unit.currency_required:
                tail.insert(tidy.TAIL.index("UNIT_MULT") + 1, None)
            yield out + tail


def test_tidy_and_all_tables_files_are_the_reference_bytes():
    rng = random.Random(1612)
    every = []
    for table_no in sorted(structure().tables):
        observations = random_observations(rng, table_no, rng.randint(0, 25))
        every += observations
        fast, reference = io.StringIO(), io.StringIO()
        assert tidy.write(fast, table_no, observations, NAMES) == len(observations)
        write_csv(reference, tidy.header(table_no), tidy.rows(table_no, observations, NAMES))
        assert fast.getvalue() == reference.getvalue(), table_no
    assert any(o.value is None for o in every) and any(o.currency for o in every)
    fast, reference = io.StringIO(), io.StringIO()
    assert write_csv(fast, all_header(), all_rows(every, NAMES), cells=True) == len(every)
    write_csv(reference, all_header(), reference_all_rows(every, NAMES))
    assert fast.getvalue() == reference.getvalue()
