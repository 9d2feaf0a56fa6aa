"""Every limit and setting of the web application, in one place.

Each field can be set from the environment as ``ILMS_WEB_<FIELD>`` (e.g. ``ILMS_WEB_MAX_CODES=500``);
``create_app(settings=...)`` takes an explicit object instead (tests do).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Settings:
    title: str = "ILMS API"
    #: codes one filter parameter may list (``SEX=SEX_F,SEX_M``); more is a 400, never a truncation
    max_codes: int = 2000
    #: characters the whole query string may have (more: a 414, ``ilms.web.limits``)
    max_query_length: int = 8000
    #: megabytes a request body (an upload) may have; more is a 413 (``ilms.web.limits``)
    max_upload_mb: float = 20.0
    #: rows fetched from the database per round trip while streaming
    stream_batch: int = 5000
    #: observations serialised into one chunk of a streamed response
    chunk_rows: int = 500
    #: seconds a /health probe may wait for the database
    health_timeout: float = 5.0
    #: folder of the bulk downloads (``/downloads``); empty: ``<ILMS_DATA_DIR>/downloads``
    downloads_dir: str = ""
    #: seconds a request waits for a release's downloads being built before a 503 with Retry-After
    downloads_build_wait: float = 20.0
    #: observations one SDMX data response may hold (a COUNT runs first); more is a 413 pointing to
    #: the bulk downloads
    sdmx_max_observations: int = 25_000_000
    #: build the latest release's downloads in the background when the server starts (`ilms serve`)
    prebuild_downloads: bool = False
    #: largest questionnaire a focal point may upload (bytes; over it: 413). The one upload limit.
    max_upload_bytes: int = 20 * 1024 * 1024
    #: minutes a web session lasts after login
    session_minutes: int = 480
    #: session cookie flag Secure: "auto" (when the request came over HTTPS), "always" or "never"
    cookie_secure: str = "auto"
    #: folder where refused uploads are kept (nothing a focal point sends is lost); empty:
    #: ``<ILMS_DATA_DIR>/uploads/refused``
    refused_dir: str = ""

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
            raw = environ.get(f"ILMS_WEB_{f.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls, f.name))
            try:
                changes[f.name] = _parse_bool(raw) if kind is bool else kind(raw)
            except ValueError:
                raise ValueError(f"ILMS_WEB_{f.name.upper()}={raw!r}: expected {kind.__name__}") from None
        return replace(cls(), **changes)


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)
