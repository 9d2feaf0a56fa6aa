"""Password and secret hashing with Argon2id (argon2-cffi's defaults, RFC 9106's recommendation)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify(stored: str | None, secret: str) -> bool:
    """Whether ``secret`` matches the stored hash (never raises for a wrong or malformed hash)."""
    if not stored:
        _hasher.hash(secret)        # the same cost whether or not the account exists
        return False
    try:
        return _hasher.verify(stored, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
