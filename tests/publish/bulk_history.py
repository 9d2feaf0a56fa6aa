"""A small hand-made history with two published releases, for the bulk download and diff tests.

  A  load       T5 THA: total 2020 (100), female 2020 (40, flag P), female agriculture 2020
                (1.5, confidential); T5 THA 2019 total (95, note R1:3513);
                T15 PHL: total 2020 (300), SAU 2020 (120.5), female total 2021 (150, comment)
  -- release R1 published (cut A)
  B  correction T5 THA total 2020: 100 -> 110            (revised)
                T5 THA female 2020: flag P -> E          (revised: the flag alone)
                T5 THA female agriculture: 1.5 -> 2.5    (confidential: not a public revision)
                T5 VNM total 2020: new                   (added)
  C  delete     T15 PHL SAU 2020                         (removed)
                T15 PHL female total 2021                (deleted here ...)
  D  load       T15 PHL female total 2021, as before     (... and back, unchanged: no change)
  -- release R2 published (cut D); release R3 created, not published (cut E)
  E  correction T5 THA total 2020: 110 -> 130
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ilms.observation import Observation
from ilms.store import releases, sources, write

THA = ("THA", "BA_453", "BIR")
VNM = ("VNM", "BA_500", "BIR")
PHL = ("PHL", "XA_0001", "_Z")


def t5(area, sex, eco, year, value, **kw) -> Observation:
    return Observation(5, (*area, sex, eco, "MIG_STATUS_TOTAL"), year, value, **kw)


def t15(sex, dest, year, value, **kw) -> Observation:
    return Observation(15, (*PHL, sex, dest), year, value, **kw)


FIRST = [
    t5(THA, "SEX_T", "ECO_ISIC4_TOTAL", "2020", 100.0),
    t5(THA, "SEX_F", "ECO_ISIC4_TOTAL", "2020", 40.0, status="P"),
    t5(THA, "SEX_F", "ECO_ISIC4_A", "2020", 1.5, confidential=True, status="C"),
    t5(THA, "SEX_T", "ECO_ISIC4_TOTAL", "2019", 95.0, note_source="R1:3513"),
    t15("SEX_T", "TOTAL", "2020", 300.0),
    t15("SEX_T", "SAU", "2020", 120.5),
    t15("SEX_F", "TOTAL", "2021", 150.0, comment="=provisional"),
]

#: expected changes of R2 against R1, by (table, country)
EXPECTED_R2 = {(5, "THA"): {"added": 0, "revised": 2, "removed": 0},
               (5, "VNM"): {"added": 1, "revised": 0, "removed": 0},
               (15, "PHL"): {"added": 0, "revised": 0, "removed": 1}}


@dataclass
class History:
    engine: object
    r1: str = "R1"
    r2: str = "R2"
    unpublished: str = "R3"


def _pause():
    time.sleep(0.002)       # distinct publication times, whatever the clock's resolution


def make_history(engine) -> History:
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name="Labour Force Survey", agency="National Statistical Office")
        sources.upsert(conn, "BA_500", "VNM", name="Labour Force Survey (VNM)")
        sources.upsert(conn, "XA_0001", "PHL", name="Overseas employment registry")
        write.write(conn, FIRST, kind="load", by="pytest")
        releases.create(conn, "R1", by="pytest", description="first release")
        releases.publish(conn, "R1", by="pytest")
    _pause()
    with engine.begin() as conn:
        write.write(conn, [t5(THA, "SEX_T", "ECO_ISIC4_TOTAL", "2020", 110.0),
                           t5(THA, "SEX_F", "ECO_ISIC4_TOTAL", "2020", 40.0, status="E"),
                           t5(THA, "SEX_F", "ECO_ISIC4_A", "2020", 2.5, confidential=True, status="C"),
                           t5(VNM, "SEX_T", "ECO_ISIC4_TOTAL", "2020", 900.0)],
                    kind="correction", by="pytest", reason="revisions")
        write.delete(conn, [(15, (*PHL, "SEX_T", "SAU"), "2020"), (15, (*PHL, "SEX_F", "TOTAL"), "2021")],
                     by="pytest")
        write.write(conn, [t15("SEX_F", "TOTAL", "2021", 150.0, comment="=provisional")], kind="load", by="pytest")
        releases.create(conn, "R2", by="pytest", description="second release: revisions")
        _pause()
        releases.publish(conn, "R2", by="pytest")
    _pause()
    with engine.begin() as conn:
        write.write(conn, [t5(THA, "SEX_T", "ECO_ISIC4_TOTAL", "2020", 130.0)], kind="correction", by="pytest")
        releases.create(conn, "R3", by="pytest", description="not published")
    return History(engine)
