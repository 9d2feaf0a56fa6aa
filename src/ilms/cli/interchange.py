"""``ilms load``, ``ilms export`` and ``ilms fetch ilostat``: data in and out in ILOSTAT's formats."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..store.changesets import actor
from .base import (by_option, fail, get_engine, main, parse_list, parse_years, progress, reason_option,
                   table_number)


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "format_", metavar="NAME", help="The file format (default: detected), e.g. ilostat-csv.")
@click.option("--skip-unknown-indicators", is_flag=True,
              help="Skip rows of indicators that are not ILMS indicators (counted), instead of refusing the file.")
@click.option("--source", metavar="TYPE:ID", help="Source of data whose file names none (ILO SDMX-CSV), e.g. BA:453.")
@click.option("--no-check", "check", flag_value=False, default=True,
              help="Do not validate what is loaded (faster for very large files).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the validation report (JSON) here.")
@by_option
@reason_option
def load_command(files, format_, skip_unknown_indicators, source, check, report_path, by, reason):
    """Load files: ILOSTAT bulk CSV (plain or gzipped) or any registered format.

    Each file is loaded whole or not at all; the command stops at the first refused file. What
    is loaded is validated and the findings are recorded with the change: published data is
    loaded as published, never refused for its findings (`ilms check` validates without loading).
    """
    from ..collect.load import LoadRefused, load_file
    engine = get_engine()
    loaded: list[str] = []
    options = {"skip_unknown_indicators": skip_unknown_indicators}
    if source:
        options["source"] = source
    for i, path in enumerate(files):
        try:
            with progress(None, f"loading {click.format_filename(path)}") as advance:
                result = load_file(engine, path, by=actor(by), reason=reason, format=format_,
                                   progress=advance, check=check, **options)
        except LoadRefused as exc:
            click.echo(f"error: {exc}", err=True)
            click.echo(f"refused: {click.format_filename(path)} (nothing of it was loaded)", err=True)
            click.echo("loaded before it: " + (", ".join(loaded) if loaded else "none"), err=True)
            rest = files[i + 1:]
            if rest:
                click.echo("not attempted: " + ", ".join(rest), err=True)
            sys.exit(1)
        loaded.append(click.format_filename(path))
        click.echo(f"{result} [{result.format}]")
        if result.report is not None:
            r = result.report
            click.echo(f"  checked: {r.verdict}" + (f" (recorded with changeset {result.summary.changeset_id}; "
                                                      "`ilms check FILE` shows them)" if r.findings else ""))
            if report_path:
                import json
                target = report_path if len(files) == 1 else report_path.with_name(
                    f"{report_path.stem}-{i + 1}{report_path.suffix}")
                target.write_text(json.dumps(r.as_dict(), indent=1, ensure_ascii=False), encoding="utf-8")


def _cut(conn, release: str | None, as_of: str | None) -> tuple[int | None, str]:
    """The changeset cut to export and a sentence saying what it is."""
    from ..store import changesets, releases
    if release and as_of:
        fail("give --release or --as-of, not both", 2)
    if release:
        found = releases.get(conn, release)
        if found is None:
            fail(f"no release named {release!r}", 2)
        state = "published" if found.published else "NOT published"
        return found.cut, f"release {found.name} ({state}, changeset {found.cut})"
    if as_of:
        try:
            when = dt.datetime.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of {as_of!r}: give an ISO date or date-time, e.g. 2025-06-30T12:00", 2)
        cut = changesets.cut_at(conn, when)
        return cut, f"data as of {as_of} (changeset {cut})"
    latest = releases.latest_published(conn)
    if latest is not None:
        return latest.cut, f"latest published release {latest.name} (changeset {latest.cut})"
    return None, "current data (no release has been published)"


@main.command("export")
@click.option("--table", "table", required=True, help="Table number, 1-17.")
@click.option("--format", "format_", type=click.Choice(["ilostat", "csv"]), default="ilostat", show_default=True,
              help="ilostat: ILOSTAT bulk-download layout; csv: tidy CSV with labels.")
@click.option("--country", help="Reference area(s), e.g. THA or THA,VNM.")
@click.option("--year", "years", help="Years, e.g. 2020 or 2015:2024.")
@click.option("--release", metavar="NAME", help="Export this release.")
@click.option("--as-of", "as_of", metavar="ISO-DATETIME", help="Export the data as they were then.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file (.gz: gzipped); - for standard output.")
def export_command(table, format_, country, years, release, as_of, output):
    """Export one table as ILOSTAT CSV or tidy CSV (default: the latest published release, else current data)."""
    from ..publish import ilostat, tidy
    from ..store import sources
    from ..store.read import Selection, observations
    number = table_number(table)
    start, end = parse_years(years)
    filters = {"REF_AREA": parse_list(country)} if country else {}
    with get_engine().connect() as conn:
        cut, what = _cut(conn, release, as_of)
        click.echo(f"exporting table {number}: {what}", err=True)
        selection = Selection(table=number, filters=filters, start=start, end=end, cut=cut)
        rows = observations(conn, selection, public=True)
        target = sys.stdout if output == "-" else output
        gzip = None if output != "-" else False
        if format_ == "ilostat":
            n = ilostat.write(target, rows, tables=[number], gzip=gzip)
        else:
            names = {s["code"]: s["name"] for s in sources.catalogue(conn)}
            n = tidy.write(target, number, rows, source_names=names, gzip=gzip)
    click.echo(f"wrote {n} observations to {'standard output' if output == '-' else output}", err=True)


@main.group("fetch")
def fetch_group():
    """Fetch data from other services."""


@fetch_group.command("ilostat")
@click.option("--country", required=True, help="Reference area, e.g. THA.")
@click.option("--table", "table", required=True, help="Table number, 1-17.")
@click.option("--year", "years", help="Years, e.g. 2015:2024.")
@click.option("--source", metavar="TYPE:ID",
              help="Source to file the data under when the ILO names its source only by name, e.g. BA:453.")
@click.option("--base-url", default=None, metavar="URL", help="The ILO SDMX REST service (default https://sdmx.ilo.org/rest).")
@by_option
@reason_option
def fetch_ilostat_command(country, table, years, source, base_url, by, reason):
    """Download TABLE's ILMS indicators for COUNTRY from the ILO's SDMX service and load them."""
    from ..collect.fetch import ILO_SDMX, FetchError, fetch_ilostat
    from ..collect.load import LoadRefused
    number = table_number(table)
    countries = parse_list(country)
    if len(countries) != 1:
        fail("--country takes one reference area", 2)
    start, end = parse_years(years)
    try:
        with progress(None, f"fetching table {number} {countries[0]}") as advance:
            result = fetch_ilostat(get_engine(), number, countries[0], by=actor(by), reason=reason,
                                   base_url=base_url or ILO_SDMX, source=source, start=start, end=end,
                                   progress=advance)
    except (FetchError, LoadRefused) as exc:
        fail(f"{exc} (nothing was loaded)")
    for d in result.downloads:
        click.echo(f"{d.indicator}: {'no data' if d.body is None else f'{len(d.body)} bytes'} from {d.url}")
    if result.load is None:
        click.echo(f"the ILO has no data for table {number}, {countries[0]}: nothing loaded")
    else:
        click.echo(str(result.load))
