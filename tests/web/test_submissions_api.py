"""``POST /api/v1/submissions`` and ``GET /api/v1/submissions/{id}`` from the outside, on both
backends: the receipt, 401/403/413/422, refused files kept, the database unchanged when refused."""
from __future__ import annotations

import openpyxl
from sqlalchemy import func, select

from ilms.accounts import audit, outbox
from ilms.collect.questionnaire.version import META_SHEET
from ilms.store.schema import submission

from .accounts_fixtures import LIMIT, site  # noqa: F401  (the fixture)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(submission)).scalar_one()


def _upload(site, path, **kw):
    return site.client.post("/api/v1/submissions", files={"file": (path.name, path.read_bytes())}, **kw)


def test_token_upload_gives_a_receipt_and_the_report(site):
    r = _upload(site, site.questionnaire, headers=site.bearer("ana"))
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert (receipt["country"], receipt["year"], receipt["status"]) == ("THA", "2024", "checked")
    assert len(receipt["checksum"]["sha256"]) == 64 and receipt["errors"] == 0
    assert r.headers["location"] == receipt["links"]["self"] == f"/api/v1/submissions/{receipt['id']}"
    got = site.client.get(receipt["links"]["self"], headers=site.bearer("ana"))
    assert got.status_code == 200 and got.json()["report"]["verdict"]["passed"] is True
    assert got.json()["events"][-1]["to"] == "checked" and got.json()["submitted_by"] == "ana"
    assert site.client.get(receipt["links"]["self"], headers=site.bearer("cora")).status_code == 200
    other = site.client.get(receipt["links"]["self"], headers=site.bearer("vu"))
    assert other.status_code == 403 and "not of a country" in other.json()["error"]
    assert site.client.get("/api/v1/submissions/999", headers=site.bearer("ana")).status_code == 404
    with site.engine.connect() as conn:
        (entry,) = audit.entries(conn)
        assert (entry.actor, entry.action, entry.submission_id) == ("ana", "submission.upload", receipt["id"])
        assert entry.origin == "POST /api/v1/submissions"
        assert "received" in outbox.messages(conn)[0].subject


def test_refusals_leave_the_database_unchanged_and_keep_the_file(site, tmp_path):
    before = _count(site.engine)
    anonymous = _upload(site, site.questionnaire)
    assert anonymous.status_code == 401 and "Authorization" in anonymous.json()["parameter"]
    bad_token = _upload(site, site.questionnaire, headers={"Authorization": "Bearer ilms_nope_nope"})
    assert bad_token.status_code == 401
    other_country = _upload(site, site.questionnaire, headers=site.bearer("vu"))
    assert other_country.status_code == 403 and "does not hold THA" in other_country.json()["error"]
    text = tmp_path / "notes.txt"
    text.write_text("not a workbook")
    wrong_type = _upload(site, text, headers=site.bearer("ana"))
    assert wrong_type.status_code == 422 and "not a questionnaire" in wrong_type.json()["error"]
    wrong_year = site.client.post("/api/v1/submissions", headers=site.bearer("ana"), data={"year": "2023"},
                                  files={"file": (site.questionnaire.name, site.questionnaire.read_bytes())})
    assert wrong_year.status_code == 422 and wrong_year.json()["parameter"] == "year"
    old = tmp_path / "THA_2024_old.xlsx"
    wb = openpyxl.load_workbook(site.questionnaire)
    (stamp,) = [c for row in wb[META_SHEET].iter_rows() for c in row if c.value == "template_version"]
    wb[META_SHEET].cell(stamp.row, stamp.column + 1).value = "0.1"
    wb.save(old)
    old_version = _upload(site, old, headers=site.bearer("ana"))
    assert old_version.status_code == 422 and "template version" in old_version.json()["error"]
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"0" * (LIMIT + 1))
    too_large = _upload(site, big, headers=site.bearer("ana"))
    assert too_large.status_code == 413 and "limit" in too_large.json()["error"]
    assert _count(site.engine) == before
    kept = sorted(p.name for p in site.refused.iterdir() if not p.name.endswith(".why.txt"))
    assert len(kept) == 4 and any(n.endswith("notes.txt") for n in kept)     # 403, 3 x 422 (413: never whole)
    assert all((site.refused / (n + ".why.txt")).exists() for n in kept)


def test_a_curator_may_upload_on_behalf_of_any_country(site):
    r = _upload(site, site.questionnaire, headers=site.bearer("cora"))
    assert r.status_code == 201 and r.json()["submitted_by"] == "cora"
