"""``ilms source list|set``: the source catalogue."""
from __future__ import annotations

import click

from ..store import sources as catalogue
from .base import fail, get_engine, main, parse_list


@main.group("source")
def source_group():
    """The source catalogue: each country's surveys, censuses and registers."""


@source_group.command("list")
@click.option("--country", help="Only this reference area, e.g. THA.")
def source_list(country):
    """List the sources, by country."""
    with get_engine().connect() as conn:
        rows = catalogue.catalogue(conn, (parse_list(country) or (None,))[0])
    if not rows:
        click.echo("no sources")
    for r in rows:
        details = "; ".join(f"{f.replace('_', ' ')}: {r[f]}" for f in catalogue.FIELDS[2:] if r.get(f))
        click.echo(f"{r['ref_area']}  {r['code']:<14} [{r['type']}] {r['name']}" + (f"\n      {details}" if details else ""))


@source_group.command("set")
@click.argument("code")
@click.option("--country", required=True, help="Reference area, e.g. THA.")
@click.option("--name")
@click.option("--type", "type_", help="Source type (CL_SOURCE_TYPE: BA, AA, BB, XA, EA); default from the code.")
@click.option("--agency")
@click.option("--periodicity")
@click.option("--coverage")
@click.option("--migrant-definition", type=click.Choice(["place of birth", "citizenship"]))
@click.option("--reference-period")
@click.option("--classifications")
@click.option("--notes")
def source_set(code, country, type_, **fields):
    """Add source CODE (e.g. BA_453) or update its description."""
    values = {k: v for k, v in fields.items() if v is not None}
    if type_:
        values["type"] = type_
    try:
        with get_engine().begin() as conn:
            catalogue.upsert(conn, code, country.upper(), **values)
    except catalogue.SourceError as exc:
        fail(str(exc), 2)
    click.echo(f"source {code} saved")
