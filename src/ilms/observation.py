"""The one record every reader produces and every writer consumes."""
from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Observation:
    """One cell of one ILMS table: a series key, a period and a value with its attributes.

    ``key`` holds the codes in the table's pinned key order (``Table.key_order``).
    ``value`` is None only for a deletion (tombstone) or a confidential value shown to the public.
    """

    table: int
    key: tuple[str, ...]
    time: str
    value: float | None
    status: str | None = None          # OBS_STATUS (CL_OBS_STATUS)
    confidential: bool = False         # stored, never published
    note_classif: str | None = None    # ILOSTAT note codes, verbatim (e.g. "C6:1058")
    note_indicator: str | None = None
    note_source: str | None = None
    comment: str | None = None         # free-text note of a curator or focal point
    unit_mult: str | None = None       # defaults to the table's unit
    currency: str | None = None        # ISO 4217, wages only
    decimals: int | None = None        # decimals as reported (drives rounding tolerance)
    provenance: str | None = field(default=None, compare=False)   # file and sheet/cell or line

    @property
    def ref_area(self) -> str:
        return self.key[0]

    @property
    def source(self) -> str:
        return self.key[1]

    def cell(self) -> tuple:
        """What identifies the cell: table, series key and period."""
        return (self.table, self.key, self.time)

    def payload(self) -> tuple:
        """What a revision compares: the value and every attribute (not provenance)."""
        return (self.value, self.status or None, bool(self.confidential), self.note_classif or None,
                self.note_indicator or None, self.note_source or None, self.comment or None,
                self.unit_mult or None, self.currency or None)

    def with_(self, **changes) -> "Observation":
        return replace(self, **changes)


def decimals_of(text: str) -> int:
    """Number of decimals written in a numeric text ("1430.842" -> 3, "12" -> 0, "1e3" -> 0)."""
    text = text.strip()
    if "e" in text.lower() or "." not in text:
        return 0
    return len(text.split(".", 1)[1])


def split_notes(text: str | None) -> list[tuple[str, str]]:
    """ILOSTAT note codes ``"R1:3513_T2:85"`` -> ``[("R1", "3513"), ("T2", "85")]``; unknown shapes kept whole."""
    if not text:
        return []
    out = []
    for part in text.split("_"):
        kind, sep, ident = part.partition(":")
        out.append((kind, ident) if sep else (part, ""))
    return out
