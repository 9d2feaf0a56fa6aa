"""Read the declaration files in ``tables/data`` into the immutable model (see ``model.py``)."""
from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycountry
import yaml

from .model import (COMMON_DIMENSIONS, MAX_OWN_DIMENSIONS, Code, Codelist, Dimension, Hierarchy,
                    IlostatClassif, IlostatIndicator, Region, Table, Unit, frozen_map)

DATA = resources.files("ilms.tables") / "data"


class DeclarationError(ValueError):
    """The declaration files are inconsistent (raised at start-up, never at run time)."""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml when available: ~10x faster


@lru_cache(maxsize=None)
def _yaml(name: str):
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=_Loader)


def _codelists() -> dict[str, Codelist]:
    out: dict[str, Codelist] = {}
    for cl_id, spec in _yaml("codelists.yaml").items():
        out[cl_id] = Codelist(
            id=cl_id, name=spec["name"], ilo=spec.get("ilo"), description=spec.get("description", ""),
            codes=tuple(Code(str(k), v) for k, v in spec["codes"].items()),
            extensions=frozen_map(spec.get("extensions", {})),
            ilostat=frozen_map({b: frozen_map(m) for b, m in spec.get("ilostat", {}).items()}))
    countries = _yaml("countries.yaml")
    names = countries["names"]
    codes = [Code(c.alpha_3, names.get(c.alpha_3, c.name)) for c in pycountry.countries]
    codes += [Code(k, v) for k, v in countries["extra"].items()]
    codes.sort(key=lambda c: c.id)
    out["CL_COUNTRY"] = Codelist(
        id="CL_COUNTRY", name=countries["name"], ilo="CL_AREA", codes=tuple(codes),
        description="ISO 3166-1 alpha-3 codes with the ILO's names and the ILO's additional codes.",
        extensions=frozen_map({k: "ISO 3166-1 code the ILO's CL_AREA does not list" for k in countries["not_in_ilo"]}))
    partner_extra = [Code(k, v) for k, v in countries["partner_extra"].items()]
    out["CL_PARTNER"] = Codelist(
        id="CL_PARTNER", name="Partner country", codes=tuple(partner_extra + codes),
        description="Country of origin, residence or destination; TOTAL and X (other countries) as in the ILO's CL_CBR/CL_CDS/CL_CRS suffixes.")
    out["CL_SOURCE"] = Codelist(id="CL_SOURCE", name="Data source", codes=(), open=True,
                                description="Ids of the source catalogue (e.g. BA_453), one per survey, census or register.")
    return out


def _hierarchies(codelists) -> dict[str, Hierarchy]:
    out = {}
    for h_id, spec in _yaml("hierarchies.yaml").items():
        sums = {p: (c if c == "*" else tuple(c)) for p, c in spec["sums"].items()}
        h = Hierarchy(h_id, spec["codelist"], spec["name"], frozen_map(sums), tuple(spec.get("optional", ())))
        cl = codelists[h.codelist]
        for code in h.codes() + h.optional:
            if code not in cl:
                raise DeclarationError(f"hierarchies.yaml: {h_id}: code {code} is not in {cl.id}")
        out[h_id] = h
    return out


def _classif(spec) -> IlostatClassif | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return IlostatClassif(spec)
    return IlostatClassif(spec["dimension"], spec.get("prefix", ""))


def _tables(codelists, hierarchies) -> tuple[dict[int, Table], dict[str, Dimension]]:
    doc = _yaml("tables.yaml")
    dims = {d: Dimension(d, spec["name"], codelists[spec["codelist"]]) for d, spec in doc["dimensions"].items()}
    units = {u: Unit(u, s["unit_measure"], str(s["unit_mult"]), s["label"], s.get("currency") == "required")
             for u, s in doc["units"].items()}
    tables = {}
    for number, spec in doc["tables"].items():
        where = f"tables.yaml: table {number}"
        own = spec["dimensions"]
        if len(own) > MAX_OWN_DIMENSIONS:
            raise DeclarationError(f"{where}: at most {MAX_OWN_DIMENSIONS} own dimensions")
        dimensions = tuple(dims[d] for d in (*COMMON_DIMENSIONS, *own))
        required = {}
        for dim_id, req in spec["required"].items():
            codes = hierarchies[req].codes() if isinstance(req, str) else tuple(req)
            for code in codes:
                if code not in dims[dim_id].codelist:
                    raise DeclarationError(f"{where}: required code {code} not in {dim_id}")
            required[dim_id] = codes
        mappings = tuple(IlostatIndicator(m["indicator"], frozen_map(m["fixed"]), _classif(m.get("classif1")),
                                          _classif(m.get("classif2"))) for m in spec["ilostat"])
        for m in mappings:
            mapped = set(m.fixed) | {c.dimension for c in m.classifs} | {"REF_AREA", "SOURCE", "SEX"}
            if mapped != {d.id for d in dimensions}:
                raise DeclarationError(f"{where}: {m.indicator} does not map every dimension")
        tables[int(number)] = Table(
            number=int(number), module=spec["module"], title=spec["title"], short=spec["short"],
            measure=spec["measure"], unit=units[spec["unit"]], dimensions=dimensions,
            required=frozen_map(required), ilostat=mappings)
    if sorted(tables) != list(range(1, 18)):
        raise DeclarationError("tables.yaml must declare tables 1 to 17")
    return tables, dims


def _regions() -> dict[str, Region]:
    paths = [Path(str(p)) for p in (DATA / "regions").iterdir() if p.name.endswith(".yaml")]
    extra = os.environ.get("ILMS_REGIONS_DIR")
    if extra:
        paths += sorted(Path(extra).glob("*.yaml"))
    out = {}
    for path in sorted(paths):
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        members = {}
        for code, dates in spec["members"].items():
            left = dates.get("left")
            members[code] = (_date(dates["joined"]), _date(left) if left else None)
        out[spec["id"]] = Region(spec["id"], spec["name"], spec.get("agency", ""), frozen_map(members),
                                 bool(spec.get("default")))
    return out


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


class Structure:
    """Everything declared: codelists, hierarchies, dimensions, the 17 tables and the regions."""

    def __init__(self):
        self.codelists = _codelists()
        self.hierarchies = _hierarchies(self.codelists)
        self.tables, self.dimensions = _tables(self.codelists, self.hierarchies)
        self.regions = _regions()
        self.modules = _yaml("tables.yaml")["modules"]
        self.agency = os.environ.get("ILMS_AGENCY", "ILMS")
        self._by_indicator = {m.indicator: (t, m) for t in self.tables.values() for m in t.ilostat}

    def table(self, number: int | str) -> Table:
        try:
            return self.tables[int(number)]
        except (KeyError, ValueError):
            raise KeyError(f"no ILMS table {number!r}: tables are numbered 1 to 17") from None

    def indicator(self, code: str) -> tuple[Table, IlostatIndicator] | None:
        """The table and mapping of an ILOSTAT indicator code (any case), or None."""
        return self._by_indicator.get(code.upper())

    def hierarchies_for(self, codelist_id: str) -> list[Hierarchy]:
        return [h for h in self.hierarchies.values() if h.codelist == codelist_id]

    @property
    def default_region(self) -> Region:
        return next(r for r in self.regions.values() if r.default)


@lru_cache(maxsize=1)
def structure() -> Structure:
    return Structure()
