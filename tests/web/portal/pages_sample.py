"""The small hand-checked database of ``tests/store/summaries/sample.py`` behind a TestClient, for
the page tests of the country, corridor, availability, source, standard and search pages."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ilms.web import create_app
from tests.store.summaries.sample import build


@pytest.fixture
def sample_client(engine):
    sample = build(engine)
    client = TestClient(create_app(engine), headers={"accept": "text/html"})
    client.sample = sample
    return client
