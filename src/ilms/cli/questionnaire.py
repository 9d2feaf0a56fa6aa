"""``ilms questionnaire``: write the Excel questionnaire of one country and reference year."""
from __future__ import annotations

import contextlib
from pathlib import Path

import click

from .base import fail, get_engine, main


def _database_exists() -> bool:
    """False for an SQLite file that does not exist yet (so that writing a blank questionnaire
    does not create an empty database as a side effect)."""
    from sqlalchemy.engine import make_url

    from ..store.db import database_url
    url = make_url(database_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return True
    return Path(url.database).exists()


@main.command("questionnaire")
@click.option("--country", required=True, metavar="ISO3", help="Reporting country (ISO 3166-1 alpha-3, e.g. THA).")
@click.option("--year", required=True, type=int, help="Reference year.")
@click.option("--prefill", is_flag=True,
              help="Fill in the published figures (latest published release; else current data).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the workbook (default COUNTRY_YEAR.xlsx).")
def questionnaire_command(country, year, prefill, output):
    """Write the ILMS Excel questionnaire for COUNTRY and YEAR (17 tables, instructions, metadata)."""
    from ..collect.questionnaire import QuestionnaireError, write_questionnaire
    country = country.strip().upper()
    output = output or Path(f"{country}_{year}.xlsx")
    with contextlib.ExitStack() as stack:
        conn = None
        if prefill or _database_exists():
            conn = stack.enter_context(get_engine().connect())
        try:
            written = write_questionnaire(output, conn, country, year, prefill=prefill)
        except QuestionnaireError as exc:
            fail(str(exc))
    click.echo(f"wrote {written.path}" + (f" (prefilled from {written.prefilled_from}: {written.cells} cells)"
                                          if prefill else ""))
    for message in written.left_out:
        click.echo(f"warning: not in the questionnaire: {message}", err=True)
