"""The invented population behind one source, country and year, in persons (integers).

Module A counts three disjoint groups, so that both migrant bases come out of the same people:
natives (``NAT``), foreign-born citizens (``FBC``) and foreign-born non-citizens (``NCT``). With
basis BIR the migrants are FBC + NCT; with CIT they are NCT only; the total never depends on the
basis. Flows are one group each: inflows (``INF``) and emigrants (``EMI``).

Every split uses ``split()``: the parts add up exactly to the whole, so every total computed later
equals the sum of what it is made of.
"""
from __future__ import annotations

from functools import cached_property

from .magnitudes import Country
from .plan import Source, rng
from .profiles import shapes
from .split import jitter, mix, share, split

MIGRANTS = {"BIR": ("FBC", "NCT"), "CIT": ("NCT",)}
STOCK_GROUPS = ("NAT", "FBC", "NCT")
SEXES = ("SEX_M", "SEX_F")
#: Which profiles a group's breakdowns follow, and how far towards "high" (a magnitudes column, plus a shift).
GROUP_PROFILES = {
    "NAT": ("low", "high", None, 0.0),
    "FBC": ("low", "high", None, 0.2),
    "NCT": ("migrant_low", "migrant_high", "migrant_skill", 0.0),
    "INF": ("migrant_low", "migrant_high", "migrant_skill", 0.0),
    "EMI": ("migrant_low", "migrant_high", "development", -0.2),
}
BASE_YEAR = 2019
WORKING_AGE_SHARE_OF_MIGRANTS = 0.9
PARTNER_COLUMNS = {"ORIGIN": "origins", "RESIDENCE": "residences", "DESTINATION": "destinations"}
#: What table 1's people are split into: employed, unemployed, outside the labour force (leaves of H_LMS).
EMPLOYED = "LMS_STATUS_EMP"
LFS = (EMPLOYED, "LMS_STATUS_UNE", "LMS_STATUS_EIP")


class Frame:
    """One country, one source, one year: the counts its tables are cut from."""

    def __init__(self, seed: int, country: Country, source: Source, year: int):
        self.seed, self.country, self.source, self.year = seed, country, source, year
        self.growth_years = year - BASE_YEAR
        self._splits: dict = {}

    def rng(self, *purpose):
        return rng(self.seed, self.source.code, self.year, *purpose)

    def level(self, thousands: float, growth: float, purpose: str, noise: float = 0.015,
              shocked: bool = False) -> int:
        """A count in persons: a 2019 order of size grown to the year, with a little noise."""
        value = thousands * 1000 * (1 + growth) ** self.growth_years
        if shocked:
            value *= shapes().flow_shock.get(self.year, 1.0)
        return max(0, round(value * (1 + self.rng("level", purpose).uniform(-noise, noise))))

    def by_sex(self, total: int, female_share: float, purpose: str) -> dict[str, int]:
        female = share(total, female_share + self.rng("sex", purpose).uniform(-0.01, 0.01))
        return {"SEX_M": total - female, "SEX_F": female}

    # -- module A: the resident population --------------------------------------------------

    @cached_property
    def groups(self) -> dict[str, dict[str, int]]:
        """Working-age persons by group and sex."""
        c = self.country
        population = self.by_sex(self.level(c.pop15, c.pop_growth, "pop"), 0.505, "pop")
        foreign = self.by_sex(self.level(c.migrant_stock * WORKING_AGE_SHARE_OF_MIGRANTS, c.migrant_growth,
                                         "foreign", noise=0.04), c.migrant_female, "foreign")
        out = {g: {} for g in STOCK_GROUPS}
        for sex in SEXES:
            foreign[sex] = min(foreign[sex], population[sex])
            noncit = share(foreign[sex], c.noncitizen_share + self.rng("noncit", sex).uniform(-0.02, 0.02))
            out["NCT"][sex] = noncit
            out["FBC"][sex] = foreign[sex] - noncit
            out["NAT"][sex] = population[sex] - foreign[sex]
        return out

    @cached_property
    def people(self) -> dict[tuple[str, str, str, str], int]:
        """Table 1's leaves: (group, sex, age band, EMP/UNE/EIP) -> persons."""
        s, c = shapes(), self.country
        ages = s.dimensions["AGE"].codes
        out = {}
        for group, by_sex in self.groups.items():
            bonus = s.migrant_bonus if group == "NCT" else 0.0
            for sex, n in by_sex.items():
                for age, count in zip(ages, split(n, self.weights("AGE", group, sex, "people"))):
                    # a lasting country difference, and a little noise from year to year
                    lasting, yearly = rng(self.seed, c.country, "lfs", group, sex, age), self.rng("lfs", group, sex, age)
                    rate = min(0.97, s.participation[sex][age] + bonus + lasting.uniform(-0.03, 0.03)
                               + yearly.uniform(-0.005, 0.005))
                    labour_force = share(count, rate)
                    unemployed = share(labour_force, c.unemployment * s.unemployment_by_age[age]
                                       * (1 + lasting.uniform(-0.15, 0.15)) * (1 + yearly.uniform(-0.05, 0.05)))
                    for lms, v in zip(LFS, (labour_force - unemployed, unemployed, count - labour_force)):
                        out[group, sex, age, lms] = v
        return out

    @cached_property
    def counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """Named counts by group and sex: what the tables split by a classification."""
        wap = {g: dict.fromkeys(SEXES, 0) for g in STOCK_GROUPS}
        emp = {g: dict.fromkeys(SEXES, 0) for g in STOCK_GROUPS}
        for (group, sex, _age, lms), v in self.people.items():
            wap[group][sex] += v
            if lms == EMPLOYED:
                emp[group][sex] += v
        return {"wap": wap, "emp": emp}

    # -- modules B and C: flows and nationals abroad ------------------------------------------

    @cached_property
    def flows(self) -> dict[str, dict[str, dict[str, int]]]:
        s, c = shapes(), self.country
        inflow = self.by_sex(self.level(c.inflow, c.migrant_growth, "inflow", 0.05, True), c.migrant_female, "in")
        inflow_emp = {sex: share(n, s.inflow_employed + self.rng("inemp", sex).uniform(-0.05, 0.05))
                      for sex, n in inflow.items()}
        abroad = self.by_sex(self.level(c.abroad, c.migrant_growth, "abroad", 0.03), c.abroad_female, "abroad")
        out_emp = self.by_sex(self.level(c.outflow, c.migrant_growth, "outflow", 0.08, True),
                              c.emigrant_female, "outflow")
        out_other = {sex: share(n, s.outflow_other_purposes * (1 + self.rng("outother", sex).uniform(-0.2, 0.2)))
                     for sex, n in out_emp.items()}
        return {"inflow": {"INF": inflow}, "inflow_emp": {"INF": inflow_emp}, "abroad": {"EMI": abroad},
                "outflow_emp": {"EMI": out_emp}, "outflow_other": {"EMI": out_other}}

    def count(self, name: str) -> dict[str, dict[str, int]]:
        return self.counts[name] if name in ("wap", "emp") else self.flows[name]

    # -- shapes ---------------------------------------------------------------------------------

    def codes(self, dim: str) -> tuple[str, ...]:
        """The leaf codes a breakdown by ``dim`` uses (partner countries from magnitudes.csv)."""
        if dim in PARTNER_COLUMNS:
            return tuple(code for code, _ in getattr(self.country, PARTNER_COLUMNS[dim]))
        return shapes().dimensions[dim].codes

    def weights(self, dim: str, group: str, sex: str, purpose: str) -> list[float]:
        """Weights for splitting a group's count by ``dim``: the country's shape (fixed jitter)
        with a little year-to-year noise."""
        if dim in PARTNER_COLUMNS:
            base = [w for _, w in getattr(self.country, PARTNER_COLUMNS[dim])]
        else:
            profile = shapes().dimensions[dim]
            low, high, column, shift = GROUP_PROFILES[group]
            t = getattr(self.country, column or profile.parameter) + shift
            base = mix(profile.weights[low], profile.weights[high], min(1.0, max(0.0, t)))
        lasting = jitter(rng(self.seed, self.country.country, "shape", dim, group, sex), base, 0.15)
        return jitter(self.rng("shape", dim, group, sex, purpose), lasting, 0.04)

    def breakdown(self, count: str, dim: str) -> dict[tuple[str, str, str], int]:
        """(group, sex, code) -> persons: each group's count split by ``dim``, exactly."""
        key = (count, dim)
        if key not in self._splits:
            out = {}
            codes = self.codes(dim)
            for group, by_sex in self.count(count).items():
                for sex, n in by_sex.items():
                    for code, v in zip(codes, split(n, self.weights(dim, group, sex, count))):
                        out[group, sex, code] = v
            self._splits[key] = out
        return self._splits[key]

    def wage(self, group: str, sex: str) -> float:
        """Mean monthly earnings of a group's employees, local currency."""
        s, c = shapes(), self.country
        ratio = {"NAT": 1.0, "FBC": s.wage_foreign_born_citizens, "NCT": c.migrant_wage_ratio}[group]
        noise = 1 + self.rng("wage", group, sex).uniform(-0.03, 0.03)
        return c.wage * (1 + c.wage_growth) ** self.growth_years * ratio * s.wage_by_sex[sex] * noise
