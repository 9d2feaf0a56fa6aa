"""``ilms check FILE``: validate a file without loading it; reports on the terminal, HTML, JSON,
an annotated workbook, and the differences from the values held."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click

from .base import main


def _store_wanted(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    from ..store.db import data_dir
    return bool(os.environ.get("ILMS_DATABASE_URL")) or (data_dir() / "ilms.sqlite").exists()


@main.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write an HTML report.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report (schema: src/ilms/check/report.schema.json).")
@click.option("--annotated", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a copy of the XLSX workbook with the offending cells highlighted and commented.")
@click.option("--diff", "with_diff", is_flag=True,
              help="Compare with the values held for the same countries, tables and years.")
@click.option("--context", type=click.Choice(["questionnaire", "published"]),
              help="Where the data come from (default: questionnaire for a workbook, else published).")
@click.option("--store/--no-store", "use_store", default=None,
              help="Use the database for earlier years and other countries' data (default: when one exists).")
@click.option("--yoy-ratio", type=float, default=0.5, show_default=True, help="Year-on-year change threshold (share).")
@click.option("--yoy-absolute", type=float, default=5.0, show_default=True,
              help="Year-on-year change threshold (units of the table, e.g. thousand persons).")
@click.option("--mirror-ratio", type=float, default=2.0, show_default=True, help="Mirror check: largest ratio accepted.")
@click.option("--limit", type=int, default=20, show_default=True, help="Findings shown per table on the terminal (0: all).")
def check_command(file, html_path, json_path, annotated, with_diff, context, use_store, yoy_ratio, yoy_absolute,
                  mirror_ratio, limit):
    """Check FILE against the rule catalogue (docs/validation.md) without loading it.

    Exit status: 0 no error, 1 errors found, 2 the file cannot be read.
    """
    from ..check import Settings, check_file, html, terminal
    from ..collect.registry import ReadError

    settings = Settings(yoy_ratio=yoy_ratio, yoy_absolute=yoy_absolute, mirror_ratio=mirror_ratio)
    if with_diff and use_store is False:
        raise click.UsageError("--diff needs the database: drop --no-store")
    store = with_diff or _store_wanted(use_store)
    with contextlib.ExitStack() as stack:
        conn = None
        if store:
            from .base import get_engine
            engine = get_engine()
            stack.callback(engine.dispose)
            conn = stack.enter_context(engine.connect())
        try:
            report = check_file(file, context=context, conn=conn, settings=settings, with_diff=with_diff)
        except ReadError as exc:
            click.echo(f"CANNOT READ: {exc}", err=True)
            sys.exit(2)
    click.echo(terminal.render(report, limit=limit or None))
    if html_path:
        html_path.write_text(html.render(report), encoding="utf-8")
        click.echo(f"HTML report: {html_path}")
    if json_path:
        json_path.write_text(json.dumps(report.as_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
        click.echo(f"JSON report: {json_path}")
    if annotated:
        from ..check.annotate import AnnotateError, annotate
        try:
            marked = annotate(report, file, annotated)
            click.echo(f"Annotated workbook: {annotated} ({marked} cells marked)")
        except AnnotateError as exc:
            click.echo(f"note: {exc}", err=True)
    sys.exit(0 if report.passed else 1)
