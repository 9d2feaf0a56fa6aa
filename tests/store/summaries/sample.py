"""A small published database with corridors seen from both sides, for the summaries and the
portal pages (hand-checked figures in the comments).

Changesets: A load (below) -> release "S-1" published (cut = A) -> B a later correction and a
deletion that the public must not see (and an unpublished release).

THA (destination) reports, 2020, sex total:
  table 3  BA_1 BIR: TOTAL 100, MMR 60, LAO 30, KHM 5 (confidential)
           BA_1 CIT: TOTAL 90, MMR 55                    (basis CIT: BIR is preferred)
           AA_2 BIR: TOTAL 120, MMR 70                   (a census: the survey BA is preferred)
           BA_1 BIR 2019: TOTAL 95, MMR 58
  table 9  XA_4 BIR: TOTAL 25, MMR 10
  table 5  BA_1 BIR 2020: total employment 1000, migrants 80; A: 300 / 20; F: 70 / 30
  table 8  BA_1 BIR 2020: migrants 9000, non-migrants 12000 (ratio 0.75)
MMR (origin) reports:
  table 13 EA_5 _Z 2020: TOTAL 500, THA 70, MYS 40
  table 15 XA_6 _Z 2020: TOTAL 20, THA 12, SGP 3; 2019: THA 8
After the release (unpublished): THA table 3 MMR 2020 -> 999; MMR table 13 MYS 2020 deleted.
"""
from __future__ import annotations

from dataclasses import dataclass

from ilms.observation import Observation
from ilms.store import releases, sources, write

SOURCES = {"BA_1": ("THA", "Labour Force Survey"), "AA_2": ("THA", "Population Census"),
           "XA_4": ("THA", "Work permit records"), "EA_5": ("MMR", "Estimates of nationals abroad"),
           "XA_6": ("MMR", "Overseas deployment records")}


def t3(src, basis, origin, year, value, sex="SEX_T", **kw):
    return Observation(3, ("THA", src, basis, sex, origin), year, value, **kw)


def t9(origin, value):
    return Observation(9, ("THA", "XA_4", "BIR", "SEX_T", origin), "2020", value)


def t5(eco, mig, value):
    return Observation(5, ("THA", "BA_1", "BIR", "SEX_T", eco, mig), "2020", value)


def t8(mig, value):
    return Observation(8, ("THA", "BA_1", "BIR", "SEX_T", mig), "2020", value, currency="THB")


def t13(residence, value):
    return Observation(13, ("MMR", "EA_5", "_Z", "SEX_T", residence), "2020", value, status="E")


def t15(dest, year, value):
    return Observation(15, ("MMR", "XA_6", "_Z", "SEX_T", dest), year, value)


LOAD = [
    t3("BA_1", "BIR", "TOTAL", "2020", 100.0, note_source="R1:3513"), t3("BA_1", "BIR", "MMR", "2020", 60.0),
    t3("BA_1", "BIR", "LAO", "2020", 30.0), t3("BA_1", "BIR", "KHM", "2020", 5.0, confidential=True, status="C"),
    t3("BA_1", "CIT", "TOTAL", "2020", 90.0), t3("BA_1", "CIT", "MMR", "2020", 55.0),
    t3("AA_2", "BIR", "TOTAL", "2020", 120.0), t3("AA_2", "BIR", "MMR", "2020", 70.0),
    t3("BA_1", "BIR", "TOTAL", "2019", 95.0), t3("BA_1", "BIR", "MMR", "2019", 58.0),
    t9("TOTAL", 25.0), t9("MMR", 10.0),
    t5("ECO_ISIC4_TOTAL", "MIG_STATUS_TOTAL", 1000.0), t5("ECO_ISIC4_TOTAL", "MIG_STATUS_MIGRANT", 80.0),
    t5("ECO_ISIC4_A", "MIG_STATUS_TOTAL", 300.0), t5("ECO_ISIC4_A", "MIG_STATUS_MIGRANT", 20.0),
    t5("ECO_ISIC4_F", "MIG_STATUS_TOTAL", 70.0), t5("ECO_ISIC4_F", "MIG_STATUS_MIGRANT", 30.0),
    t8("MIG_STATUS_MIGRANT", 9000.0), t8("MIG_STATUS_NONMIG", 12000.0),
    t13("TOTAL", 500.0), t13("THA", 70.0), t13("MYS", 40.0),
    t15("TOTAL", "2020", 20.0), t15("THA", "2020", 12.0), t15("SGP", "2020", 3.0), t15("THA", "2019", 8.0),
]


@dataclass(frozen=True)
class Sample:
    cut: int          # the published release's cut
    later: int        # the last (unpublished) changeset after it


def build(engine) -> Sample:
    with engine.begin() as conn:
        for code, (area, name) in SOURCES.items():
            sources.upsert(conn, code, area, name=name, agency="Statistics office", notes="sample note")
        a = write.write(conn, LOAD, kind="load", by="pytest", reason="sample")
        releases.create(conn, "S-1", by="pytest", description="sample release")
        releases.publish(conn, "S-1", by="pytest")
    with engine.begin() as conn:
        write.write(conn, [t3("BA_1", "BIR", "MMR", "2020", 999.0)], kind="correction", by="pytest",
                        reason="later")
        d = write.delete(conn, [(13, ("MMR", "EA_5", "_Z", "SEX_T", "MYS"), "2020")], by="pytest", reason="later")
        releases.create(conn, "S-2", by="pytest")
    return Sample(a.changeset_id, d.changeset_id)
