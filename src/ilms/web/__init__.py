"""The web application: JSON API (``/api/v1``), and later SDMX REST and portal pages (see ``routes``)."""
from .app import create_app

__all__ = ["create_app"]
