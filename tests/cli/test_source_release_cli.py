"""The curator's commands for sources and releases, end to end through the CLI."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import update

from ilms.cli import main
from ilms.observation import Observation
from ilms.store import schema, write
from ilms.store.db import make_engine


def test_source_catalogue(env_database):
    r = CliRunner()
    ok = r.invoke(main, ["source", "set", "BA_453", "--country", "tha", "--name", "Labour Force Survey",
                         "--migrant-definition", "citizenship", "--periodicity", "quarterly"])
    assert ok.exit_code == 0, ok.output
    listed = r.invoke(main, ["source", "list", "--country", "THA"])
    assert "BA_453" in listed.output and "[BA] Labour Force Survey" in listed.output
    assert "migrant definition: citizenship" in listed.output
    bad = r.invoke(main, ["source", "set", "QQ_1", "--country", "THA"])
    assert bad.exit_code == 2 and "type 'QQ'" in bad.output


def test_release_lifecycle_and_tamper_detection(env_database):
    r = CliRunner()
    assert "no releases yet" in r.invoke(main, ["release", "list"]).output
    empty = r.invoke(main, ["release", "create", "r0"])
    assert empty.exit_code == 1 and "no data" in empty.output
    engine = make_engine(env_database)
    with engine.begin() as conn:
        r.invoke(main, ["source", "set", "XA_1", "--country", "THA"])
    with engine.begin() as conn:
        write.write(conn, [Observation(15, ("THA", "XA_1", "_Z", "SEX_T", "TOTAL"), "2020", 5.5)], kind="load", by="t")
    created = r.invoke(main, ["release", "create", "2026-1", "--description", "first", "--by", "curator"])
    assert created.exit_code == 0 and "1 observations" in created.output
    assert "not published" in r.invoke(main, ["release", "list"]).output
    assert r.invoke(main, ["release", "publish", "2026-1"]).exit_code == 0
    assert "(latest published)" in r.invoke(main, ["release", "list"]).output
    assert r.invoke(main, ["release", "verify", "2026-1"]).exit_code == 0
    with engine.begin() as conn:
        conn.execute(update(schema.observation).values(value=6.5))
    tampered = r.invoke(main, ["release", "verify", "2026-1"])
    assert tampered.exit_code == 1 and "MISMATCH" in tampered.output
    assert r.invoke(main, ["release", "verify", "nope"]).exit_code == 2
    engine.dispose()
