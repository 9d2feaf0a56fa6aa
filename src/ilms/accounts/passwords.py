"""Password and secret hashing with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory
recommendation). ``ILMS_ARGON2_PROFILE`` names another of argon2-cffi's profiles; the test suite
uses ``CHEAPEST`` (still Argon2id, a thousand times cheaper) -- never set it in production."""
from __future__ import annotations

import os
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10


@lru_cache(maxsize=None)
def _hasher_for(profile: str) -> PasswordHasher:
    if profile == "default":
        return PasswordHasher()
    if not profile.isupper() or not hasattr(profiles, profile):
        raise ValueError(f"ILMS_ARGON2_PROFILE={profile!r}: not a profile of argon2.profiles")
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    return _hasher_for(os.environ.get("ILMS_ARGON2_PROFILE") or "default")


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify(stored: str | None, secret: str) -> bool:
    """Whether ``secret`` matches the stored hash (never raises for a wrong or malformed hash)."""
    if not stored:
        _hasher().hash(secret)      # the same cost whether or not the account exists
        return False
    try:
        return _hasher().verify(stored, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
