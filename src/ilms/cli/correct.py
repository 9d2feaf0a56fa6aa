"""``ilms correct``: revise or annotate one value without a re-upload."""
from __future__ import annotations

import click

from ..store import corrections
from ..store.changesets import actor
from ..store.write import StoreError
from ..tables import structure
from .base import by_option, fail, get_engine, main, table_number


@main.command("correct")
@click.option("--table", required=True, help="Table number, 1-17.")
@click.option("--key", required=True, metavar="CODES",
              help="The series key, codes joined by '.' in the table's key order "
                   "(see `ilms tables N`), e.g. THA.BA_453._Z.SEX_F.MYS")
@click.option("--year", "time", required=True, help="Reference period, e.g. 2020.")
@click.option("--value", type=float, help="The corrected value.")
@click.option("--flag", "status", help="Observation status code (CL_OBS_STATUS), e.g. B or E; '' clears it.")
@click.option("--note", "comment", help="A note on the value; '' clears it.")
@click.option("--confidential/--not-confidential", default=None, help="Mark or unmark the value as confidential.")
@click.option("--reason", required=True, help="Why (required, recorded with the revision).")
@by_option
def correct_command(table, key, time, value, status, comment, confidential, reason, by):
    """Correct or annotate one value; the old version stays in the history."""
    t = structure().table(table_number(table))
    codes = tuple(key.split("."))
    if len(codes) != len(t.key_order):
        fail(f"--key {key!r}: table {t.number} needs {len(t.key_order)} codes: {'.'.join(t.key_order)}", 2)
    for dim, code in zip(t.dimensions, codes):
        if code not in dim.codelist:
            fail(f"--key {key!r}: {code!r} is not a code of {dim.id} ({dim.codelist.id})", 2)
    if status and status not in structure().codelists["CL_OBS_STATUS"]:
        fail(f"--flag {status!r} is not an observation status (see CL_OBS_STATUS)", 2)
    changes = {}
    if value is not None:
        changes["value"] = value
    if status is not None:
        changes["status"] = status or None
    if comment is not None:
        changes["comment"] = comment or None
    if confidential is not None:
        changes["confidential"] = confidential
    if not changes:
        fail("nothing to change: give --value, --flag, --note or --confidential", 2)
    try:
        with get_engine().begin() as conn:
            summary = corrections.correct(conn, t.number, codes, time, by=actor(by), reason=reason, **changes)
    except StoreError as exc:
        fail(str(exc))
    click.echo(f"table {t.number} {key} {time}: {summary} (changeset {summary.changeset_id})")
