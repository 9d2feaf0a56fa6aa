"""Argon2id with argon2-cffi's cheapest parameters in these tests (real hashes, cheap to make)."""
import pytest


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    monkeypatch.setenv("ILMS_ARGON2_PROFILE", "CHEAPEST")
