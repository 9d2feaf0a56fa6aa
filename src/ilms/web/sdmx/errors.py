"""Errors of the SDMX service, as HTTP statuses the two REST versions prescribe.

A syntax error is 400 (both versions); a missing artefact 404; "no data" is 404 in v1 and 204 in
v2 (``no_data_status``); an unsupported Accept 406; a response over the configured limit 413;
a deliberately unimplemented feature 501. Bodies use the application's error shape.
"""
from __future__ import annotations

#: how each REST version says "the query is fine and matched no data"
NO_DATA_STATUS = {1: 404, 2: 204}


class SdmxError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def no_data_status(api: int) -> int:
    return NO_DATA_STATUS[api]
