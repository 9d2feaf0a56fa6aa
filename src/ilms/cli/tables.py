"""``ilms tables [N]``: the 17 tables, or one in detail."""
from __future__ import annotations

import click

from ..tables import structure
from .base import main, table_number


@main.command("tables")
@click.argument("number", required=False)
def tables_command(number):
    """List the 17 ILMS tables, or show table NUMBER in detail."""
    s = structure()
    if number is None:
        for t in s.tables.values():
            click.echo(f"{t.number:>2}  {t.module}  {t.title}  [{t.id}]")
        return
    t = s.table(table_number(number))
    click.echo(f"Table {t.number}: {t.title}")
    click.echo(f"  module        {t.module} ({s.modules[t.module]})")
    click.echo(f"  dataflow      {s.agency}:{t.id}   structure {t.dsd_id}")
    click.echo(f"  measure       {t.measure}; unit: {t.unit.label}")
    click.echo(f"  key order     {'.'.join(t.key_order)} (then TIME_PERIOD)")
    click.echo("  dimensions")
    for d in t.dimensions:
        cl = d.codelist
        size = "open: from the source catalogue" if cl.open else f"{len(cl)} codes"
        req = t.required.get(d.id)
        click.echo(f"    {d.id:<12} {d.name} ({cl.id}, {size})"
                   + (f"; required: {', '.join(req)}" if req and len(req) <= 8 else
                      f"; required: {len(req)} codes" if req else ""))
    click.echo(f"  required cells per country, source and year: {t.required_cells()}")
    click.echo("  ILOSTAT indicators")
    for m in t.ilostat:
        fixed = ", ".join(f"{k}={v}" for k, v in m.fixed.items())
        classifs = ", ".join(f"classif{i}={c.dimension}" + (f" ({c.prefix}*)" if c.prefix else "")
                             for i, c in enumerate(m.classifs, 1))
        click.echo(f"    {m.indicator:<26} {fixed}; {classifs}")
