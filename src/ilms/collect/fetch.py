"""``ilms fetch ilostat``: download a table's ILMS indicators from the ILO's SDMX service and load them.

For each ILOSTAT indicator of the table the ILO serves a dataflow ``ILO,DF_<INDICATOR>,1.0`` whose
key is ``REF_AREA.FREQ.MEASURE.SEX`` followed by one dimension per classification. We ask for one
country's annual data, every other dimension wildcarded:

    GET {base}/data/ILO,DF_MNA_OEMP_SEX_CDS_NB,1.0/THA.A...?startPeriod=2015&endPeriod=2024
    Accept: application/vnd.sdmx.data+csv;version=1.0.0

404 means "no data" (SDMX REST v1: NoResultsFound); any other failure stops the fetch. All the
downloads of one fetch are written in one transaction (changeset kind "fetch"), like ``ilms load``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

import httpx
from sqlalchemy import Engine

from ..tables import structure
from .ilo_sdmx import read_bytes
from .load import LoadResult, write_observations

ILO_SDMX = "https://sdmx.ilo.org/rest"
CSV_MEDIA_TYPE = "application/vnd.sdmx.data+csv;version=1.0.0"
TIMEOUT = httpx.Timeout(60.0, connect=15.0)


class FetchError(RuntimeError):
    """The service could not be reached or answered with an error."""


@dataclass
class Download:
    indicator: str
    url: str
    body: bytes | None                  # None: the service has no data for the query (404)


@dataclass
class FetchResult:
    table: int
    country: str
    downloads: list[Download]
    load: LoadResult | None = None
    empty: list[str] = field(default_factory=list)


def data_url(base_url: str, indicator: str, country: str) -> str:
    table, mapping = structure().indicator(indicator)
    key = ".".join([country, "A", "", ""] + [""] * len(mapping.classifs))
    return f"{base_url.rstrip('/')}/data/ILO,DF_{indicator},1.0/{key}"


def download(table_no: int, country: str, *, base_url: str = ILO_SDMX, start: str | None = None,
             end: str | None = None, client: httpx.Client | None = None) -> list[Download]:
    params = {k: v for k, v in (("startPeriod", start), ("endPeriod", end)) if v}
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True,
                                    headers={"User-Agent": "ilms (ILMS database)"})
    out = []
    try:
        for mapping in structure().table(table_no).ilostat:
            url = data_url(base_url, mapping.indicator, country)
            try:
                response = client.get(url, params=params, headers={"Accept": CSV_MEDIA_TYPE})
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from None
            if response.status_code == 404:
                out.append(Download(mapping.indicator, str(response.url), None))
                continue
            if response.status_code != 200:
                raise FetchError(f"{response.url}: HTTP {response.status_code} {response.reason_phrase}")
            out.append(Download(mapping.indicator, str(response.url), response.content))
    finally:
        if own:
            client.close()
    return out


def fetch_ilostat(engine: Engine, table_no: int, country: str, *, by: str, reason: str | None = None,
                  base_url: str = ILO_SDMX, source: str | None = None, start: str | None = None,
                  end: str | None = None, progress: Callable[[int], None] | None = None,
                  client: httpx.Client | None = None) -> FetchResult:
    """Download and load, all in one transaction; raises ``FetchError`` or ``LoadRefused``."""
    downloads = download(table_no, country, base_url=base_url, start=start, end=end, client=client)
    result = FetchResult(table_no, country, downloads, empty=[d.indicator for d in downloads if d.body is None])
    bodies = [d for d in downloads if d.body]
    if not bodies:
        return result
    digest = hashlib.sha256()
    for d in bodies:
        digest.update(d.body)

    def observations():
        for d in bodies:
            yield from read_bytes(d.body, f"DF_{d.indicator}", source=source)

    name = f"{base_url.rstrip('/')} table {table_no} {country}"
    with engine.begin() as conn:
        summary, new = write_observations(conn, observations(), file=name, kind="fetch", by=by,
                                          reason=reason, sha256=digest.hexdigest(), progress=progress)
    result.load = LoadResult(name, "ilo-sdmx-csv", digest.hexdigest(), summary, new)
    return result
