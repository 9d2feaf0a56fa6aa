"""Release names that cannot be: refused when creating, found nowhere when looked up (PostgreSQL
refuses a NUL character in a query, which would otherwise be a server error)."""
from __future__ import annotations

import pytest

from ilms.store import releases

from .helpers import obs15, with_sources
from ilms.store import write


@pytest.mark.parametrize("name", ["", " r", "r ", "a\x00b", "tab\there", "x" * 81])
def test_impossible_release_names(conn, name):
    with_sources(conn, "BA_1")
    write.write(conn, [obs15("MYS", "2020", 1.0)], kind="load", by="ana")
    with pytest.raises(releases.ReleaseError, match="cannot name a release"):
        releases.create(conn, name, by="cur")
    assert releases.get(conn, name) is None
    assert releases.create(conn, "Bản phát hành 1", by="cur").name == "Bản phát hành 1"
