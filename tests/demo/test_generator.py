"""The demonstration dataset, generated without a database: determinism, exact sums along every
declared hierarchy, cross-table consistency, coverage, gaps, flags."""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import groupby

import pytest

from ilms.demo import DEMO_NOTICE
from ilms.demo.catalogue import entry
from ilms.demo.cells import hierarchies
from ilms.demo.dataset import observations, source_observations
from ilms.demo.plan import FIRST_YEAR, LAST_YEAR, sources
from ilms.store.releases import checksum
from ilms.tables import COMMON_DIMENSIONS, structure

SEED = 1


def canonical(obs):
    """The release's order and masking, so the digest equals the store's release checksum."""
    ordered = sorted(obs, key=lambda o: (o.table, ".".join(o.key).encode(), o.time.encode()))
    return [o.with_(value=None) if o.confidential else o for o in ordered]


def persons(o) -> int:
    n = round(o.value * 1000)
    assert abs(o.value * 1000 - n) < 1e-6, f"{o}: not a whole number of persons"
    return n


@pytest.fixture(scope="module")
def data():
    return list(observations(SEED))


@pytest.fixture(scope="module")
def index(data):
    return {(o.table, o.key, o.time): o for o in data}


def test_same_seed_same_data_other_seed_other_data(data):
    again = list(observations(SEED))
    assert again == data
    assert [o.provenance for o in again] == [o.provenance for o in data]
    first = sources(SEED)[0]
    assert list(source_observations(SEED + 1, first)) != list(source_observations(SEED, first))


def test_size_and_coverage(data):
    s = structure()
    assert 100_000 <= len(data) <= 300_000
    assert {o.table for o in data} == set(s.tables)
    assert {o.ref_area for o in data} == set(s.default_region.all_members())
    assert {int(o.time) for o in data} == set(range(FIRST_YEAR, LAST_YEAR + 1))
    for o in data:
        table = s.table(o.table)
        for dim, code in zip(table.dimensions, o.key):
            assert code in dim.codelist, f"{o}: {code} not in {dim.codelist.id}"


def test_every_declared_hierarchy_sums_exactly(data):
    """Checked source by source along every hierarchy of every dimension, from structure() alone."""
    s = structure()
    checked = Counter()
    for _source, of_source in groupby(data, key=lambda o: o.source):
        slices = defaultdict(dict)       # (table, axis, rest of key, time) -> code -> persons
        for o in of_source:
            table = s.table(o.table)
            if table.unit.unit_measure != "PS":      # means (wages) do not add up
                continue
            n = persons(o)
            for axis in range(len(COMMON_DIMENSIONS) - 1, len(o.key)):
                slices[o.table, axis, o.key[:axis] + o.key[axis + 1:], o.time][o.key[axis]] = n
        for (table_no, axis, rest, time), row in slices.items():
            codelist = s.table(table_no).dimensions[axis].codelist.id
            for h in s.hierarchies_for(codelist):
                for parent in h.sums:
                    if parent not in row:
                        continue
                    children = h.children(parent, set(row))
                    missing = [c for c in children if c not in row]
                    assert not missing, f"table {table_no} {rest} {time}: {parent} without {missing}"
                    assert row[parent] == sum(row[c] for c in children), \
                        f"table {table_no} {rest} {time}: {parent} != sum of {children} ({h.id})"
                    checked[h.id] += 1
    used = {h.id for t in s.tables.values() for axis_hs in hierarchies(t, True) for h in axis_hs}
    assert used <= set(checked), f"never checked: {used - set(checked)}"
    assert min(checked[h] for h in used) > 50


def test_alternative_classifications_only_for_some_tables(data):
    with_sectors = {(o.ref_area, o.source, o.table) for o in data
                    if any(c.startswith("ECO_SECTOR_") for c in o.key)}
    eco_tables = {(o.ref_area, o.source, o.table) for o in data if any(c.startswith("ECO_ISIC4_") for c in o.key)}
    assert 0 < len(with_sectors) < len(eco_tables)


def _get(index, table, key, time):
    found = index.get((table, tuple(key), time))
    return None if found is None else persons(found)


def test_employed_migrants_agree_across_tables_1_4_5_6_7(index):
    matches = Counter()
    for (table, key, time), o in index.items():
        if table != 1 or key[4:] != ("AGE_10YRBANDS_TOTAL", "LMS_STATUS_EMP", key[6]) or key[6] == "MIG_STATUS_NONMIG":
            continue
        employed, common = persons(o), key[:4]
        others = {5: common + ("ECO_ISIC4_TOTAL", key[6]), 6: common + ("OCU_ISCO08_TOTAL", key[6]),
                  7: common + ("STE_ICSE93_TOTAL", key[6])}
        if key[6] == "MIG_STATUS_MIGRANT":
            others[4] = common + ("TOTAL",)
        for other, other_key in others.items():
            value = _get(index, other, other_key, time)
            if value is not None:
                assert value == employed, f"table {other} {other_key} {time}: {value} != table 1 {employed}"
                matches[other] += 1
        population = _get(index, 1, common + ("AGE_10YRBANDS_TOTAL", "LMS_STATUS_TOTAL", key[6]), time)
        assert employed <= population
    assert set(matches) == {4, 5, 6, 7} and min(matches.values()) > 100


def test_working_age_population_agrees_across_tables_1_2_3(index):
    matches = Counter()
    for (table, key, time), o in index.items():
        if table != 1 or key[4:6] != ("AGE_10YRBANDS_TOTAL", "LMS_STATUS_TOTAL"):
            continue
        common = key[:4]
        value = _get(index, 2, common + ("EDU_ISCED11_TOTAL", key[6]), time)
        if value is not None:
            assert value == persons(o)
            matches[2] += 1
        if key[6] == "MIG_STATUS_MIGRANT":
            value = _get(index, 3, common + ("TOTAL",), time)
            if value is not None:
                assert value == persons(o)
                matches[3] += 1
    assert min(matches[2], matches[3]) > 100


def test_flows_agree_across_tables(index):
    matches = Counter()
    for (table, key, time), o in index.items():
        common = key[:4]
        if table == 15 and key[4] == "TOTAL":
            for other, code in ((16, "ECO_ISIC4_TOTAL"), (17, "OCU_ISCO08_TOTAL")):
                value = _get(index, other, common + (code,), time)
                if value is not None:
                    assert value == persons(o)
                    matches[other] += 1
        if table == 15:
            all_purposes = _get(index, 14, key, time)
            if all_purposes is not None:
                assert all_purposes >= persons(o)
                matches[14] += 1
        if table == 9 and key[4] == "TOTAL":
            value = _get(index, 10, common + ("EDU_ISCED11_TOTAL",), time)
            if value is not None:
                assert value == persons(o)
                matches[10] += 1
            employed = [_get(index, t, common + (c,), time) for t, c in ((11, "ECO_ISIC4_TOTAL"), (12, "OCU_ISCO08_TOTAL"))]
            if None not in employed:
                assert employed[0] == employed[1] <= persons(o)
                matches[11] += 1
    assert set(matches) == {10, 11, 14, 16, 17} and min(matches.values()) > 20


def test_migrants_never_exceed_total_and_bases_share_the_total(index):
    by_basis = defaultdict(dict)
    for (table, key, time), o in index.items():
        tbl = structure().table(table)
        if not tbl.has_dimension("MIG") or tbl.unit.unit_measure != "PS":
            continue
        mig = tbl.key_order.index("MIG")
        if key[mig] == "MIG_STATUS_MIGRANT":
            total = key[:mig] + ("MIG_STATUS_TOTAL",) + key[mig + 1:]
            assert persons(o) <= _get(index, table, total, time)
        rest = key[:2] + key[3:]
        by_basis[table, rest, time][key[2]] = persons(o)
    both = {k: v for k, v in by_basis.items() if len(v) == 2}
    assert both, "some countries must have both migrant bases"
    for (table, rest, time), values in both.items():
        mig = structure().table(table).key_order.index("MIG") - 1
        if rest[mig] == "MIG_STATUS_TOTAL":
            assert values["BIR"] == values["CIT"], (table, rest, time)
        elif rest[mig] == "MIG_STATUS_MIGRANT":
            assert values["CIT"] <= values["BIR"], (table, rest, time)


def test_gaps_sources_bases_and_flags(data):
    s = structure()
    years = defaultdict(set)
    for o in data:
        years[o.ref_area, o.table].add(o.time)
    countries = s.default_region.all_members()
    missing = [(c, t) for c in countries for t in s.tables if len(years.get((c, t), ())) < LAST_YEAR - FIRST_YEAR + 1]
    assert len(missing) > 20, "realistic gaps: some tables and years are missing"
    tha_2010 = {o.source for o in data if o.ref_area == "THA" and o.time == "2010" and o.table == 1}
    assert {src[:2] for src in tha_2010} == {"BA", "AA"}, "THA 2010: a labour force survey and a census"
    bases = defaultdict(set)
    for o in data:
        bases[o.ref_area, s.table(o.table).module].add(o.key[2])
    assert any(b == {"BIR", "CIT"} for (c, m), b in bases.items() if m == "A")
    assert all(b == {"_Z"} for (c, m), b in bases.items() if m == "C")
    statuses = Counter(o.status for o in data)
    assert {"B", "P", "E"} <= set(statuses)
    assert all(o.status == "P" for o in data if o.time == str(LAST_YEAR))
    secret = [o for o in data if o.confidential]
    assert 0 < len(secret) < len(data) / 1000


def test_wages_in_local_currency(data):
    wages = [o for o in data if o.table == 8]
    assert {o.ref_area: o.currency for o in wages}["TLS"] == "USD"
    assert {o.ref_area: o.currency for o in wages}.get("THA", "THB") == "THB"
    assert all(o.unit_mult == "0" and o.currency and o.value > 0 for o in wages)
    by_cell = {(o.key, o.time): o.value for o in wages}
    compared = 0
    for o in wages:     # a total lies between its parts (employee-weighted means)
        for axis, total, parts in ((3, "SEX_T", ("SEX_M", "SEX_F")),
                                   (4, "MIG_STATUS_TOTAL", ("MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG"))):
            if o.key[axis] == total:
                values = [by_cell[o.key[:axis] + (p,) + o.key[axis + 1:], o.time] for p in parts]
                assert min(values) - 1 <= o.value <= max(values) + 1, o
                compared += 1
    assert compared > 100


def test_every_source_says_it_is_synthetic():
    plan = sources(SEED)
    assert len({src.country for src in plan}) == 11
    for src in plan:
        fields = entry(src, SEED)
        assert DEMO_NOTICE in fields["notes"]
        assert fields["type"] == src.code[:2] and fields["migrant_definition"]


def test_the_validation_rules_find_no_error(data):
    """The project's own rules (ilms.check) agree: warnings only (the COVID-19 drop of flows,
    source changes, a few mirror differences), never an error."""
    from ilms.check import check_observations
    report = check_observations(data)
    errors = [f for f in report.findings if f.severity == "error"]
    assert not errors, errors[:3]
    assert any(f.rule == "time.year_on_year" and f.time == "2020" for f in report.findings)
