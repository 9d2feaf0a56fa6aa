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
def serve_command(host, port, workers, log_level):
    """Serve the ILMS web application: the JSON API under /api/v1, /health and /openapi.json.

    The database is the one ILMS_DATABASE_URL names (run `ilms db upgrade` first); limits come
    from ILMS_WEB_* variables (see ilms.web.settings).
    """
    import uvicorn
    uvicorn.run("ilms.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level)
