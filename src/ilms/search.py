"""One search over what the portal shows: tables, countries, sources, codes and their labels,
ILOSTAT indicators. The declarations are indexed once; the source catalogue is read per query
(it is small: one row per survey or register).

Matching: the query is split into words; a document matches when every word is the start of one of
its words ("ISCO 9" finds OCU_ISCO08_9 "Elementary occupations"; "BA_9080" finds that source).
Hits are ranked by kind (tables, countries, sources, indicators, codes), exact ids first.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection

from .store import sources as source_store
from .tables import structure

KINDS = ("table", "country", "source", "indicator", "code")
#: at most this many hits of one kind
LIMIT = 25
MAX_QUERY = 200


class SearchError(ValueError):
    pass


@dataclass(frozen=True)
class Hit:
    kind: str                 # one of KINDS
    id: str                   # table number, ISO3, source id, indicator, code
    label: str
    detail: str = ""          # e.g. the codelist of a code, the country of a source
    table: int | None = None  # the table to show (a code: the first table using its codelist)
    dimension: str | None = None
    tables: tuple[int, ...] = ()   # a code: every table with a dimension of its codelist
    exact: bool = False


def words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(w for w in re.split(r"[^a-z0-9]+", plain) if w)


@dataclass(frozen=True)
class _Doc:
    hit: Hit
    words: frozenset[str]


def _doc(hit: Hit, *texts: str) -> _Doc:
    return _Doc(hit, frozenset(w for t in texts for w in words(t)))


@lru_cache(maxsize=1)
def _declared() -> tuple[_Doc, ...]:
    s = structure()
    docs = []
    for t in s.tables.values():
        docs.append(_doc(Hit("table", str(t.number), f"Table {t.number}. {t.title}", s.modules[t.module],
                             table=t.number), f"table {t.number}", t.title, t.short, t.measure, t.id))
    region = set(s.default_region.all_members())
    for c in s.codelists["CL_COUNTRY"]:
        docs.append(_doc(Hit("country", c.id, c.name, "member" if c.id in region else "", table=None),
                         c.id, c.name))
    for t in s.tables.values():
        for m in t.ilostat:
            docs.append(_doc(Hit("indicator", m.indicator, f"ILOSTAT indicator {m.indicator}",
                                 f"Table {t.number}. {t.short}", table=t.number), m.indicator))
    using: dict[str, list[tuple[int, str]]] = {}      # codelist -> (table, dimension) using it
    for t in s.tables.values():
        for d in t.own_dimensions:
            if d.codelist.id != "CL_PARTNER":
                using.setdefault(d.codelist.id, []).append((t.number, d.id))
    for cl_id, uses in using.items():
        cl = s.codelists[cl_id]
        (first, dim), numbers = uses[0], tuple(n for n, _ in uses)
        for code in cl:
            docs.append(_doc(Hit("code", code.id, code.name, cl.name, table=first, dimension=dim, tables=numbers),
                             code.id, code.name, cl.name))
    return tuple(docs)


def _matches(doc_words: frozenset[str], query: tuple[str, ...]) -> bool:
    return all(any(w.startswith(q) for w in doc_words) for q in query)


def search(conn: Connection | None, query: str) -> list[Hit]:
    """The hits for ``query``, best first (empty for an empty query)."""
    if len(query) > MAX_QUERY:
        raise SearchError(f"the search text is longer than {MAX_QUERY} characters")
    q = words(query)
    if not q:
        return []
    compact = re.sub(r"\s+", "", query).upper()
    docs = list(_declared())
    if conn is not None:
        country = structure().codelists["CL_COUNTRY"]
        for row in source_store.catalogue(conn):
            docs.append(_doc(Hit("source", row["code"], row["name"], country.label(row["ref_area"])),
                             row["code"], row["name"], row.get("agency") or "", country.label(row["ref_area"])))
    found: dict[str, list[Hit]] = {k: [] for k in KINDS}
    for d in docs:
        if _matches(d.words, q):
            exact = d.hit.id.upper() in (compact, query.strip().upper())
            found[d.hit.kind].append(Hit(**{**d.hit.__dict__, "exact": exact}))
    out = []
    for kind in KINDS:
        out += sorted(found[kind], key=lambda h: not h.exact)[:LIMIT]
    return sorted(out, key=lambda h: not h.exact)
