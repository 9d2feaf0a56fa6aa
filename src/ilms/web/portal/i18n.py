"""Interface text through gettext catalogues: ``_("text")`` in code and templates.

Catalogues are ``messages.po`` files read at run time (Babel), one per language:
``locale/<lang>/LC_MESSAGES/messages.po`` inside this package, or in the folder named by
``ILMS_LOCALE_DIR`` (which wins). Adding a language is adding such a file: no code changes, no
compile step. English is the source language; its catalogue ships (empty translations).

The language of a request: ``?lang=xx`` if a catalogue exists, else the best ``Accept-Language``
match, else English. Codelist labels go through the same catalogue, so a language that
translates "Agriculture; forestry and fishing" shows it translated.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

HERE = Path(__file__).parent / "locale"
DEFAULT = "en"


def _folders() -> list[Path]:
    extra = os.environ.get("ILMS_LOCALE_DIR")
    return ([Path(extra)] if extra else []) + [HERE]


@dataclass(frozen=True)
class Translation:
    language: str
    messages: dict = field(default_factory=dict)

    def gettext(self, message: str, **values) -> str:
        text = self.messages.get(message) or message
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        forms = self.messages.get((singular, plural))
        text = (forms[0] if n == 1 else forms[-1]) if forms else (singular if n == 1 else plural)
        return text % {"num": n, **values}

    @property
    def name(self) -> str:
        """The language's own name ("English", "Bahasa Indonesia")."""
        try:
            return Locale.parse(self.language).get_display_name(self.language).capitalize()
        except (UnknownLocaleError, ValueError):
            return self.language


@lru_cache(maxsize=None)
def _load(path: Path, language: str) -> Translation:
    with path.open("rb") as f:
        catalog = read_po(f, locale=None)
    messages: dict = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            if any(m.string):
                messages[tuple(m.id)] = tuple(m.string)
        elif m.string:
            messages[m.id] = m.string
    return Translation(language, messages)


def languages() -> dict[str, Path]:
    """Language code -> its catalogue, for every catalogue found (English always)."""
    found: dict[str, Path] = {}
    for folder in reversed(_folders()):
        if folder.is_dir():
            for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
                found[po.parent.parent.name] = po
    return dict(sorted(found.items()))


def translation(language: str) -> Translation:
    path = languages().get(language)
    return _load(path, language) if path else Translation(DEFAULT)


def negotiate(lang: str | None, accept_language: str | None) -> str:
    available = languages()
    if lang and lang in available:
        return lang
    wanted = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag:
            wanted.append((-weight, n, tag.strip().replace("-", "_")))
    for _, _, tag in sorted(wanted):
        for candidate in (tag, tag.split("_")[0]):
            if candidate in available:
                return candidate
    return DEFAULT
