"""``ilms db init|upgrade|status``: create and migrate the database."""
from __future__ import annotations

import click

from ..store import migrate
from ..store.db import backend, database_url, is_empty
from .base import get_engine, main


@main.group("db")
def db_group():
    """Create, migrate and inspect the database (ILMS_DATABASE_URL)."""


def _safe_url() -> str:
    from sqlalchemy.engine import make_url
    return make_url(database_url()).render_as_string(hide_password=True)


@db_group.command("init")
def db_init():
    """Create the database schema (same as upgrade on an empty database)."""
    engine = get_engine()
    migrate.upgrade(engine)
    click.echo(f"database ready at {_safe_url()} (revision {migrate.current(engine)})")


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(revision):
    """Apply the migrations the database lacks."""
    engine = get_engine()
    before = migrate.current(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current(engine)
    click.echo(f"{_safe_url()}: {before or 'empty'} -> {after}" if before != after
               else f"{_safe_url()}: already at {after}")


@db_group.command("status")
def db_status():
    """Show the database, its backend, schema revision and whether it holds data."""
    engine = get_engine()
    click.echo(f"database  {_safe_url()}")
    click.echo(f"backend   {backend(engine)}")
    click.echo(f"revision  {migrate.current(engine) or '(none: run ilms db upgrade)'}")
    click.echo(f"data      {'empty' if is_empty(engine) else 'holds observations'}")
