"""The "API for this view" panel: the SDMX REST URL of the explorer's selection and ready-to-run
snippets for Python (pandas, sdmx1) and R (rsdmx). A test runs the Python snippets."""
from __future__ import annotations

from urllib.parse import urlencode

from ...tables import Table, structure
from .selection import State, sdmx_key


def sdmx_url(base: str, state: State, filters, fmt: str | None = None) -> str:
    params = {}
    if state.request.start:
        params["startPeriod"] = state.request.start
    if state.request.end:
        params["endPeriod"] = state.request.end
    if fmt:
        params["format"] = fmt
    path = f"{base.rstrip('/')}/rest/data/{structure().agency},{state.table.id},1.0/{sdmx_key(state.table, filters) or 'all'}"
    return path + ("?" + urlencode(params) if params else "")


def snippets(base: str, state: State, filters) -> dict[str, str]:
    table: Table = state.table
    agency = structure().agency
    csv_url = sdmx_url(base, state, filters, "csvfile")
    key = sdmx_key(table, filters)
    params = {k: v for k, v in (("startPeriod", state.request.start), ("endPeriod", state.request.end)) if v}
    return {
        "pandas": (
            "import pandas as pd\n\n"
            f"url = \"{csv_url}\"\n"
            "df = pd.read_csv(url)\n"
            "print(df[[\"REF_AREA\", \"TIME_PERIOD\", \"OBS_VALUE\"]].head())\n"),
        "sdmx1": (
            "import sdmx\n\n"
            f"sdmx.add_source({{\"id\": \"{agency}\", \"url\": \"{base.rstrip('/')}/rest\", \"name\": \"ILMS\"}}, override=True)\n"
            f"client = sdmx.Client(\"{agency}\")\n"
            f"msg = client.data(\"{table.id}\", key=\"{key}\", params={params!r})\n"
            "df = sdmx.to_pandas(msg)\n"
            "print(df.head())\n"),
        "rsdmx": (
            "library(rsdmx)\n\n"
            f"url <- \"{sdmx_url(base, state, filters)}\"\n"
            "df <- as.data.frame(readSDMX(url))\n"
            "head(df)\n"),
    }
