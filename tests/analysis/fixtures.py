"""A small hand-made release for the analysis tests: few cells, values chosen so that every
expected indicator can be worked out by hand (the tests say how)."""
from __future__ import annotations

from ilms.observation import Observation
from ilms.store import releases, sources, write

TOTAL_AGE = "AGE_10YRBANDS_TOTAL"


def t1(area, source, basis, lms, mig, value, *, year="2020", sex="SEX_T", **kw):
    return Observation(1, (area, source, basis, sex, TOTAL_AGE, lms, mig), year, value, **kw)


def cell(table, area, source, basis, codes, value, *, year="2020", sex="SEX_T", **kw):
    return Observation(table, (area, source, basis, sex, *codes), year, value, **kw)


def small_release() -> list[Observation]:
    obs = [
        # THA, place of birth, 2020: WAP 100 (10 migrants), LF 60 (8), employed 57 (7.5), unemployed 3 (0.5)
        t1("THA", "BA_1", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 100),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_MIGRANT", 10, status="E"),   # an estimate
        t1("THA", "BA_1", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_NONMIG", 90),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_LF", "MIG_STATUS_TOTAL", 60),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_LF", "MIG_STATUS_MIGRANT", 8),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_LF", "MIG_STATUS_NONMIG", 52),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_EMP", "MIG_STATUS_TOTAL", 57),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_EMP", "MIG_STATUS_MIGRANT", 7.5),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_UNE", "MIG_STATUS_TOTAL", 3),
        t1("THA", "BA_1", "BIR", "LMS_STATUS_UNE", "MIG_STATUS_MIGRANT", 0.5),
        # MYS, place of birth: WAP 50 (20 migrants), LF 30 (15)
        t1("MYS", "BA_2", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 50),
        t1("MYS", "BA_2", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_MIGRANT", 20),
        t1("MYS", "BA_2", "BIR", "LMS_STATUS_LF", "MIG_STATUS_TOTAL", 30),
        t1("MYS", "BA_2", "BIR", "LMS_STATUS_LF", "MIG_STATUS_MIGRANT", 15),
        # MYS, citizenship (another source): WAP 50, 5 non-citizens -- never pooled with BIR
        t1("MYS", "BA_3", "CIT", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 50),
        t1("MYS", "BA_3", "CIT", "LMS_STATUS_TOTAL", "MIG_STATUS_MIGRANT", 5),
        # PHL: the migrants' number is confidential, so PHL has no share (masked, not zero)
        t1("PHL", "BA_4", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 40),
        t1("PHL", "BA_4", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_MIGRANT", 3, confidential=True),
        # table 5, THA: migrants employed 10 (A 4, C 6); everyone 100 (A 20, C 80)
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_TOTAL", "MIG_STATUS_MIGRANT"), 10),
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_A", "MIG_STATUS_MIGRANT"), 4),
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_C", "MIG_STATUS_MIGRANT"), 6),
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_TOTAL", "MIG_STATUS_TOTAL"), 100),
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_A", "MIG_STATUS_TOTAL"), 20),
        cell(5, "THA", "BA_1", "BIR", ("ECO_ISIC4_C", "MIG_STATUS_TOTAL"), 80),
        # table 6, THA: only groups 1 and 2 of the high-skill trio (1-3) reported: no high-skill share
        cell(6, "THA", "BA_1", "BIR", ("OCU_ISCO08_TOTAL", "MIG_STATUS_MIGRANT"), 10),
        cell(6, "THA", "BA_1", "BIR", ("OCU_ISCO08_1", "MIG_STATUS_MIGRANT"), 1),
        cell(6, "THA", "BA_1", "BIR", ("OCU_ISCO08_2", "MIG_STATUS_MIGRANT"), 1),
        cell(6, "THA", "BA_1", "BIR", ("OCU_ISCO08_9", "MIG_STATUS_MIGRANT"), 5),
        # table 8, THA wages: migrants 800, all employees 1000 -> gap 20 %
        cell(8, "THA", "BA_1", "BIR", ("MIG_STATUS_MIGRANT",), 800, currency="THB"),
        cell(8, "THA", "BA_1", "BIR", ("MIG_STATUS_TOTAL",), 1000, currency="THB"),
        # table 3, THA by origin: total 10 (women 4); MMR 5, KHM 2 (members), CHN 1, TLS 1 (member only from 2025)
        cell(3, "THA", "BA_1", "BIR", ("TOTAL",), 10),
        cell(3, "THA", "BA_1", "BIR", ("TOTAL",), 4, sex="SEX_F"),
        cell(3, "THA", "BA_1", "BIR", ("MMR",), 5),
        cell(3, "THA", "BA_1", "BIR", ("KHM",), 2),
        cell(3, "THA", "BA_1", "BIR", ("CHN",), 1),
        cell(3, "THA", "BA_1", "BIR", ("TLS",), 1),
    ]
    return obs


def load(engine, observations=None, *, name="r1", publish=True):
    observations = small_release() if observations is None else observations
    with engine.begin() as conn:
        sources.ensure(conn, {o.source: o.ref_area for o in observations})
        write.write(conn, observations, kind="load", by="pytest")
        releases.create(conn, name, by="pytest")
        if publish:
            releases.publish(conn, name, by="pytest")
    return name
