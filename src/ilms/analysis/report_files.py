"""The analytical report as files: HTML (charts inline as SVG) and PDF (WeasyPrint lays the same HTML
out on A4 pages: page numbers, table of contents with page references, the synthetic-data notice
in every page's header, charts as vector graphics).

Reproducible: the same release gives the same HTML apart from the "Generated" date, and the same
PDF apart from its metadata (creation date and document id are fixed from the release anyway).
Files are written to a temporary name and renamed into place: never half-written.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Callable

from .quality_files import write_text_atomic
from .render import environment
from .report_content import Report

FORMATS: dict[str, Callable[[Report, Path, dt.date], None]] = {}


def register(*extensions: str):
    def deco(fn):
        for ext in extensions:
            FORMATS[ext] = fn
        return fn
    return deco


def html(report: Report, generated: dt.date | None = None) -> str:
    generated = generated or dt.date.today()
    published = report.release.published_at
    created = published.strftime("%Y-%m-%dT%H:%M:%SZ") if published else ""
    return environment().get_template("report.html").render(r=report, generated=generated.isoformat(),
                                                            created=created)


@register(".html", ".htm")
def _write_html(report: Report, path: Path, generated: dt.date) -> None:
    write_text_atomic(path, html(report, generated))


@register(".pdf")
def _write_pdf(report: Report, path: Path, generated: dt.date) -> None:
    from weasyprint import HTML
    document = HTML(string=html(report, generated), base_url=str(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        document.write_pdf(tmp, pdf_identifier=report.release.checksum[:32].encode("ascii"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(report: Report, path: str | os.PathLike, generated: dt.date | None = None) -> Path:
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"{path.name}: give a file ending in {', '.join(sorted(FORMATS))}")
    FORMATS[ext](report, path, generated or dt.date.today())
    return path
