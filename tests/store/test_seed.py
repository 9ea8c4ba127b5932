from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings
from assistant.store.db import Store
from assistant.store.seed import (
    DEMO_FIXTURE,
    ensure_demo_accounts,
    load_demo_accounts,
    seed_demo_accounts,
)


def test_first_open_seeds_every_demo_account(demo_store: Store) -> None:
    demo = load_demo_accounts()
    listed = demo_store.accounts.list(demo_only=True)
    assert [s.account_id for s in listed] == sorted(d.account_id for d in demo)
    overdue = demo_store.accounts.get("demo-overdue")
    assert overdue["overdue"] == {"amount": 1200, "days": 5, "count_12m": 1}
    assert demo_store.accounts.get_platform("demo-funding-quota") == {
        "maintenance": [],
        "funding_quota_remaining": 200,
    }
    assert demo_store.accounts.summary("demo-overdue").description_en == "1,200 overdue for 5 days"


def test_seeding_is_idempotent(demo_store: Store, db_settings: Settings) -> None:
    assert ensure_demo_accounts(demo_store.sessions) is False  # same file: nothing to do
    before = demo_store.accounts.list()
    assert seed_demo_accounts(demo_store.sessions) == len(before)
    with Store.open(db_settings) as reopened:
        assert [s.account_id for s in reopened.accounts.list()] == [s.account_id for s in before]


def test_reseeding_updates_demo_rows_and_never_touches_others(
    db_settings: Settings, tmp_path: Path
) -> None:
    with Store.open(db_settings, seed_demo=False) as store:
        # A real account that happens to use a demo id, and an unrelated real account.
        store.accounts.put(
            "demo-healthy", {"account_id": "demo-healthy", "mine": True}, description="real"
        )
        store.accounts.put("u-real", {"account_id": "u-real"}, description="real")
    with Store.open(db_settings) as store:
        assert store.accounts.get("demo-healthy") == {"account_id": "demo-healthy", "mine": True}
        assert store.accounts.summary("demo-healthy").is_demo is False
        assert store.accounts.get("demo-overdue")["overdue"]["amount"] == 1200

    entries = [
        e
        for e in json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
        if e["account_id"] != "demo-age"
    ]
    for entry in entries:
        if entry["account_id"] == "demo-overdue":
            entry["snapshot"]["overdue"]["amount"] = 1300.5
            entry["description_en"] = "1,300.50 overdue"
    changed = tmp_path / "demo_accounts.json"
    changed.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    with Store.open(db_settings, fixture=changed) as store:
        assert str(store.accounts.get("demo-overdue")["overdue"]["amount"]) == "1300.5"
        assert store.accounts.summary("demo-overdue").description_en == "1,300.50 overdue"
        assert store.accounts.get("demo-healthy") == {"account_id": "demo-healthy", "mine": True}
        assert store.accounts.get("u-real") == {"account_id": "u-real"}
        assert store.accounts.get("demo-age") is None  # dropped from the fixture
        assert len(store.accounts.list(demo_only=True)) == len(entries) - 1  # demo-healthy is real


def test_a_broken_fixture_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"account_id": "x"}]', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_demo_accounts(broken)
    with pytest.raises(ConfigError):
        Store.open(Settings(data_dir=tmp_path), fixture=tmp_path / "missing.json")
