"""Slots on messages written blind: the draw, the repayment, its channel, the time and its tense.

    python bench/slots.py [eval/dev/slots.jsonl] [--show]

Each line of the set is one message with what a careful reader takes from it (written by someone
who never read the code; a development set: it is tuned on, never trained on). Prints, per slot,
the share read right; `--show` lists the misses. Times are judged by day, and by clock only where
the writer named one: a bare day ("明天能借吗") is read at the current clock time by design, the
writer's convention was midnight.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.nlu import understand
from assistant.nlu.model import Understanding
from assistant.nlu.times import SHANGHAI

DEFAULT_SET = Path(__file__).resolve().parents[1] / "eval" / "dev" / "slots.jsonl"
# What the writer wrote for a part of the day named without a clock time.
DAY_PARTS = {(0, 0), (9, 0), (12, 0), (15, 0), (20, 0)}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _read(reading: Understanding) -> dict[str, object]:
    reported = reading.reported_repayment
    repay = reading.repay_amount if reading.repay_amount is not None else reported.amount if reported else None
    when = reading.at.astimezone(SHANGHAI) if reading.at else None
    day = when.date() if when else reported.day if reported and reported.day else None
    channel = reported.channel if reported else reading.repay_channel
    return {"amount": reading.amount, "repay_amount": repay, "repay_channel": channel,
            "day": day, "clock": (when.hour, when.minute) if when else None,
            "time_is_past": (reading.at_is_past or (when is None and day is not None)) if day else None}


def _expected(case: dict) -> dict[str, object]:
    time = datetime.fromisoformat(case["time"]).astimezone(SHANGHAI) if case["time"] else None
    return {"amount": _decimal(case["amount"]), "repay_amount": _decimal(case["repay_amount"]),
            "repay_channel": case["repay_channel"], "day": time.date() if time else None,
            "clock": (time.hour, time.minute) if time else None, "time_is_past": case["time_is_past"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--show", action="store_true", help="list the misses")
    args = parser.parse_args()
    cases = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right: dict[str, int] = {}
    judged: dict[str, int] = {}
    whole = 0
    for case in cases:
        now = datetime.fromisoformat(case["now"])
        got, want = _read(understand(case["text"], now=now)), _expected(case)
        misses = []
        for slot, expected in want.items():
            if slot == "clock" and (expected is None or expected in DAY_PARTS):
                continue
            judged[slot] = judged.get(slot, 0) + 1
            if got[slot] == expected:
                right[slot] = right.get(slot, 0) + 1
            else:
                misses.append(f"{slot}: {got[slot]} (expected {expected})")
        whole += not misses
        if misses and args.show:
            print(f"{case['id']} {case['text']}\n    " + "\n    ".join(misses))
    for slot, count in judged.items():
        print(f"{slot:14} {right.get(slot, 0) / count:.3f}  ({right.get(slot, 0)}/{count})")
    print(f"{'every slot':14} {whole / len(cases):.3f}  ({whole}/{len(cases)})")


if __name__ == "__main__":
    main()
