"""TOTP second factor (RFC 6238, 30-second steps, one step of clock drift allowed)."""

from __future__ import annotations

import datetime as dt

import pyotp

__all__ = ["new_secret", "provisioning_uri", "verify_code"]

ISSUER = "Frontdoor staff"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def verify_code(secret: str | None, code: str, *, at: dt.datetime) -> bool:
    digits = "".join(code.split())
    if not secret or not (digits.isascii() and digits.isdigit() and len(digits) == 6):
        return False
    return pyotp.TOTP(secret).verify(digits, for_time=at, valid_window=1)
