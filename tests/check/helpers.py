"""Small hand-made observations for rule tests."""
from __future__ import annotations

from ilms.check import Dataset, run
from ilms.observation import Observation
from ilms.tables import structure

DEFAULT_BASIS = {"A": "BIR", "B": "BIR", "C": "_Z"}
_line = iter(range(2, 10**6))


def obs(table: int, value, time: str = "2020", *, area: str = "PHL", source: str = "BA_1", basis: str | None = None,
        sex: str = "SEX_T", decimals: int | None = 3, status=None, currency=None, unit_mult=None,
        confidential=False, **codes) -> Observation:
    t = structure().table(table)
    key = {"REF_AREA": area, "SOURCE": source, "BASIS": basis or DEFAULT_BASIS[t.module], "SEX": sex, **codes}
    return Observation(table, t.key_tuple(key), time, value, decimals=decimals, status=status, currency=currency,
                       unit_mult=unit_mult, confidential=confidential, provenance=f"test.csv:{next(_line)}")


def findings(observations, rule: str, **dataset_options):
    return run(Dataset(observations, **dataset_options), only=[rule])


def sexes(table: int, total, male, female, **kw) -> list[Observation]:
    return [obs(table, total, sex="SEX_T", **kw), obs(table, male, sex="SEX_M", **kw),
            obs(table, female, sex="SEX_F", **kw)]


def hold(conn, observations) -> None:
    """Write observations to the store (their sources first), as data already held."""
    from ilms.store import sources
    from ilms.store.write import write
    observations = list(observations)
    sources.ensure(conn, {o.key[1]: o.key[0] for o in observations})
    write(conn, observations, kind="load", by="test")
