from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.errors import UserInputError
from assistant.store.db import Store


def snapshot(account_id: str = "u-1", **extra: object) -> dict:
    return {
        "account_id": account_id,
        "as_of": "2026-11-20T10:00:00+08:00",
        "limit": {"total": 15000, "used": Decimal("13799.90"), "available": Decimal("1200.10")},
        "overdue": {"amount": Decimal("0.01"), "days": 1},
        **extra,
    }


def test_money_round_trips_exactly_as_decimal(store: Store) -> None:
    store.accounts.put("u-1", snapshot())
    stored = store.accounts.get("u-1")
    assert stored is not None
    available = stored["limit"]["available"]
    assert isinstance(available, Decimal) and available == Decimal("1200.10")
    assert stored["limit"]["used"] + available == stored["limit"]["total"]
    assert stored["overdue"]["amount"] == Decimal("0.01")
    assert stored["limit"]["total"] == 15000 and isinstance(stored["limit"]["total"], int)


def test_binary_float_money_is_read_back_as_the_decimal_it_shows(store: Store) -> None:
    store.accounts.put("u-1", snapshot(limit={"available": 0.1 + 0.2}))
    # 0.30000000000000004 is what the float is; it must not silently become 0.3 or vice versa.
    assert store.accounts.get("u-1")["limit"]["available"] == Decimal(repr(0.1 + 0.2))


def test_unknown_account_is_none(store: Store) -> None:
    assert store.accounts.get("nobody") is None
    assert store.accounts.get_platform("nobody") is None
    assert store.accounts.summary("nobody") is None


def test_put_replaces_and_list_is_sorted(store: Store) -> None:
    store.accounts.put("u-2", snapshot("u-2"), description="二号")
    store.accounts.put("u-1", snapshot("u-1"), description="一号", description_en="one")
    store.accounts.put(
        "u-1", snapshot("u-1", status="frozen"), description="一号（冻结）", description_en="one"
    )
    summaries = store.accounts.list()
    assert [s.account_id for s in summaries] == ["u-1", "u-2"]
    assert summaries[0].description == "一号（冻结）"
    assert summaries[0].describe("en") == "one"
    assert store.accounts.get("u-1")["status"] == "frozen"


def test_describe_falls_back_to_the_other_language(store: Store) -> None:
    store.accounts.put("u-1", snapshot(), description="仅中文")
    assert store.accounts.summary("u-1").describe("en") == "仅中文"


def test_platform_is_stored_beside_the_snapshot(store: Store) -> None:
    platform = {"maintenance": [], "funding_quota_remaining": Decimal("2000.50")}
    store.accounts.put("u-1", snapshot(), platform=platform, is_demo=True)
    assert store.accounts.get_platform("u-1") == platform
    assert store.accounts.list(demo_only=True)[0].is_demo


def test_delete(store: Store) -> None:
    store.accounts.put("u-1", snapshot())
    assert store.accounts.delete("u-1") is True
    assert store.accounts.delete("u-1") is False
    assert store.accounts.get("u-1") is None


@pytest.mark.parametrize("account_id", ["", "x" * 129])
def test_bad_account_id_is_user_input(store: Store, account_id: str) -> None:
    with pytest.raises(UserInputError):
        store.accounts.put(account_id, snapshot(account_id))


def test_snapshot_naming_another_account_is_refused(store: Store) -> None:
    with pytest.raises(UserInputError, match="does not match"):
        store.accounts.put("u-1", snapshot("u-2"))
