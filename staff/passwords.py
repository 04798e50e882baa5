"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended setting)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["MIN_PASSWORD_CHARS", "PasswordRejected", "check_new_password", "hash_password", "needs_rehash",
           "verify_password"]

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # hashing a megabyte per attempt would be a cheap denial of service
_HASHER = PasswordHasher()
# Verified when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("frontdoor-no-such-account")


class PasswordRejected(ValueError):
    """A new password that is too short or too long."""


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordRejected(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise PasswordRejected(f"a password may have at most {MAX_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, spends the same time and says no."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
