"""Every router of the application, registered in one place; ``create_app`` includes them in order.

A feature (SDMX REST under /rest, portal pages) is a module with a ``router`` (a FastAPI
``APIRouter``) and one line here. Modules are imported when the app is built.
"""
from __future__ import annotations

import importlib

from fastapi import APIRouter

ROUTERS: tuple[str, ...] = (
    "ilms.web.portal.static",
    "ilms.web.portal.home",
    "ilms.web.portal.download",
    "ilms.web.portal.explorer",
    "ilms.web.portal.countries",
    "ilms.web.portal.corridors",
    "ilms.web.portal.availability",
    "ilms.web.portal.sources",
    "ilms.web.portal.indicators",
    "ilms.web.portal.standard",
    "ilms.web.portal.search",
    "ilms.web.api.health",
    "ilms.web.api.tables",
    "ilms.web.api.data",
    "ilms.web.api.releases",
    "ilms.web.api.sources",
    "ilms.web.api.indicators",
    "ilms.web.api.quality",
    "ilms.web.api.submissions",
    "ilms.web.redirects",
    "ilms.web.sdmx.router",
    "ilms.web.downloads.router",
    "ilms.web.downloads.status",
    "ilms.web.workflow.login",
    "ilms.web.workflow.collect",
    "ilms.web.workflow.curate",
    "ilms.web.workflow.admin",
)

#: OpenAPI tags, in the order the documentation shows them
TAGS = [
    {"name": "tables", "description": "The 17 ILMS tables: dimensions, codes, ILOSTAT indicators."},
    {"name": "data", "description": "Observations of one table, filtered, from a published release or as of a time; "
                                    "JSON or CSV, streamed whole."},
    {"name": "releases", "description": "Published releases: named, checksummed states of the data."},
    {"name": "sources", "description": "The source catalogue: surveys, censuses and registers by country."},
    {"name": "indicators", "description": "Indicators computed from a published release (declared in "
                                          "indicators.yaml): by country and for the region, with coverage."},
    {"name": "quality", "description": "The source-quality map and gap analysis of a published release."},
    {"name": "submissions", "description": "A focal point's questionnaire upload (API token or session) and its "
                                           "status and check report (see docs/accounts.md)."},
    {"name": "service", "description": "Health and status of the service."},
    {"name": "downloads", "description": "Bulk files of every published release (CSV, XLSX, ILOSTAT, SDMX-CSV), "
                                         "manifest, citation, changes, release calendar (see docs/downloads.md)."},
    {"name": "sdmx", "description": "SDMX REST v1 (1.5.0) under /rest/ and v2 (2.2.2) under /rest/v2/ "
                                    "(see docs/sdmx-rest.md)."},
]


def routers() -> list[APIRouter]:
    return [importlib.import_module(name).router for name in ROUTERS]
