"""``ilms history``: every version of a cell, with who, when and why."""
from __future__ import annotations

import click

from ..tables import structure
from .base import fail, get_engine, main, parse_list, table_number


@main.command("history")
@click.option("--table", "table", required=True, help="Table number, 1-17.")
@click.option("--country", help="Reference area(s), e.g. THA or THA,VNM.")
@click.option("--year", "time", help="Reference period, e.g. 2020.")
@click.option("--key", "keys", multiple=True, metavar="DIM=CODE[,CODE]",
              help="Filter on any dimension, e.g. --key SEX=SEX_F --key DESTINATION=MYS.")
@click.option("--show-confidential", is_flag=True, help="Show confidential values (curators only).")
def history_command(table, country, time, keys, show_confidential):
    """Show every version of the selected cells of TABLE, oldest first."""
    t = structure().table(table_number(table))
    filters = {"REF_AREA": parse_list(country)} if country else {}
    for spec in keys:
        dim, sep, codes = spec.partition("=")
        if not sep or not t.has_dimension(dim.upper()):
            fail(f"--key {spec!r}: use DIM=CODE with DIM one of {', '.join(t.key_order)}", 2)
        filters[dim.upper()] = parse_list(codes)
    from ..store.read import history
    n = 0
    with get_engine().connect() as conn:
        last_cell = None
        for v in history(conn, t.number, filters, time, public=not show_confidential):
            obs = v["observation"]
            cell = (obs.key, obs.time)
            if cell != last_cell:
                click.echo(f"\n{t.id} {'.'.join(obs.key)} {obs.time}")
                last_cell = cell
            if v["deleted"]:
                what = "deleted"
            else:
                value = "(confidential)" if obs.value is None and obs.confidential else obs.value
                what = f"{value}" + (f" [{obs.status}]" if obs.status else "")
                if obs.comment:
                    what += f"  note: {obs.comment}"
            until = f"until changeset {v['valid_to']}" if v["valid_to"] else "current"
            click.echo(f"  {v['at']:%Y-%m-%d %H:%M:%S}  #{v['valid_from']:<5} {what:<28} "
                       f"by {v['actor']} ({v['kind']}{', ' + v['file'] if v['file'] else ''})"
                       f"{' - ' + v['reason'] if v['reason'] else ''}  [{until}]")
            n += 1
    if n == 0:
        click.echo("no versions match")
