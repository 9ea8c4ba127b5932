"""Slot floors on the blind slot sets (assistant/evaluation/slots.py): just under the figures
measured when they were set, so a change that reads amounts, repayments or days worse fails."""

from pathlib import Path

import pytest

from assistant.evaluation.slots import load_cases, score

ROOT = Path(__file__).resolve().parents[2]
# slot -> floor; "every" is the share of messages with every slot right
# Development (eval/dev/slots.jsonl).
DEV_FLOORS = {"amount": 0.97, "repay_amount": 0.99, "repay_channel": 0.98, "day": 0.97, "time_is_past": 0.97,
              "every": 0.91}


@pytest.mark.slow
def test_slot_floors_on_the_development_set() -> None:
    scores = score(load_cases(ROOT / "eval" / "dev" / "slots.jsonl"))
    reached = {slot: scores.share(slot) for slot in DEV_FLOORS if slot != "every"} | {"every": scores.every_slot}
    assert all(reached[slot] >= floor for slot, floor in DEV_FLOORS.items()), reached

# Held out (eval/fresh/slots.jsonl: never tuned on, read once per change).
FRESH_FLOORS = {"amount": 0.96, "repay_amount": 0.96, "repay_channel": 0.97, "day": 0.95, "time_is_past": 0.95,
                "every": 0.83}


@pytest.mark.slow
def test_slot_floors_on_the_held_out_set() -> None:
    scores = score(load_cases(ROOT / "eval" / "fresh" / "slots.jsonl"))
    reached = {slot: scores.share(slot) for slot in FRESH_FLOORS if slot != "every"} | {"every": scores.every_slot}
    assert all(reached[slot] >= floor for slot, floor in FRESH_FLOORS.items()), reached
