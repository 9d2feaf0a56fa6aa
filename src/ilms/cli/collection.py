"""Collection: ``ilms submit``, ``ilms submission list|show|accept|return``, ``ilms round open|status|close``."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..collect import rounds, submissions
from ..store.changesets import actor
from .base import by_option, fail, get_engine, main, parse_list


@main.command("submit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_name", help="The collection round (default: the open round asking for "
                                            "this country and year, if any).")
@by_option
def submit_command(file, round_name, by):
    """Submit a filled questionnaire (a focal point's path): it is kept, checked and awaits a curator.

    Exit status: 0 checked without errors, 1 checked with errors, 2 unreadable (kept and returned).
    """
    from ..check import terminal
    try:
        with get_engine().begin() as conn:
            result = submissions.submit(conn, file, by=actor(by), round_name=round_name)
    except submissions.SubmissionError as exc:
        fail(str(exc), 2)
    if result.read_error:
        click.echo(f"submission #{result.id}: RETURNED, the file cannot be read: {result.read_error}", err=True)
        sys.exit(2)
    click.echo(f"submission #{result.id} for {result.ref_area} {result.year}: {result.status}")
    click.echo(terminal.render(result.report, limit=20))
    sys.exit(0 if result.report.passed else 1)


@main.group("submission")
def submission_group():
    """Submissions: list, show, accept or return them (curators)."""


@submission_group.command("list")
@click.option("--country")
@click.option("--status", type=click.Choice([submissions.RECEIVED, submissions.CHECKED, submissions.RETURNED,
                                             submissions.ACCEPTED, submissions.PUBLISHED]))
@click.option("--round", "round_name")
def submission_list(country, status, round_name):
    """List submissions, oldest first."""
    with get_engine().connect() as conn:
        rows = submissions.listing(conn, ref_area=(parse_list(country) or (None,))[0], status=status,
                                   round_name=round_name)
    if not rows:
        click.echo("no submissions")
    for r in rows:
        click.echo(f"#{r.id:<5} {r.ref_area or '?':<4} {r.year or '?':<5} {r.status:<10} "
                   f"{r.n_errors:>3} errors {r.n_warnings:>3} warnings  {r.file_name}  "
                   f"{r.submitted_at:%Y-%m-%d %H:%M} by {r.submitted_by}")


@submission_group.command("show")
@click.argument("sub_id", type=int)
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the stored check report (JSON) here.")
@click.option("--file", "file_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the file as it was sent here.")
def submission_show(sub_id, report_path, file_path):
    """Show one submission: its state, history and check verdict."""
    with get_engine().connect() as conn:
        try:
            row = submissions.get(conn, sub_id)
        except submissions.SubmissionError as exc:
            fail(str(exc), 2)
        steps = submissions.events(conn, sub_id)
    click.echo(f"submission #{row.id}: {row.ref_area} {row.year}, {row.status}")
    click.echo(f"  file      {row.file_name} ({len(row.file_content)} bytes, sha256 {row.file_sha256[:16]}…, {row.format})")
    click.echo(f"  checked   {row.n_errors} errors, {row.n_warnings} warnings; {row.n_observations} observations")
    if row.override_reason:
        click.echo(f"  override  {row.override_reason}")
    if row.release_name:
        click.echo(f"  release   {row.release_name}")
    for e in steps:
        click.echo(f"  {e.at:%Y-%m-%d %H:%M}  {e.from_status or '-':>9} -> {e.to_status:<9} by {e.actor}"
                   + (f": {e.comment}" if e.comment else ""))
    if report_path:
        report_path.write_text(row.report or "{}", encoding="utf-8")
    if file_path:
        file_path.write_bytes(row.file_content)


@submission_group.command("accept")
@click.argument("sub_id", type=int)
@click.option("--override-reason", help="Accept despite errors, for this recorded reason.")
@click.option("--comment")
@by_option
def submission_accept(sub_id, override_reason, comment, by):
    """Accept a checked submission: its values are loaded (all or nothing)."""
    try:
        with get_engine().begin() as conn:
            summary = submissions.accept(conn, sub_id, by=actor(by), override_reason=override_reason,
                                         comment=comment)
    except submissions.SubmissionError as exc:
        fail(str(exc))
    click.echo(f"submission #{sub_id} accepted: {summary}")


@submission_group.command("return")
@click.argument("sub_id", type=int)
@click.option("--comment", required=True, help="What the focal point must fix.")
@by_option
def submission_return(sub_id, comment, by):
    """Return a submission to the focal point with comments (the file and report are kept)."""
    try:
        with get_engine().begin() as conn:
            submissions.return_(conn, sub_id, by=actor(by), comment=comment)
    except submissions.SubmissionError as exc:
        fail(str(exc))
    click.echo(f"submission #{sub_id} returned")


@main.group("round")
def round_group():
    """Collection rounds: open one, follow it on the dashboard, close it."""


@round_group.command("open")
@click.argument("name")
@click.option("--year", "years", type=int, multiple=True, required=True, help="Reference year (repeatable).")
@click.option("--deadline", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--countries", default="ASEAN", show_default=True, help="Country codes or a region id.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the questionnaires here (one per country and year).")
@click.option("--no-prefill", is_flag=True, help="Blank questionnaires, even where data exists.")
@by_option
def round_open(name, years, deadline, countries, out_dir, no_prefill, by):
    """Open collection round NAME and write the countries' questionnaires."""
    try:
        with get_engine().begin() as conn:
            written = rounds.open_round(conn, name, years=list(years), deadline=deadline.date(),
                                        countries=rounds.resolve_countries(countries), by=actor(by),
                                        out_dir=out_dir, prefill=not no_prefill)
    except rounds.RoundError as exc:
        fail(str(exc), 2)
    click.echo(f"round {name} opened" + (f"; {len(written)} questionnaires in {out_dir}" if out_dir else ""))


@round_group.command("status")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def round_status(name, as_json):
    """The round dashboard: per country, state, missing tables and days overdue."""
    try:
        with get_engine().connect() as conn:
            row, countries = rounds.status(conn, name)
    except rounds.RoundError as exc:
        fail(str(exc), 2)
    if as_json:
        click.echo(json.dumps({"round": row.name, "deadline": row.deadline.date().isoformat(),
                               "closed": row.closed_at is not None,
                               "countries": [c.__dict__ for c in countries]}, indent=1))
        return
    click.echo(f"round {row.name}: years {row.years}, deadline {row.deadline:%Y-%m-%d}"
               + (", closed" if row.closed_at else ""))
    for c in countries:
        missing = "; ".join(f"{y}: {len(t)} of 17 missing" + (f" ({','.join(map(str, t))})" if 0 < len(t) < 17 else "")
                            for y, t in c.missing.items())
        late = f"  OVERDUE {c.overdue_days} days" if c.overdue_days else ""
        click.echo(f"  {c.country}  {c.state:<12} {missing}{late}")


@round_group.command("close")
@click.argument("name")
@by_option
def round_close(name, by):
    """Close collection round NAME."""
    try:
        with get_engine().begin() as conn:
            rounds.close_round(conn, name, by=actor(by))
    except rounds.RoundError as exc:
        fail(str(exc), 2)
    click.echo(f"round {name} closed")
