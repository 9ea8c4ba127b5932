"""PostgreSQL stopped and restarted in the middle of a bounded load run.

Four simulated customers hold two-turn conversations (a check-backed question, then a follow-up)
and retry a message that got a 503, as a person would. Half-way the database is stopped, then
started again. Every request must get either an answer or a clear 503; answers must come back
after the restart without restarting the app; every answered turn must be stored exactly as it
was answered; nothing written before the outage may change.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.faults import (
    CHECK_FOLLOW_UP,
    CHECK_QUESTION,
    Deployment,
    Golden,
    deploy,
    make_settings,
    row_counts,
)
from tests.helpers.postgres import PgServer

pytestmark = pytest.mark.postgres

CUSTOMERS = 4
SECONDS_BEFORE, SECONDS_DOWN, SECONDS_AFTER = 1.5, 2.0, 2.5
RETRY_PAUSE = 0.05


@dataclass
class Tally:
    """What the customers saw."""

    statuses: list[tuple[float, float, int]] = field(default_factory=list)  # (sent, answered, status)
    answered: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sent: float, status: int, body: dict[str, Any], message: str) -> None:
        with self.lock:
            self.statuses.append((sent, time.monotonic(), status))
            if status == 200:
                self.answered.append({**body, "message": message})


def customer(deployment: Deployment, tally: Tally, stop: threading.Event) -> None:
    account_id, question = CHECK_QUESTION
    while not stop.is_set():
        conversation_id = None
        for message in (question, CHECK_FOLLOW_UP):
            while not stop.is_set():
                sent = time.monotonic()
                response = deployment.chat(message, account_id, conversation_id)
                body = response.json()
                tally.record(sent, response.status_code, body, message)
                if response.status_code == 200:
                    conversation_id = body["conversation_id"]
                    break
                assert response.status_code == 503 and body["error"]["code"] == "unavailable", body
                time.sleep(RETRY_PAUSE)


def test_postgres_stopped_and_restarted_under_load(tmp_path: Path, golden: Golden, pg_server: PgServer,
                                                   pg_schema_url: str) -> None:
    deployment = deploy(make_settings(tmp_path / "data", database_url=pg_schema_url))
    store = deployment.services.store
    tally, stop = Tally(), threading.Event()
    with ThreadPoolExecutor(CUSTOMERS) as pool:
        running = [pool.submit(customer, deployment, tally, stop) for _ in range(CUSTOMERS)]
        time.sleep(SECONDS_BEFORE)
        pg_server.stop()
        stopped_at = time.monotonic()
        before_outage = list(tally.answered)
        time.sleep(SECONDS_DOWN)
        # The server answers before start() returns: only requests answered before the restart
        # began are known to have met a stopped database.
        restart_began = time.monotonic()
        pg_server.start()
        restarted_at = time.monotonic()
        time.sleep(SECONDS_AFTER)
        stop.set()
        for future in running:
            future.result()  # re-raises a customer's failed assertion (e.g. a 500)

    down = [s for sent, answered, s in tally.statuses if stopped_at < sent and answered < restart_began]
    after = [s for sent, _, s in tally.statuses if sent > restarted_at]
    assert down and set(down) == {503}, "requests while the database is down get a clear 503"
    assert after.count(200) > 10, "answers come back after the restart, without restarting the app"
    assert {s for _, _, s in tally.statuses} <= {200, 503}

    stored = {(t.seq, t.user_text, t.answer) for body in tally.answered
              for t in store.conversations.turns(body["conversation_id"])}
    for body in tally.answered:  # every answered turn is stored exactly as it was answered
        assert (body["turn"], body["message"], body["answer"]) in stored
    assert {body["answer"] for body in tally.answered if body["message"] == CHECK_QUESTION[1]} == {golden.check[1]}
    for body in before_outage:  # written before the outage: still there, unchanged
        turns = {t.seq: t for t in store.conversations.turns(body["conversation_id"])}
        assert turns[body["turn"]].answer == body["answer"]
    counts = row_counts(store)
    assert counts["audit_log"] >= len(tally.answered), "every answered check is audited"
    assert counts["turns"] >= len(tally.answered)
    # Rows beyond the answered turns come from requests cut off half-way; shown with `pytest -s`.
    print(f"\npostgres outage under load: {len(tally.statuses)} requests, {len(down)} during the outage "
          f"(all 503), {len(tally.answered)} answered; stored turns {counts['turns']}, "
          f"audit rows {counts['audit_log']}")
