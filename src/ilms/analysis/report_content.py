"""What the analytical report says, computed from one published release (and the UN DESA context).

``build(conn, release, region)`` returns a :class:`Report`: its sections (paragraphs whose
numbers are :class:`~.trace.Figure` citations, tables, SVG charts) and the ledger of every figure
(the query and release it came from). Rendering (HTML, PDF) is ``report_files``; nothing here
formats pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from markupsafe import Markup, escape
from sqlalchemy import Connection

from ..demo import DEMO_NOTICE
from ..store.releases import Release
from ..tables import Region, structure
from . import charts, context, corridors, indicators, quality, regional
from .declarations import declarations
from .formulas import get as formula
from .regional import region_of
from .trace import Figure, Ledger
from .vintage import AnalysisError, published_release

BASIS_NAME = {"BIR": "place of birth", "CIT": "citizenship", "_Z": "nationals"}
TOTAL = (("SEX", "SEX_T"),)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Any]]
    source: Figure | None = None


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[Markup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, Markup]] = field(default_factory=list)     # (caption, svg)
    items: list[Markup] = field(default_factory=list)                  # a bullet list


@dataclass
class Report:
    title: str
    region: Region
    release: Release
    notice: str | None
    ledger: Ledger
    key_figures: list[tuple[str, Figure]]
    sections: list[Section]
    annex: list[Section]
    undesa: str | None                 # which UN DESA edition was used, if any


def cite(fig: Figure) -> Markup:
    return Markup('<span class="fig">{}</span><sup class="fn"><a href="#fn-{}">{}</a></sup>').format(
        fig.text(), fig.number, fig.number)


def p(template: str, *figures_or_text) -> Markup:
    parts = [cite(x) if isinstance(x, Figure) else escape(x) for x in figures_or_text]
    return Markup(escape(template).replace("%s", "{}")).format(*parts)


class _Ctx:
    def __init__(self, conn: Connection, release: Release, region: Region):
        self.conn, self.release, self.region = conn, release, region
        self.ledger = Ledger(release.name, release.checksum)
        self._values: dict[str, list] = {}
        self._regional: dict[str, list] = {}
        self.area = structure().codelists["CL_COUNTRY"].label

    def values(self, ind_id: str):
        if ind_id not in self._values:
            self._values[ind_id] = indicators.compute(self.conn, ind_id, self.release.cut, region=self.region)
        return self._values[ind_id]

    def regional(self, ind_id: str):
        if ind_id not in self._regional:
            self._regional[ind_id] = regional.aggregate(self.conn, ind_id, self.release.cut, self.region,
                                                        values=self.values(ind_id))
        return self._regional[ind_id]

    def where(self) -> str:
        return f"release {self.release.name} (cut {self.release.cut}, sha256 {self.release.checksum[:12]}...)"

    def latest_regional(self, ind_id: str, basis: str, key=None) -> Figure:
        ind = declarations().indicator(ind_id)
        key = _default_key(ind) if key is None else key
        found = [r for r in self.regional(ind_id) if r.basis == basis and r.key == key and r.value is not None]
        query = (f"ilms.analysis.regional.aggregate({ind_id!r}, region={self.region.id!r}) basis={basis} "
                 f"{_key_text(key)}; {self.where()}")
        if not found:
            return self.ledger.add(None, ind.unit.id, f"{ind.name}, {self.region.id}, {BASIS_NAME[basis]}", query,
                                   "no member reports every term")
        r = max(found, key=lambda x: x.time)
        terms = ", ".join(f"{k} = {v:,.3f}" for k, v in r.terms)
        return self.ledger.add(r.value, ind.unit.id, f"{ind.name}, {self.region.id} {r.time}, "
                               f"{BASIS_NAME[basis]} basis", f"{query} year={r.time}; pooled terms {terms}",
                               r.coverage.text() + flag_text(r.flags), 2 if ind.unit.id == "index" else 1)

    def latest_by_country(self, ind_id: str, basis: str | None = None, key=None) -> dict[str, Any]:
        """country -> the latest value (one source: the aggregate's choice), with its year and basis."""
        key = _default_key(declarations().indicator(ind_id)) if key is None else key
        vals = [v for v in self.values(ind_id) if v.key == key and (basis is None or v.basis == basis)
                and v.value is not None]
        chosen = regional.choose_sources(vals)
        out: dict[str, Any] = {}
        for v in sorted(vals, key=lambda v: (v.time, v.basis)):
            if chosen[(v.ref_area, v.basis, v.time)] == v.source:
                out[v.ref_area] = v
        return out


def flag_text(flags) -> str:
    """"; flags: E (Estimate), B (Break in series)" -- or nothing."""
    if not flags:
        return ""
    label = structure().codelists["CL_OBS_STATUS"].label
    return "; flags: " + ", ".join(f"{f} ({label(f)})" for f in flags)


def _default_key(ind) -> tuple:
    """Both sexes when the indicator is by sex (and has no other breakdown), else no breakdown."""
    return TOTAL if "SEX" in ind.by else ()


def _key_text(key) -> str:
    return " ".join(f"{d}={c}" for d, c in key)


def _fmt(v, decimals=1) -> str:
    return "–" if v is None else f"{v:,.{decimals}f}"


def build(conn: Connection, release: str | None = None, region: str | None = None,
          progress: Callable[[str], None] | None = None) -> Report:
    found = published_release(conn, release)
    reg = region_of(region)
    ctx = _Ctx(conn, found, reg)
    qmap = quality.quality_map(conn, found.cut, release_name=found.name, checksum=found.checksum,
                               synthetic=found.synthetic, region=reg)     # raises for a region without data
    steps: list[tuple[str, Callable]] = [
        ("summary", _summary), ("stocks", _stocks), ("inflows", _inflows), ("abroad", _abroad),
        ("corridors", _corridors), ("women", _women), ("work", _work),
        ("quality", lambda c: _quality(c, qmap)), ("methods", _methods)]
    sections: list[Section] = []
    key_figures: list[tuple[str, Figure]] = []
    for name, step in steps:
        result = step(ctx)
        if name == "summary":
            key_figures, result = result
        sections.append(result)
        if progress:
            progress(name)
    annex = []
    for country in reg.all_members():
        annex.append(_country(ctx, country, qmap))
        if progress:
            progress(country)
    od = context.dataset(conn, "origin_destination", required=False)
    totals = context.dataset(conn, "totals", required=False)
    undesa = "; ".join(d.reference() for d in (totals, od) if d) or None
    notice = DEMO_NOTICE if found.synthetic else None
    return Report(f"Labour migration in {reg.name}", reg, found, notice, ctx.ledger, key_figures, sections,
                  annex, undesa)


# -- sections ----------------------------------------------------------------------------------------

def _summary(ctx: _Ctx):
    s = Section("summary", "Executive summary")
    keys: list[tuple[str, Figure]] = []
    for basis in ("BIR", "CIT"):
        fig = ctx.latest_regional("MIG_SHARE_EMP", basis)
        keys.append((f"Migrants' share of employment ({BASIS_NAME[basis]})", fig))
    fem = ctx.latest_regional("FEM_SHARE_MIG", "BIR")
    keys.append(("Women among working-age migrants (place of birth)", fem))
    intra = ctx.latest_regional("INTRA_REGIONAL_SHARE_MIG", "BIR")
    keys.append(("Migrants born in another member (lower bound)", intra))
    fem_out = ctx.latest_regional("FEM_SHARE_OUTFLOW_EMP", "_Z")
    keys.append(("Women among outflows for employment", fem_out))
    s.paragraphs.append(p("Where the member countries report on the place of birth, migrants hold %s of "
                          "employment; where they report on citizenship, non-citizens hold %s. The two bases "
                          "are never added together: each figure pools only countries of one basis, and each "
                          "footnote lists the countries that went in.", keys[0][1], keys[1][1]))
    s.paragraphs.append(p("Women make up %s of working-age migrants and %s of nationals leaving for "
                          "employment. At least %s of migrants were born in another member country.",
                          fem, fem_out, intra))
    ds = context.dataset(ctx.conn, "totals", required=False)
    if ds is not None:
        year = max(context.years(ctx.conn, ds))
        stock = context.region_stock(ctx.conn, ctx.region, year)
        fig = ctx.ledger.add(None if stock.value is None else stock.value / 1000, "thousands",
                             f"International migrant stock in {ctx.region.id} members, {year} (UN DESA)",
                             f"ilms.analysis.context.region_stock(region={ctx.region.id!r}, year={year}); "
                             f"{ds.reference()}",
                             f"{len(stock.members) - len(stock.missing)} of {len(stock.members)} members"
                             + (f"; missing {', '.join(stock.missing)}: no sum published" if stock.missing else ""),
                             0)
        keys.append((f"International migrant stock {year} (UN DESA)", fig))
        s.paragraphs.append(p("For context, UN DESA counts %s international migrants living in the member "
                              "countries in %s.", fig, str(year)))
    else:
        s.paragraphs.append(p("UN DESA's International Migrant Stock is not loaded: the report has no "
                              "context figures (`ilms load` its files to add them)."))
    return keys, s


def _country_table(ctx: _Ctx, ind_ids: list[tuple[str, str, str]], caption: str, what: str) -> Table:
    """Latest value per member of each (indicator, basis, column title)."""
    latest = {(i, b): ctx.latest_by_country(i, b) for i, b, _ in ind_ids}
    rows = []
    for c in ctx.region.all_members():
        cells = []
        for i, b, _ in ind_ids:
            v = latest[(i, b)].get(c)
            cells.append(f"{_fmt(v.value)} ({v.time}{', ' + ' '.join(v.flags) if v.flags else ''})" if v else "–")
        rows.append([f"{ctx.area(c)}"] + cells)
    fig = ctx.ledger.add(None, "", what, "latest year per country of " + ", ".join(
        f"ilms.analysis.indicators.compute({i!r}) basis={b}" for i, b, _ in ind_ids) + f"; {ctx.where()}",
        "one source per country and year (the one with most values); – : not reported")
    return Table(caption, ["Country"] + [t for _, _, t in ind_ids], rows, fig)


def _stocks(ctx: _Ctx) -> Section:
    s = Section("stocks", "Migrant stocks and the labour-market profile of migrants")
    s.tables.append(_country_table(ctx, [("MIG_SHARE_WAP", "BIR", "Share of working-age pop. (birth), %"),
                                         ("MIG_SHARE_WAP", "CIT", "Share of working-age pop. (citizenship), %"),
                                         ("MIG_SHARE_EMP", "BIR", "Share of employment (birth), %"),
                                         ("MIG_SHARE_EMP", "CIT", "Share of employment (citizenship), %")],
                                   "Migrants' shares by country, latest year", "migrants' shares by country"))
    rates = []
    for ind in ("LFPR", "EPR", "UR"):
        for mig in ("MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG"):
            rates.append((ind, mig, ctx.latest_regional(ind, "BIR", (("SEX", "SEX_T"), ("MIG", mig)))))
    lfpr_m, lfpr_n = rates[0][2], rates[1][2]
    ur_m, ur_n = rates[4][2], rates[5][2]
    s.paragraphs.append(p("Pooled over the members that report on the place of birth, the labour force "
                          "participation rate of migrants is %s against %s for non-migrants; their "
                          "unemployment rate is %s against %s.", lfpr_m, lfpr_n, ur_m, ur_n))
    s.charts.append(("Labour-market rates by migrant status, region, latest year (place of birth)",
                     Markup(charts.bars(["Participation", "Employment-to-population", "Unemployment"],
                                        {"Migrants": [r[2].value for r in rates[0::2]],
                                         "Non-migrants": [r[2].value for r in rates[1::2]]},
                                        title="Rates by migrant status", unit="%"))))
    return s


def _totals_table(ctx: _Ctx, table: int, dim: str, basis_list: tuple[str, ...], caption: str) -> Table:
    rows = []
    notes = []
    s = structure()
    for basis in basis_list:
        totals = regional.regional_totals(ctx.conn, table, {"SEX": ("SEX_T",), dim: ("TOTAL",)},
                                          ctx.release.cut, basis=basis, region=ctx.region)
        if not totals:
            continue
        last = totals[-1]
        for c in ctx.region.all_members():
            v = last.reported.get(c)
            rows.append([ctx.area(c), BASIS_NAME[basis], last.time, _fmt(v)])
        rows.append([f"{ctx.region.id} total", BASIS_NAME[basis], last.time,
                     _fmt(last.value) if last.value is not None else "not published (incomplete)"])
        notes.append(last.note)
    fig = ctx.ledger.add(None, "thousands", f"{s.tables[table].short}, latest year",
                         f"ilms.analysis.regional.regional_totals(table={table}, SEX=SEX_T, {dim}=TOTAL); "
                         f"{ctx.where()}", " / ".join(notes))
    return Table(caption, ["Country", "Basis", "Year", "Thousands"], rows, fig)


def _inflows(ctx: _Ctx) -> Section:
    s = Section("inflows", "Inflows of migrants")
    s.tables.append(_totals_table(ctx, 9, "ORIGIN", ("BIR", "CIT"), "Inflows of working-age migrants, latest year"))
    fig = ctx.latest_regional("FEM_SHARE_INFLOW", "CIT")
    s.paragraphs.append(p("Women make up %s of the inflows of working-age non-citizens recorded by the members "
                          "that report them.", fig))
    return s


def _abroad(ctx: _Ctx) -> Section:
    s = Section("abroad", "Nationals abroad and outflows for employment")
    s.tables.append(_totals_table(ctx, 13, "RESIDENCE", ("_Z",), "Nationals abroad, latest year"))
    s.tables.append(_totals_table(ctx, 15, "DESTINATION", ("_Z",), "Outflows of nationals for employment, latest year"))
    fig = ctx.latest_regional("INTRA_REGIONAL_SHARE_OUTFLOW_EMP", "_Z")
    s.paragraphs.append(p("At least %s of the nationals leaving for employment go to another member country.", fig))
    return s


def _corridors(ctx: _Ctx) -> Section:
    s = Section("corridors", "Corridors, with UN DESA beside them")
    decl = declarations().corridors
    for cid in ("MIG_STOCK", "OUTFLOW_EMP"):
        c = decl[cid]
        year = corridors.latest_year(ctx.conn, cid, ctx.release.cut, ctx.region)
        if c.undesa:                        # the latest year UN DESA and the tables share
            od = context.dataset(ctx.conn, "origin_destination", required=False)
            if od is not None:
                shared = [str(y) for y in context.years(ctx.conn, od)
                          if any(v.year == str(y) for v in corridors.values(ctx.conn, cid, ctx.release.cut,
                                                                              year=str(y), region=ctx.region))]
                year = shared[-1] if shared else year
        if year is None:
            continue
        top = corridors.ranking(ctx.conn, cid, ctx.release.cut, year, n=10, region=ctx.region)
        fig = ctx.ledger.add(None, "thousands", f"{c.name}, {year}",
                             f"ilms.analysis.corridors.ranking({cid!r}, year={year}, n=10) basis={c.bases[0]}; "
                             f"{ctx.where()}" + (f"; the other end: corridor {c.mirror}" if c.mirror else "")
                             + ("; UN DESA: ilms.analysis.context.corridor_stock" if c.undesa else ""),
                             "both sexes; one source per reporting country")
        mirror = decl[c.mirror] if c.mirror else None
        header = ["Origin", "Destination", f"{c.reporter.capitalize()}'s report (thousands)"]
        if mirror:
            header.append(f"{mirror.reporter.capitalize()}'s report (thousands)")
        if c.undesa:
            header.append("UN DESA (thousands)")
        rows = [[ctx.area(v.origin), ctx.area(v.destination), _fmt(v.value)] +
                ([_fmt(v.mirror)] if mirror else []) + ([_fmt(v.undesa)] if c.undesa else []) for v in top]
        s.tables.append(Table(f"Largest corridors: {c.name.lower()}, {year}", header, rows, fig))
        if top:
            first = top[0]
            big = ctx.ledger.add(first.value, "thousands", f"{ctx.area(first.origin)} -> "
                                 f"{ctx.area(first.destination)}, {year}",
                                 f"ilms.analysis.corridors.ranking({cid!r}, year={year})[0]; {ctx.where()}",
                                 f"reported by {first.reporter}, source {first.source}")
            s.paragraphs.append(p(f"The largest corridor in {c.name.lower()} runs from {ctx.area(first.origin)} "
                                  f"to {ctx.area(first.destination)}: %s in {year}.", big))
    od = context.dataset(ctx.conn, "origin_destination", required=False)
    if od is not None:
        year = max(context.years(ctx.conn, od))
        share = context.intra_regional_share(ctx.conn, ctx.region, year)
        fig = ctx.ledger.add(share.share, "percent", f"Intra-regional share of migrants, {year} (UN DESA)",
                             f"ilms.analysis.context.intra_regional_share(region={ctx.region.id!r}, year={year}); "
                             f"{od.reference()}", f"destinations: {', '.join(share.destinations)}")
        s.paragraphs.append(p("UN DESA's origin-destination estimates put the share of migrants in the members "
                              "who were born in another member at %s.", fig))
    return s


def _women(ctx: _Ctx) -> Section:
    s = Section("women", "Women migrants")
    s.tables.append(_country_table(ctx, [("FEM_SHARE_MIG", "BIR", "Women among migrants (birth), %"),
                                         ("FEM_SHARE_MIG", "CIT", "Women among migrants (citizenship), %"),
                                         ("FEM_SHARE_INFLOW", "CIT", "Women among inflows (citizenship), %"),
                                         ("FEM_SHARE_OUTFLOW_EMP", "_Z", "Women among outflows for employment, %")],
                                   "Women's shares by country, latest year", "women's shares by country"))
    f_m = ctx.latest_regional("LFPR", "BIR", (("SEX", "SEX_F"), ("MIG", "MIG_STATUS_MIGRANT")))
    m_m = ctx.latest_regional("LFPR", "BIR", (("SEX", "SEX_M"), ("MIG", "MIG_STATUS_MIGRANT")))
    s.paragraphs.append(p("Migrant women's participation rate is %s, against %s for migrant men.", f_m, m_m))
    return s


def _work(ctx: _Ctx) -> Section:
    s = Section("work", "Sectors, occupations and wages")
    codes = structure().hierarchies["H_ECO_ISIC4"].children("ECO_ISIC4_TOTAL")
    label = structure().codelists["CL_ECO"].label
    shares, conc = {}, {}
    for code in codes:
        key = (("SEX", "SEX_T"), ("ECO", code))
        shares[code] = ctx.latest_regional("MIG_EMP_DIST_ECO", "BIR", key)
        conc[code] = ctx.latest_regional("MIG_EMP_CONC_ECO", "BIR", key)
    shown = [c for c in codes if shares[c].value is not None]
    s.charts.append(("Migrant employment by economic activity and its concentration, region, latest year "
                     "(place of birth)",
                     Markup(charts.bars([c.replace("ECO_ISIC4_", "") for c in shown],
                                        {"Share of migrant employment, %": [shares[c].value for c in shown]},
                                        title="Migrant employment by ISIC Rev.4 section", unit="%"))))
    top = sorted(shown, key=lambda c: -(conc[c].value or 0))[:3]
    if top:
        s.paragraphs.append(p("Relative to all workers, migrants are most concentrated in " +
                              ", ".join(f"{label(c)} (%s)" for c in top) + " (1 = same share as all workers).",
                              *[conc[c] for c in top]))
    low = ctx.latest_regional("MIG_EMP_SHARE_LOWSKILL", "BIR")
    high = ctx.latest_regional("MIG_EMP_SHARE_HIGHSKILL", "BIR")
    s.paragraphs.append(p("%s of employed migrants work in elementary occupations (skill level 1) and %s in "
                          "skill levels 3-4.", low, high))
    s.tables.append(_country_table(ctx, [("WAGE_GAP", "BIR", "Wage gap, all (birth), %"),
                                         ("WAGE_GAP", "CIT", "Wage gap, all (citizenship), %")],
                                   "Wage gap between migrant employees and all employees (positive: migrants earn "
                                   "less), latest year; wages are in national currencies, so there is no regional "
                                   "value", "wage gap by country"))
    return s


def _quality(ctx: _Ctx, qmap) -> Section:
    s = Section("quality", "Data availability and quality, with recommendations")
    tables = structure().tables
    header = ["Country"] + [str(n) for n in tables]
    rows = []
    for c in ctx.region.all_members():
        cells = {r.table: r for r in qmap.rows if r.country == c}
        rows.append([c] + [f"{round(100 * cells[n].completeness)}" if cells[n].reported else "–" for n in tables])
    fig = ctx.ledger.add(None, "percent", "completeness by country and table",
                         f"ilms.analysis.quality.quality_map(region={ctx.region.id!r}); {ctx.where()}",
                         f"share of required cells present, averaged over {qmap.first_year}-{qmap.last_year}")
    s.tables.append(Table("Completeness (%) of each table by country", header, rows, fig))
    gaps = qmap.gaps()
    never = [g for g in gaps if g.gap == "not reported"]
    fillable = [g for g in never if g.could_fill]
    n_gaps = ctx.ledger.add(len(never), "", "country x table cells never reported",
                            f"ilms.analysis.quality.quality_map(...).gaps(); {ctx.where()}", "", 0)
    s.paragraphs.append(p("%s country-table combinations are not reported at all. Where a country already runs a "
                          "source that feeds another table of the same module, that source is the first place to "
                          "look:", n_gaps))
    for g in fillable[:20]:
        s.items.append(p(f"{ctx.area(g.country)}, table {g.table} ({tables[g.table].short}): could come from "
                         f"{'; '.join(g.could_fill)}."))
    breaks = [r for r in qmap.rows if r.breaks]
    if breaks:
        s.paragraphs.append(p(f"{len(breaks)} country-table series have breaks (a source replaced by another of "
                              "the same type, or a change of basis); comparisons across the break need care."))
    return s


def _methods(ctx: _Ctx) -> Section:
    s = Section("methods", "Methods and definitions")
    s.paragraphs.append(p("Every figure is computed from the public values of the release named on the cover "
                          "(confidential values are masked and count as missing, never as zero). An indicator "
                          "combines terms read from one table, each from the same country, source, basis and year. "
                          "A regional value sums each term over the members (on 31 December of the year) that "
                          "report every term and then applies the formula: a ratio of sums, not an average of "
                          "ratios. The countries that went in are listed with every regional figure. A regional "
                          "total of levels is published only when every member reports. Migrants are defined by "
                          "place of birth (foreign-born) or by citizenship (non-citizens); the two bases are never "
                          "mixed. UN DESA figures are context: a separate dataset, never added to the tables."))
    rows = []
    for ind in declarations().indicators.values():
        f = formula(ind.formula)
        rows.append([ind.id, ind.name, f"table {ind.table}", ", ".join(ind.bases),
                     f"{f.text}" + (f" x {ind.scale:g}" if ind.scale != 1 else ""),
                     "; ".join(f"{t.name}: " + ", ".join(f"{d}={c if isinstance(c, str) else '+'.join(c)}"
                                                          for d, c in t.filters.items()) for t in ind.terms)])
    s.tables.append(Table("Indicators (declared in indicators.yaml)", ["Id", "Indicator", "From", "Bases", "Formula",
                                                                        "Terms"], rows))
    return s


def _country(ctx: _Ctx, country: str, qmap) -> Section:
    s = Section(f"annex-{country}", f"{ctx.area(country)} ({country})")
    wanted = [("MIG_SHARE_WAP", "BIR"), ("MIG_SHARE_WAP", "CIT"), ("MIG_SHARE_EMP", "BIR"), ("MIG_SHARE_EMP", "CIT"),
              ("FEM_SHARE_MIG", "BIR"), ("FEM_SHARE_MIG", "CIT"), ("WAGE_GAP", "BIR"), ("WAGE_GAP", "CIT"),
              ("FEM_SHARE_OUTFLOW_EMP", "_Z"), ("INTRA_REGIONAL_SHARE_OUTFLOW_EMP", "_Z")]
    rows = []
    for ind_id, basis in wanted:
        v = ctx.latest_by_country(ind_id, basis).get(country)
        if v is not None:
            rows.append([declarations().indicator(ind_id).name, BASIS_NAME[basis], v.time, _fmt(v.value), v.source,
                         " ".join(v.flags)])
    for mig in ("MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG"):
        for ind_id in ("LFPR", "UR"):
            v = ctx.latest_by_country(ind_id, "BIR", (("SEX", "SEX_T"), ("MIG", mig))).get(country) or \
                ctx.latest_by_country(ind_id, "CIT", (("SEX", "SEX_T"), ("MIG", mig))).get(country)
            if v is not None:
                name = declarations().indicator(ind_id).name.replace(" by migrant status", "")
                rows.append([f"{name}, {structure().codelists['CL_MIG'].label(mig).lower()}", BASIS_NAME[v.basis],
                             v.time, _fmt(v.value), v.source, " ".join(v.flags)])
    fig = ctx.ledger.add(None, "", f"indicators of {country}", f"ilms.analysis.indicators.compute(..., "
                         f"countries=[{country!r}]), latest year each; {ctx.where()}", "")
    if rows:
        s.tables.append(Table("Key indicators, latest year (flags: observation statuses of the cells used, e.g. "
                              "B break in series, E estimate, P provisional)",
                              ["Indicator", "Basis", "Year", "Value", "Source", "Flags"], rows, fig))
    else:
        s.paragraphs.append(p("No indicator can be computed from this release's data for this country."))
    mine = [r for r in qmap.rows if r.country == country]
    reported = [r for r in mine if r.reported]
    names = sorted({n for r in reported for n in r.source_names})
    s.paragraphs.append(p(f"Tables reported: {len(reported)} of 17. Sources: {'; '.join(names) or 'none'}."))
    gaps = [r for r in mine if r.gap]
    if gaps:
        s.paragraphs.append(p("Gaps: " + "; ".join(f"table {r.table} {r.gap}" for r in gaps) + "."))
    return s


def check_has_data(report: Report) -> None:
    if not any(f.value is not None for f in report.ledger.figures):
        raise AnalysisError(f"region {report.region.id}: release {report.release.name} gives no figure at all")
