"""The XLSX download of one table: a data sheet, a notes sheet and a metadata sheet.

* **Data**: the tidy rows (``ilms.publish.tidy``), one per observation.
* **Notes**: what the flags (OBS_STATUS), the confidentiality marker and the ILOSTAT note codes
  found in this table mean (note texts from the store's note dictionary where it has them,
  otherwise the note type).
* **Metadata**: table, unit, release, checksum, licence, citation, the synthetic-data notice,
  and the source catalogue entries the table uses.

Written through ``publish.tabular.write_xlsx`` (streaming, formula-safe); the codes used are
gathered while the data sheet streams, so nothing is read twice. The workbook and every zip entry
are stamped with the release's publication time, so the same release gives the same bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import select

from ..observation import Observation, split_notes
from ..store.schema import note
from ..store.sources import ilostat_code
from ..tables import structure
from . import tidy
from .bulk_formats import NOTICE
from .sdmx.artefacts import VERSION
from .tabular import write_xlsx

NOTE_COLUMNS = ("note_classif", "note_indicator", "note_source")
SOURCE_FIELDS = (("Source", "code"), ("Country", "ref_area"), ("Name", "name"), ("Type", "type"),
                 ("Agency", "agency"), ("Periodicity", "periodicity"), ("Coverage", "coverage"),
                 ("Migrant definition", "migrant_definition"), ("Reference period", "reference_period"),
                 ("Classifications", "classifications"), ("Notes", "notes"))


class Used:
    """Codes seen while the data sheet streams: flags, note codes (by column), sources."""

    def __init__(self):
        self.statuses: set[str] = set()
        self.notes: dict[str, set[str]] = {c: set() for c in NOTE_COLUMNS}
        self.sources: set[str] = set()
        self.confidential = 0
        self.comments = 0
        self.rows = 0

    def watch(self, observations: Iterable[Observation]) -> Iterator[Observation]:
        for obs in observations:
            self.rows += 1
            if obs.status:
                self.statuses.add(obs.status)
            if obs.confidential:
                self.confidential += 1
            if obs.comment:
                self.comments += 1
            for column in NOTE_COLUMNS:
                text = getattr(obs, column)
                if text:
                    self.notes[column].update(_note_codes(text))
            self.sources.add(obs.source)
            yield obs


def _note_codes(text: str) -> list[str]:
    return [f"{kind}:{ident}" if ident else kind for kind, ident in split_notes(text)]


def _note_texts(engine, codes: set[str]) -> dict[str, str]:
    if engine is None or not codes:
        return {}
    found: dict[str, str] = {}
    ordered = sorted(codes)
    with engine.connect() as conn:
        for i in range(0, len(ordered), 500):
            for row in conn.execute(select(note.c.code, note.c.text).where(note.c.code.in_(ordered[i:i + 500]))):
                found[row.code] = row.text
    return found


def notes_rows(used: Used, ctx) -> Iterator[list]:
    statuses = structure().codelists["CL_OBS_STATUS"]
    note_types = structure().codelists["CL_NOTE_TYPE"]
    for code in sorted(used.statuses):
        yield ["Flag (OBS_STATUS)", code, statuses.label(code)]
    if used.confidential:
        yield ["Confidential (CONFIDENTIAL = true)", "C",
               f"{used.confidential} value(s) are confidential: the number is withheld (OBS_VALUE is empty) "
               "and only its flags and notes are published."]
    every = set().union(*used.notes.values())
    texts = _note_texts(ctx.engine, every)
    for column in NOTE_COLUMNS:
        for code in sorted(used.notes[column]):
            kind = code.partition(":")[0]
            kind_name = note_types.label(kind[:1]) if kind[:1] in note_types else "unknown type"
            meaning = texts.get(code) or (f"ILOSTAT note {code} ({kind_name} note, type {kind}); "
                                          "see ILOSTAT's note dictionary for its text")
            yield [f"Note ({column.upper()})", code, meaning]
    if used.comments:
        yield ["Comment (COMMENT)", "", f"{used.comments} observation(s) carry a free-text comment of the "
                                        "curator or the national focal point, in the COMMENT column."]
    if not (used.statuses or used.confidential or every or used.comments):
        yield ["(none)", "", "No observation of this table has a flag, note or comment."]


def metadata_rows(used: Used, ctx, table_no: int) -> Iterator[list]:
    table = structure().table(table_no)
    release = ctx.release
    yield ["Field", "Value"]
    if release.synthetic:
        yield ["Notice", NOTICE]
    yield ["Table", table_no]
    yield ["Title", table.title]
    yield ["Dataflow", f"{structure().agency}:{table.id}({VERSION})"]
    yield ["Measure", table.measure]
    yield ["Unit", f"{table.unit.label} (UNIT_MEASURE {table.unit.unit_measure}, UNIT_MULT {table.unit.unit_mult})"]
    yield ["Observations", used.rows]
    yield ["Release", release.name]
    yield ["Published", ctx.published.strftime("%Y-%m-%d %H:%M:%S UTC")]
    yield ["Release checksum (SHA-256)", release.checksum]
    yield ["Release cut (last changeset)", release.cut]
    yield ["Licence", f"{ctx.licence.name} ({ctx.licence.id})"]
    yield ["Licence URL", ctx.licence.url]
    yield ["Citation", ctx.citation]
    if release.description:
        yield ["Release notes", release.description]
    yield []
    yield ["Sources used"]
    yield [label for label, _ in SOURCE_FIELDS] + ["ILOSTAT code"]
    for code in sorted(used.sources):
        entry = ctx.sources.get(code, {"code": code})
        yield [entry.get(f) for _, f in SOURCE_FIELDS] + [ilostat_code(code)]


def write_workbook(path: Path, ctx, table_no: int, observations: Iterable[Observation]) -> int:
    used = Used()
    write_xlsx(path, [
        ("Data", tidy.header(table_no), tidy.rows(table_no, used.watch(observations), ctx.source_names)),
        ("Notes", ["Kind", "Code", "Meaning"], notes_rows(used, ctx)),     # generators: run after the data
        ("Metadata", None, metadata_rows(used, ctx, table_no)),
    ], modified=ctx.published)
    return used.rows
