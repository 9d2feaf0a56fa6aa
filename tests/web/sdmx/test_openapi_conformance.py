"""schemathesis against the official SDMX REST OpenAPI definitions (v2.2.2 and v1.5.0, read from
../shared): no server error other than a deliberate 501, documented status codes and media types.

Bounded for CI (few examples per operation, a deadline per case); docs/sdmx-rest.md gives the
command for the long run against a running server.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from .test_clients import seed_all_tables  # noqa: E402

MAX_EXAMPLES = 5


def _run(shared_dir, sqlite_engine, name: str, base: str, include: str):
    from ilms.web import create_app
    seed_all_tables(sqlite_engine)
    app = create_app(sqlite_engine)
    schema = schemathesis.openapi.from_path(shared_dir / "sdmx-reference" / "sdmx-rest" / name)
    schema.config.update(base_url="http://127.0.0.1" + base)
    failures = []
    ran = 0
    for result in schema.include(path_regex=include).get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            nonlocal ran
            response = case.call(app=app)
            ran += 1
            if response.status_code >= 500 and response.status_code != 501:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            if response.status_code == 200:
                ctype = response.headers.get("content-type", [""])
                ctype = ctype[0] if isinstance(ctype, list) else ctype
                if not ctype.startswith("application/vnd.sdmx."):
                    failures.append(f"{case.formatted_path}: 200 with {ctype}")
        from hypothesis import given
        given(strategy)(check)()
    return ran, failures


def test_v2_2_2_data_structure_availability(shared_dir, sqlite_engine):
    ran, failures = _run(shared_dir, sqlite_engine, "sdmx-rest-v2.2.2.openapi.yaml", "/rest/v2",
                         r"^/(data|structure|availability)")
    assert ran > 0 and failures == []


def test_v1_5_0_data_and_structures(shared_dir, sqlite_engine):
    ran, failures = _run(shared_dir, sqlite_engine, "sdmx-rest-v1.5.0.openapi.yaml", "/rest",
                         r"^/(data|availableconstraint|dataflow|datastructure|codelist|conceptscheme)/")
    assert ran > 0 and failures == []
