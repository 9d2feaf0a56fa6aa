"""The source-quality map and gap analysis (ILMS objective 2), computed from a published release.

For each country x table: the sources used (with their catalogue entries: type, periodicity,
migrant definition, classifications), the bases, first and latest year, the years missing in
between, breaks in series (the source or basis changes from one reported year to the next), a
completeness score and comparability notes. Completeness is the share of the table's required
cells (``tables.yaml`` ``required``) present with a public value, averaged over every year of the
release's range (a year not reported counts 0): counted in SQL.

The gap analysis lists the tables a country does not report, or has not reported since a year,
and which of its catalogued sources could fill them: those it already uses for another table of
the same module (e.g. its labour force survey feeds table 5 but table 6 is empty).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, String, cast, distinct, func, literal, select

from ..store import sources as catalogue
from ..store.read import dimension_column, public_value, visible_at
from ..store.schema import observation, series
from ..tables import Region, structure
from .vintage import AnalysisError

BASIS_TEXT = {"BIR": "place of birth", "CIT": "citizenship", "_Z": "not applicable"}


@dataclass
class QualityRow:
    country: str
    table: int
    sources: list[str] = field(default_factory=list)
    source_names: list[str] = field(default_factory=list)
    source_types: list[str] = field(default_factory=list)
    periodicity: list[str] = field(default_factory=list)
    migrant_definition: list[str] = field(default_factory=list)
    classifications: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    first_year: int | None = None
    latest_year: int | None = None
    years: list[int] = field(default_factory=list)
    missing_years: list[int] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)
    completeness: float = 0.0
    comparability: str = ""
    gap: str = ""
    could_fill: list[str] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return bool(self.years)

    def as_dict(self) -> dict:
        return {"country": self.country, "table": self.table, "reported": self.reported,
                "sources": self.sources, "source_names": self.source_names, "source_types": self.source_types,
                "periodicity": self.periodicity, "migrant_definition": self.migrant_definition,
                "classifications": self.classifications, "bases": self.bases, "first_year": self.first_year,
                "latest_year": self.latest_year, "n_years": len(self.years), "missing_years": self.missing_years,
                "breaks": self.breaks, "completeness": self.completeness, "comparability": self.comparability,
                "gap": self.gap, "could_fill": self.could_fill}


@dataclass(frozen=True)
class QualityMap:
    release: str
    checksum: str
    synthetic: bool
    region: str
    first_year: int
    last_year: int
    rows: tuple[QualityRow, ...]

    def gaps(self) -> list[QualityRow]:
        return [r for r in self.rows if r.gap]


def _reported(conn: Connection, cut: int, countries) -> list[tuple]:
    value = public_value(cut)
    stmt = (select(series.c.ref_area, series.c.table_no, series.c.source, series.c.basis,
                   observation.c.time_period, func.count(value))
            .join(series, series.c.id == observation.c.series_id)
            .where(visible_at(cut), observation.c.deleted.is_(False), series.c.ref_area.in_(countries))
            .group_by(series.c.ref_area, series.c.table_no, series.c.source, series.c.basis,
                      observation.c.time_period))
    return [r for r in conn.execute(stmt) if r[5] > 0]


def _required_present(conn: Connection, cut: int, table_no: int, countries) -> dict[tuple[str, int], int]:
    """(country, year) -> number of distinct required cells with a public value (any source or basis)."""
    table = structure().table(table_no)
    parts = []
    stmt = (select(series.c.ref_area, observation.c.time_period)
            .join(series, series.c.id == observation.c.series_id)
            .where(series.c.table_no == table_no, visible_at(cut), observation.c.deleted.is_(False),
                   public_value(cut).is_not(None), series.c.ref_area.in_(countries)))
    for dim in table.key_order:
        if dim in ("REF_AREA", "SOURCE", "BASIS"):
            continue
        column = dimension_column(dim, table_no)
        if dim in table.required:
            stmt = stmt.where(column.in_(list(table.required[dim])))
        parts.append(column)
    cell = parts[0]
    for p in parts[1:]:
        cell = cell + literal("|", String) + p
    stmt = stmt.add_columns(func.count(distinct(cast(cell, String)))).group_by(series.c.ref_area,
                                                                               observation.c.time_period)
    out: dict[tuple[str, int], int] = defaultdict(int)
    for area, time, n in conn.execute(stmt):
        out[(area, int(time[:4]))] = max(out[(area, int(time[:4]))], n)
    return out


def quality_map(conn: Connection, cut: int, *, release_name: str, checksum: str, synthetic: bool,
                region: Region | None = None) -> QualityMap:
    s = structure()
    region = region or s.default_region
    countries = region.all_members()
    reported = _reported(conn, cut, countries)
    if not reported:
        raise AnalysisError(f"release {release_name!r} holds no data for the members of {region.id}")
    years_all = sorted({int(r[4][:4]) for r in reported})
    first, last = years_all[0], years_all[-1]
    span = list(range(first, last + 1))
    cat = {e["code"]: e for e in catalogue.catalogue(conn)}
    per: dict[tuple[str, int], dict[int, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for area, table_no, source, basis, time, _n in reported:
        per[(area, table_no)][int(time[:4])].add((source, basis))
    rows = []
    for table_no in sorted(s.tables):
        table = s.tables[table_no]
        present = _required_present(conn, cut, table_no, countries)
        needed = table.required_cells()
        for area in countries:
            row = QualityRow(area, table_no)
            by_year = per.get((area, table_no), {})
            if by_year:
                used = sorted({src for pairs in by_year.values() for src, _ in pairs})
                row.sources = used
                row.source_names = [cat.get(u, {}).get("name") or u for u in used]
                row.source_types = sorted({cat.get(u, {}).get("type") or u[:2] for u in used})
                row.periodicity = sorted({cat[u]["periodicity"] for u in used if cat.get(u, {}).get("periodicity")})
                row.migrant_definition = sorted({cat[u]["migrant_definition"] for u in used
                                                 if cat.get(u, {}).get("migrant_definition")})
                row.classifications = sorted({cat[u]["classifications"] for u in used
                                              if cat.get(u, {}).get("classifications")})
                row.bases = sorted({b for pairs in by_year.values() for _, b in pairs})
                row.years = sorted(by_year)
                row.first_year, row.latest_year = row.years[0], row.years[-1]
                row.missing_years = [y for y in range(row.first_year, row.latest_year + 1) if y not in by_year]
                row.breaks = _breaks(by_year)
                row.completeness = round(sum(min(present.get((area, y), 0), needed) / needed for y in span)
                                         / len(span), 4)
            rows.append(row)
    _comparability(rows)
    _gaps(rows, last, cat)
    return QualityMap(release_name, checksum, synthetic, region.id, first, last, tuple(rows))


def _breaks(by_year: dict[int, set[tuple[str, str]]]) -> list[str]:
    """A break: one source replaces another of the same type (e.g. a redesigned labour force
    survey), or the basis changes, between consecutive reported years of that type."""
    out = []
    by_type: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    bases: dict[int, set[str]] = defaultdict(set)
    for year, pairs in by_year.items():
        for source, basis in pairs:
            by_type[source[:2]][year].add(source)
            bases[year].add(basis)
    for kind, years in sorted(by_type.items()):
        ordered = sorted(years)
        for before, after in zip(ordered, ordered[1:]):
            if not years[before] & years[after]:
                out.append(f"{after}: {', '.join(sorted(years[before]))} -> {', '.join(sorted(years[after]))}")
    ordered = sorted(bases)
    for before, after in zip(ordered, ordered[1:]):
        if not bases[before] & bases[after]:
            out.append(f"{after}: basis {', '.join(sorted(bases[before]))} -> {', '.join(sorted(bases[after]))}")
    return sorted(out)


def _comparability(rows: list[QualityRow]) -> None:
    by_table: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        for b in r.bases:
            by_table[r.table][b].add(r.country)
    for r in rows:
        if not r.bases or set(r.bases) == {"_Z"}:
            continue
        others = {b: cs - {r.country} for b, cs in by_table[r.table].items() if b not in r.bases and b != "_Z"}
        others = {b: cs for b, cs in others.items() if cs}
        if others:
            mine = " and ".join(BASIS_TEXT[b] for b in r.bases)
            theirs = "; ".join(f"{', '.join(sorted(cs))} on {BASIS_TEXT[b]}" for b, cs in sorted(others.items()))
            r.comparability = f"migrants defined by {mine}; {theirs}: not directly comparable"


def _gaps(rows: list[QualityRow], last: int, cat: dict) -> None:
    module_of = {n: t.module for n, t in structure().tables.items()}
    used_for: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        for src in r.sources:
            used_for[(r.country, module_of[r.table])].add(src)
    for r in rows:
        if not r.reported:
            r.gap = "not reported"
        elif r.latest_year < last:
            r.gap = f"not reported since {r.latest_year + 1}"
        else:
            continue
        candidates = sorted(used_for[(r.country, module_of[r.table])])
        r.could_fill = [f"{c} ({cat.get(c, {}).get('name') or c})" for c in candidates]


def header() -> list[str]:
    return ["COUNTRY", "COUNTRY_LABEL", "TABLE", "TABLE_TITLE", "REPORTED", "SOURCES", "SOURCE_NAMES", "SOURCE_TYPES",
            "PERIODICITY", "MIGRANT_DEFINITION", "CLASSIFICATIONS", "BASES", "FIRST_YEAR", "LATEST_YEAR", "N_YEARS",
            "MISSING_YEARS", "BREAKS", "COMPLETENESS", "COMPARABILITY", "GAP", "COULD_FILL"]


def table_rows(qmap: QualityMap):
    s = structure()
    area = s.codelists["CL_COUNTRY"]
    for r in qmap.rows:
        yield [r.country, area.label(r.country), r.table, s.tables[r.table].short, "yes" if r.reported else "no",
               " ".join(r.sources), "; ".join(r.source_names), " ".join(r.source_types), "; ".join(r.periodicity),
               "; ".join(r.migrant_definition), "; ".join(r.classifications), " ".join(r.bases), r.first_year,
               r.latest_year, len(r.years), " ".join(map(str, r.missing_years)), "; ".join(r.breaks),
               r.completeness, r.comparability or None, r.gap or None, "; ".join(r.could_fill) or None]



def for_release(conn: Connection, release: str | None = None, region: str | None = None) -> QualityMap:
    """The quality map of a published release (the latest unless named) for a region."""
    from .regional import region_of
    from .vintage import published_release
    found = published_release(conn, release)
    return quality_map(conn, found.cut, release_name=found.name, checksum=found.checksum,
                       synthetic=found.synthetic, region=region_of(region))
