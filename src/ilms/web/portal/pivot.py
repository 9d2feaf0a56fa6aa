"""The explorer's pivot table: observations of a selection arranged in rows and columns, with the
flags and notes that apply to each cell (the selection is capped in size before it is read)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from ...observation import Observation
from ...tables import TIME_DIMENSION, Table, structure


@dataclass(frozen=True)
class Note:
    marker: int
    kind: str          # flag | note | source | comment
    code: str
    text: str


@dataclass
class Cell:
    observation: Observation
    notes: list[Note] = field(default_factory=list)


@dataclass
class Pivot:
    cols: str
    row_dims: tuple[str, ...]
    fixed: dict[str, str]                       # dimension -> its one code
    columns: list[str]
    rows: list[tuple[str, ...]]
    cells: dict[tuple[tuple[str, ...], str], Cell]
    notes: list[Note]

    def cell(self, row: tuple[str, ...], col: str) -> Cell | None:
        return self.cells.get((row, col))


def _value(table: Table, obs: Observation, dim: str) -> str:
    return obs.time if dim == TIME_DIMENSION else obs.key[table.key_order.index(dim)]


def order_key(table: Table, dim: str) -> Callable[[str], tuple]:
    """Codes in their codelist's order (periods and open codelists: as text)."""
    if dim == TIME_DIMENSION:
        return lambda c: (0, c)
    codelist = table.dimension(dim).codelist
    index = {c.id: i for i, c in enumerate(codelist.codes)}
    return lambda c: (index.get(c, len(index)), c)


def note_codes(obs: Observation) -> list[str]:
    """ILOSTAT note codes of an observation ("T2:85_C6:1058" -> ["T2:85", "C6:1058"])."""
    out = []
    for text in (obs.note_classif, obs.note_indicator, obs.note_source):
        out += [p for p in (text or "").split("_") if p]
    return out


def build(table: Table, observations: Iterable[Observation], cols: str, row_order: tuple[str, ...],
          note_texts: Mapping[str, str], source_notes: Mapping[str, str]) -> Pivot:
    obs = list(observations)
    dims = (*table.key_order, TIME_DIMENSION)
    seen = {d: {_value(table, o, d) for o in obs} for d in dims}
    varying = [d for d in dims if len(seen[d]) > 1 and d != cols]
    row_dims = tuple([d for d in row_order if d in varying] + [d for d in varying if d not in row_order])
    fixed = {d: next(iter(seen[d])) for d in dims if len(seen[d]) == 1 and d != cols}
    statuses = structure().codelists["CL_OBS_STATUS"]
    notes: dict[tuple[str, str], Note] = {}

    def note(kind: str, code: str, text: str) -> Note:
        if (kind, code) not in notes:
            notes[(kind, code)] = Note(len(notes) + 1, kind, code, text)
        return notes[(kind, code)]

    cells: dict = {}
    rows: set = set()
    for o in obs:
        row = tuple(_value(table, o, d) for d in row_dims)
        rows.add(row)
        cell = Cell(o)
        if o.status:
            cell.notes.append(note("flag", o.status, statuses.label(o.status)))
        for code in note_codes(o):
            cell.notes.append(note("note", code, note_texts.get(code, code)))
        if o.comment:
            cell.notes.append(note("comment", o.comment, o.comment))
        source = o.key[table.key_order.index("SOURCE")]
        if source_notes.get(source):
            note("source", source, source_notes[source])
        cells[(row, _value(table, o, cols))] = cell
    keys = [order_key(table, d) for d in row_dims]
    ordered_rows = sorted(rows, key=lambda r: tuple(k(v) for k, v in zip(keys, r)))
    columns = sorted(seen[cols], key=order_key(table, cols))
    return Pivot(cols, row_dims, fixed, columns, ordered_rows, cells, list(notes.values()))
