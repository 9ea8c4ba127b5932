"""Training items: labelled messages of one split, normalised as the assistant reads them.

Sources: the labelled AFQMC sentences and English messages (datasets/intents), the original
hand-written examples (assistant/nlu/data/intents_train.jsonl, train split only), and
paraphrase propagation: an unlabelled AFQMC sentence whose label-1 partner is labelled takes
the partner's label at half weight, when both sides fall in the same split (so nothing crosses
into dev or test) and name the same products.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.nlu.normalize import normalize
from assistant.nlu.training.splits import ROOT, Split, load_labelled, split_of

SEED_FILE = ROOT / "assistant" / "nlu" / "data" / "intents_train.jsonl"
# Train-split labels that contradict the contract outright, corrected for training only (dev and
# test keep every label as the labellers wrote it): text, label as written, label used, why.
LABEL_FIXES = Path(__file__).with_name("label_fixes.jsonl")
AFQMC = ROOT.parent / "shared" / "datasets" / "afqmc" / "train.csv"
PARAPHRASE_WEIGHT = 0.5
# AFQMC calls "花呗额度怎么提升" a paraphrase of "借呗额度怎么提升"; for intents the product asked
# about decides, so a label only travels between sentences that name the same products.
_THIS_LINE = re.compile(r"借呗|借唄|借贝|借钡|jiebei", re.IGNORECASE)
_OTHER_PRODUCT = re.compile(r"花呗|网商贷|网商银行|余额宝|信用卡|白条|微粒贷")


@dataclass(frozen=True, slots=True)
class TrainingItem:
    text: str  # normalised
    intent: str
    lang: str
    weight: float = 1.0
    original: str = ""


@cache
def _normalized(text: str) -> str:
    return normalize(text)


@cache
def label_fixes() -> dict[str, tuple[str, str]]:
    """Text → (label as written, label used in training); train split only."""
    rows = [json.loads(line) for line in LABEL_FIXES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["text"]: (r["was"], r["now"]) for r in rows if split_of(r["text"]) == "train"}


def _training_label(text: str, intent: str, split: Split) -> str:
    fix = label_fixes().get(text) if split == "train" else None
    return fix[1] if fix and fix[0] == intent else intent


def labelled_items(split: Split) -> list[TrainingItem]:
    """The hand-labelled messages of `split`, normalised, in a stable order (train with the
    contract's corrections, LABEL_FIXES)."""
    items = [TrainingItem(_normalized(i.text), _training_label(i.text, i.intent, split), i.lang, 1.0, i.text)
             for i in load_labelled() if split_of(i.text) == split]
    return sorted(items, key=lambda i: (i.original, i.intent))


def seed_items(split: Split) -> list[TrainingItem]:
    rows = [json.loads(line) for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [TrainingItem(_normalized(r["text"]), r["intent"], r.get("lang") or "zh", 1.0, r["text"])
             for r in rows if split_of(r["text"]) == split]
    return sorted(items, key=lambda i: (i.original, i.intent))


def paraphrase_pairs() -> list[tuple[str, str]]:
    """AFQMC label-1 pairs (same meaning), as given."""
    if not AFQMC.exists():
        return []
    with AFQMC.open(encoding="utf-8") as handle:
        return [(r["sentence1"].strip(), r["sentence2"].strip()) for r in csv.DictReader(handle) if r["label"] == "1"]


def _products(text: str) -> tuple[bool, bool]:
    return bool(_THIS_LINE.search(text)), bool(_OTHER_PRODUCT.search(text))


def propagated_items(split: Split) -> list[TrainingItem]:
    labels = {i.text: (i.intent, i.lang) for i in load_labelled()}
    found: dict[str, tuple[str, str]] = {}
    for a, b in paraphrase_pairs():
        if _products(a) != _products(b):
            continue
        for known, other in ((a, b), (b, a)):
            if known in labels and other not in labels and split_of(known) == split == split_of(other):
                found.setdefault(other, labels[known])
    return [TrainingItem(_normalized(t), intent, lang, PARAPHRASE_WEIGHT, t)
            for t, (intent, lang) in sorted(found.items())]


@cache
def evaluation_texts() -> frozenset[str]:
    """Every user turn of the public evaluation suite and of the held-out conversations: never
    trained on, whatever data file repeats them (short, common messages such as "我要申诉" recur
    in the labelled data and the helpers' chat messages)."""
    texts: set[str] = set()
    for path in sorted((ROOT / "eval" / "cases").glob("*.jsonl")) + sorted((ROOT / "eval" / "fresh").glob("conversations*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.update(turn["user"].strip() for turn in json.loads(line)["turns"])
    return frozenset(texts)


def training_items(split: Split, *, seeds: bool = True, paraphrases: bool = True) -> list[TrainingItem]:
    items = labelled_items(split)
    if seeds:
        items += seed_items(split)
    if paraphrases:
        items += propagated_items(split)
    if split == "train":
        items = [i for i in items if i.original.strip() not in evaluation_texts()]
    return items
