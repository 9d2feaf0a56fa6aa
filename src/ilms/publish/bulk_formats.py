"""The formats of the bulk downloads, registered once: per table and for the whole database.

Each :class:`BulkFormat` names its files (suffix and extension), says what is served (media
type) and what is inside (content type), and writes one file from a stream of public
observations in canonical order, returning the number of data rows. ``ilms.publish.bulk``
builds every registered format for every table (``scope="table"``), once over all tables
(``scope="all"``) and once from the release as a whole after them (``scope="derived"``: files
computed from the release, such as the indicators, which read the release's cut through
``ctx.engine`` and get no observations). A new format is one ``@register`` here and nothing else.

Compression: every CSV is gzipped, always (``.csv.gz``): CSV shrinks about tenfold and every
statistical tool reads gzip (pandas, R, Stata, LibreOffice); one rule keeps the names
predictable. XLSX is a zip archive already. The gzip header carries no file name and the
release's publication time as its time stamp, so the same release gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..observation import Observation
from ..tables import COMMON_DIMENSIONS, structure
from . import ilostat, tidy
from .tabular import csv_cell, write_csv

GZIP = "application/gzip"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SDMX_CSV = "application/vnd.sdmx.data+csv;version=2.0.0"
SDMX_STRUCTURE_21 = "application/vnd.sdmx.structure+xml;version=2.1"
#: the notice every file of a synthetic release carries
from ..demo import DEMO_NOTICE as NOTICE  # one wording everywhere
#: own (non-common) dimensions a table has at most; the all-tables tidy file has a column trio per slot
OWN_SLOTS = 3


@dataclass(frozen=True)
class BuildContext:
    """What every writer may need besides the observations."""
    release: Any                         # store.releases.Release (published)
    token: str                           # the release's path segment and file-name part
    published: dt.datetime               # publication time (UTC): time stamps inside the files
    citation: str
    licence: Any                         # citation.Licence
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)   # code -> catalogue entry
    engine: Any = None                   # for what a writer looks up at the end (note texts)

    @property
    def source_names(self) -> dict[str, str]:
        return {code: entry["name"] for code, entry in self.sources.items()}

    @property
    def mtime(self) -> int:
        return int(self.published.timestamp())


Writer = Callable[[Path, BuildContext, "int | None", Iterable[Observation]], int]


@dataclass(frozen=True)
class BulkFormat:
    id: str
    scope: str                   # "table" or "all"
    suffix: str                  # after the scope in the file name: "", "-ilostat", "-sdmx"
    extension: str               # ".csv.gz", ".xlsx"
    media_type: str              # what is served
    content_type: str            # what is inside (after gunzip)
    description: str
    write: Writer
    max_rows: int | None = None  # above this a table's file is not built (and the manifest says why)


FORMATS: dict[str, BulkFormat] = {}
SCOPES = ("table", "all", "derived")


def register(id: str, *, scope: str, suffix: str, extension: str, media_type: str, content_type: str,
             description: str, max_rows: int | None = None):
    if scope not in SCOPES:
        raise ValueError(f"bulk format {id}: scope must be one of {', '.join(SCOPES)}, not {scope!r}")

    def deco(fn: Writer) -> Writer:
        if id in FORMATS:
            raise ValueError(f"two bulk formats named {id!r}")
        clash = [f.id for f in FORMATS.values() if (f.scope, f.suffix, f.extension) == (scope, suffix, extension)]
        if clash:
            raise ValueError(f"bulk format {id} would share file names with {clash[0]}")
        FORMATS[id] = BulkFormat(id, scope, suffix, extension, media_type, content_type, description, fn,
                                 max_rows)
        return fn
    return deco


def formats(scope: str) -> list[BulkFormat]:
    return [f for f in FORMATS.values() if f.scope == scope]


# -- deterministic gzip ---------------------------------------------------------------------------

@contextmanager
def gzip_binary(path: Path, mtime: int) -> Iterator[gzip.GzipFile]:
    """A gzip member with no file name and a fixed time stamp: same content, same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime,
                                                compresslevel=6) as zipped:
        yield zipped


@contextmanager
def gzip_text(path: Path, mtime: int) -> Iterator[io.TextIOWrapper]:
    with gzip_binary(path, mtime) as zipped, io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text:
        yield text


# -- per table ------------------------------------------------------------------------------------

@register("tidy", scope="table", suffix="", extension=".csv.gz", media_type=GZIP, content_type=CSV,
          description="tidy CSV: one row per observation, every code with its label")
def tidy_csv(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    with gzip_text(path, ctx.mtime) as text:
        return tidy.write(text, table, observations, ctx.source_names)


@register("xlsx", scope="table", suffix="", extension=".xlsx", media_type=XLSX, content_type=XLSX,
          description="Excel workbook: data, notes (flags and note codes) and metadata sheets",
          max_rows=1_048_575)
def xlsx_workbook(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    from .bulk_xlsx import write_workbook
    return write_workbook(path, ctx, table, observations)


@register("ilostat", scope="table", suffix="-ilostat", extension=".csv.gz", media_type=GZIP, content_type=CSV,
          description="ILOSTAT bulk CSV (the layout `ilms load` reads back)")
def ilostat_csv(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    with gzip_text(path, ctx.mtime) as text:
        return ilostat.write(text, observations, tables=[table])


@register("sdmx", scope="table", suffix="-sdmx", extension=".csv.gz", media_type=GZIP, content_type=SDMX_CSV,
          description="SDMX-CSV 2.0.0 of the table's dataflow")
def sdmx_csv(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    from .sdmx.data import DataOptions, MessageHeader, write_data
    header = MessageHeader(id=f"IREF{ctx.release.checksum[:16].upper()}", prepared=ctx.published,
                           release=ctx.release.name, checksum=ctx.release.checksum)
    counted = _Counter(observations)
    with gzip_binary(path, ctx.mtime) as out:
        for chunk in write_data(structure().table(table), counted, SDMX_CSV, DataOptions(header=header)):
            out.write(chunk)
    return counted.n


class _Counter:
    def __init__(self, items: Iterable):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


# -- every table in one file ----------------------------------------------------------------------

def all_header() -> list[str]:
    head = ["TABLE", "DATAFLOW"]
    for dim in COMMON_DIMENSIONS:
        head += [dim, f"{dim}_LABEL"]
    for slot in range(1, OWN_SLOTS + 1):
        head += [f"DIM{slot}", f"DIM{slot}_CODE", f"DIM{slot}_LABEL"]
    tail = list(tidy.TAIL)
    tail.insert(tail.index("UNIT_MULT") + 1, "CURRENCY")
    return head + tail


def all_rows(observations: Iterable[Observation], source_names: Mapping[str, str]) -> Iterator[list[str]]:
    """Tidy rows of any tables, in one shape: each table's own dimensions in numbered slots. Every
    cell is ``csv_cell``'s text already (``tidy.cell_rows``, table by table)."""
    n_common = len(COMMON_DIMENSIONS)
    for table_no, group in groupby(observations, key=lambda o: o.table):
        table = structure().table(table_no)
        own = [d.id for d in table.own_dimensions]
        if len(own) > OWN_SLOTS:
            raise ValueError(f"table {table_no} has {len(own)} own dimensions; the all-tables file has "
                             f"{OWN_SLOTS} slots")
        n_dims = len(table.key_order)
        lead = [csv_cell(table_no), csv_cell(table.id)]
        slots = [csv_cell(own[slot]) if slot < len(own) else "" for slot in range(OWN_SLOTS)]
        for row in tidy.cell_rows(table_no, group, source_names):
            dims, tail = row[:2 * n_dims], row[2 * n_dims:]
            out = lead + dims[:2 * n_common]
            for slot in range(OWN_SLOTS):
                if slot < len(own):
                    out += [slots[slot], dims[2 * (n_common + slot)], dims[2 * (n_common + slot) + 1]]
                else:
                    out += ["", "", ""]
            if not table.unit.currency_required:
                tail.insert(tidy.TAIL.index("UNIT_MULT") + 1, "")
            yield out + tail


@register("all", scope="all", suffix="", extension=".csv.gz", media_type=GZIP, content_type=CSV,
          description="every table in one tidy CSV: TABLE, the common dimensions, then each table's own "
                      "dimensions as DIMn (id), DIMn_CODE, DIMn_LABEL")
def all_tidy(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    with gzip_text(path, ctx.mtime) as text:
        return write_csv(text, all_header(), all_rows(observations, ctx.source_names), cells=True)


@register("all-ilostat", scope="all", suffix="-ilostat", extension=".csv.gz", media_type=GZIP, content_type=CSV,
          description="every table in ILOSTAT bulk CSV")
def all_ilostat(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    with gzip_text(path, ctx.mtime) as text:
        return ilostat.write(text, observations, tables=None)


# -- computed from the release --------------------------------------------------------------------

@register("indicators", scope="derived", suffix="-indicators", extension=".csv.gz", media_type=GZIP,
          content_type=CSV, description="indicators computed from the release (indicators.yaml): by country, "
                                        "source and basis, and regional aggregates with their coverage")
def indicators_csv(path: Path, ctx: BuildContext, table: int | None, observations: Iterable[Observation]) -> int:
    from ..analysis import records
    from ..analysis.regional import release_results
    results = release_results(ctx.engine, ctx.release)
    with gzip_text(path, ctx.mtime) as text:
        return write_csv(text, records.CSV_HEADER,
                         (row for values, pooled in results for row in records.csv_rows(values, pooled)))


@register("indicators-sdmx", scope="derived", suffix="-indicators-sdmx", extension=".csv.gz", media_type=GZIP,
          content_type=SDMX_CSV, description="the indicators as SDMX-CSV 2.0.0 of dataflow DF_ILMS_INDICATORS")
def indicators_sdmx_csv(path: Path, ctx: BuildContext, table: int | None,
                        observations: Iterable[Observation]) -> int:
    from ..analysis import sdmx
    from ..analysis.regional import release_results
    results = release_results(ctx.engine, ctx.release)
    with gzip_text(path, ctx.mtime) as text:
        return sdmx.write_csv(text, (v for values, _ in results for v in values),
                              (r for _, pooled in results for r in pooled))


@register("indicators-structure", scope="derived", suffix="-indicators-structure", extension=".xml",
          media_type=SDMX_STRUCTURE_21, content_type=SDMX_STRUCTURE_21,
          description="SDMX-ML 2.1 structures of dataflow DF_ILMS_INDICATORS (DSD, codelists, concepts)")
def indicators_structure(path: Path, ctx: BuildContext, table: int | None,
                         observations: Iterable[Observation]) -> int:
    from ..analysis import sdmx
    text = sdmx.structure_message(prepared=ctx.published, message_id=f"IND{ctx.release.checksum[:16].upper()}")
    path.write_text(text, encoding="utf-8")
    return 1
