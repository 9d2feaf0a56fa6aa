"""``/static/...``: the portal's stylesheets, scripts and map shapes, served by the application
itself (no CDN). Files are looked up inside ``static/`` only; anything else is a 404."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from .errors import PageError

ROOT = (Path(__file__).parent / "static").resolve()
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
               ".woff2": "font/woff2", ".ico": "image/x-icon"}

router = APIRouter(include_in_schema=False)


def resolve(path: str) -> Path | None:
    target = (ROOT / path).resolve()
    if not target.is_relative_to(ROOT) or not target.is_file() or target.suffix not in MEDIA_TYPES:
        return None
    return target


@router.get("/static/{path:path}")
def static_file(path: str):
    target = resolve(path)
    if target is None:
        raise PageError(404, f"No file {path!r} here.")
    return FileResponse(target, media_type=MEDIA_TYPES[target.suffix],
                        headers={"Cache-Control": "public, max-age=3600"})
