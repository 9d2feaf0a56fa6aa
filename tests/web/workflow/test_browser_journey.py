"""The workflow in a real browser, end to end: a focal point downloads the prefilled questionnaire,
sends it back with an error, sees the finding at its sheet and cell, fixes it and resubmits (the
page says what was fixed); a curator returns the first, accepts the second, creates and publishes
a release; the public API shows the new figure; a release scheduled for tomorrow stays invisible."""
from __future__ import annotations

import datetime as dt

import openpyxl

from ilms.collect.questionnaire.reader import read_questionnaire

from ..accounts_fixtures import PASSWORD, site  # noqa: F401  (the fixture)
from .browser import live_server, new_page



def _cells(path) -> dict[tuple[str, str], tuple[str, str]]:
    out = {}
    for obs in read_questionnaire(path).observations():
        if obs.table == 15:
            _f, sheet, cell = obs.provenance.split("!")
            out[(obs.key[3], obs.key[4])] = (sheet, cell)
    return out


def _edit(source, target, changes: dict) -> None:
    cells = _cells(source)
    wb = openpyxl.load_workbook(source)
    for key, value in changes.items():
        sheet, ref = cells[key]
        wb[sheet][ref].value = value
    wb.save(target)


def _submit(page, button: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")


def _login(page, name):
    page.goto("/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    _submit(page, "Log in")


def test_focal_point_to_public_figure_in_a_browser(site, tmp_path, browser):
    outside: list[str] = []
    b = browser
    with live_server(site.client.app) as base:
        fp = new_page(b, base, outside)
        _login(fp, "ana")
        assert fp.url.endswith("/collect")
        fp.fill("#q-year", "2024")
        with fp.expect_download() as got:
            fp.click("text=Download the prefilled questionnaire")
        blank = tmp_path / "THA_2024.xlsx"
        got.value.save_as(blank)
        sheet, ref = _cells(blank)[("SEX_F", "MYS")]

        wrong = tmp_path / "THA_2024_wrong.xlsx"
        _edit(blank, wrong, {("SEX_F", "MYS"): 11.5})                     # men + women no longer = total
        fp.goto("/collect")
        fp.set_input_files("#file", str(wrong))
        _submit(fp, "Send and check")
        first = fp.url.rsplit("/", 1)[1]
        changed = fp.locator("#changed")
        assert "sum.total" in changed.inner_text()
        assert f"sheet {sheet}, cell {ref}" in changed.inner_text()      # the finding at its cell

        fixed = tmp_path / "THA_2024_fixed.xlsx"
        _edit(blank, fixed, {("SEX_F", "MYS"): 11.5, ("SEX_T", "MYS"): 31.5, ("SEX_F", "TOTAL"): 13.25,
                             ("SEX_T", "TOTAL"): 37.5})
        fp.goto("/collect")
        fp.set_input_files("#file", str(fixed))
        _submit(fp, "Send and check")
        second = fp.url.rsplit("/", 1)[1]
        assert "PASSED" in fp.locator(".verdict").inner_text()
        assert f"Fixed since submission #{first}" in fp.locator("#fixed").inner_text()
        with fp.expect_download() as got:
            fp.click("text=annotated: the findings at their cells")
        marked = tmp_path / "annotated.xlsx"
        got.value.save_as(marked)
        assert "FIXED since submission" in openpyxl.load_workbook(marked)[sheet][ref].comment.text

        cur = new_page(b, base, outside)
        _login(cur, "cora")
        cur.goto(f"/curate/submissions/{first}")
        cur.fill("#ret-comment", "superseded by the corrected file")
        _submit(cur, "Return")
        assert "returned" in cur.locator(".verdict").inner_text()
        cur.goto(f"/curate/submissions/{second}")
        _submit(cur, "Accept")
        assert "accepted" in cur.locator(".verdict").inner_text()
        cur.goto("/curate/releases")
        cur.fill("#name", "2025-2")
        _submit(cur, "Create (then preview and publish)")
        assert "revised" in cur.content() and cur.url.endswith("/curate/releases/2025-2")
        _submit(cur, "Publish now, or schedule")
        assert "Published" in cur.locator("[role=status]").inner_text()

        public = new_page(b, base, outside)
        public.goto("/api/v1/tables/15/data?REF_AREA=THA&SEX=SEX_T")
        assert "31.5" in public.content()

        cur.goto("/curate/values")
        cur.select_option("#table", "15")
        cur.fill("#key", "THA.XA_7._Z.SEX_T.MYS")
        cur.fill("#time", "2024")
        cur.fill("#value", "44.25")
        cur.fill("#reason", "revised register count")
        _submit(cur, "Record the correction")
        cur.goto("/curate/releases")
        cur.fill("#name", "R-EMBARGO")
        _submit(cur, "Create (then preview and publish)")
        tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        cur.fill("#at", tomorrow)
        _submit(cur, "Publish now, or schedule")
        assert "under embargo" in cur.locator("[role=status]").inner_text()
        public.goto("/api/v1/tables/15/data?REF_AREA=THA&SEX=SEX_T")
        assert "31.5" in public.content() and "44.25" not in public.content()
        public.goto("/api/v1/releases")
        assert "2025-2" in public.content() and "R-EMBARGO" not in public.content()
    assert outside == []
