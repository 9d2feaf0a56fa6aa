"""The submission workflow and collection rounds, end to end with real questionnaires."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from ilms.cli import main
from ilms.collect import rounds, submissions
from ilms.collect.questionnaire.reader import read_questionnaire
from ilms.collect.questionnaire.writer import write_questionnaire
from ilms.observation import Observation
from ilms.store import read, releases, sources, write
from ilms.store.db import make_engine

from ..store.helpers import counts

# Thailand's outflow for employment in 2024 (synthetic, consistent: M + F = T, listed + X = TOTAL)
T15 = {("SEX_M", "MYS"): 20.0, ("SEX_F", "MYS"): 10.5, ("SEX_T", "MYS"): 30.5,
       ("SEX_M", "X"): 4.25, ("SEX_F", "X"): 1.75, ("SEX_T", "X"): 6.0,
       ("SEX_M", "TOTAL"): 24.25, ("SEX_F", "TOTAL"): 12.25, ("SEX_T", "TOTAL"): 36.5}


@pytest.fixture
def published(engine):
    with engine.begin() as conn:
        sources.upsert(conn, "XA_7", "THA", name="Overseas employment register", type="XA",
                       agency="Department of Employment")
        write.write(conn, [Observation(15, ("THA", "XA_7", "_Z", sex, dest), "2024", v, decimals=3)
                           for (sex, dest), v in T15.items()], kind="load", by="curator")
        releases.create(conn, "2025-1", by="curator")
        releases.publish(conn, "2025-1", by="curator")
    return engine


def _cell_of(path, sex, dest):
    for obs in read_questionnaire(path).observations():
        if obs.table == 15 and obs.key[3] == sex and obs.key[4] == dest:
            _file, sheet, cell = obs.provenance.split("!")
            return sheet, cell
    raise AssertionError("cell not in the questionnaire")


def test_prefilled_round_trip_one_changed_cell_and_revision(published, tmp_path):
    engine = published
    path = tmp_path / "THA_2024.xlsx"
    with engine.connect() as conn:
        write_questionnaire(path, conn, "THA", 2024, prefill=True)
    # unchanged: no error
    with engine.begin() as conn:
        first = submissions.submit(conn, path, by="focal.point")
    assert first.status == "checked" and first.report.errors == 0, first.report.verdict
    assert (first.ref_area, first.year) == ("THA", "2024")
    # one component changed: exactly one error, located at that cell
    sheet, cell = _cell_of(path, "SEX_F", "MYS")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = 11.5
    changed = tmp_path / "THA_2024_v2.xlsx"
    wb.save(changed)
    with engine.begin() as conn:
        second = submissions.submit(conn, changed, by="focal.point")
    errors = [f for f in second.report.findings if f.severity == "error"]
    assert len(errors) >= 1
    located = {c.provenance for f in errors for c in f.cells}
    assert f"{changed.name}!{sheet}!{cell}" in located
    assert all(f"{changed.name}!{sheet}!{cell}" in {c.provenance for c in f.cells} for f in errors)
    # M + F = T fails for MYS, and the women's destinations no longer add up to their total
    assert {f.rule for f in errors} == {"sum.total"} and len(errors) == 2
    # with errors it cannot be accepted without an override
    with engine.begin() as conn:
        with pytest.raises(submissions.SubmissionError, match="1 error|error\\(s\\)"):
            submissions.accept(conn, second.id, by="curator")
    with engine.begin() as conn:
        summary = submissions.accept(conn, second.id, by="curator",
                                     override_reason="ministry confirms the new figure; total revised next round")
    assert summary.changed == 1
    with engine.connect() as conn:
        versions = list(read.history(conn, 15, {"SEX": ("SEX_F",), "DESTINATION": ("MYS",)}, "2024"))
        row = submissions.get(conn, second.id)
        steps = [(e.from_status, e.to_status) for e in submissions.events(conn, second.id)]
    assert [v["observation"].value for v in versions] == [10.5, 11.5]
    assert versions[1]["kind"] == "submission" and "ministry confirms" in versions[1]["reason"]
    assert row.status == "accepted" and row.file_content == changed.read_bytes()
    assert steps == [(None, "received"), ("received", "checked"), ("checked", "accepted")]
    # publishing a release publishes the accepted submission
    with engine.begin() as conn:
        releases.create(conn, "2025-2", by="curator")
        releases.publish(conn, "2025-2", by="curator")
        assert submissions.get(conn, second.id).status == "published"
        assert submissions.get(conn, second.id).release_name == "2025-2"
        assert submissions.get(conn, first.id).status == "checked"


def test_returned_submission_keeps_file_and_report(published, tmp_path):
    path = tmp_path / "THA_2024.xlsx"
    with published.connect() as conn:
        write_questionnaire(path, conn, "THA", 2024, prefill=True)
    with published.begin() as conn:
        s = submissions.submit(conn, path, by="fp")
        submissions.return_(conn, s.id, by="curator", comment="please add the 2024 census source")
        with pytest.raises(submissions.SubmissionError, match="only a checked submission"):
            submissions.accept(conn, s.id, by="curator")
        row = submissions.get(conn, s.id)
    assert row.status == "returned" and row.file_content == path.read_bytes()
    assert json.loads(row.report)["verdict"]["errors"] == 0


def test_unreadable_file_is_kept_and_returned_and_nothing_is_loaded(published, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with published.connect() as conn:
        before = counts(conn)
    with published.begin() as conn:
        s = submissions.submit(conn, bad, by="fp")
    assert s.status == "returned" and s.read_error
    with published.connect() as conn:
        after = counts(conn)
        assert submissions.get(conn, s.id).file_content == bad.read_bytes()
    assert after["observation"] == before["observation"] and after["submission"] == before["submission"] + 1


def test_round_dashboard(published, tmp_path):
    with published.begin() as conn:
        written = rounds.open_round(conn, "ILMS 2025", years=[2024], deadline=dt.date(2025, 3, 31),
                                    countries=["THA", "VNM"], by="curator", out_dir=tmp_path / "q")
    assert sorted(p.name for p in written) == ["THA_2024.xlsx", "VNM_2024.xlsx"]
    with published.begin() as conn:
        s = submissions.submit(conn, tmp_path / "q" / "THA_2024.xlsx", by="fp")
        row, states = rounds.status(conn, "ILMS 2025", today=dt.datetime(2025, 4, 10, tzinfo=dt.timezone.utc))
    by_country = {c.country: c for c in states}
    assert by_country["THA"].state == "checked" and by_country["THA"].submissions == [s.id]
    assert by_country["VNM"].state == rounds.NOT_STARTED and by_country["VNM"].overdue_days == 10
    assert 15 not in by_country["THA"].missing["2024"] and len(by_country["VNM"].missing["2024"]) == 17
    with published.begin() as conn:
        rounds.close_round(conn, "ILMS 2025", by="curator")
        with pytest.raises(rounds.RoundError, match="closed already"):
            rounds.close_round(conn, "ILMS 2025", by="curator")


def test_cli_submission_path(env_database, tmp_path):
    engine = make_engine(env_database)
    with engine.begin() as conn:
        sources.upsert(conn, "XA_7", "THA", name="Register", type="XA")
        write.write(conn, [Observation(15, ("THA", "XA_7", "_Z", sex, dest), "2024", v)
                           for (sex, dest), v in T15.items()], kind="load", by="curator")
    engine.dispose()
    r = CliRunner()
    opened = r.invoke(main, ["round", "open", "R1", "--year", "2024", "--deadline", "2030-01-31",
                             "--countries", "THA", "--out", str(tmp_path / "q")])
    assert opened.exit_code == 0, opened.output
    sent = r.invoke(main, ["submit", str(tmp_path / "q" / "THA_2024.xlsx"), "--by", "fp"])
    assert sent.exit_code == 0, sent.output
    assert "PASSED" in sent.output
    listed = r.invoke(main, ["submission", "list", "--round", "R1"])
    assert "THA" in listed.output and "checked" in listed.output
    assert r.invoke(main, ["submission", "return", "1"]).exit_code == 2          # --comment is required
    acc = r.invoke(main, ["submission", "accept", "1", "--by", "curator"])
    assert acc.exit_code == 0 and "0 changed" in acc.output
    shown = r.invoke(main, ["submission", "show", "1"])
    assert "accepted" in shown.output and "by curator" in shown.output
    status = r.invoke(main, ["round", "status", "R1"])
    assert "THA" in status.output and "accepted" in status.output


def test_a_table_declared_on_the_metadata_sheet_is_reported(published, tmp_path):
    """Naming a source for a table declares it reported: its missing cells are then errors."""
    path = tmp_path / "THA_2024.xlsx"
    with published.connect() as conn:
        write_questionnaire(path, conn, "THA", 2024, prefill=True)
    workbook = read_questionnaire(path)
    assert 15 in workbook.reported_tables()
    # blank one required cell of table 15: the table is still declared, so its gap is an error
    sheet, cell = _cell_of(path, "SEX_T", "TOTAL")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = None
    gap = tmp_path / "THA_2024_gap.xlsx"
    wb.save(gap)
    with published.begin() as conn:
        sent = submissions.submit(conn, gap, by="fp")
    missing = [f for f in sent.report.findings if f.rule == "complete.required_cells" and f.table == 15]
    assert missing and all(f.severity == "error" for f in missing)
    # tables the country did not declare stay warnings
    assert all(f.severity == "warning" for f in sent.report.findings
               if f.rule == "complete.required_cells" and f.table != 15)


def test_a_file_over_the_upload_limit_is_refused_before_anything_is_written(published, tmp_path, monkeypatch):
    """The CLI and library read the same limit as the web (``ILMS_LIMIT_UPLOAD_BYTES``)."""
    from ilms.store.schema import submission
    engine = published
    path = tmp_path / "THA_2024.xlsx"
    with engine.connect() as conn:
        write_questionnaire(path, conn, "THA", 2024, prefill=True)
        before = (counts(conn), conn.execute(submission.select()).all())
    size = path.stat().st_size
    monkeypatch.setenv("ILMS_LIMIT_UPLOAD_BYTES", str(size - 1))
    with pytest.raises(submissions.SubmissionError) as raised, engine.begin() as conn:
        submissions.submit(conn, path, by="focal.point")
    assert f"({size:,} bytes) is over the upload limit of" in str(raised.value)
    assert f"({size - 1:,} bytes, ILMS_LIMIT_UPLOAD_BYTES)" in str(raised.value)
    with engine.connect() as conn:
        assert (counts(conn), conn.execute(submission.select()).all()) == before
    monkeypatch.setenv("ILMS_LIMIT_UPLOAD_BYTES", str(size))
    with engine.begin() as conn:
        assert submissions.submit(conn, path, by="focal.point").status == "checked"
