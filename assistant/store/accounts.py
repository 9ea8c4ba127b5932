"""Account snapshots by id: the account store the checks and the assistant read from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import UserInputError
from assistant.store.records import AccountSummary, StoredAccount
from assistant.store.schema import Account, utcnow
from assistant.store.transactions import affected_rows, core_transaction, transaction
from assistant.store.upsert import upsert

MAX_ACCOUNT_ID_LENGTH = 128
# Every chat turn reads its account: one fixed Core statement, compiled once.
_LOAD = select(Account.snapshot, Account.platform, Account.is_demo).where(Account.account_id == bindparam("account_id"))


def _check_account_id(account_id: str, snapshot: dict[str, Any]) -> None:
    if not account_id or len(account_id) > MAX_ACCOUNT_ID_LENGTH:
        raise UserInputError(f"account id must be 1 to {MAX_ACCOUNT_ID_LENGTH} characters")
    named = snapshot.get("account_id")
    if named is not None and named != account_id:
        raise UserInputError(f"snapshot account_id {named!r} does not match {account_id!r}")


class AccountRepository:
    """Snapshots are stored and returned as JSON dicts; non-integral numbers come back as
    `Decimal`, so `1200.10` stays exactly 1200.10 (a `Decimal`) through the store."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, account_id: str) -> dict[str, Any] | None:
        """The raw snapshot dict, or None if the id is unknown."""
        with transaction(self._sessions) as session:
            return session.scalar(select(Account.snapshot).where(Account.account_id == account_id))

    def load(self, account_id: str) -> StoredAccount | None:
        """Snapshot, platform and demo flag in one read (a chat turn needs all three)."""
        with core_transaction(self._sessions) as connection:
            row = connection.execute(_LOAD, {"account_id": account_id}).first()
            return StoredAccount(snapshot=row[0], platform=row[1], is_demo=bool(row[2])) if row else None

    def get_platform(self, account_id: str) -> dict[str, Any] | None:
        """The platform object a demo account is meant to be checked with, if it has one."""
        with transaction(self._sessions) as session:
            return session.scalar(select(Account.platform).where(Account.account_id == account_id))

    def summary(self, account_id: str) -> AccountSummary | None:
        """Id, descriptions and demo flag of one account (None if unknown)."""
        with transaction(self._sessions) as session:
            row = session.get(Account, account_id)
            return _summary(row) if row is not None else None

    def list(self, *, demo_only: bool = False) -> list[AccountSummary]:
        """Every account (or only the demo ones), ordered by id."""
        statement = select(Account).order_by(Account.account_id)
        if demo_only:
            statement = statement.where(Account.is_demo.is_(True))
        with transaction(self._sessions) as session:
            return [_summary(row) for row in session.scalars(statement)]

    def put(
        self,
        account_id: str,
        snapshot: dict[str, Any],
        *,
        is_demo: bool = False,
        description: str = "",
        description_en: str = "",
        platform: dict[str, Any] | None = None,
    ) -> None:
        """Insert or replace one account's snapshot and descriptions."""
        _check_account_id(account_id, snapshot)
        now = utcnow()
        row = {
            "account_id": account_id,
            "snapshot": snapshot,
            "platform": platform,
            "is_demo": is_demo,
            "description": description,
            "description_en": description_en,
            "created_at": now,
            "updated_at": now,
        }
        updated = ["snapshot", "platform", "is_demo", "description", "description_en"]
        with transaction(self._sessions) as session:
            upsert(
                session,
                Account,
                [row],
                key=["account_id"],
                update=[*updated, "updated_at"],
            )

    def delete(self, account_id: str) -> bool:
        """Remove one account; True if it existed."""
        with transaction(self._sessions) as session:
            result = session.execute(delete(Account).where(Account.account_id == account_id))
            return bool(affected_rows(result))


def _summary(row: Account) -> AccountSummary:
    return AccountSummary(
        account_id=row.account_id,
        description=row.description,
        description_en=row.description_en,
        is_demo=row.is_demo,
        updated_at=row.updated_at,
    )
