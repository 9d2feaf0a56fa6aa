"""``ilms serve``: run the web application (JSON API) with uvicorn."""
from __future__ import annotations

import click

from .base import main


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--prebuild-downloads/--no-prebuild-downloads", default=True, show_default=True,
              help="Build the latest release's bulk downloads in the background at start.")
def serve_command(host, port, workers, log_level, prebuild_downloads):
    """Serve the ILMS web application: JSON API (/api/v1), SDMX REST (/rest), downloads, /status.

    The database is the one ILMS_DATABASE_URL names (run `ilms db upgrade` first); settings come
    from ILMS_WEB_* variables (see ilms.web.settings), size limits from ILMS_LIMIT_* (docs/limits.md).
    """
    import os

    import uvicorn
    os.environ.setdefault("ILMS_WEB_PREBUILD_DOWNLOADS", "1" if prebuild_downloads else "0")
    uvicorn.run("ilms.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level)
