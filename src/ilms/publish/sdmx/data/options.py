"""What a data query asks of a data message, besides the observations themselves."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping, Sequence

ALL_DIMENSIONS = "AllDimensions"
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")
LABELS = ("id", "name", "both")


class NotImplementedOption(NotImplementedError):
    """A standard option this service does not implement (REST: 501)."""


class InvalidOption(ValueError):
    """An option value outside the standard (REST: 400 naming ``parameter`` where it is known)."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


class NotAcceptable(LookupError):
    """No data writer for the media type asked for (REST: 406)."""


@dataclass(frozen=True)
class MessageHeader:
    """Header information; the release name and checksum go where the format has room."""

    id: str = field(default_factory=lambda: "IREF" + uuid.uuid4().hex[:16].upper())
    prepared: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))
    sender: str | None = None            # default: the agency
    release: str | None = None           # release name, e.g. "2024-1"
    checksum: str | None = None          # the release checksum (SHA-256 hex)
    test: bool = False

    @property
    def prepared_text(self) -> str:
        p = self.prepared if self.prepared.tzinfo else self.prepared.replace(tzinfo=timezone.utc)
        return p.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class DataOptions:
    dimension_at_observation: str = "TIME_PERIOD"     # or "AllDimensions"
    detail: str = "full"                               # full | dataonly | serieskeysonly | nodata
    attributes: str | Sequence[str] = "dsd"            # v2: dsd | msd | dataset | series | obs | all | none | ids
    measures: str | Sequence[str] = "all"              # v2: all | none | ids
    labels: str = "id"                                 # SDMX-CSV: id | name | both
    header: MessageHeader = field(default_factory=MessageHeader)
    agency: str | None = None                          # default: structure().agency
    code_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # dim -> code -> name (e.g. SOURCE)

    def __post_init__(self):
        if self.detail not in DETAILS:
            raise InvalidOption(f"detail must be one of {', '.join(DETAILS)}, not {self.detail!r}")
        if self.labels not in LABELS:
            raise InvalidOption(f"labels must be one of {', '.join(LABELS)}, not {self.labels!r}")
