"""schemathesis against the official SDMX REST OpenAPI definitions (v2.2.2 and v1.5.0, read from
../shared), with REAL identifiers.

schemathesis alone invents agencies, flows and keys, so nearly every case ends in 404/204/400 and
the code that builds messages is barely reached. Here every case of an operation comes from
schemathesis (so its query parameters and headers are drawn from the official definition), and
its path parameters are replaced by values drawn from the seeded database and the served
artefacts: agency ``ILMS`` (``SDMX`` for the agency scheme), dataflows ``DF_ILMS_T01..17``,
versions ``1.0`` / ``latest`` / ``~`` / ``+`` / ``*``, keys built from the seeded codes (matching
the data, with wildcards and OR) or from other real codes (no data), the structure types served
and their item ids. Half of the cases also replace schemathesis's query and headers by real
ones (``c[SEX]=SEX_T``, periods around the data, detail, an offered media type in ``Accept``).

Asserted for every response: no server error other than a deliberate 501; on 200 a media type
offered for that resource (the one asked for, when ``Accept`` named one) and a body that parses
as that syntax; 304 only when a validator was sent. And a minimum share of 200 answers per kind
of resource (data, availability, structures) in each API version.

Bounded for CI (``MAX_EXAMPLES`` per operation, derandomised); docs/sdmx-rest.md gives the command
for a longer run (``ILMS_ST_EXAMPLES``, ``ILMS_ST_RANDOM``, ``ILMS_ST_TRACE``).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,  # noqa: E402
                                               status_code_conformance)
from schemathesis.checks import not_a_server_error  # noqa: E402

from ilms.publish.sdmx import artefacts  # noqa: E402
from ilms.tables import structure  # noqa: E402
from ilms.web.sdmx import outputs  # noqa: E402
from ilms.web.sdmx.negotiation import PREFERENCES  # noqa: E402

from .test_clients import seed_all_tables  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("ILMS_ST_EXAMPLES", "30"))
RANDOM = bool(os.environ.get("ILMS_ST_RANDOM"))        # a new draw each run (long runs)
#: the least share of 200 answers per kind of resource (the rest: 404/204 for keys without data,
#: 400/406/501 for what schemathesis draws from the definition, 304 for its If-Modified-Since)
MIN_OK = {"data": 0.30, "availability": 0.30, "structure": 0.30}
#: the official definitions' own checks, run on every response
OFFICIAL_CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)
#: the 501s docs/sdmx-rest.md declares (an optional feature this service does not implement), by
#: the parameter the answer names
DECLARED_501 = {"sort", "c"}       # sort by an attribute or OBS_VALUE; availability c[OBS_VALUE]
REST = "../shared/sdmx-reference/sdmx-rest"
V1_VERSIONS = ("1.0", "latest", "all")
V2_VERSIONS = ("1.0", "~", "+", "*")


@dataclass
class Flow:
    id: str
    dims: list[tuple[str, str, list[str]]]     # (dimension, seeded code, other real codes)


@dataclass
class Real:
    agency: str
    flows: list[Flow]
    artefacts: dict[str, list[tuple[str, str, list[str]]]]   # type -> [(agency, id, item ids)]
    supported: dict[str, list[str]]             # kind -> media types written

    def offered(self, api: str, kind: str) -> list[str]:
        """The media types a 200 of that kind may have in that API version."""
        prefs = PREFERENCES[(int(api[1]), "data" if kind == "data" else "structure")]
        return [str(m) for m in prefs if str(m) in self.supported[kind]]


@dataclass
class Tally:
    kinds: Counter = field(default_factory=Counter)      # (kind) -> cases
    ok: Counter = field(default_factory=Counter)         # (kind) -> 200 answers
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def real_world(seeded) -> Real:
    flows = []
    for n, (key, _value) in seeded.items():
        table = structure().table(n)
        dims = []
        for dim, code in zip(table.dimensions, key):
            others = [c.id for c in dim.codelist.codes if c.id != code][:3] if dim.codelist else []
            dims.append((dim.id, code, others or ["XX_NONE"]))
        flows.append(Flow(table.id, dims))
    arts = {}
    for kind, objs in artefacts().by_type.items():
        arts[kind] = [(o.agency if isinstance(o.agency, str) else o.agency.id, o.id,
                       [i.id for i in (getattr(o, "items", None) or [])][:5]) for o in objs.values()]
    return Real(structure().agency, flows, arts, {"data": outputs.data_media_types(),
                                                  "structure": outputs.structure_media_types(),
                                                  "availability": list(outputs.CONSTRAINT_FORMATS)})


# ---------------------------------------------------------------------------- path strategies

def key_positions(real_flow: Flow, wildcard: str, with_or: bool):
    """A key of real codes: matching the seeded observation (codes, wildcards, ORs) or, one time
    in four, naming another real code somewhere (no data)."""
    def position(dim, matching: bool):
        _, code, others = dim
        if not matching:
            return st.sampled_from(others)
        choices = [st.just(wildcard), st.just(code)]
        if with_or:
            choices.append(st.sampled_from(others).map(lambda o: f"{code}+{o}"))
        return st.one_of(choices)

    @st.composite
    def draw(draw):
        miss = draw(st.integers(0, 3)) == 0
        missing = draw(st.integers(0, len(real_flow.dims) - 1)) if miss else -1
        return [draw(position(d, i != missing)) for i, d in enumerate(real_flow.dims)]
    return draw()


def v1_key(flow: Flow):
    return st.one_of(st.just("all"), key_positions(flow, "", True).map(".".join))


def v2_key(flow: Flow):
    one = key_positions(flow, "*", False).map(".".join)
    return st.one_of(st.just("*"), one, st.lists(one, min_size=2, max_size=2).map(",".join))


def components(flow: Flow):
    return st.sampled_from(["*", *(d for d, _, _ in flow.dims)])


def path_strategy(real: Real, api: str, path: str, names: list[str]):
    flows = st.sampled_from(real.flows)
    a = real.agency
    if path.startswith("/data/"):
        if api == "v1":
            return flows.flatmap(lambda f: st.fixed_dictionaries({
                "flow": st.sampled_from([f.id, f"{a},{f.id}", f"{a},{f.id},1.0", f"{a},{f.id},latest"]),
                "key": v1_key(f), "provider": st.sampled_from(["all", "all", f"{a},NOT_A_PROVIDER"])}))
        return flows.flatmap(lambda f: st.fixed_dictionaries({
            "context": st.sampled_from(["dataflow", "dataflow", "*"]), "agencyID": st.sampled_from([a, a, "*"]),
            "resourceID": st.just(f.id), "version": st.sampled_from(V2_VERSIONS), "key": v2_key(f)}))
    if path.startswith("/availableconstraint/"):
        return flows.flatmap(lambda f: st.fixed_dictionaries({
            "flow": st.sampled_from([f.id, f"{a},{f.id},1.0"]), "key": v1_key(f), "provider": st.just("all"),
            "componentID": components(f).map(lambda c: "all" if c == "*" else c)}))
    if path.startswith("/availability/"):
        return flows.flatmap(lambda f: st.fixed_dictionaries({
            "context": st.just("dataflow"), "agencyID": st.just(a), "resourceID": st.just(f.id),
            "version": st.sampled_from(V2_VERSIONS), "key": v2_key(f), "componentID": components(f)}))
    # structures: a served type (or the operation's own), an artefact of that type, its items
    if api == "v1":
        fixed_type = path.strip("/").split("/")[0]
        types = st.just(fixed_type)
        wild, versions = "all", V1_VERSIONS
    else:
        served = [t for t in real.artefacts
                  if "itemID" not in names or any(items for *_, items in real.artefacts[t])]
        types = st.sampled_from(served)
        wild, versions = "*", V2_VERSIONS

    @st.composite
    def structure_path(draw):
        kind = draw(types)
        agency, ident, items = draw(st.sampled_from(real.artefacts.get(kind) or [(a, "NONE", [])]))
        out = {"agencyID": draw(st.sampled_from([agency, agency, wild])),
               "resourceID": draw(st.sampled_from([ident, ident, wild])),
               "version": draw(st.sampled_from(versions))}
        if api == "v2":
            out["itemSchemeType" if "itemSchemeType" in names else "structureType"] = kind
        if "itemID" in names:
            out["itemID"] = draw(st.sampled_from([*(items or ["NONE"]), wild]))
        return out
    return structure_path()


# ---------------------------------------------------------------------------- real query / headers

def real_query(api: str, kind: str):
    if kind in ("structure", "items"):
        return st.fixed_dictionaries({}, optional={
            "references": st.sampled_from(["none", "children", "descendants", "parents", "all", "codelist"]),
            "detail": st.sampled_from(["full", "allstubs", "referencestubs"])})
    if kind == "availability":
        opt = {"mode": st.sampled_from(["exact", "available"])}
        if api == "v1":
            opt.update(startPeriod=st.sampled_from(["2019", "2020"]), endPeriod=st.sampled_from(["2020", "2021"]))
        return st.fixed_dictionaries({}, optional=opt)
    if api == "v1":
        return st.fixed_dictionaries({}, optional={
            "startPeriod": st.sampled_from(["2015", "2020", "2020-01"]), "endPeriod": st.sampled_from(["2020", "2024"]),
            "detail": st.sampled_from(["full", "dataonly", "serieskeysonly", "nodata"]),
            "dimensionAtObservation": st.sampled_from(["TIME_PERIOD", "AllDimensions"]),
            "firstNObservations": st.integers(1, 3), "lastNObservations": st.integers(1, 3),
            "includeHistory": st.sampled_from(["true", "false"])})
    return st.fixed_dictionaries({}, optional={
        "c[TIME_PERIOD]": st.sampled_from(["ge:2019+le:2021", "2020", "ge:2020"]),
        "c[OBS_CONF]": st.just("F"),
        "attributes": st.sampled_from(["dsd", "all", "none", "obs", "OBS_CONF,UNIT_MEASURE"]),
        "measures": st.sampled_from(["all", "none", "OBS_VALUE"]),
        "dimensionAtObservation": st.sampled_from(["TIME_PERIOD", "AllDimensions"]),
        "limit": st.integers(1, 5), "offset": st.just(0), "includeHistory": st.sampled_from(["true", "false"])})


def real_headers(real: Real, api: str, kind: str):
    offered = real.offered(api, "structure" if kind == "items" else kind)
    return st.fixed_dictionaries({}, optional={"Accept": st.sampled_from([*offered, "*/*"]),
                                               "Accept-Encoding": st.sampled_from(["gzip", "identity"])})


def kind_of(path: str) -> str:
    if path.endswith("{itemID}"):
        return "items"
    if path.startswith("/data/"):
        return "data"
    if path.startswith(("/availability/", "/availableconstraint/")):
        return "availability"
    return "structure"


def case_strategy(real: Real, api: str, operation):
    names = [p.name for p in operation.iter_parameters() if p.location.name == "PATH"]
    kind = kind_of(operation.path)
    paths = path_strategy(real, api, operation.path, names)

    @st.composite
    def draw(draw):
        case = draw(operation.as_strategy())
        case.path_parameters = draw(paths)
        if draw(st.booleans()):             # real query and headers instead of the definition's
            case.query = draw(real_query(api, kind))
            case.headers = draw(real_headers(real, api, kind))
        return case
    return draw()


# ---------------------------------------------------------------------------- checks

def header(response, name: str) -> str:
    value = response.headers.get(name, [""])
    return value[0] if isinstance(value, list) else value


def body_of(response) -> bytes:
    raw = response.content
    return gzip.decompress(raw) if header(response, "content-encoding") == "gzip" and raw[:2] == b"\x1f\x8b" else raw


def check(real: Real, api: str, kind: str, case, response, tally: Tally) -> None:
    where = f"{case.method} {case.formatted_path}?{case.query} {dict(case.headers or {})}"
    status = response.status_code
    tally.kinds[kind] += 1
    tally.statuses[status] += 1
    if os.environ.get("ILMS_ST_TRACE"):
        print(kind, status, where, response.content[:150] if status >= 400 else b"")
    if status >= 500 and status != 501:
        tally.failures.append(f"{where}: {status} {response.content[:300]!r}")
        return
    sent = {k.lower(): v for k, v in (case.headers or {}).items()}
    if status == 304 and not ({"if-modified-since", "if-none-match"} & set(sent)):
        tally.failures.append(f"{where}: 304 without a validator")
    if status != 200:
        return
    tally.ok[kind] += 1
    ctype = header(response, "content-type")
    offered = real.offered(api, "structure" if kind == "items" else kind)
    if ctype not in offered:
        tally.failures.append(f"{where}: 200 with {ctype!r}, not an SDMX media type offered for {kind}")
        return
    asked = sent.get("accept")
    if asked in offered and ctype != asked:
        tally.failures.append(f"{where}: asked for {asked}, got {ctype}")
    body = body_of(response)
    try:
        if "+xml" in ctype:
            etree.fromstring(body)
        elif "+json" in ctype:
            json.loads(body)
        else:
            rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
            assert len(rows) >= 2 and rows[0][0] in ("DATAFLOW", "STRUCTURE"), rows[:2]
    except Exception as exc:        # noqa: BLE001  (any parse failure is a finding)
        tally.failures.append(f"{where}: 200 {ctype} body does not parse: {exc!r}")


def official_definition(shared_dir, name: str) -> dict:
    """The official OpenAPI definition, its SDMX-JSON response bodies pointed at the official SDMX-JSON
    Schema files (by file URI: nothing copied). As published, every 200 body is ``type: string`` (the
    message as text): right for SDMX-ML and SDMX-CSV, but schemathesis parses an SDMX-JSON body and
    then finds an object where a string is declared -- the "mismatch" on ``dataStructureComponents``
    (docs/sdmx-rest.md). The JSON Schema files are the normative description of those bodies."""
    raw = yaml.safe_load((shared_dir / "sdmx-reference" / "sdmx-rest" / name).read_text(encoding="utf-8"))
    json_dir = shared_dir / "sdmx-reference" / "sdmx-json"
    for response in raw["components"]["responses"].values():
        for media_type, content in (response.get("content") or {}).items():
            kind = "data" if "sdmx.data+json" in media_type else "structure" if "sdmx.structure+json" in media_type else None
            if kind is None:
                continue
            version = media_type.rsplit("=", 1)[-1]
            path = json_dir / {"1.0.0": "1.0"}.get(version, version) / f"sdmx-json-{kind}-schema.json"
            if path.exists():
                content["schema"] = {"$ref": path.as_uri()}
    return raw


def official_checks(case, response, where: str, tally: Tally) -> None:
    """status_code_conformance, content_type_conformance, response_schema_conformance and
    not_a_server_error; a 501 only for what docs/sdmx-rest.md declares unsupported."""
    try:
        case.validate_response(response, checks=list(OFFICIAL_CHECKS))
    except Exception as exc:        # noqa: BLE001  (schemathesis raises a group of failures)
        if response.status_code == 501:
            try:
                parameter = json.loads(response.content).get("parameter") or ""
            except ValueError:
                parameter = ""
            if parameter.split("[")[0] in DECLARED_501 and "violates" not in str(exc) \
                    and "content type" not in str(exc).lower():
                return
        tally.failures.append(f"{where}: {str(exc)[:600]}")


def run(shared_dir, sqlite_engine, name: str, api: str, base: str, include: str) -> Tally:
    from ilms.web import create_app
    real = real_world(seed_all_tables(sqlite_engine))
    app = create_app(sqlite_engine)
    schema = schemathesis.openapi.from_dict(official_definition(shared_dir, name))
    schema.config.update(base_url="http://127.0.0.1" + base)
    tally = Tally()
    operations = [r.ok() for r in schema.include(path_regex=include).get_all_operations()]
    assert operations
    for operation in operations:
        kind = kind_of(operation.path)

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                  suppress_health_check=list(HealthCheck))
        @given(case_strategy(real, api, operation))
        def one(case):
            # the case's headers go as call arguments too: schemathesis 4.32 lets the in-process
            # client's defaults (Accept: */*, Accept-Encoding) override the generated ones otherwise
            # a generous timeout: on a saturated shared machine schemathesis' 10 s default cut off
            # 0.03 s structure queries (docs/sdmx-rest.md, the long run)
            response = case.call(app=app, headers=dict(case.headers or {}), timeout=120)
            check(real, api, kind, case, response, tally)
            official_checks(case, response, f"{case.method} {case.formatted_path}?{case.query}", tally)
        one()
    return tally


def assert_meaningful(tally: Tally, kinds: tuple[str, ...]) -> None:
    assert tally.failures == [], "\n".join(tally.failures[:20])
    for kind in kinds:
        assert tally.kinds[kind] >= MAX_EXAMPLES, (kind, tally.kinds)
        share = tally.ok[kind] / tally.kinds[kind]
        assert share >= MIN_OK[kind], f"{kind}: {tally.ok[kind]}/{tally.kinds[kind]} answered 200; {tally.statuses}"


def test_v2_2_2_data_structure_availability_with_real_ids(shared_dir, sqlite_engine):
    tally = run(shared_dir, sqlite_engine, "sdmx-rest-v2.2.2.openapi.yaml", "v2", "/rest/v2",
                r"^/(data|structure|availability)")
    assert_meaningful(tally, ("data", "availability", "structure"))


def test_v1_5_0_data_and_structures_with_real_ids(shared_dir, sqlite_engine):
    tally = run(shared_dir, sqlite_engine, "sdmx-rest-v1.5.0.openapi.yaml", "v1", "/rest",
                r"^/(data|availableconstraint|dataflow|datastructure|codelist|conceptscheme)/")
    assert_meaningful(tally, ("data", "availability", "structure"))
