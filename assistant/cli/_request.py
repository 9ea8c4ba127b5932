"""What `check` and `ask` both read from the command line: the account, its platform, the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.accounts import load_account, load_platform, looks_like_path
from assistant.services import Services
from tools.inputs import parse_time
from tools.snapshot import Platform, Snapshot


@dataclass(frozen=True)
class AccountRequest:
    snapshot: Snapshot
    platform: Platform | None  # --platform if given, else the platform stored with the account
    at: datetime | None


def resolve_request(account: str, at: str | None, platform_file: str | None, services: Services) -> AccountRequest:
    """Validate the time and platform before touching the store; open the store only for an id."""
    request_time = parse_time(at) if at is not None else None
    explicit_platform = load_platform(platform_file)
    snapshot, stored_platform = load_account(account, None if looks_like_path(account) else services.store)
    return AccountRequest(snapshot, explicit_platform or stored_platform, request_time)
