"""Every size limit of ILMS, in one place, read by the CLI, the file readers and the web alike.

Each limit is one field of :class:`Limits`, set from the environment by its canonical variable
``ILMS_LIMIT_<FIELD>`` (e.g. ``ILMS_LIMIT_UPLOAD_BYTES=5000000``). The names the limits had before
they were gathered here are still read (``LEGACY``), after the canonical one, so existing
deployments keep their settings. Every refusal names the canonical variable (:func:`setting`).

========================  =====================  ==========================================
field                     over it                legacy variables still read
========================  =====================  ==========================================
upload_bytes              413 / file refused     ILMS_WEB_MAX_UPLOAD_BYTES,
                                                 ILMS_WEB_MAX_UPLOAD_MB, ILMS_QUESTIONNAIRE_MAX_MB
questionnaire_cells       file refused           ILMS_QUESTIONNAIRE_MAX_CELLS
context_cells             file refused           (new)
query_length              414                    ILMS_WEB_MAX_QUERY_LENGTH
filter_codes              400                    ILMS_WEB_MAX_CODES
api_observations          413                    (new)
sdmx_observations         413                    ILMS_WEB_SDMX_MAX_OBSERVATIONS
explorer_observations     413 page               (new)
========================  =====================  ==========================================
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Callable, Mapping

PREFIX = "ILMS_LIMIT_"


@dataclass(frozen=True)
class Limits:
    #: bytes a file sent to ILMS may have: a web upload (the request body, plus room for the
    #: multipart framing), a questionnaire read from disk, a submission
    upload_bytes: int = 20 * 1024 * 1024
    #: cells a whole questionnaire workbook may have (one has about 6,000), counted while streaming
    questionnaire_cells: int = 200_000
    #: cells a context-data workbook (UN DESA International Migrant Stock) may span: every cell of
    #: its sheets, and on the sheets read, the empty ones before each row's last cell and each
    #: empty row (a published origin-destination table spans about half a million)
    context_cells: int = 5_000_000
    #: characters the whole query string of a request may have
    query_length: int = 8000
    #: codes one filter parameter may list (``SEX=SEX_F,SEX_M``); more is a 400, never a truncation
    filter_codes: int = 2000
    #: observations one JSON/CSV data API response (``/api/v1/tables/{n}/data``) may hold
    api_observations: int = 1_000_000
    #: observations one SDMX data response may hold
    sdmx_observations: int = 25_000_000
    #: observations the portal's table explorer shows on one page
    explorer_observations: int = 6000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
            for name, convert in ((setting(f.name), int), *LEGACY.get(f.name, ())):
                raw = environ.get(name)
                if raw is None or raw.strip() == "":
                    continue
                try:
                    value = convert(raw)
                except ValueError:
                    raise ValueError(f"{name}={raw!r}: expected a whole number"
                                     + (" of megabytes" if convert is _megabytes else "")) from None
                if value <= 0:
                    raise ValueError(f"{name}={raw!r}: a limit must be positive")
                changes[f.name] = value
                break
        return replace(cls(), **changes)


def setting(field: str) -> str:
    """The canonical environment variable of a limit (``upload_bytes`` -> ``ILMS_LIMIT_UPLOAD_BYTES``)."""
    return PREFIX + field.upper()


def _megabytes(raw: str) -> int:
    return int(float(raw) * 1_000_000)


#: the variables each limit had before, read when the canonical one is not set (first wins)
LEGACY: dict[str, tuple[tuple[str, Callable[[str], int]], ...]] = {
    "upload_bytes": (("ILMS_WEB_MAX_UPLOAD_BYTES", int), ("ILMS_WEB_MAX_UPLOAD_MB", _megabytes),
                     ("ILMS_QUESTIONNAIRE_MAX_MB", _megabytes)),
    "questionnaire_cells": (("ILMS_QUESTIONNAIRE_MAX_CELLS", int),),
    "query_length": (("ILMS_WEB_MAX_QUERY_LENGTH", int),),
    "filter_codes": (("ILMS_WEB_MAX_CODES", int),),
    "sdmx_observations": (("ILMS_WEB_SDMX_MAX_OBSERVATIONS", int),),
}


def megabytes(n: int) -> str:
    """``n`` bytes for a message: ``20.97 MB``."""
    return f"{n / 1_000_000:.4g} MB"
