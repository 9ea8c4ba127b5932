"""Personal numbers a user typed never reach a log line or an export unmasked (issue 9 item 3).

ID numbers, mobile numbers and bank card numbers are typed into chat messages, feedback
comments and hand-offs over the HTTP API; then every log record captured at DEBUG (all loggers,
SQLAlchemy's included) and the `limit-assistant export` output (JSONL and CSV) are searched for
them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli._app import _register_commands, app
from assistant.services import Services
from assistant.web import create_app
from tests.helpers.security import (
    API_KEY,
    OWNER,
    SECRET,
    bearer,
    make_settings,
    seed_private_accounts,
)

_register_commands()

# (what the user typed, the digits that must never appear together again)
PERSONAL_NUMBERS = [
    ("身份证110101199003071234，为什么借不出来", "110101199003071234"),
    ("身份证号 11010119900307123X 为什么借不了", "11010119900307123"),
    ("我手机13812345678怎么借不出来", "13812345678"),
    ("my phone is +86 139-8765-4321, why can't I borrow?", "98765432"),
    ("电话 150 1234 9876 额度怎么被降了", "12349876"),
    ("卡号6222021234567890123，还款了额度怎么没恢复", "6222021234567890123"),
    ("card 6217 0033 1234 5678 expired, can I still borrow?", "621700331234"),
    ("银行卡 6228-4800-1234-5678-901 为什么提额失败", "622848001234"),
    ("全角的卡号６２２２０２１２３４５６７８９０１２３呢，为什么借不出来", "６２２２０２１２３４５６７８９０"),
]
CARD_AS_AMOUNT = ("我想借6222021234567890123元", "6222021234567890123")


def digits_only(text: str) -> str:
    """The text with every separator between digits removed ("6,222 021-2" → "62220212")."""
    return re.sub(r"(?<=\d)[\s,，\-_.](?=\d)", "", text)


def unmasked(text: str, secrets: list[str]) -> list[str]:
    flat = digits_only(text)
    return [s for s in secrets if s in text or s in flat]


def deployment(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> tuple[Services, TestClient, Path]:
    db_dir = tmp_path_factory.mktemp("pii-db")
    services = Services(make_settings(knowledge_dir, db_dir, secret=SECRET, api_keys=API_KEY))
    seed_private_accounts(services)
    return services, TestClient(create_app(services, surfaces=False, warm_up=False)), db_dir


@pytest.fixture(scope="module")
def pii_deployment(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> tuple[Services, TestClient, Path]:
    return deployment(tmp_path_factory, knowledge_dir)


def type_in_chat(client: TestClient, message: str) -> str:
    """The message as a chat turn, then a hand-off of that conversation; returns the conversation id."""
    chat = client.post("/api/chat", json={"message": message, "account_id": OWNER}, headers=bearer(API_KEY))
    assert chat.status_code == 200, chat.text
    conversation_id: str = chat.json()["conversation_id"]
    handoff = client.post("/api/handoff", json={"conversation_id": conversation_id}, headers=bearer(API_KEY))
    assert handoff.status_code == 200
    return conversation_id


def type_in_feedback(client: TestClient, conversation_id: str, message: str) -> None:
    feedback = client.post("/api/feedback", json={"conversation_id": conversation_id, "turn": 1, "rating": "down",
                                                  "comment": message}, headers=bearer(API_KEY))
    assert feedback.status_code == 200


def type_everywhere(client: TestClient, message: str) -> None:
    """The message as a chat turn, the turn before a hand-off, and a feedback comment."""
    type_in_feedback(client, type_in_chat(client, message), message)


def log_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


class DebugLogs:
    """Every record of every logger at DEBUG, SQLAlchemy's statements and parameters included
    (what an operator who turns on DEBUG to chase a problem gets)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def leaks(self, secret: str) -> list[str]:
        assert self.caplog.records, "nothing was logged at DEBUG: the test would prove nothing"
        return [r.getMessage()[:300] for r in self.caplog.records if unmasked(log_text([r]), [secret])]


@contextmanager
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[DebugLogs]:
    caplog.clear()
    engine_logger = logging.getLogger("sqlalchemy.engine")
    with caplog.at_level(logging.DEBUG):
        engine_logger.setLevel(logging.DEBUG)
        try:
            yield DebugLogs(caplog)
        finally:
            engine_logger.setLevel(logging.NOTSET)


IDS = [s for _, s in PERSONAL_NUMBERS]


@pytest.mark.parametrize(("message", "secret"), PERSONAL_NUMBERS, ids=IDS)
def test_debug_logs_of_a_chat_and_handoff_mask_personal_numbers(pii_deployment, caplog, message, secret) -> None:
    _, client, _ = pii_deployment
    with debug_logs(caplog) as logs:
        type_in_chat(client, message)
    assert not logs.leaks(secret)


@pytest.mark.parametrize(("message", "secret"), PERSONAL_NUMBERS[:3], ids=IDS[:3])
def test_debug_logs_of_a_feedback_comment_mask_personal_numbers(pii_deployment, caplog, message, secret) -> None:
    _, client, _ = pii_deployment
    conversation_id = type_in_chat(client, "为什么借不出来")
    with debug_logs(caplog) as logs:
        type_in_feedback(client, conversation_id, message)
    assert not logs.leaks(secret)


def test_a_stored_feedback_comment_is_masked(pii_deployment) -> None:
    services, client, _ = pii_deployment
    conversation_id = type_in_chat(client, "为什么借不出来")
    message, secret = PERSONAL_NUMBERS[2]
    type_in_feedback(client, conversation_id, message)
    stored = services.store.feedback.get(conversation_id, 1)
    assert stored is not None and secret not in (stored.comment or "")


def _export(db_dir: Path, knowledge_dir: Path, fmt: str, out: Path) -> str:
    env = {"LIMIT_ASSISTANT_DATA_DIR": str(knowledge_dir),
           "LIMIT_ASSISTANT_DATABASE_URL": f"sqlite:///{db_dir / 'store.sqlite3'}"}
    result = CliRunner().invoke(app, ["export", "--since", "2000-01-01", "--format", fmt, "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_masks_personal_numbers(pii_deployment, knowledge_dir: Path, tmp_path: Path, fmt: str) -> None:
    _, client, db_dir = pii_deployment
    for message, _ in PERSONAL_NUMBERS:
        type_everywhere(client, message)
    exported = _export(db_dir, knowledge_dir, fmt, tmp_path / f"export.{fmt}")
    assert "138****5678" in exported and "1234" in exported  # the rows are there, masked
    if fmt == "jsonl":
        kinds = {json.loads(line)["kind"] for line in exported.splitlines()}
        assert {"audit", "turn", "handoff", "feedback"} <= kinds
    assert not unmasked(exported, [secret for _, secret in PERSONAL_NUMBERS])


@pytest.mark.parametrize("fmt", ["jsonl"])
def test_export_masks_a_card_number_typed_as_an_amount(tmp_path_factory, knowledge_dir: Path, tmp_path: Path,
                                                       fmt: str) -> None:
    _, client, db_dir = deployment(tmp_path_factory, knowledge_dir)  # its own store: the other exports stay clean
    message, secret = CARD_AS_AMOUNT
    type_everywhere(client, message)
    exported = _export(db_dir, knowledge_dir, fmt, tmp_path / f"export.{fmt}")
    assert not unmasked(exported, [secret])


def test_the_answer_to_a_message_with_personal_numbers_does_not_repeat_them(pii_deployment) -> None:
    _, client, _ = pii_deployment
    for message, secret in PERSONAL_NUMBERS:
        response = client.post("/api/chat", json={"message": message, "account_id": OWNER}, headers=bearer(API_KEY))
        answer: dict[str, Any] = response.json()
        assert not unmasked(answer["answer"], [secret]), answer["answer"][:200]
