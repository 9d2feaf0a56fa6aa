"""The analytical report, built as HTML and PDF from a smaller demonstration dataset (three countries,
2019-2024: the whole demo takes ~30 s to load) plus the real UN DESA extracts; the PDF is opened
with pypdf, its pages counted and the key figures found in its text."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ilms.analysis import context, regional, report_content, report_files
from ilms.analysis.vintage import published_release
from ilms.cli import main
from ilms.collect.load import load_file
from ilms.demo import DEMO_NOTICE
from ilms.demo.catalogue import entry
from ilms.demo.dataset import observations
from ilms.demo.plan import sources
from ilms.store import releases, sources as catalogue, write
from ilms.tables import structure

COUNTRIES = ("MMR", "PHL", "THA")


def _small_demo(engine, shared_dir):
    plan = []
    for s in sources(1):
        if s.country in COUNTRIES:
            years = tuple(y for y in s.years if y >= 2019)
            if years:
                plan.append(dataclasses.replace(s, years=years, tables={y: s.tables[y] for y in years}))
    with engine.begin() as conn:
        for s in plan:
            catalogue.upsert(conn, s.code, s.country, **entry(s, 1))
        write.write(conn, observations(1, plan), kind="demo", by="pytest", reason=DEMO_NOTICE)
        releases.create(conn, "demo-small", by="pytest", synthetic=True, description=f"{DEMO_NOTICE} (test subset)")
        releases.publish(conn, "demo-small", by="pytest")
    for name in ("undesa_ims2019_total_by_sex_by_destination.csv", "undesa_ims2019_od_asean_subset.csv"):
        load_file(engine, shared_dir / "realdata" / name, by="pytest")


@pytest.fixture(scope="module")
def built(tmp_path_factory, templates, shared_dir):
    from ilms.store.db import make_engine
    engine = make_engine(templates.sqlite())
    _small_demo(engine, shared_dir)
    out = tmp_path_factory.mktemp("report")
    with engine.connect() as conn:
        report = report_content.build(conn)
        share = [r for r in regional.aggregate(conn, "MIG_SHARE_EMP", published_release(conn).cut)
                 if r.basis == "CIT" and r.key == (("SEX", "SEX_T"),)]
        stock = context.region_stock(conn, structure().default_region, 2019)
    report_files.write(report, out / "report.html", dt.date(2026, 1, 2))
    report_files.write(report, out / "report.pdf", dt.date(2026, 1, 2))
    yield engine, report, out, max(share, key=lambda r: r.time), stock
    engine.dispose()


def test_pdf_has_pages_toc_notice_on_every_page_and_the_key_figures(built):
    _, report, out, share, stock = built
    pdf = PdfReader(out / "report.pdf")
    n = len(pdf.pages)
    texts = [page.extract_text() for page in pdf.pages]
    assert n >= 2 + 9 + 11                       # cover, 9 chapters, one annex page per member (+ notes)
    for i, text in enumerate(texts, start=1):
        assert DEMO_NOTICE in text, f"page {i} lacks the notice"
        assert f"Page {i} of {n}" in text
    whole = "\n".join(texts)
    assert "Contents" in texts[0] and "Executive summary" in texts[0]
    # the key figures, computed independently here
    assert f"{share.value:,.1f} %" in whole and "non-citizens hold" in whole
    assert stock.value == 10_182_450 and "10,182 thousand" in whole
    assert "Sources of the figures" in whole and report.release.checksum in whole.replace("\n", "")
    for c in COUNTRIES:
        assert f"({c})" in whole


def test_html_traces_every_figure_and_inlines_svg_charts(built):
    _, report, out, share, _ = built
    html = (out / "report.html").read_text("utf-8")
    assert html.count("<svg") >= 2 and "<img" not in html
    cited = set(re.findall(r'href="#fn-(\d+)"', html))
    listed = set(re.findall(r'id="fn-(\d+)"', html))
    assert cited and cited <= listed and len(listed) == len(report.ledger.figures)
    assert "ilms.analysis.regional.aggregate(&#39;MIG_SHARE_EMP&#39;" in html
    assert f"{share.coverage.text()}" in html.replace("&#39;", "'")


def test_same_release_same_html_and_pdf(built, tmp_path):
    engine, _, out, _, _ = built
    with engine.connect() as conn:
        again = report_content.build(conn)
    report_files.write(again, tmp_path / "again.html", dt.date(2027, 5, 6))
    first = (out / "report.html").read_text("utf-8")
    second = (tmp_path / "again.html").read_text("utf-8")
    assert first != second and first.count("2026-01-02") == 1 and second.count("2027-05-06") == 1
    assert first.replace("Generated 2026-01-02", "") == second.replace("Generated 2027-05-06", "")
    report_files.write(again, tmp_path / "again.pdf", dt.date(2026, 1, 2))

    def normalised(path):
        return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", path.read_bytes())
    assert normalised(out / "report.pdf") == normalised(tmp_path / "again.pdf")


def test_bad_input_exits_non_zero_and_writes_nothing(engine, env_database, tmp_path, monkeypatch):
    runner = CliRunner()
    target = tmp_path / "r.html"
    result = runner.invoke(main, ["report", "-o", str(target)])          # empty database
    assert result.exit_code == 1 and "no release has been published" in result.output
    from .fixtures import load
    load(engine)
    for args, message in ((["--release", "nope"], "no such release"), (["--region", "MARS"], "no such region")):
        result = runner.invoke(main, ["report", *args, "-o", str(target)])
        assert result.exit_code == 1 and message in result.output
    result = runner.invoke(main, ["report", "-o", str(tmp_path / "r.txt")])
    assert result.exit_code == 2
    regions = tmp_path / "regions"
    regions.mkdir()
    (regions / "far.yaml").write_text("id: FAR\nname: Far away\nmembers:\n  ISL: {joined: 1990-01-01}\n", "utf-8")
    monkeypatch.setenv("ILMS_REGIONS_DIR", str(regions))
    from ilms.tables import loader
    loader.structure.cache_clear()
    try:
        result = runner.invoke(main, ["report", "--region", "FAR", "-o", str(target.with_suffix(".pdf"))])
    finally:
        loader.structure.cache_clear()
    assert result.exit_code == 1 and "no data for the members of FAR" in result.output
    assert list(tmp_path.glob("r.*")) == []
