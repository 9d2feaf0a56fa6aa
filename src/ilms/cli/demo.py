"""``ilms demo``: load the synthetic demonstration dataset and publish it as a synthetic release."""
from __future__ import annotations

import time

import click

from .base import by_option, fail, get_engine, main, progress


@main.command("demo")
@click.option("--seed", default=1, show_default=True, type=click.IntRange(min=0),
              help="Seed of the generator: the same seed gives the same data and release checksum.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (and say so) when the database already holds observations.")
@by_option
def demo_command(seed, if_empty, by):
    """Load the synthetic demonstration dataset (17 tables, 11 ASEAN countries, 2010-2024) into an
    empty database and publish it as release demo-seed-SEED, marked synthetic.

    The numbers are invented: demonstration data — not official statistics.
    """
    from ..demo import DEMO_NOTICE
    from ..demo.load import DemoError, load, release_name
    from ..store import migrate, releases
    from ..store.changesets import actor
    from ..store.db import is_empty

    engine = get_engine()
    migrate.upgrade(engine)             # a database that was never created works too
    if not is_empty(engine):
        if if_empty:
            click.echo("the database already holds observations: demonstration data not loaded")
            return
        fail("the database already holds observations; the demonstration data only goes into an "
             "empty database (point ILMS_DATABASE_URL at a new one, or use --if-empty)")
    started = time.perf_counter()
    try:
        with progress(None, f"demo seed {seed}") as tick, engine.begin() as conn:
            loaded = load(conn, seed, by=actor(by), progress=tick)
    except (DemoError, releases.ReleaseError) as exc:
        fail(str(exc))
    r = loaded.release
    click.echo(f"loaded {loaded.summary.added} observations from {loaded.n_sources} sources in "
               f"{time.perf_counter() - started:.1f} s")
    click.echo(f"published release {release_name(seed)} (synthetic): {r.n_observations} public "
               f"observations, sha256 {r.checksum}")
    click.echo(f"note: {DEMO_NOTICE}")
