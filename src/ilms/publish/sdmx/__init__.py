"""SDMX publishing: structure messages and streaming data messages, derived from ``structure()``.

Interface for the REST layer (``/rest`` = SDMX-REST v1.5, ``/rest/v2`` = v2.x):

Structures (``ilms.publish.sdmx.structures``)
    ``artefacts(conn=None)`` -> :class:`Artefacts`; ``artefacts()["dataflow"]["DF_ILMS_T05"]``
    is a pysdmx ``Dataflow``. Types: agencyscheme, categoryscheme, categorisation,
    conceptscheme, codelist, hierarchy, datastructure, dataflow. ``conn`` fills CL_SOURCE
    from the source catalogue.

    ``structure_message(kind, ids=None, format=STRUCTURE_21, detail="full",
    references="none", conn=None, *, agency=None, version=None, message_id=None,
    prepared=None, arts=None) -> bytes``. ``kind`` is a REST type name (also
    ``hierarchicalcodelist``, ``organisationscheme``, ``structure``/``*``); ``ids`` a list of
    ids or None for all; ``agency``/``version`` filter (``all``/``*``/``latest``/``+``/``~``
    match everything; every artefact has version 1.0). ``references`` a string or a list (v2).
    Raises ``NoResults`` (-> 404 / 204), ``NotImplementedQuery`` (unknown type -> 501,
    unknown format -> 406), ``UnsupportedQuery`` (bad detail -> 400).
    ``structures.FORMATS`` maps media type -> writer; ``default_format("v1"|"v2")``.

Data (``ilms.publish.sdmx.data``)
    ``write_data(table, observations, media_type, options=DataOptions()) -> Iterator[bytes]``
    streams a data message; ``observations`` is any iterator of ``Observation`` in canonical
    order (``store.read.observations(conn, Selection(table=n, ...))``, public=True).
    ``DataOptions(dimension_at_observation="TIME_PERIOD"|"AllDimensions", detail="full"|
    "dataonly"|"serieskeysonly"|"nodata", attributes="dsd"|"all"|"none"|[ids],
    measures="all"|"none"|[ids], labels="id"|"name"|"both", header=MessageHeader(id=,
    prepared=, sender=, release=, checksum=))``.
    ``media_types()``, ``writer_for(media_type)`` (``NotAcceptable`` -> 406),
    ``default_media_type("v1"|"v2")``, ``content_type(media_type)``.
    ``write_datasets([(table, observations), ...], media_type, options)`` one message over several
    dataflows; ``observation_order(table, media_type, dimension_at_observation)`` the order the
    writer takes observations in (``store.read.Selection.order``).
    ``NotAcceptable`` also for a time-series format with another dimension at observation, or
    several dataflows in a one-dataflow format (SDMX-JSON 1.0, SDMX-CSV 1.0).
"""
from .structures import (FORMATS, NoResults, NotImplementedQuery, UnsupportedQuery, artefacts,
                         default_format, structure_message)

__all__ = ["FORMATS", "NoResults", "NotImplementedQuery", "UnsupportedQuery", "artefacts",
           "default_format", "structure_message"]
