"""The click group every command module attaches to, and helpers shared by commands."""
from __future__ import annotations

import contextlib
import sys

import click
from tqdm import tqdm

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ilms")
def main():
    """ILMS: International Labour Migration Statistics database.

    Tables are addressed by their number, 1 to 17 (`ilms tables` lists them). The database is
    chosen by ILMS_DATABASE_URL (default: an SQLite file in ./data). Commands that change data
    record who did it: --by NAME, or ILMS_ACTOR.
    """


by_option = click.option("--by", "by", metavar="NAME", envvar="ILMS_ACTOR",
                         help="Who is doing this (recorded with the change); default $ILMS_ACTOR or your login.")
reason_option = click.option("--reason", metavar="TEXT", help="Why (recorded with the change).")


def get_engine():
    from ..store.db import make_engine
    return make_engine()


def fail(message: str, code: int = 1):
    """Print an error on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@contextlib.contextmanager
def progress(total: int | None, desc: str, unit: str = "obs"):
    """A progress bar on stderr (hidden when stderr is not a terminal unless ILMS_PROGRESS=1)."""
    import os
    disable = not (sys.stderr.isatty() or os.environ.get("ILMS_PROGRESS") == "1")
    with tqdm(total=total, desc=desc, unit=unit, disable=disable, file=sys.stderr, leave=False) as bar:
        yield bar.update


def parse_years(spec: str | None) -> tuple[str | None, str | None]:
    """``2015:2024`` -> ("2015", "2024"); ``2020`` -> ("2020", "2020"); ``2015:`` -> ("2015", None)."""
    if not spec:
        return None, None
    start, sep, end = spec.partition(":")
    if not sep:
        end = start
    for part in (start, end):
        if part and not part.isdigit():
            raise click.BadParameter(f"{spec!r}: give years as YYYY or YYYY:YYYY", param_hint="--year")
    return start or None, end or None


def parse_list(spec: str | None) -> tuple[str, ...]:
    return tuple(p.strip().upper() for p in spec.split(",") if p.strip()) if spec else ()


def table_number(value) -> int:
    from ..tables import structure
    try:
        return structure().table(value).number
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="table") from None
