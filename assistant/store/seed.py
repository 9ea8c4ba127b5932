"""Demo accounts: loaded from `fixtures/demo_accounts.json` and seeded into the store.

Seeding is idempotent and cheap to re-run: the fixture's SHA-256 is remembered in `store_meta`,
so opening the store reads one row unless the file changed. Re-seeding overwrites demo rows
from the file, removes demo rows the file no longer has, and never touches an account that is
not flagged as a demo.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import ConfigError
from assistant.store import jsoncodec
from assistant.store.schema import Account, StoreMeta, utcnow
from assistant.store.transactions import transaction
from assistant.store.upsert import upsert

DEMO_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_accounts.json"
FIXTURE_HASH_KEY = "demo_fixture_sha256"


class DemoExpectation(BaseModel):
    """What the natural check of a demo account returns (read from the contract, by hand)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str
    amount: Any = None
    at: str | None = None
    reason_codes: list[str]
    allowed: bool
    max_amount_now: Any = None


class DemoAccount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str
    description_zh: str
    description_en: str
    snapshot: dict[str, Any]
    platform: dict[str, Any] | None = None
    expect: list[DemoExpectation] = Field(min_length=1)


def load_demo_accounts(path: Path = DEMO_FIXTURE) -> list[DemoAccount]:
    """Parse the fixture file (numbers with decimals as Decimal)."""
    try:
        raw = jsoncodec.loads(path.read_text(encoding="utf-8"))
        accounts = [DemoAccount.model_validate(entry) for entry in raw]
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(f"demo account fixture {path}: {exc}") from None
    for account in accounts:
        if account.snapshot.get("account_id") != account.account_id:
            raise ConfigError(f"demo account {account.account_id}: snapshot account_id differs")
    return accounts


def seed_demo_accounts(sessions: sessionmaker[Session], path: Path = DEMO_FIXTURE) -> int:
    """Write every demo account of the fixture; returns how many rows were written."""
    accounts = load_demo_accounts(path)
    now = utcnow()
    rows = [
        {
            "account_id": account.account_id,
            "snapshot": account.snapshot,
            "platform": account.platform,
            "is_demo": True,
            "description": account.description_zh,
            "description_en": account.description_en,
            "created_at": now,
            "updated_at": now,
        }
        for account in accounts
    ]
    updated = ["snapshot", "platform", "description", "description_en", "updated_at"]
    with transaction(sessions) as session:
        upsert(
            session,
            Account,
            rows,
            key=["account_id"],
            update=updated,
            where=Account.is_demo.is_(True),
        )
        # A demo account dropped from (or renamed in) the fixture must not linger in pickers.
        session.execute(
            delete(Account).where(
                Account.is_demo.is_(True),
                Account.account_id.not_in([account.account_id for account in accounts]),
            )
        )
        _remember_hash(session, _file_hash(path))
    return len(rows)


def ensure_demo_accounts(sessions: sessionmaker[Session], path: Path = DEMO_FIXTURE) -> bool:
    """Seed unless this exact fixture file was seeded already; True if it seeded."""
    with transaction(sessions) as session:
        seeded = session.scalar(select(StoreMeta.value).where(StoreMeta.key == FIXTURE_HASH_KEY))
    if seeded == _file_hash(path):
        return False
    seed_demo_accounts(sessions, path)
    return True


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ConfigError(f"cannot read the demo account fixture {path}: {exc}") from None


def _remember_hash(session: Session, digest: str) -> None:
    upsert(
        session,
        StoreMeta,
        [{"key": FIXTURE_HASH_KEY, "value": digest}],
        key=["key"],
        update=["value"],
    )
