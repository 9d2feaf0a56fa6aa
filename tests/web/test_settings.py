import pytest

from ilms.web.settings import Settings


def test_settings_from_environment_parse_each_type():
    s = Settings.from_env({"ILMS_WEB_MAX_CODES": "50", "ILMS_WEB_PREBUILD_DOWNLOADS": "0",
                           "ILMS_WEB_DOWNLOADS_BUILD_WAIT": "1.5"})
    assert (s.limits.filter_codes, s.prebuild_downloads, s.downloads_build_wait) == (50, False, 1.5)
    assert Settings.from_env({"ILMS_WEB_PREBUILD_DOWNLOADS": "yes"}).prebuild_downloads is True
    with pytest.raises(ValueError, match="ILMS_WEB_PREBUILD_DOWNLOADS='maybe'"):
        Settings.from_env({"ILMS_WEB_PREBUILD_DOWNLOADS": "maybe"})


def test_home_page_points_to_every_table_and_the_latest_release(engine):
    from fastapi.testclient import TestClient

    from ilms.web.app import create_app
    with TestClient(create_app(engine)) as client:
        page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('scope="row"') == 17
    assert "No release has been published yet" in page.text
    assert '<html lang="en">' in page.text
