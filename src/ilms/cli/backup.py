"""``ilms backup FILE`` and ``ilms restore FILE``: a consistent online copy of the whole database."""
from __future__ import annotations

from pathlib import Path

import click

from .base import fail, get_engine, main


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file):
    """Write a consistent backup of the database to FILE, while it is in use.

    SQLite: SQLite's online backup API (one snapshot; loads and readers go on). PostgreSQL:
    pg_dump in its custom format (client tools at least as new as the server). FILE appears only
    once the backup is complete. `ilms restore FILE` puts it back.
    """
    from ..store.backup import BackupError, backup
    try:
        info = backup(get_engine(), file)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"backed up the {info.backend} database (schema revision {info.revision}) "
               f"to {click.format_filename(file)} ({_size(info.size)})")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace a database that holds data (otherwise only an empty database is restored into).")
def restore_command(file, replace):
    """Restore the database from FILE, a backup written by `ilms backup`: all of it or nothing.

    The backup must be of the same backend (SQLite or PostgreSQL). Run `ilms db upgrade` after
    restoring a backup of an older version.
    """
    from ..store.backup import BackupError, restore
    try:
        info = restore(get_engine(), file, replace=replace)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"restored {click.format_filename(file)} into the {info.backend} database "
               f"(schema revision {info.revision})")
