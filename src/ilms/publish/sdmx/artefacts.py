"""The SDMX structural metadata of ILMS, derived from the table declarations (``ilms.tables``).

Everything here is built from ``structure()``: one agency scheme, one category scheme (the
modules) with a categorisation per dataflow, one concept scheme, every codelist (``CL_SOURCE``
from the store's source catalogue when a connection is given), the hierarchies, one data
structure definition (``DSD_ILMS_Tnn``) and one dataflow (``DF_ILMS_Tnn``) per table.

The objects are pysdmx model objects, held in an :class:`Artefacts` collection that also knows
which artefact references which (the graph behind the REST ``references`` parameter).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Iterable, Iterator

import pycountry
from pysdmx.model import (Agency, AgencyScheme, Categorisation, Category, CategoryScheme, Code,
                          Codelist, Component, Components, Concept, ConceptScheme, Dataflow,
                          DataStructureDefinition, DataType, HierarchicalCode, Hierarchy,
                          ItemReference, Role)
from pysdmx.model.__base import MaintainableArtefact
from sqlalchemy import Connection

from ...tables import TIME_DIMENSION, structure
from ...tables import Codelist as IlmsCodelist
from ...tables import Hierarchy as IlmsHierarchy
from ...tables import Table

VERSION = "1.0"
CONCEPT_SCHEME = "CS_ILMS"
CATEGORY_SCHEME = "CAT_ILMS_MODULES"
AGENCY_SCHEME = "AGENCIES"        # fixed id of every agency scheme (SDMX 2.1 and 3.0)
MEASURE = "OBS_VALUE"

#: Dataflows computed from the tables rather than declared as one: modules with an
#: ``artefacts(agency) -> list`` of pysdmx codelists, concept schemes, DSDs and dataflows, added to
#: every structure query next to the 17 tables' (a codelist id already built from the declarations,
#: e.g. CL_SEX, is the same list and is kept once). ``ilms.analysis.sdmx``: DF_ILMS_INDICATORS.
COMPUTED_DATAFLOWS = ("ilms.analysis.sdmx",)

#: SDMX type name (as in the REST API) of each kind of artefact this module builds.
TYPES = ("agencyscheme", "categoryscheme", "categorisation", "conceptscheme", "codelist",
         "hierarchy", "datastructure", "dataflow")


@dataclass(frozen=True)
class AttributeSpec:
    """An observation-level attribute every ILMS data structure carries."""

    id: str
    name: str
    codelist: str | None = None          # enumerated by this codelist, else text
    dtype: DataType = DataType.STRING
    mandatory: bool = False


#: The attributes, in the order every data message writes them.
ATTRIBUTES = (
    AttributeSpec("OBS_STATUS", "Observation status", "CL_OBS_STATUS"),
    AttributeSpec("OBS_CONF", "Observation confidentiality", "CL_OBS_CONF", mandatory=True),
    AttributeSpec("UNIT_MEASURE", "Unit of measure", "CL_UNIT_MEASURE", mandatory=True),
    AttributeSpec("UNIT_MULT", "Unit multiplier", "CL_UNIT_MULT", mandatory=True),
    AttributeSpec("CURRENCY", "Currency", "CL_CURRENCY"),
    AttributeSpec("DECIMALS", "Decimals as reported", dtype=DataType.INTEGER),
    AttributeSpec("NOTE_CLASSIF", "Notes on the classification (ILOSTAT note codes)"),
    AttributeSpec("NOTE_INDICATOR", "Notes on the indicator (ILOSTAT note codes)"),
    AttributeSpec("NOTE_SOURCE", "Notes on the source (ILOSTAT note codes)"),
    AttributeSpec("COMMENT", "Comment"),
)

#: Codelists SDMX needs for the attributes that the table declarations do not hold.
OBS_CONF_CODES = {"C": "Confidential statistical information", "F": "Free"}


def urn(obj: MaintainableArtefact) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.{_PACKAGE[type(obj)]}={obj.short_urn.split('=', 1)[1]}"


_PACKAGE = {
    AgencyScheme: "base.AgencyScheme", CategoryScheme: "categoryscheme.CategoryScheme",
    Categorisation: "categoryscheme.Categorisation", ConceptScheme: "conceptscheme.ConceptScheme",
    Codelist: "codelist.Codelist", Hierarchy: "codelist.Hierarchy",
    DataStructureDefinition: "datastructure.DataStructure", Dataflow: "datastructure.Dataflow",
}
_TYPE_OF = {AgencyScheme: "agencyscheme", CategoryScheme: "categoryscheme",
            Categorisation: "categorisation", ConceptScheme: "conceptscheme", Codelist: "codelist",
            Hierarchy: "hierarchy", DataStructureDefinition: "datastructure", Dataflow: "dataflow"}


def sdmx_type(obj: MaintainableArtefact) -> str:
    return _TYPE_OF[type(obj)]


@dataclass
class Artefacts:
    """Every maintainable artefact by SDMX type and id, and the reference graph between them."""

    agency: str
    by_type: dict[str, dict[str, MaintainableArtefact]] = field(default_factory=dict)
    children: dict[str, set[str]] = field(default_factory=dict)   # short urn -> referenced short urns

    def add(self, obj: MaintainableArtefact, refs: Iterable[str] = ()) -> None:
        self.by_type.setdefault(sdmx_type(obj), {})[obj.id] = obj
        self.children[obj.short_urn] = set(refs)

    def __iter__(self) -> Iterator[MaintainableArtefact]:
        for kind in TYPES:
            yield from self.by_type.get(kind, {}).values()

    def get(self, short_urn: str) -> MaintainableArtefact:
        return self._index[short_urn]

    @property
    def _index(self) -> dict[str, MaintainableArtefact]:
        return {o.short_urn: o for o in self}

    def parents(self, short_urn: str) -> set[str]:
        return {p for p, kids in self.children.items() if short_urn in kids}

    def __getitem__(self, kind: str) -> dict[str, MaintainableArtefact]:
        return self.by_type.get(kind, {})


def codelist_urn(agency: str, cl_id: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={agency}:{cl_id}({VERSION})"


def code_urn(agency: str, cl_id: str, code: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.codelist.Code={agency}:{cl_id}({VERSION}).{code}"


def concept_ref(agency: str, concept: str) -> ItemReference:
    return ItemReference(sdmx_type="Concept", agency=agency, id=CONCEPT_SCHEME, version=VERSION,
                         item_id=concept)


def _codelist(agency: str, cl: IlmsCodelist, codes=None, *, final: bool = True) -> Codelist:
    items = [Code(id=c.id, name=c.name) for c in (codes if codes is not None else cl.codes)]
    return Codelist(id=cl.id, name=cl.name, description=cl.description or None, agency=agency,
                    version=VERSION, items=items, is_final=final)


def source_codes(conn: Connection | None):
    """The codes of CL_SOURCE: the store's source catalogue (empty without a connection)."""
    from ...store.sources import catalogue
    from ...tables.model import Code as IlmsCode
    if conn is None:
        return []
    return [IlmsCode(row["code"], row["name"] or row["code"]) for row in catalogue(conn)]


def extra_codelists(agency: str) -> list[Codelist]:
    """Codelists of the attributes that the declarations do not hold (OBS_CONF, CURRENCY)."""
    conf = Codelist(id="CL_OBS_CONF", name="Observation confidentiality", agency=agency,
                    version=VERSION, is_final=True,
                    items=[Code(id=k, name=v) for k, v in OBS_CONF_CODES.items()])
    currencies = Codelist(id="CL_CURRENCY", name="Currency (ISO 4217)", agency=agency, version=VERSION,
                          is_final=True, items=[Code(id=c.alpha_3, name=c.name)
                                                for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3)])
    return [conf, currencies]


def _tree(agency: str, h: IlmsHierarchy, cl: IlmsCodelist, parent: str, seen: tuple[str, ...]) -> HierarchicalCode:
    if parent in h.sums and parent not in seen:
        kids = h.children(parent, {c.id for c in cl.codes})
        sub = [_tree(agency, h, cl, k, seen + (parent,)) for k in kids]
    else:
        sub = []
    return HierarchicalCode(id=parent, name=cl.label(parent), urn=code_urn(agency, cl.id, parent), codes=sub)


def hierarchy(agency: str, h: IlmsHierarchy, cl: IlmsCodelist) -> Hierarchy:
    """A hierarchy of the declarations as an SDMX hierarchy (3.0) / hierarchical codelist (2.1)."""
    children = {c for p, kids in h.sums.items() if kids != "*" for c in kids}
    roots = [p for p in h.sums if p not in children]
    roots += [c for c in h.optional if c not in children and c not in h.sums]
    return Hierarchy(id=h.id, name=h.name, agency=agency, version=VERSION, is_final=True,
                     codes=[_tree(agency, h, cl, r, ()) for r in roots])


def concept_scheme(agency: str) -> ConceptScheme:
    s = structure()
    concepts = [Concept(id=d.id, name=d.name) for d in s.dimensions.values()]
    concepts.append(Concept(id=TIME_DIMENSION, name="Time period"))
    concepts.append(Concept(id=MEASURE, name="Observation value"))
    concepts += [Concept(id=a.id, name=a.name) for a in ATTRIBUTES]
    return ConceptScheme(id=CONCEPT_SCHEME, name="ILMS concepts", agency=agency, version=VERSION,
                         is_final=True, items=concepts)


def _enumerated(agency: str, cl_id: str) -> Codelist:
    """A reference-only codelist stand-in for a component's representation."""
    return Codelist(id=cl_id, name=cl_id, agency=agency, version=VERSION)


def data_structure(agency: str, table: Table) -> DataStructureDefinition:
    comps = [Component(id=d.id, required=True, role=Role.DIMENSION, concept=concept_ref(agency, d.id),
                       local_codes=_enumerated(agency, d.codelist.id)) for d in table.dimensions]
    comps.append(Component(id=TIME_DIMENSION, required=True, role=Role.DIMENSION,
                           concept=concept_ref(agency, TIME_DIMENSION),
                           local_dtype=DataType.STD_TIME_PERIOD))
    comps.append(Component(id=MEASURE, required=False, role=Role.MEASURE, concept=concept_ref(agency, MEASURE),
                           local_dtype=DataType.DOUBLE))
    for a in ATTRIBUTES:
        mandatory = a.mandatory or (a.id == "CURRENCY" and table.unit.currency_required)
        comps.append(Component(id=a.id, required=mandatory, role=Role.ATTRIBUTE,
                               concept=concept_ref(agency, a.id), attachment_level="O",
                               local_codes=_enumerated(agency, a.codelist) if a.codelist else None,
                               local_dtype=None if a.codelist else a.dtype))
    return DataStructureDefinition(id=table.dsd_id, name=table.title, agency=agency, version=VERSION,
                                   is_final=True, components=Components(comps))


def dsd_urn(agency: str, table: Table) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={agency}:{table.dsd_id}({VERSION})"


def dataflow(agency: str, table: Table) -> Dataflow:
    return Dataflow(id=table.id, name=f"Table {table.number}: {table.title}", agency=agency,
                    version=VERSION, is_final=True, structure=dsd_urn(agency, table))


def build(conn: Connection | None = None, agency: str | None = None) -> Artefacts:
    """Build every artefact; ``agency`` defaults to ``structure().agency``."""
    s = structure()
    agency = agency or s.agency
    out = Artefacts(agency)
    out.add(AgencyScheme(id=AGENCY_SCHEME, name="Agencies", agency="SDMX", version=VERSION,
                         items=[Agency(id=agency, name="International Labour Migration Statistics")]))
    codelists = []
    for cl in s.codelists.values():
        if cl.id == "CL_SOURCE":
            codelists.append(_codelist(agency, cl, source_codes(conn), final=False))
        else:
            codelists.append(_codelist(agency, cl))
    codelists += extra_codelists(agency)
    for cl in codelists:
        out.add(cl)
    for h in s.hierarchies.values():
        obj = hierarchy(agency, h, s.codelists[h.codelist])
        out.add(obj, [f"Codelist={agency}:{h.codelist}({VERSION})"])
    cs = concept_scheme(agency)
    out.add(cs)
    cats = CategoryScheme(id=CATEGORY_SCHEME, name="ILMS modules", agency=agency, version=VERSION,
                          is_final=True, items=[Category(id=m, name=name) for m, name in s.modules.items()])
    out.add(cats)
    for table in s.tables.values():
        dsd = data_structure(agency, table)
        refs = {cs.short_urn} | {f"Codelist={agency}:{c.local_codes.id}({VERSION})"
                                 for c in dsd.components if c.local_codes is not None}
        out.add(dsd, refs)
        flow = dataflow(agency, table)
        out.add(flow, [dsd.short_urn])
        cat = Categorisation(
            id=f"CAT_{table.id}_{table.module}", name=f"{table.id} in module {table.module}",
            agency=agency, version=VERSION, is_final=True, source=urn(flow),
            target=f"urn:sdmx:org.sdmx.infomodel.categoryscheme.Category={agency}:{CATEGORY_SCHEME}({VERSION}).{table.module}")
        out.add(cat, [flow.short_urn, cats.short_urn])
    for module in COMPUTED_DATAFLOWS:
        add_computed(out, import_module(module).artefacts(agency))
    return out


def _references(obj: MaintainableArtefact) -> set[str]:
    """Short urns of what a DSD (its concept schemes and codelists) or a dataflow (its DSD) uses."""
    if isinstance(obj, Dataflow):
        return {"DataStructure=" + str(obj.structure).split("=", 1)[1]}
    if isinstance(obj, DataStructureDefinition):
        refs = set()
        for c in obj.components:
            if isinstance(c.concept, ItemReference):
                refs.add(f"ConceptScheme={c.concept.agency}:{c.concept.id}({c.concept.version})")
            if c.local_codes is not None:
                refs.add(f"Codelist={c.local_codes.agency}:{c.local_codes.id}({c.local_codes.version})")
        return refs
    return set()


def add_computed(out: Artefacts, objects: Iterable[MaintainableArtefact]) -> None:
    """Add a computed dataflow's artefacts, keeping an artefact already there (same type and id)."""
    for obj in objects:
        if obj.id in out[sdmx_type(obj)]:
            continue
        out.add(obj, _references(obj))
