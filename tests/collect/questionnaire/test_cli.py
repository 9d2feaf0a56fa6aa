"""``ilms questionnaire``: writes the workbook, prefilled from the database on request."""
from __future__ import annotations

from click.testing import CliRunner

from ilms.cli import main
from ilms.collect.questionnaire import read_questionnaire
from ilms.store.db import make_engine

from .helpers import cells_of, put, sample


def test_cli_writes_a_prefilled_questionnaire(env_database, tmp_path):
    engine = make_engine(env_database)
    with engine.begin() as conn:
        put(conn, sample())
    engine.dispose()
    out = tmp_path / "THA_2024.xlsx"
    result = CliRunner().invoke(main, ["questionnaire", "--country", "tha", "--year", "2024", "--prefill", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and "prefilled from current data: 9 cells" in result.output
    assert len(cells_of(read_questionnaire(out).observations())) == len(sample()) - 1


def test_cli_refuses_an_unknown_country(env_database, tmp_path):
    result = CliRunner().invoke(main, ["questionnaire", "--country", "XYZ", "--year", "2024", "-o", str(tmp_path / "q.xlsx")])
    assert result.exit_code == 1 and "unknown country 'XYZ'" in result.output
    assert not (tmp_path / "q.xlsx").exists()
