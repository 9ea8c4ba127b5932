"""The frozen train / dev / test split of labelled messages, decided by a hash of the text.

A message's split depends on its text alone, so adding data never moves an existing item, and
the test split was fixed before any model was trained on this data (the committed list
`datasets/intents/test_split.sha256` proves it: `check_frozen()` fails if the rule changes).
Tuning looks at dev only; test is reported once per model change (bench/nlu.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[3]
DATASETS = ROOT / "datasets" / "intents"
FROZEN_TEST = DATASETS / "test_split.sha256"
TEST_PERCENT = 20
DEV_PERCENT = 10

Split = Literal["train", "dev", "test"]
# Where a labelled message comes from: a real AFQMC question, a written English message, or a
# written first message of a Chinese chat (the app's chat box, not a search query).
Kind = Literal["afqmc", "written_en", "written_chat"]
# Each kind's files, oldest kind first: where a text repeats, the earlier label stands.
KIND_FILES: dict[Kind, tuple[str, str]] = {
    "afqmc": ("zh", "labelled_*.jsonl"),
    "written_en": ("en", "*.jsonl"),
    "written_chat": ("zh", "chat_[0-9]*.jsonl"),
}


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    intent: str
    lang: str
    source: str
    kind: Kind


def text_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def split_of(text: str) -> Split:
    bucket = int(hashlib.sha256(("split:" + text.strip()).encode("utf-8")).hexdigest(), 16) % 100
    if bucket < TEST_PERCENT:
        return "test"
    return "dev" if bucket < TEST_PERCENT + DEV_PERCENT else "train"


def _read(files: Iterable[tuple[Path, Kind]]) -> list[Labelled]:
    items: dict[str, Labelled] = {}
    for path, kind in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                items.setdefault(row["text"], Labelled(row["text"], row["intent"], row["lang"], path.name, kind))
    return list(items.values())


def kind_files(kind: Kind) -> list[Path]:
    folder, pattern = KIND_FILES[kind]
    return sorted((DATASETS / folder).glob(pattern))


def _all_labelled() -> list[Labelled]:
    """Every labelled file, kind by kind in the order of `KIND_FILES`."""
    return _read((path, kind) for kind in KIND_FILES for path in kind_files(kind))


def _after_the_freeze(item: Labelled, frozen: frozenset[str]) -> bool:
    return split_of(item.text) == "test" and text_hash(item.text) not in frozen


def load_labelled() -> list[Labelled]:
    """Every labelled message of train, dev and the frozen test split, deduplicated.

    A message written after the freeze that hashes to test is in none of them (the test split
    stays exactly the frozen list, and nothing of the test bucket is ever trained or tuned on):
    it is a later check, `load_held_aside()`.
    """
    frozen = frozen_hashes()
    return [i for i in _all_labelled() if not _after_the_freeze(i, frozen)]


def load_held_aside() -> list[Labelled]:
    """Messages written after the freeze that hash to test: read by bench/nlu.py only."""
    frozen = frozen_hashes()
    staged = [(path, _staged_kind(path)) for path in sorted((DATASETS / "staging").glob("*_test_bucket.jsonl"))]
    return [i for i in _all_labelled() + _read(staged) if _after_the_freeze(i, frozen)]


def _staged_kind(path: Path) -> Kind:
    # Staged files are named after the file they were held out of: en_2_… is the second English set.
    return "written_en" if path.name.startswith("en_") else "written_chat"


def frozen_hashes() -> frozenset[str]:
    return frozenset(FROZEN_TEST.read_text(encoding="utf-8").split())


def by_split(items: Iterable[Labelled]) -> dict[Split, list[Labelled]]:
    out: dict[Split, list[Labelled]] = {"train": [], "dev": [], "test": []}
    for item in items:
        out[split_of(item.text)].append(item)
    return out


def write_frozen(items: Iterable[Labelled]) -> int:
    hashes = sorted(text_hash(i.text) for i in items if split_of(i.text) == "test")
    FROZEN_TEST.write_text("\n".join(hashes) + "\n", encoding="utf-8")
    return len(hashes)


def check_frozen(items: Iterable[Labelled]) -> None:
    """Raise if a frozen test item is no longer in test (the split rule must never change)."""
    frozen = frozen_hashes()
    moved = [i.text for i in items if text_hash(i.text) in frozen and split_of(i.text) != "test"]
    if moved:
        raise AssertionError(f"{len(moved)} frozen test items left the test split, e.g. {moved[0]!r}")
