"""Structural rules: codes, values, units and currency, and the metadata every table needs."""
from __future__ import annotations

import math
import re
from collections import defaultdict

import pycountry

from ...tables import structure
from ..arithmetic import fmt
from ..dataset import Dataset
from ..findings import Cell, Finding, Value
from ..registry import rule

PERIOD = re.compile(r"^\d{4}(Q[1-4]|M(0[1-9]|1[0-2]))?$")
WAGE_TABLES = tuple(t.number for t in structure().tables.values() if t.unit.currency_required)


def _cell(obs, role="cell"):
    try:
        return Cell.of(obs, role)
    except KeyError:
        return Cell(obs.table, {}, obs.time, None, obs.provenance, role)


def _finding(obs, message, suggestion=None, **kw):
    ref_area = obs.key[0] if obs.key else None
    return Finding(message, obs.table, ref_area, obs.time, (_cell(obs),), suggestion=suggestion, **kw)


@rule(id="struct.codes", title="Codes are valid", severity="error", category="structural", description="""
      Every cell is identified by valid codes: a table number from 1 to 17, one code for each of the
      table's dimensions, each taken from that dimension's code list (countries, sex, age, ISIC, ISCO,
      ...), a period written as a year (2023), a quarter (2023Q1) or a month (2023M01), and, when a
      cell is flagged, a flag from the list of observation flags.""")
def codes(ds: Dataset):
    s = structure()
    flags = s.codelists["CL_OBS_STATUS"]
    for obs in ds.observations:
        try:
            table = s.table(obs.table)
        except KeyError as exc:
            yield Finding(str(exc.args[0]), None, obs.key[0] if obs.key else None, obs.time, (_cell(obs),))
            continue
        if len(obs.key) != len(table.key_order):
            yield _finding(obs, f"Table {table.number}: a cell needs {len(table.key_order)} codes "
                                f"({', '.join(table.key_order)}), this one has {len(obs.key)}: {'.'.join(obs.key)}.")
            continue
        for dim, code in zip(table.dimensions, obs.key):
            if code not in dim.codelist:
                yield _finding(obs, f"Table {table.number}: {code!r} is not a code of {dim.name.lower()} "
                                    f"({dim.codelist.id}).", "Use a code from the list (`ilms tables "
                                    f"{table.number}` names the code lists).")
        if not PERIOD.match(str(obs.time)):
            yield _finding(obs, f"Table {table.number}: period {obs.time!r} is not a year (YYYY), quarter "
                                "(YYYYQn) or month (YYYYMmm).")
        if obs.status and obs.status not in flags:
            yield _finding(obs, f"Table {table.number}: flag {obs.status!r} is not an observation flag "
                                f"({', '.join(c.id for c in flags)}).")


@rule(id="struct.basis", title="Migrant basis fits the table", severity="error", category="structural",
      description="""
      Stock and inflow tables (modules A and B) count migrants either by place of birth (BIR) or by
      citizenship (CIT); tables of nationals abroad (module C) do not depend on it (_Z).""")
def basis(ds: Dataset):
    s = structure()
    allowed = {t.number: {m.fixed["BASIS"] for m in t.ilostat} for t in s.tables.values()}
    for obs in ds.observations:
        if obs.table in allowed and len(obs.key) > 2 and obs.key[2] not in allowed[obs.table]:
            yield _finding(obs, f"Table {obs.table}: basis {obs.key[2]!r} does not apply; use "
                                f"{' or '.join(sorted(allowed[obs.table]))}.")


@rule(id="struct.values", title="Values are numbers, not negative", severity="error", category="structural",
      description="""
      Every cell holds a number that is zero or more. A cell without a value must be left out, or
      flagged confidential when the value exists but may not be published.""")
def values(ds: Dataset):
    for obs in ds.observations:
        v = obs.value
        if v is None:
            if not obs.confidential:
                yield _finding(obs, f"Table {obs.table}: the cell has no value.",
                               "Leave the cell out, or give its value and flag it confidential.")
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            yield _finding(obs, f"Table {obs.table}: {v!r} is not a number.")
        elif not math.isfinite(v):
            yield _finding(obs, f"Table {obs.table}: {v!r} is not a finite number.")
        elif v < 0:
            yield _finding(obs, f"Table {obs.table}: {fmt(v)} is negative; counts and wages cannot be.")


@rule(id="struct.duplicates", title="Each cell given once", severity="error", category="structural",
      description="The same cell (table, codes and period) appears twice in what was sent.")
def duplicates(ds: Dataset):
    for first, again in ds.duplicates:
        yield Finding(f"Table {again.table}: the cell {'.'.join(again.key)} {again.time} is given twice "
                      f"({fmt(first.value)} and {fmt(again.value)}).", again.table, again.key[0], again.time,
                      (_cell(first), _cell(again)), Value("second value", again.value or 0.0),
                      Value("first value", first.value or 0.0), suggestion="Keep one of them.")


@rule(id="struct.units", title="Units and currency are consistent", severity="error", category="structural",
      description="""
      Counts of persons are in thousands. Wages (table 8) are in local currency per month, with the
      currency given as an ISO 4217 code, and one currency for all of a country's wages; other tables
      carry no currency.""")
def units(ds: Dataset):
    s = structure()
    currencies: dict[tuple[int, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for obs in ds.observations:
        if obs.table not in s.tables:
            continue
        table = s.table(obs.table)
        unit = table.unit
        if obs.unit_mult not in (None, "", unit.unit_mult):
            yield _finding(obs, f"Table {table.number}: unit multiplier {obs.unit_mult} given; the table is in "
                                f"{unit.label.lower()} (multiplier {unit.unit_mult}).",
                           "Convert the value to the table's unit.")
        if unit.currency_required:
            if not obs.currency:
                yield _finding(obs, f"Table {table.number}: wages need their currency (ISO 4217 code).")
            elif pycountry.currencies.get(alpha_3=obs.currency.upper()) is None:
                yield _finding(obs, f"Table {table.number}: {obs.currency!r} is not an ISO 4217 currency code.")
            else:
                currencies[(table.number, obs.key[0])][obs.currency.upper()].append(obs)
        elif obs.currency:
            yield _finding(obs, f"Table {table.number} counts persons: it takes no currency "
                                f"(given: {obs.currency}).", "Remove the currency.")
    for (table, area), by_cur in sorted(currencies.items()):
        if len(by_cur) > 1:
            cells = tuple(_cell(group[0]) for group in by_cur.values())
            yield Finding(f"Table {table}, {area}: wages are given in {len(by_cur)} currencies "
                          f"({', '.join(sorted(by_cur))}); one country uses one currency.", table, area, None,
                          cells, suggestion="Give every wage of the country in the same currency.")


@rule(id="struct.source", title="Every cell names its source", severity="error", category="structural",
      description="""
      Every table names the source its figures come from (a labour force survey, census, register,
      ...), as a source id whose first two letters give the type of source (BA labour force survey,
      AA population census, BB other household survey, XA administrative records, EA official
      estimate).""")
def source(ds: Dataset):
    types = structure().codelists["CL_SOURCE_TYPE"]
    seen = set()
    for obs in ds.observations:
        if len(obs.key) < 2:
            continue
        code = obs.key[1]
        if (obs.table, obs.key[0], code) in seen:
            continue
        seen.add((obs.table, obs.key[0], code))
        if not code or code in ("_Z", "_X", "_T"):
            yield _finding(obs, f"Table {obs.table}, {obs.key[0]}: no source is named.",
                           "Name the survey, census or register the table comes from.")
        elif code[:2].upper() not in types:
            yield _finding(obs, f"Table {obs.table}, {obs.key[0]}: source {code!r} does not start with a type "
                                f"of source ({', '.join(c.id for c in types)}).")


@rule(id="struct.source_described", title="Sources are described", severity="warning", category="structural",
      description="""
      Each source a table names should be described in the source catalogue (name, type, coverage,
      migrant definition) before the data are published. Checked only against a database.""")
def source_described(ds: Dataset):
    if ds.conn is None:
        return
    from ...store.sources import catalogue
    known = {row["code"] for row in catalogue(ds.conn)}
    seen = set()
    for obs in ds.observations:
        if len(obs.key) < 2 or obs.key[1] in known or (obs.key[0], obs.key[1]) in seen:
            continue
        seen.add((obs.key[0], obs.key[1]))
        yield _finding(obs, f"{obs.key[0]}: source {obs.key[1]!r} (table {obs.table}) is not in the source "
                            "catalogue.", "Describe the source in the source catalogue before publishing.")
