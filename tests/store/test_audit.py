from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from assistant.errors import UserInputError
from assistant.store.db import Store


def record(store: Store, account_id: str, conversation_id: str | None = None) -> int:
    return store.audit.record(
        account_id=account_id,
        action="borrow",
        request={"amount": Decimal(5000), "at": None},
        result={
            "allowed": False,
            "max_amount_now": Decimal(0),
            "trace": [
                {
                    "rule": "overdue_unpaid",
                    "inputs": {"overdue.amount": Decimal("1200.10")},
                    "outcome": "OVERDUE_UNPAID",
                }
            ],
        },
        policy_version="2026.11",
        conversation_id=conversation_id,
    )


def test_record_and_export_since(store: Store) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    ids = [record(store, "demo-overdue", "c-1"), record(store, "demo-healthy")]
    entries = list(store.audit.since(before))
    assert [e.id for e in entries] == ids
    assert entries[0].result["trace"][0]["inputs"]["overdue.amount"] == Decimal("1200.10")
    assert entries[0].policy_version == "2026.11" and entries[0].conversation_id == "c-1"
    assert entries[1].conversation_id is None


def test_since_filters_by_time_in_any_offset(store: Store) -> None:
    record(store, "u-1")
    later = datetime.now(timezone(timedelta(hours=8))) + timedelta(minutes=1)
    assert list(store.audit.since(later)) == []
    earlier = later - timedelta(hours=1)
    assert len(list(store.audit.since(earlier))) == 1
    assert list(store.audit.since(earlier, end=earlier + timedelta(minutes=1))) == []


def test_since_needs_an_aware_time(store: Store) -> None:
    with pytest.raises(UserInputError):
        list(store.audit.since(datetime(2026, 11, 20)))


def test_export_streams_many_entries(store: Store) -> None:
    start = datetime.now(UTC) - timedelta(seconds=1)
    for n in range(1203):
        record(store, f"u-{n}")
    assert sum(1 for _ in store.audit.since(start)) == 1203
