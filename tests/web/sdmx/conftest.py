"""A small database with history for the SDMX service, on each backend.

Changesets, in order:
  1  load        table 5 (THA, three series, 2019-2020) and table 15 (PHL)
  -- release "R1" published (cut 1)
  2  correction  THA SEX_T total 2020: 100 -> 110; a new THA 2021 value
  -- release "R2" published (cut 2)
  3  correction  THA SEX_T total 2020: 110 -> 999 (never published: must never be served)
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ilms.observation import Observation
from ilms.store import changesets, releases, sources, write
from ilms.web import create_app
from ilms.web.sdmx import outputs

PROBE = "application/vnd.sdmx.data+csv;version=1.0.0"


def t5(sex: str, eco: str, time_: str, value: float, **kw) -> Observation:
    return Observation(5, ("THA", "BA_453", "BIR", sex, eco, "MIG_STATUS_TOTAL"), time_, value, **kw)


FIRST = [
    t5("SEX_T", "ECO_ISIC4_TOTAL", "2019", 95.0),
    t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 100.0),
    t5("SEX_M", "ECO_ISIC4_TOTAL", "2020", 60.0),
    t5("SEX_F", "ECO_ISIC4_TOTAL", "2020", 40.0),
    t5("SEX_F", "ECO_ISIC4_A", "2020", 1.5, confidential=True, status="C"),
    Observation(15, ("PHL", "XA_0001", "_Z", "SEX_T", "TOTAL"), "2020", 300.0),
]


@dataclass
class Db:
    engine: object
    client: TestClient
    between: str        # a time after changeset 1 and before changeset 2 (ISO)


def _at(engine, changeset_id: int):
    with engine.connect() as conn:
        return changesets.get(conn, changeset_id)["created_at"]


@pytest.fixture
def db(engine) -> Db:
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name="Labour Force Survey")
        sources.upsert(conn, "XA_0001", "PHL", name="Overseas employment registry")
        first = write.write(conn, FIRST, kind="load", by="pytest")
        releases.create(conn, "R1", by="pytest")
        releases.publish(conn, "R1", by="pytest")
    time.sleep(0.05)
    with engine.begin() as conn:
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 110.0), t5("SEX_T", "ECO_ISIC4_TOTAL", "2021", 120.0)],
                    kind="correction", by="pytest")
        releases.create(conn, "R2", by="pytest")
        releases.publish(conn, "R2", by="pytest")
    time.sleep(0.05)
    with engine.begin() as conn:
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 999.0)], kind="correction", by="pytest")
    between = _at(engine, first.changeset_id)
    return Db(engine, TestClient(create_app(engine)), between.isoformat().replace("+00:00", "Z"))


def probe_writer(table, observations, **options):
    """A test double for a data writer: one line per observation, ``key|time|value``."""
    yield f"# {table.id} {options.get('dimension_at_observation')} {options.get('detail')}\n"
    for obs in observations:
        yield f"{'.'.join(obs.key)}|{obs.time}|{'' if obs.value is None else obs.value}\n"


@pytest.fixture
def probe(monkeypatch):
    """Route data through the probe writer (so these tests check the query, not a format)."""
    monkeypatch.setitem(outputs.EXTRA_DATA_WRITERS, PROBE, probe_writer)
    return {"Accept": PROBE}


def rows(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200, response.text
    return [tuple(line.split("|")) for line in response.text.splitlines() if not line.startswith("#")]
