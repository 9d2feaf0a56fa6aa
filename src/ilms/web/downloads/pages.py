"""HTML pages of the downloads and status routes: Jinja2 templates in ``templates/``, escaped,
no external assets (the little styling there is sits in the base template)."""
from __future__ import annotations

from functools import lru_cache

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape


def human_size(n: int | None) -> str:
    if n is None:
        return ""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("ilms.web.downloads", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["size"] = human_size
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else ("" if n is None else str(n))
    return env


def render(template: str, status_code: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=headers)
