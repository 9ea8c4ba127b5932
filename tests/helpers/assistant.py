"""Helpers of the assistant's behaviour tests: the shipped demo accounts, words that would promise
an approval, the contract's reading of an answer, and a conversation driven turn by turn."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from assistant.dialogue import Turn
from assistant.models import Answer
from tools.snapshot import Platform

REPO = Path(__file__).resolve().parents[2]
DEMO_FILE = REPO / "assistant" / "store" / "fixtures" / "demo_accounts.json"
DEMO_ACCOUNTS: list[dict[str, Any]] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
DEMO_IDS = [a["account_id"] for a in DEMO_ACCOUNTS]
DEMO_BY_ID = {a["account_id"]: a for a in DEMO_ACCOUNTS}

# Words that would promise an approval (issue 5: never in any answer).
PROMISE_WORDS = ("保证能", "一定能", "肯定能", "guaranteed", "guarantee")


def plain(text: str) -> str:
    """The answer as the contract's `must_mention` reads it: no thousands separators, no ".00"."""
    import re

    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"(\d)\.00(?!\d)", r"\1", text)


class Ask(Protocol):
    def __call__(self, account_id: str, message: str, *, conversation_id: str | None = None,
                 at: datetime | None = None, platform: Platform | None = None) -> Turn: ...


@dataclass
class Chat:
    """One conversation about one account, turn after turn."""

    ask: Ask
    account_id: str
    conversation_id: str | None = None

    def say(self, message: str, **kw: Any) -> Answer:
        turn = self.ask(self.account_id, message, conversation_id=self.conversation_id, **kw)
        self.conversation_id = turn.conversation_id
        return turn.result

