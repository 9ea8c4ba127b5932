"""Who is calling, and which accounts and conversations they may reach.

Callers prove who they are with `Authorization: Bearer <credential>`:

- an **API key** (one of `LIMIT_ASSISTANT_API_KEYS`, compared in constant time): a server-to-
  server caller; may name any account by `account_id` or send an `account` snapshot object;
- a **user token** (see `assistant.web.tokens`, signed with `LIMIT_ASSISTANT_SECRET`): an end
  user; reaches only the token's account — another `account_id` → 403, an `account` object →
  403, another account's conversation → 404;
- nobody, in **demo mode** (no secret): demo accounts only, by `account_id`. Demo mode keeps to
  demo accounts whoever calls, and refuses `account` objects.

A credential that is present but wrong is always 401, even in demo mode.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request

from assistant.services import Services
from assistant.store.records import ConversationRecord
from assistant.web.errors import ApiError
from assistant.web.tokens import InvalidToken, looks_like_token, verify_token
from tools.snapshot import Platform, Snapshot, parse_platform, parse_snapshot

CallerKind = Literal["api_key", "user", "anonymous"]
_BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Caller:
    kind: CallerKind
    rate_key: str
    account_id: str | None = None  # the user token's account


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def _matching_api_key(candidate: str, keys: frozenset[str]) -> str | None:
    """The configured key equal to `candidate`; every key is compared, in constant time."""
    wanted = _digest(candidate)
    found = None
    for key in sorted(keys):
        if hmac.compare_digest(wanted, _digest(key)):
            found = key
    return found


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers=_BEARER_CHALLENGE)


def authenticate(request: Request, services: Services) -> Caller:
    """The caller of `request`, or 401."""
    settings = services.settings
    header = request.headers.get("authorization")
    if header is None:
        if settings.demo_mode:
            host = request.client.host if request.client else "unknown"
            return Caller("anonymous", rate_key=f"ip:{host}")
        raise _unauthorized("credentials required: send Authorization: Bearer <API key or user token>")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise _unauthorized("Authorization must be 'Bearer <API key or user token>'")
    key = _matching_api_key(value, settings.api_key_set)
    if key is not None:
        return Caller("api_key", rate_key="key:" + hashlib.sha256(key.encode()).hexdigest()[:16])
    if settings.secret and looks_like_token(value):
        try:
            token = verify_token(value, settings.secret)
        except InvalidToken as exc:
            raise _unauthorized(str(exc)) from None
        return Caller("user", rate_key=f"user:{token.account_id}", account_id=token.account_id)
    raise _unauthorized("invalid API key or user token")


# -- accounts ---------------------------------------------------------------------------------


def may_reach(caller: Caller, services: Services, account_id: str) -> bool:
    """May `caller` read `account_id`'s data (checks, conversations)?"""
    if caller.kind == "user" or not services.settings.demo_mode:
        return _reaches(caller, services, account_id, is_demo=False)
    summary = services.store.accounts.summary(account_id)
    return _reaches(caller, services, account_id, is_demo=summary is not None and summary.is_demo)


def _reaches(caller: Caller, services: Services, account_id: str, *, is_demo: bool) -> bool:
    """The access rule itself, given whether the account is a stored demo account."""
    if caller.kind == "user":
        return caller.account_id == account_id
    if services.settings.demo_mode:
        return is_demo
    return caller.kind == "api_key"


def resolve_account(caller: Caller, services: Services, *, account_id: str | None,
                    account: dict[str, Any] | None) -> tuple[Snapshot, Platform | None]:
    """The snapshot (and stored platform) the request is about, after the access rules."""
    if account is not None:
        if caller.kind != "api_key" or services.settings.demo_mode:
            raise ApiError(403, "an `account` object is accepted from API-key callers only (not in demo mode)")
        if account_id is not None and account.get("account_id") != account_id:
            raise ApiError(422, "account_id does not match account.account_id", code="invalid_input")
        return parse_snapshot(account), None
    if caller.kind == "user":
        if account_id is not None and account_id != caller.account_id:
            raise ApiError(403, "this token can only reach its own account")
        account_id = caller.account_id
    if account_id is None:
        raise ApiError(422, "account_id: required (or a conversation_id that names the account)",
                       code="invalid_input")
    return load_reachable(caller, services, account_id)


def load_reachable(caller: Caller, services: Services, account_id: str) -> tuple[Snapshot, Platform | None]:
    """Load a stored account the caller may reach: 403 outside their reach, 404 if unknown.

    One read gives the snapshot, the platform and the demo flag the rule needs; outside the
    caller's reach an unknown account and a known one get the same 403.
    """
    stored = services.store.accounts.load(account_id)
    if not _reaches(caller, services, account_id, is_demo=stored is not None and stored.is_demo):
        if caller.kind == "anonymous" or services.settings.demo_mode:
            raise ApiError(403, "demo mode: only the demo accounts can be used")
        raise ApiError(403, "this caller cannot reach that account")
    if stored is None:
        raise ApiError(404, f"unknown account {account_id!r}")
    return parse_snapshot(stored.snapshot), parse_platform(stored.platform) if stored.platform else None


def reachable_conversation(caller: Caller, services: Services, conversation_id: str) -> ConversationRecord:
    """The conversation if the caller may read it; 404 otherwise (another account's looks unknown)."""
    record = services.store.conversations.get(conversation_id) if len(conversation_id) <= 64 else None
    if record is None or not may_reach(caller, services, record.account_id):
        raise ApiError(404, "no such conversation")
    return record
