"""The fast read path (``store.read.observations``: the driver's tuples, no SQLAlchemy row) and the
fast writers (cached per series, period and attribute tuple) give exactly what the reference paths
give, on random queries over random data with history, deletions, confidential cells and a
release's secondary suppression pattern -- on SQLite and PostgreSQL:

* ``read.observations`` == ``read.reference_observations`` (SQLAlchemy rows, ``_from_tuple``), public
  or not, under random selections (filters with several codes, one country, periods, cuts,
  changes after a cut, other orders); ``read.public_rows`` (masked by the database) is the same
  public observations as tuples;
* every served format from the fast read is byte for byte the reference: the JSON API's JSON
  (``json.dumps(record(...))``) and tidy CSV (``tidy.rows`` through ``write_csv``; also from
  ``read.PublicRead``'s driver tuples), SDMX-CSV (its
  ``reference_rows``; also from ``read.PublicRead``'s driver tuples), and every other SDMX data format
  from the reference read (SDMX-JSON and structure-specific SDMX-ML also from ``read.PublicRead``'s
  driver tuples)."""
from __future__ import annotations

import io
import json
import random
from itertools import groupby

from sqlalchemy import insert, select

from ilms.observation import Observation
from ilms.publish import tidy
from ilms.publish.sdmx.data import DataOptions, MessageHeader, csv_common, media_types, write_data
from ilms.publish.sdmx.data.layout import Layout, observation_attributes
from ilms.publish.tabular import write_csv
from ilms.store import read, releases, write
from ilms.store.read import Selection
from ilms.store.schema import disclosure_cell, observation, release
from ilms.tables import structure
from ilms.web.formats import FORMATS
from ilms.web.models import DataMeta
from ilms.web.records import Labeller, record

from .helpers import with_sources

AREAS = ("THA", "THA", "MYS", "SGP", "LAO")
SOURCES = ("BA_1", "XA_2")
NOTES = (None, None, None, "C6:1058", "T2:85_R1:3513", 'a, "quoted" note', "line\nbreak", "=formula", "-1.5")
HEADER = MessageHeader(id="IREF1", release="R-2", checksum="ab" * 32)


def _random_cells(rng: random.Random, n: int) -> dict:
    cells = {}
    for _ in range(n):
        key = (rng.choice(AREAS), rng.choice(SOURCES), "_Z", rng.choice(("SEX_T", "SEX_M", "SEX_F")),
               rng.choice(("MYS", "SGP", "THA", "TOTAL", "JPN")))
        time = str(rng.randint(2010, 2024))
        cells[(key, time)] = dict(
            value=rng.choice((0.0, 1e-7, 1430.842, -2.5, 12345678912345.0, round(rng.uniform(0, 1e6), 3))),
            status=rng.choice((None, None, "E", "P", "B")), confidential=rng.random() < 0.1,
            note_classif=rng.choice(NOTES), note_source=rng.choice(NOTES), comment=rng.choice(NOTES),
            unit_mult=rng.choice((None, None, "3")), decimals=rng.choice((None, 0, 1, 3)))
    return cells


def _build(engine, rng: random.Random, monkeypatch) -> list[int]:
    """Three rounds of random table-15 data (revisions, deletions), a release after each; the second
    release withholds a few cells: a secondary suppression pattern written here at random (the
    solver's own pattern needs consistent data), so that the read's masking rule is what is tested."""
    monkeypatch.setattr(releases, "CREATE_HOOKS", [])
    monkeypatch.setattr(releases, "PUBLISH_CHECKS", [])
    with engine.begin() as conn:
        for area in set(AREAS):
            with_sources(conn, *SOURCES, area=area)
    cuts = []
    for round_ in range(3):
        cells = _random_cells(rng, 160)
        with engine.begin() as conn:
            cuts.append(write.write(conn, [Observation(15, k, t, **v) for (k, t), v in cells.items()],
                                    kind="load", by="t").changeset_id)
            if round_ == 1:
                gone = rng.sample(sorted(cells), 8)
                cuts.append(write.delete(conn, [(15, k, t) for k, t in gone], by="t").changeset_id)
            made = releases.create(conn, f"R-{round_ + 1}", by="t")
            releases.publish(conn, made.name, by="t")
            if round_ == 1:
                release_id = conn.execute(select(release.c.id).where(release.c.name == made.name)).scalar_one()
                cells_now = conn.execute(select(observation.c.series_id, observation.c.time_period)
                                         .where(observation.c.valid_to.is_(None))).all()
                conn.execute(insert(disclosure_cell), [
                    {"release_id": release_id, "series_id": sid, "time_period": time}
                    for sid, time in rng.sample(sorted(cells_now), 12)])
    return cuts


def _random_selection(rng: random.Random, cuts: list[int]) -> Selection:
    filters = {}
    if rng.random() < 0.5:
        filters["REF_AREA"] = tuple(rng.sample(("THA", "MYS", "SGP", "LAO", "VNM"), rng.choice((1, 1, 2))))
    if rng.random() < 0.3:
        filters["SEX"] = tuple(rng.sample(("SEX_T", "SEX_M", "SEX_F"), 2))
    if rng.random() < 0.2:
        filters["SOURCE"] = (rng.choice(SOURCES),)
    cut = rng.choice(cuts + [None])
    updated_after = rng.choice([c for c in cuts if cut is None or c < cut] or [None]) if rng.random() < 0.2 else None
    order = rng.choice(((), (), ("SEX", "REF_AREA", "SOURCE", "BASIS", "TIME_PERIOD", "DESTINATION:desc")))
    return Selection(table=15, filters=filters, cut=cut, start=rng.choice((None, "2015")),
                     end=rng.choice((None, "2022")), updated_after=updated_after,
                     include_deleted=updated_after is not None and rng.random() < 0.5, order=order)


def test_the_fast_read_returns_the_reference_observations(engine, monkeypatch):
    rng = random.Random(20261201)
    cuts = _build(engine, rng, monkeypatch)
    with engine.connect() as conn:
        withheld = 0
        for _ in range(40):
            sel = _random_selection(rng, cuts)
            public = rng.random() < 0.7
            fast = list(read.observations(conn, sel, public=public, batch=rng.choice((1, 7, 5000))))
            reference = list(read.reference_observations(conn, sel, public=public))
            assert fast == reference, (sel, public)
            # equality of dataclasses is loose (1 == True): the types of the flags are the reference's too
            assert [type(o.confidential) for o in fast] == [type(o.confidential) for o in reference]
            assert all(o.value is None for o in fast if public and o.confidential)
            withheld += sum(o.confidential for o in fast if public)
            if public:
                rows = [r for rows in read.public_rows(conn, sel, batch=rng.choice((1, 7, 5000))) for r in rows]
                as_rows = [(".".join(o.key), o.time, o.value, o.status, o.confidential, o.note_classif,
                            o.note_indicator, o.note_source, o.comment, o.unit_mult, o.currency, o.decimals)
                           for o in reference]
                assert [r[:4] + (bool(r[4]),) + r[5:] for r in rows] == as_rows, sel
        assert withheld, "the random queries never met a confidential or withheld cell"


def _api_reference(fmt: str, table, meta, observations, names) -> bytes:
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(buf, tidy.header(table.number), tidy.rows(table.number, observations, names))
        return buf.getvalue().encode("utf-8")
    labeller = Labeller(table, names)
    lines = [json.dumps(record(o, table, labeller), ensure_ascii=False, allow_nan=False) for o in observations]
    body = '{"meta": ' + meta.model_dump_json() + ', "observations": [' + ",".join("\n" + x for x in lines)
    return (body + f'\n], "count": {len(lines)}}}\n').encode("utf-8")


def test_every_format_from_the_fast_paths_is_the_reference(engine, monkeypatch):
    rng = random.Random(1201)
    cuts = _build(engine, rng, monkeypatch)
    table = structure().table(15)
    names = {"BA_1": "Labour force survey, \"LFS\"", "XA_2": "=register"}
    for _ in range(6):
        sel = _random_selection(rng, cuts)
        sel = Selection(table=15, filters=sel.filters, cut=sel.cut, start=sel.start, end=sel.end)   # canonical order
        with engine.connect() as conn:
            reference = list(read.reference_observations(conn, sel, public=True))
        meta = DataMeta(table=15, dataflow=table.id, basis="release", release=None, as_of=None, cut=sel.cut or 0,
                        synthetic=False, notice=None, notes=[], filters={}, start=None, end=None)
        for fmt in FORMATS.values():
            with engine.connect() as conn:
                fast = b"".join(fmt.render(table, meta, read.observations(conn, sel, public=True), names,
                                           rng.choice((1, 3, 500))))
            assert fast == _api_reference(fmt.name, table, meta, reference, names), (fmt.name, sel)
            served = b"".join(fmt.render(table, meta, read.PublicRead(engine, sel, rng.choice((1, 3, 500))), names,
                                         rng.choice((1, 3, 500))))
            assert served == fast, (fmt.name, sel)
        for media_type in media_types():
            options = DataOptions(header=HEADER, detail=rng.choice(("full", "full", "dataonly")),
                                  attributes=rng.choice(("dsd", "dsd", "none", "OBS_STATUS,COMMENT")))
            with engine.connect() as conn:
                fast = b"".join(write_data(table, read.observations(conn, sel, public=True), media_type, options))
            served = b"".join(write_data(table, read.PublicRead(engine, sel, rng.choice((1, 3, 500))), media_type,
                                         options))
            assert served == fast, (media_type, sel, options)
            with monkeypatch.context() as m:
                # the reference: SDMX-CSV's generic rows, the attributes through observation_attributes
                # (a dict per observation), the series by their series key
                m.setattr(csv_common, "_id_rows", csv_common.reference_rows)
                m.setattr(Layout, "attribute_tuple", property(lambda lo: lambda o: tuple(
                    observation_attributes(lo.table, o)[a] for a in lo.attributes)))
                m.setattr(Layout, "series", lambda lo, obs: groupby(obs, key=lo.series_key))
                expected = b"".join(write_data(table, iter(reference), media_type, options))
            assert fast == expected, (media_type, sel, options)
