"""Write a questionnaire workbook for one country and reference year, from the declarations.

Sheet order: Instructions, Metadata, T01..T17, then the hidden ``_lists`` and ``_ilms``.
Nothing here is table-specific: each table sheet is laid out by ``layout.layout(table)``.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection
from sqlalchemy import Connection, inspect

from ...store import sources
from ...tables import structure
from . import styles
from .instructions import write_instructions
from .layout import FREE_ROWS, default_partners, layout
from .lists import currency_codes, partner_entries, write_lists
from .metadata_layout import NEW_SOURCES
from .metadata_sheet import write_metadata
from .prefill import Prefill, gather
from .stamp import Stamp, write_stamp
from .table_sheet import write_table_sheet
from .version import LISTS_SHEET, TEMPLATE_VERSION, fingerprint


class QuestionnaireError(ValueError):
    """The questionnaire cannot be written as asked (unknown country, bad year)."""


@dataclass
class Written:
    path: Path
    prefilled_from: str
    cells: int = 0                                       # prefilled values and flags
    left_out: list[str] = field(default_factory=list)    # prefilled data with no place in the workbook


def check_request(country: str, year: int) -> None:
    if country not in structure().codelists["CL_COUNTRY"]:
        raise QuestionnaireError(f"unknown country {country!r}: give an ISO 3166-1 alpha-3 code (e.g. THA)")
    if not 1900 <= int(year) <= 2100:
        raise QuestionnaireError(f"reference year {year!r} is out of range")


def build(country: str, year: int, *, catalogue: list[dict] = (), prefill: Prefill | None = None,
          generated_at: str | None = None) -> tuple[Workbook, Written]:
    check_request(country, year)
    s = structure()
    wb = Workbook()
    wb.remove(wb.active)
    styles.register(wb)
    lists = write_lists(wb, {"partner": partner_entries(),
                             "source": [c["code"] for c in catalogue] + list(NEW_SOURCES),
                             "currency": currency_codes()})
    write_instructions(wb, country=country, year=year)
    write_metadata(wb, country=country, year=year, catalogue=list(catalogue), prefill=prefill, lists=lists)
    written = Written(Path(), prefill.origin if prefill else "", left_out=list(prefill.left_out) if prefill else [])
    partners, free = {}, {}
    for number in sorted(s.tables):
        table = s.tables[number]
        data = prefill.tables.get(number) if prefill else None
        listed = default_partners(country, year, s)
        probe = layout(table, partners=listed, free=0, s=s)
        extras: tuple[str, ...] = ()
        if probe.free_dim and data:
            position = table.key_order.index(probe.free_dim) - 3
            fixed = {r[0] for r in probe.rows if r is not None}
            extras = tuple(sorted({k[position] for k in data.cells} - fixed))
        L = layout(table, partners=listed, free=FREE_ROWS + len(extras), s=s)
        if L.free_dim:
            partners[number], free[number] = listed, FREE_ROWS + len(extras)
        left = write_table_sheet(wb, L, country=country, year=year, data=data, extras=extras, lists=lists)
        written.left_out += left
        written.cells += (len(data.cells) if data else 0) - len(left)
    write_stamp(wb, Stamp(TEMPLATE_VERSION, country, int(year), fingerprint(s),
                          generated_at or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                          written.prefilled_from, partners, free))
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 2 - wb.sheetnames.index(LISTS_SHEET))
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    literal_texts(wb)
    return wb, written


def literal_texts(wb: Workbook) -> None:
    """The questionnaire has no formula of its own: a text that looks like one (a stored note or a
    source name starting with ``=``) is kept as literal text, never written as a live formula, and
    reads back as the same text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def save(wb: Workbook, path: Path) -> None:
    """Save atomically: a failure leaves no half-written file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_questionnaire(path, conn: Connection | None, country: str, year: int, *,
                        prefill: bool = False) -> Written:
    """Write the questionnaire for ``country`` and ``year`` to ``path``; the database (if any)
    gives the source catalogue and, with ``prefill``, the figures to start from."""
    country = country.upper()
    check_request(country, year)
    catalogue, data = [], None
    if conn is not None and inspect(conn).has_table("source"):
        catalogue = sources.catalogue(conn, country)
        if prefill:
            data = gather(conn, country, int(year))
    elif prefill:
        raise QuestionnaireError("--prefill needs a database (none found: run `ilms db upgrade` first)")
    wb, written = build(country, int(year), catalogue=catalogue, prefill=data)
    save(wb, path)
    written.path = Path(path)
    return written
