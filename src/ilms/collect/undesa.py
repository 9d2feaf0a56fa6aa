"""UN DESA International Migrant Stock: context data read beside the 17 tables, never into them.

Layouts read (the same parser serves CSV and the published workbooks, row by row):

* ``totals`` — Table 1 of ``UN_MigrantStockTotal_<rev>.xlsx`` (or its CSV export): title lines,
  then a header row "Sort order, Major area, region, country or area of destination, Notes,
  Code, Type of data (a), International migrant stock at mid-year (both sexes) ..." and a row of
  years; three blocks of years (both sexes, male, female); numbers with thousands separators,
  ".." for not available. Code is the M49 area code.
* ``origin_destination`` (wide) — Tables 1-3 of ``UN_MigrantStockByOriginAndDestination_<rev>.xlsx``:
  a header row "Year, Sort order, Major area, region, country or area of destination, Notes,
  Code, Type of data (a), Total, Other North, Other South, <origin countries...>"; Table 1 both
  sexes, Table 2 male, Table 3 female.
* ``origin_destination`` (long CSV) — ``year,destination,destination_m49,destination_iso3,origin,
  origin_iso3,sex,migrant_stock`` (sex M/F; both sexes are M + F).

Areas are coded ISO 3166-1 alpha-3 where M49 has a country, else ``M49_<n>``; origins without a
code ("Other South") keep their name. Anything else is refused with the file and line or cell:
a count that is not a finite, non-negative number, a year that is not a whole number of
1800-2200, an area code that is not M49 (0-9999) or ISO alpha-3, a name with control characters.

A workbook passes the questionnaire's safety checks first (``workbook_file.check_workbook``: size,
zip bomb, encryption, macros, DTDs, megabyte cells) with its own cell limit
(``Limits.context_cells``), which also bounds the cells a sheet spans once read (a declared
dimension is not trusted: a cell at XFD1048576 costs one row, not a billion empty cells).
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pycountry

from ..limits import Limits, setting
from .registry import ReadError, ReadLog, csv_records, open_text, register_reader

SERIES = "UNDESA_IMS"
DEST_HEADER = "major area, region, country or area of destination"
LONG_HEADER = ["year", "destination", "destination_m49", "destination_iso3", "origin", "origin_iso3", "sex",
               "migrant_stock"]
SEX_OF_BLOCK = {"both sexes": "SEX_T", "male": "SEX_M", "female": "SEX_F"}
SEX_OF_TABLE = {"table 1": "SEX_T", "table 2": "SEX_M", "table 3": "SEX_F"}
LONG_SEX = {"M": "SEX_M", "F": "SEX_F", "T": "SEX_T"}
YEARS = range(1800, 2201)
ISO3 = re.compile(r"[A-Z]{3}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CITATION = ("United Nations, Department of Economic and Social Affairs, Population Division ({rev}). "
            "International Migrant Stock {rev}. CC BY 3.0 IGO.")


@dataclass(frozen=True)
class ContextValue:
    destination: str
    destination_name: str
    origin: str
    origin_name: str
    sex: str
    year: int
    value: float


@dataclass
class Parsed:
    layout: str
    revision: str
    values: list[ContextValue]


def area_code(m49: str | int | None, name: str) -> str:
    """ISO alpha-3 of an M49 country code; ``M49_<n>`` for other areas."""
    if m49 in (None, ""):
        raise ValueError(f"{name}: no M49 code")
    text = str(m49).strip()
    if isinstance(m49, float) and m49.is_integer():
        text = str(int(m49))
    if not text.isascii() or not text.isdigit() or int(text) > 9999:
        raise ValueError(f"{name}: {text[:40]!r} is not an M49 area code (a whole number of 0-9999)")
    number = int(text)
    country = pycountry.countries.get(numeric=f"{number:03d}")
    return country.alpha_3 if country else f"M49_{number}"


def _number(text, where: str) -> float | None:
    """A count of persons: None for "not available", else a finite number >= 0."""
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        text = str(text).strip()
        if text in ("", "..", "-", "…"):
            return None
        try:
            value = float(text.replace(",", "").replace("\u00a0", "").replace(" ", ""))
        except (ValueError, OverflowError):
            raise ValueError(f"{where}: {text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {str(text)[:40]!r} is not a finite number")
    if value < 0:
        raise ValueError(f"{where}: {value:g} is negative (a migrant stock is a count of persons)")
    return value


def _year(text, where: str) -> int | None:
    value = None if text is None or str(text).strip() == "" else _number(text, where)
    if value is None:
        return None
    if not value.is_integer() or int(value) not in YEARS:
        raise ValueError(f"{where}: {value:g} is not a year (a whole number of {YEARS[0]}-{YEARS[-1]})")
    return int(value)


def _name(cell, where: str) -> str:
    name = " ".join(str(cell).split())
    if CONTROL.search(name):
        raise ValueError(f"{where}: the name {name[:40]!r} holds control characters")
    return name


def _norm(cell) -> str:
    return " ".join(str(cell).split()).lower() if cell is not None else ""


def _revision(texts: Iterable[str], file_name: str) -> str:
    for text in (*texts, file_name):
        found = re.search(r"(?:Rev\.|Stock[A-Za-z]*[ _]?|ims)(\d{4})", text or "", re.IGNORECASE)
        if found:
            return found.group(1)
    raise ValueError("which edition (revision) of the International Migrant Stock is this? Neither the "
                     "title lines nor the file name say (e.g. 'Rev.2019' or 'ims2019')")


def parse_table(rows: list[list], where, file_name: str, sheet_title: str = "") -> Parsed:
    """One sheet or CSV as rows of cells -> values. ``where(row, col)`` names a cell for errors."""
    header_at = next((i for i, r in enumerate(rows[:40]) if any(_norm(c) == DEST_HEADER for c in r)), None)
    if header_at is None:
        raise ValueError(f"{where(None, None)}: not a UN DESA International Migrant Stock table: no header "
                         f"'{DEST_HEADER}' in the first 40 rows")
    header = [_norm(c) for c in rows[header_at]]
    titles = [str(c) for r in rows[:header_at] for c in r if c]
    dest_col = header.index(DEST_HEADER)
    code_col = header.index("code") if "code" in header else None
    if code_col is None:
        raise ValueError(f"{where(header_at, dest_col)}: no 'Code' column (M49 area codes)")
    type_col = next((i for i, h in enumerate(header) if h.startswith("type of data")), code_col + 1)
    if any(h.startswith("international migrant stock at mid-year") for h in header):
        return Parsed("totals", _revision(titles, file_name), list(_totals(rows, header_at, header, dest_col, code_col, where)))
    if "total" in header[type_col + 1:type_col + 2] and "year" in header:
        sex = next((s for t, s in SEX_OF_TABLE.items() if _norm(sheet_title).startswith(t)
                    or any(_norm(x).startswith(t + " ") for x in titles)), None)
        if sex is None:
            raise ValueError(f"{where(None, None)}: origin-destination table without 'Table 1/2/3' in its title: "
                             "which sex is it?")
        return Parsed("origin_destination", _revision(titles, file_name),
                      list(_matrix(rows, header_at, header, dest_col, code_col, type_col, sex, where)))
    raise ValueError(f"{where(header_at, None)}: a UN DESA header of another layout (neither Table 1 of the "
                     "totals by sex nor an origin-destination matrix)")


def _totals(rows, header_at, header, dest_col, code_col, where) -> Iterator[ContextValue]:
    years_row = rows[header_at + 1] if header_at + 1 < len(rows) else ()
    blocks: list[tuple[int, str, int]] = []
    sex = None
    for col in range(code_col + 1, max(len(header), len(years_row))):     # rows end at their last cell
        label = header[col] if col < len(header) else ""
        if label.startswith("international migrant stock at mid-year"):
            inside = label[label.find("(") + 1:label.rfind(")")]
            sex = SEX_OF_BLOCK.get(inside)
            if sex is None:
                raise ValueError(f"{where(header_at, col)}: unknown sex block {label!r}")
        year = _year(years_row[col] if col < len(years_row) else None, where(header_at + 1, col))
        if sex and year:
            blocks.append((col, sex, year))
    if not blocks:
        raise ValueError(f"{where(header_at + 1, None)}: no years under the migrant-stock columns")
    for i in range(header_at + 2, len(rows)):
        row = rows[i]
        if len(row) <= max(code_col, dest_col) or row[code_col] in (None, "") or not str(row[dest_col] or "").strip():
            continue                        # a heading row (e.g. "UN development groups") without a code
        name = _name(row[dest_col], where(i, dest_col))
        code = area_code(row[code_col], where(i, code_col))
        for col, sex, year in blocks:
            value = _number(row[col] if col < len(row) else None, where(i, col))
            if value is not None:
                yield ContextValue(code, name, "TOTAL", "Total", sex, year, value)


def _matrix(rows, header_at, header, dest_col, code_col, type_col, sex, where) -> Iterator[ContextValue]:
    year_col = header.index("year")
    origins = [(col, _name(rows[header_at][col], where(header_at, col))) for col in range(type_col + 1, len(header))
               if header[col]]
    names_to_code = {}
    for i in range(header_at + 1, len(rows)):
        r = rows[i]
        if len(r) > max(code_col, dest_col) and r[code_col] not in (None, "") and r[dest_col]:
            names_to_code[_name(r[dest_col], where(i, dest_col))] = area_code(r[code_col], where(i, code_col))
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        if len(row) <= max(code_col, dest_col) or row[code_col] in (None, "") or not str(row[dest_col] or "").strip():
            continue
        year = _year(row[year_col] if year_col < len(row) else None, where(i, year_col))
        if year is None:
            raise ValueError(f"{where(i, year_col)}: no year")
        name = _name(row[dest_col], where(i, dest_col))
        code = area_code(row[code_col], where(i, code_col))
        for col, origin in origins:
            value = _number(row[col] if col < len(row) else None, where(i, col))
            if value is None:
                continue
            origin_code = "TOTAL" if origin.lower() == "total" else names_to_code.get(origin) or _origin_code(origin)
            yield ContextValue(code, name, origin_code, origin, sex, year, value)


def _origin_code(name: str) -> str:
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return name.upper().replace(" ", "_")[:12]


def parse_long(path: Path) -> Parsed:
    values: list[ContextValue] = []
    with open_text(path) as text:
        records = list(csv_records(text, path))
    header = [h.strip().lower() for h in records[0][1]] if records else []
    if header != LONG_HEADER:
        raise ReadError(path, "line 1", f"expected the columns {','.join(LONG_HEADER)}")
    rows = records[1:]
    m49_of = {r[1]: r[2] for _, r in rows if len(r) == 8 and r[2]}
    try:
        revision = _revision((), path.name)
    except ValueError as exc:
        raise ReadError(path, None, str(exc)) from None
    for n, r in rows:
        where = f"line {n}"
        if len(r) != 8:
            raise ReadError(path, where, f"{len(r)} fields, expected 8")
        year, dest, dest_m49, dest_iso, origin, origin_iso, sex, stock = (x.strip() for x in r)
        try:
            value = _number(stock, "migrant_stock")
            if value is None:
                continue
            if sex not in LONG_SEX:
                raise ValueError(f"sex {sex[:40]!r}: expected M or F")
            dest, origin = _name(dest, "destination"), _name(origin, "origin")
            for column, code in (("destination_iso3", dest_iso), ("origin_iso3", origin_iso)):
                if code and not ISO3.fullmatch(code):
                    raise ValueError(f"{column}: {code[:40]!r} is not an ISO 3166-1 alpha-3 code")
            destination = dest_iso or area_code(dest_m49, "destination_m49")
            if origin.lower() == "total":
                origin_code = "TOTAL"
            elif origin_iso:
                origin_code = origin_iso
            elif origin in m49_of:
                origin_code = area_code(m49_of[origin], "destination_m49 of the origin")
            else:
                origin_code = _origin_code(origin)
            year_value = _year(year, "year")
            if year_value is None:
                raise ValueError("year: empty")
            values.append(ContextValue(destination, dest, origin_code, origin, LONG_SEX[sex], year_value, value))
        except ValueError as exc:
            raise ReadError(path, where, str(exc)) from None
    return Parsed("origin_destination", revision, values)


def _csv_rows(path: Path) -> list[list]:
    with open_text(path) as text:
        return [row for _, row in csv_records(text, path)]


def parse_file(path: str | Path) -> Parsed:
    """The values of a UN DESA file (CSV or workbook) in any layout above; ``ReadError`` otherwise."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _parse_workbook(path)
    rows = _csv_rows(path)
    if rows and [h.strip().lower() for h in rows[0]] == LONG_HEADER:
        return parse_long(path)
    try:
        return parse_table(rows, _csv_where, path.name)
    except ValueError as exc:
        raise ReadError(path, None, str(exc).lstrip(": ")) from None


def _csv_where(r, c) -> str:
    if r is None:
        return ""
    return f"line {r + 1}" + (f", column {c + 1}" if c is not None else "")


def _parse_workbook(path: Path) -> Parsed:
    from openpyxl import load_workbook

    from .questionnaire.workbook_file import check_workbook
    budget = Limits.from_env().context_cells
    check_workbook(path, max_cells=budget, cells_field="context_cells")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 -- any unreadable workbook is refused, named
        raise ReadError(path, None, f"cannot open the workbook: {exc}") from None
    try:
        tables = {_norm(sheet.title): sheet for sheet in book.worksheets if _norm(sheet.title).startswith("table")}
        if "table 1" not in tables:
            raise ReadError(path, None, "no sheet 'Table 1' of the UN DESA International Migrant Stock")
        spanned = _Span(budget)
        first = _parse_sheet(path, tables["table 1"], spanned)
        if first.layout == "totals":
            return first                    # Tables 2+ of the totals workbook are other measures (shares...)
        values = list(first.values)
        for title in ("table 2", "table 3"):       # male, female
            if title in tables:
                more = _parse_sheet(path, tables[title], spanned)
                if more.layout != first.layout:
                    raise ReadError(path, None, f"sheet {tables[title].title!r}: another layout than Table 1")
                values += more.values
        return Parsed(first.layout, first.revision, values)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 -- openpyxl on a damaged part: refused, named
        raise ReadError(path, None, f"the workbook is corrupt and cannot be read ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()


class _Span:
    """The cells the sheets read so far span (empty rows count one), against the limit."""

    def __init__(self, limit: int):
        self.limit, self.n = limit, 0


def _parse_sheet(path: Path, sheet, spanned: _Span) -> Parsed:
    from openpyxl.utils import get_column_letter
    sheet.reset_dimensions()        # the file's <dimension> is not trusted: rows end at their last cell
    rows: list[tuple] = []
    for row in sheet.iter_rows(values_only=True):
        spanned.n += max(1, len(row))
        if spanned.n > spanned.limit:
            raise ReadError(path, f"sheet {sheet.title!r}, row {len(rows) + 1}",
                            f"the sheets span more than {spanned.limit:,} cells, empty ones between included "
                            f"(a published UN DESA table spans about half a million; {setting('context_cells')})")
        rows.append(row)

    def where(r, c, title=sheet.title):
        if r is None:
            return f"sheet {title!r}"
        return (f"sheet {title!r}, cell {get_column_letter(c + 1)}{r + 1}" if c is not None
                else f"sheet {title!r}, row {r + 1}")
    try:
        return parse_table(rows, where, path.name, sheet.title)
    except (ValueError, OverflowError) as exc:
        raise ReadError(path, None, str(exc)) from None


@register_reader("undesa-ims")
class UndesaReader:
    """UN DESA International Migrant Stock (totals by sex and destination; origin-destination), context data"""

    context = True

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head.decode("utf-8-sig", errors="replace").lower()
        if text.startswith(",".join(LONG_HEADER)):
            return True
        if DEST_HEADER in " ".join(text.split()) and "migrant stock" in text:
            return True
        if Path(path).suffix.lower() == ".xlsx" and head.startswith(b"PK"):
            return _workbook_is_undesa(Path(path))
        return False

    def read(self, path: Path, *, log: ReadLog | None = None, **_options):
        raise ReadError(path, None, "UN DESA International Migrant Stock is context data, not ILMS tables: "
                                    "`ilms load` stores it as a context dataset")

    def load_into(self, conn, path: Path, *, by: str, reason: str | None = None, **_options):
        from ..store import context
        parsed = parse_file(path)
        if not parsed.values:
            raise ReadError(path, None, "no values")
        return context.store(conn, path, SERIES, parsed.revision, parsed.layout, parsed.values, by=by,
                             reason=reason, citation=CITATION.format(rev=parsed.revision))


def _workbook_is_undesa(path: Path) -> bool:
    """A sheet 'Table ...' with the UN DESA header in its first 25 rows; or a sheet 'Table 1' in a
    workbook openpyxl cannot read safely (a DTD, a damaged part): the reader then says why."""
    from .questionnaire.workbook_file import has_sheet
    try:
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True)
        try:
            for sheet in book.worksheets:
                if _norm(sheet.title).startswith("table"):
                    for row in sheet.iter_rows(max_row=25, values_only=True):
                        if any(_norm(c) == DEST_HEADER for c in row):
                            return True
            return False
        finally:
            book.close()
    except Exception:  # noqa: BLE001 -- not a workbook we can read: ours only if it has our first sheet
        return has_sheet(path, "Table 1")
