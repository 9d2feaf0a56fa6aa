"""The quality map as a file: CSV, XLSX or HTML, chosen by the file's extension (a registry).

Every file is written whole or not at all (``publish.tabular`` for CSV and XLSX; HTML goes to a
temporary file renamed into place).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from ..publish.tabular import write_csv, write_xlsx
from ..tables import structure
from .quality import QualityMap, header, table_rows
from .render import environment

WRITERS: dict[str, Callable[[Path, QualityMap, str | None], None]] = {}


def writer(*extensions: str):
    def deco(fn):
        for ext in extensions:
            WRITERS[ext] = fn
        return fn
    return deco


def write(path: str | os.PathLike, qmap: QualityMap, notice: str | None = None) -> Path:
    path = Path(path)
    ext = "".join(path.suffixes[-2:]) if path.name.endswith(".csv.gz") else path.suffix.lower()
    if ext not in WRITERS:
        raise ValueError(f"{path.name}: give a file ending in {', '.join(sorted(WRITERS))}")
    WRITERS[ext](path, qmap, notice)
    return path


def _about(qmap: QualityMap, notice: str | None) -> list[list]:
    rows = [["Release", qmap.release], ["Checksum", qmap.checksum], ["Region", qmap.region],
            ["Years", f"{qmap.first_year}-{qmap.last_year}"],
            ["Completeness", "share of the table's required cells present with a public value, averaged over "
                             "every year of the release's range (a year not reported counts 0)"]]
    if notice:
        rows.insert(0, ["NOTICE", notice])
    return rows


@writer(".csv", ".csv.gz")
def _csv(path: Path, qmap: QualityMap, notice: str | None) -> None:
    write_csv(path, header(), table_rows(qmap))


@writer(".xlsx")
def _xlsx(path: Path, qmap: QualityMap, notice: str | None) -> None:
    gaps = [r for r in table_rows(qmap) if r[header().index("GAP")]]
    write_xlsx(path, [("Quality map", header(), table_rows(qmap)), ("Gaps", header(), gaps),
                      ("About", ["FIELD", "VALUE"], _about(qmap, notice))])


@writer(".html", ".htm")
def _html(path: Path, qmap: QualityMap, notice: str | None) -> None:
    s = structure()
    html = environment().get_template("quality.html").render(
        qmap=qmap, notice=notice, tables=s.tables, countries=s.regions[qmap.region].all_members(),
        label=s.codelists["CL_COUNTRY"].label, cells={(r.country, r.table): r for r in qmap.rows},
        about=_about(qmap, None))
    write_text_atomic(path, html)


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
