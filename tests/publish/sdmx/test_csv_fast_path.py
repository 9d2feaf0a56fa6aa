"""The SDMX-CSV fast path (``labels=id``: per-series cells built once) writes the same bytes as the
reference path (every cell through ``component_value``), on random tables, observations and options."""
from __future__ import annotations

import random

import pytest

from ilms.observation import Observation
from ilms.publish.sdmx.data import DataOptions, MessageHeader, media_types, write_data
from ilms.publish.sdmx.data import csv_common
from ilms.tables import structure

CSV = [m for m in media_types() if "+csv" in m]
HEADER = MessageHeader(id="IREF1", release="2025-1", checksum="ab" * 32)
NOTES = (None, "C6:1058", "T2:85_R1:3513", 'a, "quoted" note', "line\nbreak")


def random_observations(rng: random.Random, table, n_series: int) -> list[Observation]:
    out = []
    for _ in range(n_series):
        key = tuple(rng.choice([c.id for c in d.codelist.codes][:6]) if d.id not in ("SOURCE",)
                    else rng.choice(("BA_453", "XA_1")) for d in table.dimensions)
        for year in sorted(rng.sample(range(1995, 2025), rng.randint(1, 6))):
            confidential = rng.random() < 0.15
            out.append(Observation(
                table.number, key, str(year), None if confidential and rng.random() < 0.5 else
                rng.choice((0.0, 1e-7, 1430.842, 12345678912345.0, rng.uniform(-1e6, 1e6))),
                status=rng.choice((None, "E", "P", "B")), confidential=confidential,
                note_classif=rng.choice(NOTES), note_indicator=rng.choice(NOTES), note_source=rng.choice(NOTES),
                comment=rng.choice(NOTES), currency="VND" if table.unit.currency_required else None,
                decimals=rng.choice((None, 0, 1, 3))))
    out.sort(key=lambda o: (o.key, o.time))
    return out


def body(table, obs, media_type, options) -> bytes:
    return b"".join(write_data(table, obs if hasattr(obs, "row_batches") else iter(obs), media_type, options))


@pytest.mark.parametrize("seed", range(6))
def test_the_csv_fast_path_writes_the_reference_bytes(seed, monkeypatch):
    rng = random.Random(seed)
    for _ in range(8):
        table = structure().table(rng.randint(1, 17))
        obs = random_observations(rng, table, rng.randint(1, 12))
        media_type = rng.choice(CSV)
        options = DataOptions(header=HEADER, detail=rng.choice(("full", "full", "dataonly")),
                              attributes=rng.choice(("dsd", "all", "none", "obs")),
                              measures=rng.choice(("all", "all", "none")), labels="id")
        fast = body(table, obs, media_type, options)
        with monkeypatch.context() as m:
            m.setattr(csv_common, "_id_rows", csv_common.reference_rows)
            reference = body(table, obs, media_type, options)
        assert fast == reference, (table.number, media_type, options)
        assert fast.count(b"\r\n") >= len(obs) + 1        # a header and a line (at least) per observation


class _Rows:
    """What ``store.read.PublicRead`` gives a writer: the observations, and as the driver's tuples
    (``read.ROW_FIELDS``; SQLite's 0/1 flags), in batches; records which one the writer took."""

    def __init__(self, observations: list[Observation], batch: int):
        self.observations, self.batch, self.taken = observations, batch, None

    def __iter__(self):
        self.taken = "observations"
        return iter(self.observations)

    def row_batches(self):
        self.taken = "rows"
        rows = [(".".join(o.key), o.time, o.value, o.status, int(o.confidential), o.note_classif, o.note_indicator,
                 o.note_source, o.comment, o.unit_mult, o.currency, o.decimals) for o in self.observations]
        return (rows[i:i + self.batch] for i in range(0, len(rows), self.batch))


@pytest.mark.parametrize("seed", range(6))
def test_the_csv_rows_path_writes_the_reference_bytes(seed, monkeypatch):
    rng = random.Random(100 + seed)
    for _ in range(8):
        table = structure().table(rng.randint(1, 17))
        obs = random_observations(rng, table, rng.randint(1, 12))
        media_type = rng.choice(CSV)
        options = DataOptions(header=HEADER, detail=rng.choice(("full", "full", "dataonly")),
                              attributes=rng.choice(("dsd", "all", "none", "obs", "OBS_CONF,COMMENT")),
                              measures=rng.choice(("all", "all", "none")), labels="id")
        source = _Rows(obs, rng.choice((1, 5, 1000)))
        fast = body(table, source, media_type, options)
        assert source.taken == "rows"           # one dataflow, labels=id: the usual message
        with monkeypatch.context() as m:
            m.setattr(csv_common, "_id_rows", csv_common.reference_rows)
            reference = body(table, obs, media_type, options)
        assert fast == reference, (table.number, media_type, options)
