"""Figures for the intent model: held-out accuracy and F1, AFQMC paraphrase consistency.

Used by bench/nlu.py and by the floor tests in tests/nlu; nothing here runs in production.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel
from sklearn.metrics import f1_score

from assistant.nlu.classifier import Example
from assistant.nlu.model import INTENTS
from assistant.nlu.understand import understand

# Label-1 AFQMC pairs "about limits and borrowing": either sentence names one of these.
LIMIT_KEYWORDS = re.compile(r"借呗|额度|借款|提额|关闭")
REFERENCE_NOW = datetime.fromisoformat("2026-11-20T10:00:00+08:00")


class IntentReport(BaseModel):
    """Accuracy and per-intent F1 of `understand` on labelled examples."""

    examples: int
    accuracy: float
    accuracy_by_lang: dict[str, float]
    f1_by_intent: dict[str, float]
    macro_f1: float
    errors: list[tuple[str, str, str]]  # (text, expected, predicted)


class ConsistencyReport(BaseModel):
    """Share of paraphrase pairs whose two sentences get the same intent."""

    pairs: int
    same_intent: int
    share: float


def evaluate_intents(examples: Sequence[Example], now: datetime = REFERENCE_NOW) -> IntentReport:
    """Run `understand` on every example (no previous turn) and score the intents."""
    expected = [e.intent for e in examples]
    predicted = [understand(e.text, now=now).intent for e in examples]
    by_lang: dict[str, list[bool]] = {}
    for example, guess in zip(examples, predicted):
        by_lang.setdefault(example.lang or "?", []).append(guess == example.intent)
    f1 = f1_score(expected, predicted, labels=list(INTENTS), average=None, zero_division=0)
    return IntentReport(
        examples=len(examples),
        accuracy=sum(e == p for e, p in zip(expected, predicted)) / len(examples),
        accuracy_by_lang={lang: sum(v) / len(v) for lang, v in sorted(by_lang.items())},
        f1_by_intent={intent: round(float(s), 4) for intent, s in zip(INTENTS, f1)},
        macro_f1=float(f1.mean()),
        errors=[(e.text, e.intent, p) for e, p in zip(examples, predicted) if e.intent != p],
    )


def load_afqmc_pairs(
    path: Path, keywords: re.Pattern[str] = LIMIT_KEYWORDS
) -> list[tuple[str, str]]:
    """Label-1 (paraphrase) pairs of AFQMC train.csv where either sentence matches `keywords`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["sentence1"], row["sentence2"])
            for row in csv.DictReader(handle)
            if row["label"] == "1"
            and (keywords.search(row["sentence1"]) or keywords.search(row["sentence2"]))
        ]


def paraphrase_consistency(
    pairs: Iterable[tuple[str, str]], now: datetime = REFERENCE_NOW
) -> ConsistencyReport:
    """How many pairs get the same intent for both sentences."""
    items = list(pairs)
    same = sum(understand(a, now=now).intent == understand(b, now=now).intent for a, b in items)
    return ConsistencyReport(pairs=len(items), same_intent=same, share=same / max(1, len(items)))
