"""Content negotiation: ``Accept`` (with q-values and SDMX ``version`` parameters) or ``?format=``.

The media types of each REST version are listed in the order of preference; the first one a
writer exists for is the default (what the specifications name: v1 data SDMX-ML 2.1 generic, v1
structure SDMX-ML 2.1, v2 data SDMX-JSON 2.1.0 then SDMX-ML 3.1/3.0, v2 structure SDMX-JSON 2.1.0
then SDMX-ML 3.1/3.0). A bare ``application/xml``, ``application/json`` or ``text/csv`` takes the
preferred media type of that syntax. Nothing acceptable: 406.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..accept import AcceptRange, parse_accept
from .errors import SdmxError

V = "application/vnd.sdmx."


@dataclass(frozen=True)
class MediaType:
    type: str          # "application/vnd.sdmx.genericdata+xml"
    version: str       # "2.1"

    def __str__(self) -> str:
        return f"{self.type};version={self.version}"

    @property
    def syntax(self) -> str:
        return self.type.rsplit("+", 1)[-1]          # xml | json | csv


def _mt(text: str) -> MediaType:
    type_, version = text.split(";version=")
    return MediaType(V + type_, version)


_DATA_V1 = [_mt(t) for t in ("genericdata+xml;version=2.1", "structurespecificdata+xml;version=2.1",
                             "generictimeseriesdata+xml;version=2.1",
                             "structurespecifictimeseriesdata+xml;version=2.1",
                             "data+json;version=1.0.0", "data+csv;version=1.0.0")]
_DATA_V2 = [_mt(t) for t in ("data+json;version=2.1.0", "data+xml;version=3.1.0", "data+xml;version=3.0.0",
                             "data+csv;version=2.1.0", "data+json;version=2.0.0", "data+csv;version=2.0.0")]
_STRUCT_V1 = [_mt(t) for t in ("structure+xml;version=2.1", "structure+json;version=1.0.0")]
_STRUCT_V2 = [_mt(t) for t in ("structure+json;version=2.1.0", "structure+xml;version=3.1.0",
                               "structure+xml;version=3.0.0", "structure+json;version=2.0.0")]

_SCHEMA_V1 = [_mt("schema+xml;version=2.1")]
_SCHEMA_V2 = [_mt(t) for t in ("schema+xml;version=3.1.0", "schema+xml;version=3.0.0")]

#: (REST version, kind) -> media types in order of preference; v2 also answers every v1 media type
PREFERENCES: dict[tuple[int, str], list[MediaType]] = {
    (1, "data"): _DATA_V1, (2, "data"): _DATA_V2 + _DATA_V1,
    (1, "structure"): _STRUCT_V1, (2, "structure"): _STRUCT_V2 + _STRUCT_V1,
    (1, "schema"): _SCHEMA_V1, (2, "schema"): _SCHEMA_V2 + _SCHEMA_V1,
}

#: generic media types -> the syntax they ask for
GENERIC = {"application/xml": "xml", "text/xml": "xml", "application/json": "json", "text/json": "json",
           "text/csv": "csv", "application/csv": "csv"}

#: ``?format=`` names -> a media type's type (without the prefix) or a syntax
FORMAT_NAMES = {
    "xml": "xml", "json": "json", "csv": "csv", "csvfile": "csv", "sdmx-csv": "csv", "sdmx-json": "json",
    "sdmx-ml": "xml", "jsondata": "data+json", "genericdata": "genericdata+xml",
    "structurespecificdata": "structurespecificdata+xml", "generictimeseriesdata": "generictimeseriesdata+xml",
    "structurespecifictimeseriesdata": "structurespecifictimeseriesdata+xml",
    "structure": "structure+xml",
}


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def _version_ok(wanted: str | None, actual: str) -> bool:
    """``version=2.1``, ``3.0.0``, or a range ``3.0.0+`` (that version or later)."""
    if wanted is None:
        return True
    if wanted.endswith("+"):
        return _version_tuple(actual) >= _version_tuple(wanted[:-1])
    have, want = _version_tuple(actual), _version_tuple(wanted)
    return have[:len(want)] == want and not any(have[len(want):])


def _matches(r: AcceptRange, mt: MediaType, preferred: list[MediaType]) -> bool:
    if r.type in ("*/*", "application/*"):
        return mt == preferred[0]
    if r.type in GENERIC:
        return mt == next((m for m in preferred if m.syntax == GENERIC[r.type]), None)
    return r.type == mt.type and _version_ok(r.params.get("version"), mt.version)


def negotiate(api: int, kind: str, supported: Iterable[str], accept: str | None,
              format_: str | None = None, format_version: str | None = None) -> MediaType:
    """The media type to answer with, or ``SdmxError(406)``."""
    available = {str(m) for m in supported}
    preferred = [m for m in PREFERENCES[(api, kind)] if str(m) in available]
    if not preferred:
        raise SdmxError(406, f"no {kind} format is available")
    if format_:
        wanted = FORMAT_NAMES.get(format_.lower())
        for mt in preferred:
            if wanted and (mt.syntax == wanted or mt.type == V + wanted) and _version_ok(format_version, mt.version):
                return mt
        raise SdmxError(406, f"format={format_} is not available here; formats: "
                             + ", ".join(sorted({k for k, v in FORMAT_NAMES.items()
                                                 if any(m.syntax == v or m.type == V + v for m in preferred)})),
                        "format")
    ranges = parse_accept(accept)
    if not ranges:
        return preferred[0]
    for r in sorted(ranges, key=lambda r: (-r.q, r.order)):
        if r.q == 0:
            continue
        excluded = {str(m) for x in ranges if x.q == 0 for m in preferred if _matches(x, m, preferred)}
        for mt in preferred:
            if str(mt) not in excluded and _matches(r, mt, preferred):
                return mt
    raise SdmxError(406, f"none of the media types in Accept is available; available: {', '.join(map(str, preferred))}",
                    "Accept")
