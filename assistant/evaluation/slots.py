"""Slots judged against messages written blind: the draw, the repayment, its channel, the day and
whether it is past (eval/dev/slots.jsonl for development, eval/fresh/slots.jsonl held out).

One JSON object per message: {"id", "text", "now", "amount", "repay_amount", "repay_channel",
"time", "time_is_past"}, what a careful reader takes from it. A time is judged by its day, and by
its clock only where the writer named one: a bare day ("明天能借吗") is read at the current clock
time by design, where the writers wrote midnight; the clock of a past event is not read (a
reported repayment is matched by day against the account's records).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from assistant.nlu import understand
from assistant.nlu.model import Understanding
from assistant.nlu.times import SHANGHAI

# What the writers wrote for a part of the day named without a clock time.
DAY_PARTS = {(0, 0), (9, 0), (12, 0), (15, 0), (20, 0)}
SLOTS = ("amount", "repay_amount", "repay_channel", "day", "clock", "time_is_past")


@dataclass
class SlotScores:
    """Per slot, how many messages were judged and how many were read right; and the misses."""

    right: dict[str, int] = field(default_factory=dict)
    judged: dict[str, int] = field(default_factory=dict)
    whole: int = 0
    messages: int = 0
    misses: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)

    def share(self, slot: str) -> float:
        return self.right.get(slot, 0) / self.judged[slot] if self.judged.get(slot) else 1.0

    @property
    def every_slot(self) -> float:
        return self.whole / self.messages if self.messages else 1.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(cases: list[dict[str, Any]]) -> SlotScores:
    scores = SlotScores()
    for case in cases:
        got = _read(understand(case["text"], now=datetime.fromisoformat(case["now"])))
        misses = []
        for slot, expected in _expected(case).items():
            if slot == "clock" and (expected is None or expected in DAY_PARTS):
                continue
            scores.judged[slot] = scores.judged.get(slot, 0) + 1
            if got[slot] == expected:
                scores.right[slot] = scores.right.get(slot, 0) + 1
            else:
                misses.append(f"{slot}: {got[slot]} (expected {expected})")
        scores.messages += 1
        scores.whole += not misses
        if misses:
            scores.misses.append((case, misses))
    return scores


def _read(reading: Understanding) -> dict[str, object]:
    reported = reading.reported_repayment
    repay = reading.repay_amount if reading.repay_amount is not None else reported.amount if reported else None
    channel = reported.channel if reported else reading.repay_channel
    when = reading.at.astimezone(SHANGHAI) if reading.at else None
    day = when.date() if when else reported.day if reported and reported.day else None
    return {"amount": reading.amount, "repay_amount": repay, "repay_channel": channel, "day": day,
            "clock": (when.hour, when.minute) if when else None,
            "time_is_past": (reading.at_is_past or (when is None and day is not None)) if day else None}


def _expected(case: dict[str, Any]) -> dict[str, object]:
    time = datetime.fromisoformat(case["time"]).astimezone(SHANGHAI) if case["time"] else None
    return {"amount": _decimal(case["amount"]), "repay_amount": _decimal(case["repay_amount"]),
            "repay_channel": case["repay_channel"], "day": time.date() if time else None,
            "clock": (time.hour, time.minute) if time else None, "time_is_past": case["time_is_past"]}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
