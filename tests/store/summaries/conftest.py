from __future__ import annotations

import pytest

from .sample import Sample, build


@pytest.fixture
def sample(engine) -> Sample:
    return build(engine)
