"""``ilms quality`` and ``ilms report``: the source-quality map and the analytical report of a
published release. Thin: ``ilms.analysis`` computes everything."""
from __future__ import annotations

from pathlib import Path

import click

from .base import fail, get_engine, main

release_option = click.option("--release", metavar="NAME", help="A published release (default: the latest).")
region_option = click.option("--region", metavar="ID", help="A region (default: the default region, e.g. ASEAN).")


@main.command("quality")
@release_option
@region_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx, FILE.csv or FILE.html")
def quality_command(release, region, output):
    """Write the source-quality map and gap analysis of a published release.

    For each country and table: sources, type, periodicity, migrant definition, classifications,
    years, breaks in series, completeness and comparability; then what each country does not
    report and which of its sources could fill it.
    """
    from ..analysis import quality, quality_files
    from ..analysis.vintage import AnalysisError
    from ..demo import DEMO_NOTICE
    if output.suffix.lower() not in quality_files.WRITERS and not output.name.endswith(".csv.gz"):
        fail(f"{output.name}: give a file ending in {', '.join(sorted(quality_files.WRITERS))}", 2)
    try:
        with get_engine().connect() as conn:
            qmap = quality.for_release(conn, release, region)
    except AnalysisError as exc:
        fail(f"{exc} (nothing written)")
    quality_files.write(output, qmap, DEMO_NOTICE if qmap.synthetic else None)
    click.echo(f"wrote {output}: {len(qmap.rows)} country x table rows, {len(qmap.gaps())} gaps "
               f"(release {qmap.release}, {qmap.region})")


@main.command("report")
@release_option
@region_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="report.html or report.pdf")
def report_command(release, region, output):
    """Write the analytical report of a published release: executive summary, stocks and the
    labour-market profile of migrants, inflows, nationals abroad and outflows, corridors (with
    UN DESA beside them), women migrants, sectors, occupations and wages, data quality with
    recommendations, methods, and one annex page per country. Every number is footnoted with the
    query and release it came from.
    """
    from ..analysis import report_content, report_files
    from ..analysis.vintage import AnalysisError
    from .base import progress
    if output.suffix.lower() not in report_files.FORMATS:
        fail(f"{output.name}: give a file ending in {', '.join(sorted(report_files.FORMATS))}", 2)
    try:
        with get_engine().connect() as conn, progress(None, "building the report", unit="step") as tick:
            report = report_content.build(conn, release, region, progress=lambda _step: tick(1))
        report_content.check_has_data(report)
    except AnalysisError as exc:
        fail(f"{exc} (nothing written)")
    report_files.write(report, output)
    click.echo(f"wrote {output}: release {report.release.name}, {report.region.id}, "
               f"{len(report.ledger.figures)} traced figures" + (f" ({report.notice})" if report.notice else ""))
