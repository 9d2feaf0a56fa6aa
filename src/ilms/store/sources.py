"""The source catalogue: every observation's series key names one source of one country."""
from __future__ import annotations

from sqlalchemy import Connection, select

from ..tables import structure
from .schema import source

FIELDS = ("name", "type", "agency", "periodicity", "coverage", "migrant_definition", "reference_period",
          "classifications", "notes")


class SourceError(ValueError):
    pass


def sdmx_code(ilostat_code: str) -> str:
    """ILOSTAT ``BA:453`` -> ``BA_453`` (an SDMX id may not contain ':')."""
    return ilostat_code.replace(":", "_")


def ilostat_code(code: str) -> str:
    """``BA_453`` -> ``BA:453``."""
    return code.replace("_", ":", 1)


def source_type(code: str) -> str:
    kind = code[:2].upper()
    if kind not in structure().codelists["CL_SOURCE_TYPE"]:
        raise SourceError(f"source {code!r}: its type {kind!r} is not one of "
                          f"{', '.join(c.id for c in structure().codelists['CL_SOURCE_TYPE'])}")
    return kind


def upsert(conn: Connection, code: str, ref_area: str, *, changeset_id: int | None = None, **fields) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise SourceError(f"unknown source fields: {', '.join(sorted(unknown))}")
    fields.setdefault("type", source_type(code))
    existing = conn.execute(select(source).where(source.c.code == code)).first()
    if existing is None:
        fields.setdefault("name", f"Source {ilostat_code(code)}")
        conn.execute(source.insert().values(code=code, ref_area=ref_area, changeset_id=changeset_id, **fields))
    elif fields:
        conn.execute(source.update().where(source.c.code == code).values(**fields))


def ensure(conn: Connection, codes: dict[str, str]) -> list[str]:
    """Make sure each source code (-> ref_area) exists; creates placeholders. Returns the new codes."""
    if not codes:
        return []
    have = {r.code for r in conn.execute(select(source.c.code).where(source.c.code.in_(list(codes))))}
    new = [c for c in codes if c not in have]
    for code in new:
        upsert(conn, code, codes[code])
    return new


def catalogue(conn: Connection, ref_area: str | None = None) -> list[dict]:
    stmt = select(source).order_by(source.c.ref_area, source.c.code)
    if ref_area:
        stmt = stmt.where(source.c.ref_area == ref_area)
    return [dict(r._mapping) for r in conn.execute(stmt)]
