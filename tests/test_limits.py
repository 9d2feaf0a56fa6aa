"""``ilms.limits``: every size limit in one object, from ``ILMS_LIMIT_*`` or the names used before."""
from __future__ import annotations

from dataclasses import fields

import pytest

from ilms.limits import LEGACY, Limits, setting


def test_defaults_and_the_canonical_variables():
    assert Limits.from_env({}) == Limits()
    assert Limits().upload_bytes == 20 * 1024 * 1024 and Limits().explorer_observations == 6000
    environ = {setting(f.name): str(1000 + i) for i, f in enumerate(fields(Limits))}
    assert [getattr(Limits.from_env(environ), f.name) for f in fields(Limits)] == \
        [1000 + i for i in range(len(fields(Limits)))]
    assert setting("api_observations") == "ILMS_LIMIT_API_OBSERVATIONS"


@pytest.mark.parametrize(("name", "raw", "field", "value"), [
    ("ILMS_WEB_MAX_UPLOAD_BYTES", "4096", "upload_bytes", 4096),
    ("ILMS_WEB_MAX_UPLOAD_MB", "5", "upload_bytes", 5_000_000),
    ("ILMS_QUESTIONNAIRE_MAX_MB", "0.02", "upload_bytes", 20_000),
    ("ILMS_QUESTIONNAIRE_MAX_CELLS", "300", "questionnaire_cells", 300),
    ("ILMS_WEB_MAX_QUERY_LENGTH", "300", "query_length", 300),
    ("ILMS_WEB_MAX_CODES", "50", "filter_codes", 50),
    ("ILMS_WEB_SDMX_MAX_OBSERVATIONS", "7", "sdmx_observations", 7),
])
def test_the_names_used_before_are_still_read(name, raw, field, value):
    assert getattr(Limits.from_env({name: raw}), field) == value
    assert any(n == name for n, _ in LEGACY[field])


def test_the_canonical_variable_wins_over_a_legacy_one():
    both = {"ILMS_LIMIT_UPLOAD_BYTES": "1234", "ILMS_WEB_MAX_UPLOAD_MB": "5", "ILMS_QUESTIONNAIRE_MAX_MB": "7"}
    assert Limits.from_env(both).upload_bytes == 1234
    assert Limits.from_env({"ILMS_WEB_MAX_UPLOAD_MB": "5", "ILMS_QUESTIONNAIRE_MAX_MB": "7"}).upload_bytes == 5_000_000


@pytest.mark.parametrize(("environ", "said"), [
    ({"ILMS_LIMIT_API_OBSERVATIONS": "many"}, "ILMS_LIMIT_API_OBSERVATIONS='many': expected a whole number"),
    ({"ILMS_WEB_MAX_UPLOAD_MB": "big"}, "ILMS_WEB_MAX_UPLOAD_MB='big': expected a whole number of megabytes"),
    ({"ILMS_LIMIT_QUERY_LENGTH": "0"}, "ILMS_LIMIT_QUERY_LENGTH='0': a limit must be positive"),
])
def test_a_bad_value_names_its_variable(environ, said):
    with pytest.raises(ValueError) as raised:
        Limits.from_env(environ)
    assert str(raised.value) == said


def test_the_web_settings_hold_the_same_limits():
    from ilms.web.settings import Settings
    s = Settings.from_env({"ILMS_LIMIT_API_OBSERVATIONS": "10", "ILMS_WEB_MAX_CODES": "3"})
    assert s.limits == Limits(api_observations=10, filter_codes=3)
