"""The upload limit, on both backends: ``Limits.upload_bytes`` answers a too-large questionnaire with
a 413 naming ``ILMS_LIMIT_UPLOAD_BYTES`` -- at the door (the request body, before the route runs) or
while the file is saved (the file itself, framing aside) -- and the database is left unchanged."""
from __future__ import annotations

from sqlalchemy import func, select

from ilms.store.schema import observation, submission, submission_event
from ilms.web.limits import FRAMING

from .accounts_fixtures import LIMIT, site  # noqa: F401  (the fixture)


def _state(engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (submission, submission_event, observation))


def _upload(site, content: bytes):
    return site.client.post("/api/v1/submissions", files={"file": ("THA_2024.xlsx", content)},
                            headers=site.bearer("ana"))


def test_a_body_over_the_limit_is_refused_at_the_door(site):
    before = _state(site.engine)
    r = _upload(site, b"0" * (LIMIT + FRAMING + 1))
    assert r.status_code == 413 and r.json()["parameter"] == "body"
    assert "over the upload limit of 0.4 MB (400,000 bytes, ILMS_LIMIT_UPLOAD_BYTES)" in r.json()["error"]
    assert _state(site.engine) == before
    assert not site.refused.exists() or not any(site.refused.iterdir())     # never held whole


def test_a_file_over_the_limit_inside_the_framing_is_refused_while_saved(site):
    before = _state(site.engine)
    r = _upload(site, b"0" * (LIMIT + 1))
    assert r.status_code == 413 and r.json()["parameter"] == "file"
    assert r.json()["error"] == ("the file is larger than the upload limit of 0.4 MB (400,000 bytes, "
                                 "ILMS_LIMIT_UPLOAD_BYTES); send a smaller file, or split it")
    assert _state(site.engine) == before
    ok = _upload(site, site.questionnaire.read_bytes())                     # the real one fits
    assert ok.status_code == 201, ok.text
    assert _state(site.engine)[0] == before[0] + 1
