"""The safety corpus and its frozen train / dev / test split.

Attacks (`datasets/safety/attacks.jsonl`: ten families) and near-misses
(`datasets/safety/near_misses.jsonl`: innocent messages in the same words) are hand-written; the
innocent customer questions of the intents data (train split only) are extra negatives.

A conversation's split is decided by a hash of its text alone (the rule of
`assistant.nlu.training.splits.split_of`, applied to the turns joined), so adding data never
moves an item; an item added after the freeze whose hash falls in test goes to dev instead. The test split was fixed before any model saw the data: the committed list
`datasets/safety/test_split.sha256` proves it (`check_frozen()` fails if an item moved). Tuning
reads dev only; test is reported once per change (bench/safety.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.nlu.training.splits import Split, split_of

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "datasets" / "safety"
ATTACKS = DATASETS / "attacks.jsonl"
NEAR_MISSES = DATASETS / "near_misses.jsonl"
FROZEN_TEST = DATASETS / "test_split.sha256"
FRESH = ROOT / "eval" / "fresh" / "safety.jsonl"
# Written blind (by someone who never read the code or the corpus), for development: thresholds are
# chosen on it together with the dev split; never trained on.
BLIND_DEV = ROOT / "eval" / "dev" / "safety.jsonl"
# What joins the turns of a conversation into the one string its split is decided by.
TURN_SEPARATOR = "\n"

FAMILIES: tuple[str, ...] = (
    "circumvention",
    "forged_documents",
    "other_person_data",
    "direct_injection",
    "embedded_injection",
    "obfuscation",
    "roleplay_authority",
    "multi_turn_escalation",
    "exfiltration_via_features",
    "change_my_data",
)


@dataclass(frozen=True, slots=True)
class Conversation:
    """One labelled item: the last message, the user turns before it, and the label."""

    text: str
    history: tuple[str, ...]
    unsafe: bool
    family: str | None  # attacks: their family; innocent items: None
    kind: str  # attacks: the family; near-misses: their kind; intents: "intent:<intent>"
    lang: str
    source: str

    @property
    def key(self) -> str:
        """The string the split and the frozen list are computed from."""
        return TURN_SEPARATOR.join((*self.history, self.text))

    @property
    def split(self) -> Split:
        split = split_of(self.key)
        if split == "test" and key_hash(self.key) not in frozen_test_hashes():
            # Written after the freeze: the test split stays exactly the frozen list.
            return "dev"
        return split


def key_hash(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def frozen_test_hashes() -> frozenset[str]:
    """The committed list of test items (hashes of their keys)."""
    return frozenset(FROZEN_TEST.read_text(encoding="utf-8").split())


def _read(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_attacks(path: Path = ATTACKS) -> list[Conversation]:
    return [
        Conversation(row["text"], tuple(row.get("turns") or ()), True, row["family"], row["family"],
                     row.get("lang", "zh"), path.name)
        for row in _read(path)
    ]


def load_near_misses(path: Path = NEAR_MISSES) -> list[Conversation]:
    return [
        Conversation(row["text"], tuple(row.get("turns") or ()), False, None, row["kind"],
                     row.get("lang", "zh"), path.name)
        for row in _read(path)
    ]


def load_corpus() -> list[Conversation]:
    """Attacks and near-misses, deduplicated by conversation (first label wins)."""
    items: dict[str, Conversation] = {}
    for item in load_attacks() + load_near_misses():
        items.setdefault(item.key, item)
    return list(items.values())


def load_intent_negatives() -> list[Conversation]:
    """Innocent customer questions of the intents data, train split only (never its dev/test).

    Messages the labellers marked `unsafe_request` are left out: they are not innocent, and they
    carry no family. So are the written chat messages (kind `written_chat`), for now: trained on as
    negatives they moved one dev attack and one ordinary chat message of 402 (docs/SECURITY.md,
    session 24), too little for a new model, and without them the model's inputs stay as built.
    """
    from assistant.nlu.training.splits import load_labelled

    return [
        Conversation(item.text, (), False, None, f"intent:{item.intent}", item.lang, item.source)
        for item in load_labelled()
        if item.intent != "unsafe_request" and split_of(item.text) == "train"
        and item.kind != "written_chat"
    ]


def load_fresh(path: Path = FRESH) -> list[Conversation]:
    """The held-out set written by someone who never saw the corpus; bench only, never training.

    Rows are attacks ({text, family, turns}) or innocent messages ({text, kind, turns}); a row
    may also carry an explicit boolean `unsafe`.
    """
    out = []
    for row in _read(path):
        unsafe = bool(row.get("unsafe", row.get("family") is not None))
        out.append(Conversation(row["text"], tuple(row.get("turns") or ()), unsafe,
                                row.get("family") if unsafe else None,
                                row.get("family") or row.get("kind") or "", row.get("lang", ""), path.name))
    return out


def load_blind_dev(path: Path = BLIND_DEV) -> list[Conversation]:
    """The blind development set (same format as the fresh set); empty if it is not there."""
    return load_fresh(path) if path.exists() else []


def by_split(items: Iterable[Conversation]) -> dict[Split, list[Conversation]]:
    out: dict[Split, list[Conversation]] = {"train": [], "dev": [], "test": []}
    for item in items:
        out[item.split].append(item)
    return out


def write_frozen(items: Iterable[Conversation]) -> int:
    hashes = sorted({key_hash(i.key) for i in items if split_of(i.key) == "test"})
    FROZEN_TEST.write_text("\n".join(hashes) + "\n", encoding="utf-8")
    return len(hashes)


def check_frozen(items: Iterable[Conversation]) -> None:
    """Raise if a frozen test item is no longer in test (the split rule must never change)."""
    frozen = frozen_test_hashes()
    moved = [i.key for i in items if key_hash(i.key) in frozen and i.split != "test"]
    if moved:
        raise AssertionError(f"{len(moved)} frozen test items left the test split, e.g. {moved[0]!r}")
