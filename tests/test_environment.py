"""Checks that the machine running the tests has what the suite needs.

Under CI (CI=true) anything missing is a failure; elsewhere it is a skip with the reason,
so a developer without root can still run the rest of the suite.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES_FILE = ROOT / "scripts" / "system-packages.txt"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def listed_packages() -> list[str]:
    """Package names from scripts/system-packages.txt (one per line, '#' comments)."""
    names = []
    for line in PACKAGES_FILE.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            names.append(fields[0])
    return names


def dpkg_installed(package: str) -> bool:
    try:
        result = subprocess.run(
            ["dpkg", "-s", package],
            capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
        )
    except FileNotFoundError:  # not a Debian-like system
        return False
    return result.returncode == 0 and "Status: install ok installed" in result.stdout


def test_system_packages_file_lists_packages():
    assert listed_packages(), f"{PACKAGES_FILE} lists no package"


@pytest.mark.parametrize("package", listed_packages())
def test_system_package_installed(package):
    if dpkg_installed(package):
        return
    message = (
        f"Debian package {package!r} (scripts/system-packages.txt) is not installed; "
        "run `bash scripts/system-packages.sh` as root"
    )
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def test_postgres_url_set_in_ci():
    if not in_ci():
        pytest.skip("ILMS_TEST_POSTGRES_URL is required only under CI=true")
    url = os.environ.get("ILMS_TEST_POSTGRES_URL", "").strip()
    assert url, "CI=true but ILMS_TEST_POSTGRES_URL is not set (see .ci/run)"
    assert url.startswith("postgresql"), f"ILMS_TEST_POSTGRES_URL is not a PostgreSQL URL: {url!r}"
