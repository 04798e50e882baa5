"""Staff sign-in: a shared secret exchanged for a signed session cookie that carries a CSRF token.

Why no session table: staff access is one secret (``FRONTDOOR_STAFF_TOKEN``)
shared by a small team, so a stateless cookie signed with a key derived from
that secret is enough, and changing the secret signs everyone out. The cookie
holds the display name used as the audit actor and a per-session CSRF token
that every staff form must send back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from core.text import MAX_STAFF_NAME_CHARS

__all__ = [
    "COOKIE_NAME", "MAX_AGE_SECONDS", "StaffSession", "clean_display_name", "csrf_ok",
    "new_session", "read_session", "sign_session", "token_ok",
]

COOKIE_NAME = "frontdoor_staff"
MAX_AGE_SECONDS = 12 * 60 * 60  # one working day; then sign in again
_VERSION = "v1"


@dataclass(frozen=True)
class StaffSession:
    """Who is signed in (as they named themselves) and the CSRF token of this session."""

    name: str
    csrf: str
    expires: int

    @property
    def actor(self) -> str:
        """The audit actor: marks a person on the staff pages, not the bot or the client."""
        return f"staff:{self.name}"


def token_ok(configured: str, given: str) -> bool:
    """Constant-time check of a sign-in attempt; an unset token never matches."""
    if not configured:
        return False
    return hmac.compare_digest(configured.encode("utf-8"), given.encode("utf-8"))


def clean_display_name(raw: str) -> str:
    """A name fit for the audit trail: printable, single line, trimmed to a sensible length."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_STAFF_NAME_CHARS]


def new_session(name: str, *, now: float | None = None) -> StaffSession:
    issued = time.time() if now is None else now
    return StaffSession(name=name, csrf=secrets.token_urlsafe(32), expires=int(issued) + MAX_AGE_SECONDS)


def _key(staff_token: str, session_secret: str) -> bytes:
    # Derived from the staff token, so rotating it ends every session; the session secret, when set, adds to it.
    return hmac.new(staff_token.encode("utf-8"), b"frontdoor-staff-session|" + session_secret.encode("utf-8"),
                    hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_session(session: StaffSession, *, staff_token: str, session_secret: str) -> str:
    payload = _b64(json.dumps({"n": session.name, "c": session.csrf, "e": session.expires},
                              separators=(",", ":")).encode("utf-8"))
    body = f"{_VERSION}.{payload}"
    signature = hmac.new(_key(staff_token, session_secret), body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def read_session(cookie: str | None, *, staff_token: str, session_secret: str,
                 now: float | None = None) -> StaffSession | None:
    """The session in a cookie, or None when it is missing, forged, from an old token, or expired."""
    if not cookie or not staff_token:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        return None
    body = f"{parts[0]}.{parts[1]}"
    try:
        expected = hmac.new(_key(staff_token, session_secret), body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(parts[2])):
            return None
        data = json.loads(_unb64(parts[1]))
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    name, csrf, expires = data.get("n"), data.get("c"), data.get("e")
    if not (isinstance(name, str) and name and isinstance(csrf, str) and csrf and isinstance(expires, int)):
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return StaffSession(name=name, csrf=csrf, expires=expires)


def csrf_ok(session: StaffSession, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(session.csrf.encode("utf-8"), (given or "").encode("utf-8"))
