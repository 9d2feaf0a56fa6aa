"""Named points where the crash tests kill a command part-way (``tests/store/test_crash_phases.py``).

``pause("release:checksummed")`` does nothing unless the environment variable ``ILMS_PAUSE_AT``
names that very point. Then it writes the point's name into the file ``ILMS_PAUSE_MARKER`` and
sleeps (at most ``ILMS_PAUSE_SECONDS``, default 120), so that a test, seeing the marker, can
SIGKILL the process there: inside its open transaction, after the work that point follows. Only
the tests set these variables; unset, a point costs one dictionary look-up.

The points (each inside the transaction of its command, before the commit):

* ``load:written`` — ``ilms load``: the observations (any format: CSV, questionnaire) are written;
* ``release:checksummed`` — ``ilms release create``: the suppression pattern and the checksum are stored;
* ``release:published`` — ``ilms release publish``: the release is marked published, its hooks ran;
* ``restore:copying`` — ``ilms restore`` on SQLite: the first pages of the backup are copied over
  the live database.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("load:written", "release:checksummed", "release:published", "restore:copying")


def pause(point: str) -> None:
    if os.environ.get("ILMS_PAUSE_AT") != point:
        return
    marker = os.environ.get("ILMS_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(point, encoding="utf-8")
    time.sleep(float(os.environ.get("ILMS_PAUSE_SECONDS") or 120))
