"""The account store locked, failing half-way through a turn, or (PostgreSQL) stopped and
restarted under load.

What the user must see: a clear temporary error (HTTP 503 `unavailable` with Retry-After, CLI
exit 4) while the store is away, and correct answers again as soon as it is back, without a
restart. What must hold for the data: every row written before the fault is still there, and a
retried message is stored once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ServiceUnavailable
from tests.helpers.disk import filled
from tests.helpers.faults import (
    CHECK_FOLLOW_UP,
    CHECK_QUESTION,
    POLICY_QUESTIONS,
    SHORT_BUSY_TIMEOUT_MS,
    Golden,
    SqliteLock,
    answer_of,
    assert_one_line_error,
    assert_unavailable,
    deploy,
    make_settings,
    row_counts,
    run_cli,
    sqlite_file,
)

ACCOUNT, QUESTION = CHECK_QUESTION
PARTIAL_MIGRATION_ROOM_KB = 96


def test_locked_sqlite_store_gives_503_and_recovers_without_restart(indexed_dir: Path, golden: Golden) -> None:
    deployment = deploy(make_settings(indexed_dir), busy_timeout_ms=SHORT_BUSY_TIMEOUT_MS)
    first = deployment.chat(QUESTION, ACCOUNT)
    conversation_id = first.json()["conversation_id"]
    store = deployment.services.store
    before = row_counts(store)

    with SqliteLock(sqlite_file(deployment.settings)):
        assert_unavailable(deployment.chat(CHECK_FOLLOW_UP, ACCOUNT, conversation_id))
        assert_unavailable(deployment.chat(QUESTION, ACCOUNT))
        assert_unavailable(deployment.chat(POLICY_QUESTIONS[0]))
        assert_unavailable(deployment.client.post("/api/check", json={"account_id": ACCOUNT, "action": "borrow"}))
        assert_unavailable(deployment.client.post("/api/feedback", json={
            "conversation_id": conversation_id, "turn": 1, "rating": "up"}))
        assert deployment.client.get("/healthz").status_code == 200
        assert row_counts(store) == before

    follow_up = deployment.chat(CHECK_FOLLOW_UP, ACCOUNT, conversation_id)
    assert follow_up.status_code == 200 and follow_up.json()["turn"] == 2
    assert follow_up.json()["reason_codes"] == ["OVERDUE_UNPAID"]
    assert answer_of(deployment.chat(QUESTION, ACCOUNT)) == golden.check
    after = row_counts(store)
    assert after["turns"] == before["turns"] + 2
    assert after["audit_log"] == before["audit_log"] + 2
    assert after["conversations"] == before["conversations"] + 1
    turns = store.conversations.turns(conversation_id)
    assert [t.user_text for t in turns] == [QUESTION, CHECK_FOLLOW_UP]


def test_locked_sqlite_store_cli_exits_4_then_answers(tmp_path: Path, golden: Golden) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "accounts", "list").returncode == 0  # creates and seeds the store
    settings = make_settings(data_dir)

    with SqliteLock(sqlite_file(settings)):
        failed = run_cli(data_dir, "ask", ACCOUNT, QUESTION, "--json")
    line = assert_one_line_error(failed, 4)
    assert "temporarily unavailable" in line and "busy" in line
    assert failed.stdout == ""

    answered = run_cli(data_dir, "ask", ACCOUNT, QUESTION, "--json")
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["answer"] == golden.check[1]
    from assistant.store import Store

    with Store.open(settings) as store:
        counts = row_counts(store)
    assert (counts["conversations"], counts["turns"], counts["audit_log"]) == (1, 1, 1)


class FailOnce:
    """Wraps a repository method: the first call raises ServiceUnavailable (the database went
    away between two writes of one turn), later calls go through."""

    def __init__(self, method: object) -> None:
        self.method = method
        self.failed = False

    def __call__(self, *args: object, **kwargs: object) -> object:
        if not self.failed:
            self.failed = True
            raise ServiceUnavailable("account store: the database cannot be reached: injected")
        return self.method(*args, **kwargs)  # type: ignore[operator]



# The turn, its audit rows and the dialogue state are one transaction (add_turn): failing it
# must leave nothing behind, so the retry is stored exactly once.
@pytest.mark.parametrize(("repository", "method", "what"), [
    pytest.param("conversations", "add_turn", "turn or audit row"),
], ids=["the-turn-transaction"])
def test_store_failing_half_way_through_a_turn_stores_the_retry_once(
        indexed_dir: Path, repository: str, method: str, what: str, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = deploy(make_settings(indexed_dir))
    first = deployment.chat(QUESTION, ACCOUNT)
    conversation_id = first.json()["conversation_id"]
    store = deployment.services.store
    before = row_counts(store)
    target = getattr(store, repository)
    monkeypatch.setattr(target, method, FailOnce(getattr(target, method)))

    assert_unavailable(deployment.chat(CHECK_FOLLOW_UP, ACCOUNT, conversation_id))
    retried = deployment.chat(CHECK_FOLLOW_UP, ACCOUNT, conversation_id)

    assert retried.status_code == 200 and retried.json()["turn"] == 2
    turns = store.conversations.turns(conversation_id)
    assert [t.user_text for t in turns] == [QUESTION, CHECK_FOLLOW_UP], f"the {what} was stored twice"
    after = row_counts(store)
    assert after["turns"] == before["turns"] + 1
    assert after["audit_log"] == before["audit_log"] + 1, "one audited check per answered turn"


def test_full_disk_on_first_start_is_a_clear_error(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    data_dir.mkdir()
    with filled(small_disk):
        failed = run_cli(data_dir, "ask", ACCOUNT, QUESTION, "--json")
    line = assert_one_line_error(failed, 4)
    assert "full" in line


def test_full_disk_on_first_start_recovers_once_space_is_freed(small_disk: Path, golden: Golden) -> None:
    data_dir = small_disk / "data"
    data_dir.mkdir()
    # Room for part of the first migration, not all of it (the store needs ~150 KB).
    with filled(small_disk, leave_kb=PARTIAL_MIGRATION_ROOM_KB):
        assert run_cli(data_dir, "ask", ACCOUNT, QUESTION, "--json").returncode == 4

    answered = run_cli(data_dir, "ask", ACCOUNT, QUESTION, "--json")

    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["answer"] == golden.check[1]
