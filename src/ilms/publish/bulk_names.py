"""Short deterministic names of the bulk download files, and the release's path segment.

A release named with letters, digits, ``.``, ``_`` and ``-`` keeps its name (``2026-1``); any
other name (spaces, non-ASCII letters, ``/``) or one that a download route uses (``latest``,
``calendar``) gets an ASCII slug and the first 8 hex digits of the SHA-256 of the name
(``Bản phát hành 1`` -> ``ban-phat-hanh-1-44ec7c9c``): distinct names never share a token.

Files: ``ilms-<token>-t05.csv.gz`` (table 5), ``ilms-<token>-all.csv.gz`` (every table), with a
format suffix (``-ilostat``, ``-sdmx``) and extension per format (``ilms.publish.bulk_formats``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
#: path segments the download routes use for themselves
RESERVED = frozenset({"latest", "calendar", "manifest.json"})


def release_token(name: str) -> str:
    """The release's folder name on disk and path segment under /downloads/."""
    if _SAFE.match(name) and name.lower() not in RESERVED and not name.endswith("."):
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "release"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def file_name(token: str, scope: str, suffix: str, extension: str) -> str:
    """``scope`` is ``t05`` (a table) or ``all``."""
    return f"ilms-{token}-{scope}{suffix}{extension}"


def table_scope(number: int) -> str:
    return f"t{number:02d}"
