"""The ``ilms`` command line. Thin: it parses arguments and calls the package's functions.

Each module in this package adds its commands to ``main`` (the click group) when imported;
``main`` imports them all, so a new command is a new module here and nothing else.
"""
from __future__ import annotations

import importlib
import pkgutil

from .base import main

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base"):
    importlib.import_module(f"{__name__}.{_mod}")

__all__ = ["main"]
