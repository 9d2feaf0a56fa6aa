"""``ilms release build-downloads NAME``: (re)build the bulk download files of a published release."""
from __future__ import annotations

import time

import click

from .base import fail, get_engine, progress
from .release import release_group


def build_downloads(engine, name: str, root=None) -> dict:
    """Build with a progress bar (one step per table); prints a one-line summary."""
    from ..publish import bulk
    from ..tables import structure

    started = time.perf_counter()
    with progress(len(structure().tables), f"downloads {name}", unit="table") as tick:
        manifest = bulk.build(engine, name, root=root, progress=lambda _step: tick(1))
    size = sum(f["size"] for f in manifest["files"])
    click.echo(f"downloads of {name}: {len(manifest['files'])} files, {size / 1e6:.1f} MB in "
               f"{bulk.release_dir(name, root)} ({time.perf_counter() - started:.1f} s)")
    return manifest


@release_group.command("build-downloads")
@click.argument("name")
@click.option("--dir", "root", type=click.Path(file_okay=False), default=None,
              help="Downloads folder (default: ILMS_DATA_DIR/downloads).")
def release_build_downloads(name, root):
    """(Re)build the download files of published release NAME: every table as tidy CSV, XLSX,
    ILOSTAT CSV and SDMX-CSV, the whole database in one file, and manifest.json. The same
    release gives the same bytes."""
    from ..publish.bulk import BulkError
    try:
        build_downloads(get_engine(), name, root)
    except BulkError as exc:
        fail(str(exc))
