"""``/health``: 200 when the database answers and has the schema, else 503."""
from __future__ import annotations

import concurrent.futures

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, inspect, text

from ..deps import get_engine, get_settings
from ..models import Health
from ..settings import Settings

router = APIRouter(tags=["service"])
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="ilms-health")


def probe(engine: Engine) -> None:
    """Raise unless the database is reachable and migrated."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        if not inspect(conn).has_table("observation"):
            raise RuntimeError("the database has no ILMS schema (run `ilms db upgrade`)")


@router.get("/health", response_model=Health, summary="Is the service up?",
            responses={503: {"model": Health, "description": "The database is unreachable or not migrated."}})
def health(engine: Engine = Depends(get_engine), settings: Settings = Depends(get_settings)):
    backend = engine.dialect.name
    try:
        _pool.submit(probe, engine).result(timeout=settings.health_timeout)
    except concurrent.futures.TimeoutError:
        return _down(backend, f"the database did not answer within {settings.health_timeout:g} s")
    except Exception as exc:    # noqa: BLE001 -- any failure of the probe means "down"
        return _down(backend, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return Health(status="ok", database="reachable", backend=backend)


def _down(backend: str, error: str) -> JSONResponse:
    body = Health(status="unavailable", database="unreachable", backend=backend, error=error)
    return JSONResponse(body.model_dump(), status_code=503)
