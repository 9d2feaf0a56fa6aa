"""The Jinja environment of the analysis outputs (quality map page, report)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def number(value, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("ilms.analysis", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = number
    return env
