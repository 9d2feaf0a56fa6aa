from __future__ import annotations

import pytest
from click.testing import CliRunner

from ilms.cli import main
from ilms.store import corrections, read, write
from ilms.store.db import make_engine

from .helpers import obs15, with_sources


def test_correction_is_a_revision_with_a_reason(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5, status="P", note_source="R1:1")], kind="load", by="ana")
        s = corrections.correct(conn, 15, obs15("MYS", "2020", 0).key, "2020", value=10.7, by="cur",
                                reason="typo in the submission")
        assert s.changed == 1
        versions = list(read.history(conn, 15))
    assert [v["observation"].value for v in versions] == [10.5, 10.7]
    assert versions[1]["kind"] == "correction" and versions[1]["reason"] == "typo in the submission"
    # untouched attributes are kept
    assert versions[1]["observation"].status == "P" and versions[1]["observation"].note_source == "R1:1"


def test_annotation_only_and_errors(engine):
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
        corrections.correct(conn, 15, obs15("MYS", "2020", 0).key, "2020", comment="includes seafarers",
                            by="cur", reason="metadata from the focal point")
        assert corrections.current(conn, 15, obs15("MYS", "2020", 0).key, "2020").comment == "includes seafarers"
        with pytest.raises(write.StoreError, match="needs a reason"):
            corrections.correct(conn, 15, obs15("MYS", "2020", 0).key, "2020", value=1.0, by="cur", reason=" ")
        with pytest.raises(write.StoreError, match="no such value"):
            corrections.correct(conn, 15, obs15("SGP", "2020", 0).key, "2020", comment="x", by="cur", reason="r")


def test_cli_correct(env_database):
    engine = make_engine(env_database)
    with engine.begin() as conn:
        with_sources(conn, "BA_1")
        write.write(conn, [obs15("MYS", "2020", 10.5)], kind="load", by="ana")
    runner = CliRunner()
    ok = runner.invoke(main, ["correct", "--table", "15", "--key", "THA.BA_1._Z.SEX_T.MYS", "--year", "2020",
                              "--value", "11", "--flag", "E", "--reason", "estimate from register"])
    assert ok.exit_code == 0, ok.output
    assert "1 changed" in ok.output
    bad = runner.invoke(main, ["correct", "--table", "15", "--key", "THA.BA_1._Z.SEX_T.ZZZ", "--year", "2020",
                               "--value", "11", "--reason", "r"])
    assert bad.exit_code == 2 and "'ZZZ' is not a code of DESTINATION" in bad.output
    hist = runner.invoke(main, ["history", "--table", "15", "--country", "THA", "--key", "DESTINATION=MYS"])
    assert hist.exit_code == 0 and "10.5" in hist.output and "11.0 [E]" in hist.output
    assert "estimate from register" in hist.output
    engine.dispose()
