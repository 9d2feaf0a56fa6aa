"""What routes get from the application: the engine and the settings (set by ``create_app``)."""
from __future__ import annotations

from typing import Iterator

from fastapi import Request
from sqlalchemy import Connection, Engine

from .settings import Settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_conn(request: Request) -> Iterator[Connection]:
    """A read connection for one request (not for streamed bodies: they open their own)."""
    with get_engine(request).connect() as conn:
        yield conn
