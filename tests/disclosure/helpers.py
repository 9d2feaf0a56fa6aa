"""Small hand-made tables for the disclosure tests, and the plumbing to suppress and audit them."""
from __future__ import annotations

from ilms.disclosure.audit import audit_component
from ilms.disclosure.settings import Settings
from ilms.disclosure.suppression import suppress_component
from ilms.disclosure.system import CURRENT, build
from ilms.observation import Observation

HEAD = ("THA", "XA_9083", "CIT")
YEAR = "2020"


def t09(sex: str, origin: str, value: float, *, confidential: bool = False, head=HEAD, year=YEAR) -> Observation:
    """A table-9 cell (inflows of working-age migrants by country of origin), 3 decimals."""
    return Observation(9, (*head, sex, origin), year, value, status="C" if confidential else None,
                       confidential=confidential, decimals=3)


def t10(sex: str, edu: str, value: float, *, head=HEAD, year=YEAR, confidential: bool = False) -> Observation:
    return Observation(10, (*head, sex, edu), year, value, confidential=confidential, decimals=3)


def sex_by_origin(men: dict[str, float], women: dict[str, float], confidential=(), **kw) -> list[Observation]:
    """Men, women and both sexes by origin, with the totals, adding up exactly (in thousandths)."""
    out = []
    rows = {"SEX_M": dict(men), "SEX_F": dict(women)}
    rows["SEX_T"] = {o: round(men[o] + women[o], 3) for o in men}
    for sex, cells in rows.items():
        cells["TOTAL"] = round(sum(cells.values()), 3)
        for origin, value in cells.items():
            out.append(t09(sex, origin, value, confidential=(sex, origin) in confidential, **kw))
    return out


#: the issue's example: women from India confidential, men 0.205 and both sexes 0.395 published
ISSUE = dict(men={"IND": 0.205, "CHN": 1.2, "X": 5.0}, women={"IND": 0.19, "CHN": 1.1, "X": 4.0})


def key(sex: str, origin: str, head=HEAD, year=YEAR, table=9):
    return (table, (*head, sex, origin), year)


def suppress(cells, settings=Settings(), **kw) -> tuple[set, list]:
    """(the withheld cells, every proof of the final audit) over all components."""
    system = build(cells, **kw)
    system.make_consistent(settings.time_limit)
    withheld, proofs = set(), []
    for comp in system.components():
        outcome = suppress_component(comp, settings)
        withheld |= {system.columns[j].cell for j in outcome.withheld}
        proofs.extend(outcome.proofs)
    return withheld, proofs


def audit(cells, withheld=(), settings=Settings(), **kw) -> list:
    """The audit's proofs with ``withheld`` (cells of the current release) masked."""
    system = build(cells, **kw)
    system.make_consistent(settings.time_limit)
    hidden = {system.index[(CURRENT, c)] for c in withheld}
    return [p for comp in system.components() for p in audit_component(comp, settings, hidden)]
