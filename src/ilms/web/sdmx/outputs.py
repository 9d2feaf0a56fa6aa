"""The one place the SDMX service calls the SDMX publishing modules (``ilms.publish.sdmx``).

* structure messages: ``ilms.publish.sdmx.structures.structure_message(kind, ids, format, detail,
  references, conn)``;
* data messages: the writers of ``ilms.publish.sdmx.data``, registered by media type, each taking
  a table, an iterator of Observations and the options dimensionAtObservation / detail /
  attributes / measures / labels, and giving text or bytes in pieces;
* availability: an Actual data constraint written with pysdmx's structure writers.

Everything the service needs from those modules goes through the functions below, so a change
of their interface is a change here only. The publishing modules (and pysdmx behind them) are
imported on first use, so an app serving only the JSON API starts without them.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from ...tables import Table, structure

#: test doubles registered here win over the publishing module's writers (media type -> writer)
EXTRA_DATA_WRITERS: dict[str, Callable[..., Iterable]] = {}


def version() -> str:
    from ...publish.sdmx.artefacts import VERSION
    return VERSION


# ---------------------------------------------------------------------------- data

def data_media_types() -> list[str]:
    from ...publish.sdmx import data
    found = list(data.media_types())
    return found + [m for m in EXTRA_DATA_WRITERS if m not in found]


def observation_order(media_type: str, table: Table, dimension_at_observation: str) -> tuple[str, ...]:
    """The order the writer of ``media_type`` takes observations in (``Selection.order``; () canonical)."""
    if media_type in EXTRA_DATA_WRITERS:
        return ()
    from ...publish.sdmx import data as mod
    try:
        return mod.observation_order(table, media_type, dimension_at_observation)
    except mod.NotAcceptable:
        return ()


def data_set_actions(media_type: str) -> bool:
    """Whether the format says a data set's action and validity (history, changes)."""
    if media_type in EXTRA_DATA_WRITERS:
        return True
    from ...publish.sdmx import data as mod
    return mod.writer_for(media_type).actions


def write_data(media_type: str, table: Table, observations: Iterator, options: dict[str, Any],
               release=None) -> Iterator[bytes]:
    """The message as a stream of bytes. Options are checked here, before the first byte:
    SdmxError 400 (invalid option), 406 (no writer), 501 (an option the writer does not implement)."""
    return write_datasets(media_type, [(table, observations)], options, release)


def write_datasets(media_type: str, datasets: Iterable[tuple], options: dict[str, Any],
                   release=None, tables: list[Table] | None = None) -> Iterator[bytes]:
    """One message with the data sets given: (table, observations[, action, valid_from, valid_to])
    each, produced lazily (``tables``: the dataflows they are of); errors as ``write_data``."""
    from .errors import SdmxError
    if media_type in EXTRA_DATA_WRITERS:
        writer = EXTRA_DATA_WRITERS[media_type]
        return _encoded(piece for part in datasets for piece in writer(part[0], part[1], **options))
    from ...publish.sdmx import data as mod
    header = mod.MessageHeader(release=getattr(release, "name", None), checksum=getattr(release, "checksum", None))
    try:
        opts = mod.DataOptions(header=header, **options)
        parts = (mod.DataSetPart(*part) for part in datasets)
        return _encoded(mod.write_datasets(parts if tables else list(parts), media_type, opts, tables))
    except mod.InvalidOption as exc:
        raise SdmxError(400, str(exc), exc.parameter) from None
    except mod.NotAcceptable as exc:
        raise SdmxError(406, str(exc)) from None
    except mod.NotImplementedOption as exc:
        raise SdmxError(501, str(exc)) from None


def _encoded(pieces: Iterable) -> Iterator[bytes]:
    for piece in pieces:
        if piece:
            yield piece.encode("utf-8") if isinstance(piece, str) else piece


# ---------------------------------------------------------------------------- structures

def structure_media_types() -> list[str]:
    from ...publish.sdmx import structures
    return list(structures.FORMATS)


def structure_types() -> tuple[str, ...]:
    """The REST structure types served (codelist, dataflow, ..., their aliases, structure and *)."""
    from ...publish.sdmx import structures
    return tuple(structures.TYPES) + tuple(structures.ALIASES) + tuple(structures.EVERYTHING)


def artefact_agencies() -> set[str]:
    """The agencies owning artefacts here: the ILMS agency, and SDMX for the agency scheme."""
    return {structure().agency, "SDMX"}


def structure_message(kind: str, ids, media_type: str, detail: str, references, conn,
                      agency: str | None = None, items=None) -> bytes:
    """The message, or SdmxError: 404 nothing matches, 400 a bad parameter, 501 not served.
    ``agency``: only the artefacts of that agency (None: every agency); ``items``: an item query."""
    from ...publish.sdmx import structures as mod
    from .errors import SdmxError
    try:
        return mod.structure_message(kind, ids, media_type, detail, list(references), conn, agency=agency,
                                     items=items)
    except mod.NoResults as exc:
        raise SdmxError(404, str(exc)) from None
    except mod.UnsupportedQuery as exc:
        raise SdmxError(400, str(exc)) from None
    except mod.NotImplementedQuery as exc:
        raise SdmxError(501, str(exc)) from None


# ---------------------------------------------------------------------------- schemas

SCHEMA_FORMATS = {"application/vnd.sdmx.schema+xml;version=2.1": "2.1",
                  "application/vnd.sdmx.schema+xml;version=3.0.0": "3.0",
                  "application/vnd.sdmx.schema+xml;version=3.1.0": "3.1"}
#: where the generated XSD finds the SDMX schemas it imports (SDMXCommon.xsd, ...): next to it
SCHEMA_LOCATION = ""


def schema_message(table: Table, media_type: str, dimension_at_observation: str) -> bytes:
    """The structure-specific XSD of a table's data (``ilms.publish.sdmx.schema``)."""
    from ...publish.sdmx.schema import xsd
    return xsd(table, SCHEMA_FORMATS[media_type], dimension_at_observation, SCHEMA_LOCATION).encode("utf-8")


# ---------------------------------------------------------------------------- availability

#: structure media types with an Actual data constraint (2.1 ContentConstraint type, 3.0 role); SDMX 3.1
#: (SDMX-ML 3.1, SDMX-JSON 2.1.0) has a separate AvailabilityConstraint pysdmx does not write yet
CONSTRAINT_FORMATS = ("application/vnd.sdmx.structure+xml;version=2.1",
                      "application/vnd.sdmx.structure+xml;version=3.0.0",
                      "application/vnd.sdmx.structure+json;version=2.0.0")


def constraint_message(found: list[tuple[Table, Any]], media_type: str, references=("none",), conn=None) -> bytes:
    """An Actual data constraint per (table, availability) (SDMX 2.1 ContentConstraint type=Actual,
    3.x DataConstraint role=Actual) with one cube region, and the series/observation counts as
    ``sdmx_metrics``; ``references`` (availability: all, dataflow, datastructure, conceptscheme,
    codelist, ...) adds those structures of the dataflows to the message."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    from ...publish.sdmx import structures as st
    constraints = [_constraint(table, availability) for table, availability in found]
    arts = st.artefacts(conn) if any(r != "none" for r in references) else None
    related: list = []
    for table, _ in found:
        if arts is not None:
            related += [o for o in st.dataflow_structures(arts, table.id, list(references)) if o not in related]
    text = st.FORMATS[media_type].repair(write_sdmx([*constraints, *related], Format(media_type)))
    # pysdmx writes every constraint as Allowed; availability answers the Actual one
    for allowed, actual in (('type="Allowed"', 'type="Actual"'), ('role="Allowed"', 'role="Actual"'),
                            ('"role": "Allowed"', '"role": "Actual"'), ('"role":"Allowed"', '"role":"Actual"')):
        text = text.replace(allowed, actual)
    return text.encode("utf-8")


def _constraint(table: Table, found):
    from pysdmx.model import (Annotation, ConstraintAttachment, CubeKeyValue, CubeRegion, CubeTimeRange,
                              CubeValue, DataConstraint)
    from pysdmx.model.constraint import TimePeriodBoundary

    from ...publish.sdmx.data.layout import sdmx_time

    agency = structure().agency
    key_values = [CubeKeyValue(dim, [CubeValue(c) for c in codes]) for dim, codes in found.values.items()]
    if found.start and found.end:
        key_values.append(CubeKeyValue("TIME_PERIOD", time_range=CubeTimeRange(
            start_period=TimePeriodBoundary(sdmx_time(found.start), True),
            end_period=TimePeriodBoundary(sdmx_time(found.end), True))))
    flow_urn = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={agency}:{table.id}({version()})"
    return DataConstraint(
        id=f"CC_{table.id}", name=f"Data available in {table.id}", agency=agency, version=version(),
        constraint_attachment=ConstraintAttachment(None, dataflows=[flow_urn]),
        cube_regions=[CubeRegion(key_values)],
        annotations=[Annotation(id="series_count", title=str(found.series_count), type="sdmx_metrics"),
                     Annotation(id="obs_count", title=str(found.obs_count), type="sdmx_metrics")])
