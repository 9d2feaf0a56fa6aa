"""Read a filled questionnaire: Observations with provenance ``FILE!SHEET!CELL``, and its metadata.

The whole workbook is checked before a single observation is handed out (a questionnaire holds a
few thousand cells at most), so a refused workbook yields nothing. Refused, with file, sheet and
cell: another template version or outdated declarations, a sheet renamed or removed, hidden codes
not where the template put them, merged cells, unknown codes, text in value cells, an encrypted,
legacy or corrupt file, a file over the size limit.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ...observation import Observation
from ...tables import structure
from ..registry import ReadError, ReadLog, register_reader
from .layout import layout, sheet_name
from .lists import read_list
from .metadata_layout import METADATA_SHEET
from .read_metadata import Metadata, read_metadata
from .read_table import SheetError, check_structure, read_sheet
from .stamp import StampError, read_stamp
from .version import META_SHEET, TEMPLATE_VERSION, fingerprint
from .workbook_file import ZIP_MAGIC, OLE2_MAGIC, has_sheet, open_workbook


class Questionnaire:
    """A questionnaire workbook, checked whole on opening."""

    def __init__(self, path: str | Path, *, max_bytes: int | None = None):
        self.path = Path(path)
        self.file = self.path.name
        wb = open_workbook(self.path, max_bytes)
        self._withheld: list[Observation] = []
        try:
            self.metadata = self._stamp(wb)
            self._observations = list(self._read(wb))
        except SheetError as exc:
            raise ReadError(self.file, f"{exc.sheet}!{exc.cell}", exc.message) from None
        finally:
            wb.close()

    def observations(self) -> Iterator[Observation]:
        return iter(self._observations)

    def withheld(self) -> list[Observation]:
        """Cells flagged C (confidential) and left without a value, as the prefill writes them: not
        observations to load (the stored value stays), but cells the check must know exist."""
        return list(self._withheld)

    def reported_tables(self) -> tuple[int, ...]:
        """The tables the focal point reports: a source named for them on the Metadata sheet, or
        values in them. Completeness is an error only for these (a warning for the others)."""
        named = {n for n, entry in self.metadata.tables.items() if entry.source and not entry.problems.get("source")}
        return tuple(sorted(named | {o.table for o in self._observations}))

    def _stamp(self, wb) -> Metadata:
        if META_SHEET not in wb.sheetnames:
            raise ReadError(self.file, None, f"not an ILMS questionnaire: the hidden sheet {META_SHEET} is missing "
                                             "(write one with `ilms questionnaire`)")
        try:
            stamp = read_stamp(wb[META_SHEET])
        except StampError as exc:
            raise ReadError(self.file, f"{META_SHEET}!{exc.cell}", exc.message) from None
        if stamp.template_version != TEMPLATE_VERSION:
            raise SheetError(META_SHEET, stamp.cells["template_version"],
                             f"template version {stamp.template_version!r}; this ilms reads version "
                             f"{TEMPLATE_VERSION}: ask for a fresh questionnaire")
        if stamp.fingerprint != fingerprint():
            raise SheetError(META_SHEET, stamp.cells["structure_fingerprint"],
                             "the questionnaire is outdated: it was generated from other table declarations "
                             f"({stamp.fingerprint}, now {fingerprint()}); ask for a fresh questionnaire")
        if stamp.country not in structure().codelists["CL_COUNTRY"]:
            raise SheetError(META_SHEET, stamp.cells["country"], f"unknown country {stamp.country!r}")
        self._stamp_data = stamp
        return Metadata(stamp.country, stamp.year, stamp.template_version, stamp.generated_at,
                        stamp.prefilled_from)

    def _sheet(self, wb, name: str):
        if name not in wb.sheetnames:
            expected = {METADATA_SHEET, *(sheet_name(t) for t in structure().tables.values())}
            extra = [n for n in wb.sheetnames if n not in expected and not n.startswith("_") and n != "Instructions"]
            hint = f"; sheets not in the template: {', '.join(extra)}" if extra else ""
            raise ReadError(self.file, f"{name}!A1", f"sheet {name} is missing (renamed or removed?){hint}; "
                                                     "sheets may not be renamed, moved out or deleted")
        return wb[name]

    def _read(self, wb) -> Iterator[Observation]:
        s, stamp, meta = structure(), self._stamp_data, self.metadata
        sheets = {n: self._sheet(wb, sheet_name(t)) for n, t in s.tables.items()}
        catalogue = read_list(wb, "source")
        meta.tables, meta.new_sources = read_metadata(
            self._sheet(wb, METADATA_SHEET), country=meta.country, year=meta.year,
            catalogue=None if catalogue is None else [c for c in catalogue if not c.startswith("NEW")])
        layouts = {n: layout(t, partners=stamp.partners.get(n, ()), free=stamp.free.get(n, 0), s=s)
                   for n, t in s.tables.items()}
        for n in sorted(s.tables):
            check_structure(sheets[n], layouts[n])
        for n in sorted(s.tables):
            entry = meta.tables[n]

            def key_of(entry=entry):
                return {"REF_AREA": meta.country, "SOURCE": entry.require("source"), "BASIS": entry.require("basis")}

            yield from read_sheet(sheets[n], layouts[n], file=self.file, key_of=key_of, time=str(meta.year),
                                  currency=lambda entry=entry: entry.require("currency"),
                                  withheld=self._withheld.append)


def read_questionnaire(path: str | Path, *, max_bytes: int | None = None) -> Questionnaire:
    return Questionnaire(path, max_bytes=max_bytes)


def read_any(path: str | Path, *, max_bytes: int | None = None):
    """``(reader, observations, questionnaire or None)`` of a file in any registered format: a
    questionnaire also tells its country, year, reported tables and new sources."""
    from ..registry import detect
    path = Path(path)
    reader = detect(path)
    if reader.name == "questionnaire":
        workbook = read_questionnaire(path, max_bytes=max_bytes)
        return reader, list(workbook.observations()), workbook
    return reader, list(reader.read(path)), None


@register_reader("questionnaire")
class QuestionnaireReader:
    """ILMS Excel questionnaire (.xlsx written by `ilms questionnaire`)"""

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.startswith(OLE2_MAGIC):      # an encrypted .xlsx: claim it, to say it is password-protected
            return Path(path).suffix.lower() in (".xlsx", ".xlsm")
        return head.startswith(ZIP_MAGIC) and has_sheet(Path(path), META_SHEET)

    def read(self, path: Path, *, log: ReadLog | None = None, max_bytes: int | None = None,
             **_options) -> Iterator[Observation]:
        # a generator: the load pipeline reports errors raised while it iterates (the whole
        # workbook is still checked before the first observation comes out)
        yield from read_questionnaire(path, max_bytes=max_bytes).observations()
