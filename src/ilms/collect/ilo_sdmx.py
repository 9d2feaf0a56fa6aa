"""Reader of the SDMX-CSV (1.0) the ILO's SDMX service returns for a dataflow ``ILO:DF_<INDICATOR>``.

The ILO serves one dataflow per indicator. Its SDMX-CSV columns are: ``DATAFLOW`` (e.g.
``ILO:DF_MNA_OEMP_SEX_CDS_NB(1.0)``), the dimensions in key order (``REF_AREA, FREQ, MEASURE,
SEX``, then one column per classification, named after it: ``ECO``, ``CDS``, ...), ``TIME_PERIOD``,
``OBS_VALUE`` and the attributes (``OBS_STATUS, UNIT_MEASURE_TYPE, UNIT_MEASURE, UNIT_MULT, SOURCE,
NOTE_SOURCE, NOTE_INDICATOR, NOTE_CLASSIF, DECIMALS, ...``).

Each row becomes an ILOSTAT bulk row and goes through the same mapping as the ILOSTAT CSV reader
(``ilostat.to_observation``): classification columns are matched to the indicator's classif1 /
classif2 by their codes' prefix (``ECO_``, ``CDS_``, ``CBR_`` ...). A classification column the
table does not have is accepted only at its total (``..._TOTAL``).

The ILO's SOURCE attribute: when it is an ILOSTAT source id (``BA:453``) it is used; when it is
only a name, the caller must say which catalogue source the data come from (``source=``).
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO, Iterator

from ..observation import Observation
from ..tables import structure
from .ilostat import to_observation
from .ilostat_mapping import SOURCE, CodeError
from .registry import ReadError, ReadLog, csv_records, open_text, register_reader

FLOW = re.compile(r"^(?:[A-Za-z0-9_.]+:)?DF_([A-Z0-9_]+)(?:\([^)]*\))?$")
FIXED_DIMENSIONS = {"REF_AREA", "FREQ", "MEASURE", "SEX"}


def indicator_of(dataflow: str) -> str:
    found = FLOW.match(dataflow.strip())
    if not found:
        raise CodeError("DATAFLOW", f"{dataflow!r} is not an ILO dataflow (ILO:DF_<INDICATOR>)")
    return found.group(1)


def sdmx_time(text: str) -> str:
    """SDMX periods as ILOSTAT writes them: ``2020-Q1`` -> ``2020Q1``, ``2020-01`` -> ``2020M01``."""
    text = text.strip()
    if re.match(r"^\d{4}-Q[1-4]$", text):
        return text.replace("-", "")
    if re.match(r"^\d{4}-\d{2}$", text):
        return f"{text[:4]}M{text[5:]}"
    if re.match(r"^\d{4}-A1$", text):
        return text[:4]
    return text


def classif_tokens(indicator: str) -> list[str]:
    """The ILO code prefix of each classification of an ILMS indicator (``["ECO", "CBR"]``)."""
    table, mapping = structure().indicator(indicator)
    tokens = []
    for c in mapping.classifs:
        codelist = table.dimension(c.dimension).codelist
        if c.prefix:
            sample = c.prefix
        elif codelist.ilostat:
            sample = next(iter(codelist.ilostat[mapping.fixed["BASIS"]].values()))
        else:
            sample = codelist.codes[0].id
        tokens.append(sample.split("_", 1)[0])
    return tokens


def to_bulk_fields(row: dict[str, str], classif_columns: list[str], source: str | None) -> dict[str, str]:
    """An ILO SDMX-CSV row as the fields of an ILOSTAT bulk row; raises ``CodeError``."""
    indicator = indicator_of(row.get("DATAFLOW", ""))
    if structure().indicator(indicator) is None:
        raise CodeError("DATAFLOW", f"{indicator!r} is not an ILMS indicator")
    table, _ = structure().indicator(indicator)
    unit_mult = (row.get("UNIT_MULT") or "").strip()
    if unit_mult and unit_mult != table.unit.unit_mult:
        raise CodeError("UNIT_MULT", f"{unit_mult!r}: table {table.number} is in units of 10^{table.unit.unit_mult}")
    given = {c: (row.get(c) or "").strip() for c in classif_columns}
    fields = {"indicator": indicator, "ref_area": (row.get("REF_AREA") or "").strip(),
              "sex": (row.get("SEX") or "").strip(), "classif1": "", "classif2": ""}
    used = set()
    for i, token in enumerate(classif_tokens(indicator), start=1):
        column = next((c for c, v in given.items() if c not in used and v.startswith(token + "_")), None)
        if column is None:
            raise CodeError(f"classif{i}", f"no column holds a {token}_ code, which {indicator} needs")
        used.add(column)
        fields[f"classif{i}"] = given[column]
    for column, value in given.items():
        if column not in used and value and not value.endswith("_TOTAL"):
            raise CodeError(column, f"{value!r}: table {table.number} has no such breakdown (only its total can be read)")
    raw_source = (row.get("SOURCE") or "").strip()
    if SOURCE.match(raw_source):
        fields["source"] = raw_source
    elif source:
        fields["source"] = source
    else:
        raise CodeError("SOURCE", f"{raw_source or '(empty)'!r} is not an ILOSTAT source id; "
                                  "say which source the data come from (--source TYPE:ID, e.g. BA:453)")
    fields["time"] = sdmx_time(row.get("TIME_PERIOD") or "")
    fields["obs_value"] = (row.get("OBS_VALUE") or "").strip()
    fields["obs_status"] = (row.get("OBS_STATUS") or "").strip()
    for note in ("note_classif", "note_indicator", "note_source"):
        fields[note] = (row.get(note.upper()) or "").strip()
    return fields


def read_sdmx_csv(text: IO[str], name: str | Path, *, source: str | None = None) -> Iterator[Observation]:
    """Observations of one ILO SDMX-CSV response or file; errors name ``name`` and the line."""
    records = csv_records(text, name)
    try:
        _, header = next(records)
    except StopIteration:
        return
    header = [h.strip().upper() for h in header]
    if "DATAFLOW" not in header or "TIME_PERIOD" not in header:
        raise ReadError(name, "line 1", "not SDMX-CSV of an ILO dataflow (needs DATAFLOW ... TIME_PERIOD columns)")
    if header.index("DATAFLOW") > header.index("TIME_PERIOD"):
        raise ReadError(name, "line 1", "the DATAFLOW column must come before the dimensions and TIME_PERIOD")
    dims = header[header.index("DATAFLOW") + 1:header.index("TIME_PERIOD")]
    classif_columns = [d for d in dims if d not in FIXED_DIMENSIONS]
    label = Path(name).name if isinstance(name, Path) else name
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        try:
            fields = to_bulk_fields(dict(zip(header, row)), classif_columns, source)
            yield to_observation(fields, f"{label}:{line}")
        except CodeError as exc:
            raise ReadError(name, f"line {line}", str(exc)) from None


@register_reader("ilo-sdmx-csv")
class IloSdmxCsv:
    """SDMX-CSV from the ILO's SDMX service (DATAFLOW ILO:DF_<INDICATOR>, REF_AREA, FREQ, ...)"""

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head.decode("utf-8-sig", errors="replace")
        return text.upper().startswith("DATAFLOW,") and "ILO:DF_" in text

    def read(self, path: Path, *, log: ReadLog | None = None, source: str | None = None,
             **_options) -> Iterator[Observation]:
        with open_text(path) as text:
            yield from read_sdmx_csv(text, Path(path), source=source)


def read_bytes(body: bytes, name: str, *, source: str | None = None) -> Iterator[Observation]:
    return read_sdmx_csv(io.StringIO(body.decode("utf-8-sig")), name, source=source)
