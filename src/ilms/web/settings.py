"""Every limit and setting of the web application, in one place.

Each field can be set from the environment as ``ILMS_WEB_<FIELD>`` (e.g. ``ILMS_WEB_STREAM_BATCH=1000``);
``create_app(settings=...)`` takes an explicit object instead (tests do). The size limits (upload,
query string, filter codes, observations per response) are ``Settings.limits``, an
:class:`ilms.limits.Limits` set from ``ILMS_LIMIT_*`` (the one place every limit lives).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from ..limits import Limits


@dataclass(frozen=True)
class Settings:
    title: str = "ILMS API"
    #: every size limit (``ilms.limits``; environment ``ILMS_LIMIT_*``)
    limits: Limits = field(default_factory=Limits)
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
    #: build the latest release's downloads in the background when the server starts (`ilms serve`)
    prebuild_downloads: bool = False
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
        changes: dict = {"limits": Limits.from_env(environ)}
        for f in fields(cls):
            if f.name == "limits":
                continue
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
