"""Signed user tokens: one account, one expiry, HMAC-SHA256 with the deployment secret.

Format (four dot-separated fields, URL-safe, no padding):

    lat1.<base64url(account_id)>.<expiry as Unix seconds>.<base64url(HMAC-SHA256(secret, "lat1.<b64 account>.<expiry>"))>

The signature covers the version, the account id and the expiry, so changing any of them
breaks it. Verification compares in constant time and rejects an expired token. The secret is
used as is (UTF-8); rotating it invalidates every token issued before.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass

TOKEN_VERSION = "lat1"
DEFAULT_TTL_SECONDS = 3600
MAX_TOKEN_CHARS = 1024


class InvalidToken(Exception):
    """The token is malformed, forged, tampered with or expired (HTTP 401)."""


@dataclass(frozen=True)
class UserToken:
    account_id: str
    expires_at: int


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def looks_like_token(value: str) -> bool:
    """True when `value` has the shape of a user token (it may still be invalid)."""
    return value.startswith(TOKEN_VERSION + ".")


def mint_token(account_id: str, secret: str, *, ttl_seconds: int = DEFAULT_TTL_SECONDS,
               now: float | None = None) -> str:
    """A token that lets its bearer read `account_id` for `ttl_seconds` from `now`."""
    if not secret:
        raise ValueError("a secret is needed to sign user tokens")
    if ttl_seconds <= 0:
        raise ValueError("ttl must be positive")
    expires_at = int(now if now is not None else time.time()) + ttl_seconds
    payload = f"{TOKEN_VERSION}.{_b64(account_id.encode())}.{expires_at}"
    return f"{payload}.{_signature(secret, payload)}"


def verify_token(token: str, secret: str, *, now: float | None = None) -> UserToken:
    """The account and expiry of a valid token; InvalidToken otherwise."""
    if not secret or len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken("invalid user token")
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != TOKEN_VERSION:
        raise InvalidToken("invalid user token")
    payload = ".".join(parts[:3])
    if not hmac.compare_digest(_signature(secret, payload), parts[3]):
        raise InvalidToken("invalid user token")
    try:
        account_id = _unb64(parts[1]).decode("utf-8")
        expires_at = int(parts[2])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidToken("invalid user token") from None
    if expires_at <= (now if now is not None else time.time()):
        raise InvalidToken("user token expired")
    return UserToken(account_id=account_id, expires_at=expires_at)
