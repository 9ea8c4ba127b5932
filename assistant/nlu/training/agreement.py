"""Agreement of the double-labelled samples with the first labels: `python -m assistant.nlu.training.agreement`.

Two samples, each relabelled blind by a second labeller: AFQMC sentences (`double_labelled.jsonl`
against `labelled_*.jsonl`) and written chat messages (`chat_double_labelled.jsonl` against the
writers' own labels in `chat_<n>.jsonl`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.nlu.training.evaluate import IN_SCOPE
from assistant.nlu.training.splits import DATASETS, Kind, kind_files

ZH = DATASETS / "zh"
SAMPLES: dict[str, tuple[Kind, Path]] = {
    "afqmc": ("afqmc", ZH / "double_labelled.jsonl"),
    "chat": ("written_chat", ZH / "chat_double_labelled.jsonl"),
}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def agreement(first_kind: Kind, second_file: Path) -> dict[str, Any]:
    first: dict[str, str] = {}
    for path in kind_files(first_kind):
        for row in _rows(path):
            first.setdefault(row["text"], row["intent"])
    pairs = [(first[row["text"]], row["intent"]) for row in _rows(second_file)]
    agree = sum(a == b for a, b in pairs)
    scope = sum((a in IN_SCOPE) == (b in IN_SCOPE) for a, b in pairs)
    labels = sorted({x for pair in pairs for x in pair})
    n = len(pairs)
    expected = sum(Counter(a for a, _ in pairs)[k] * Counter(b for _, b in pairs)[k] for k in labels) / n / n
    kappa = (agree / n - expected) / (1 - expected)
    return {"items": n, "agreement": round(agree / n, 4), "kappa": round(kappa, 4),
            "scope_agreement": round(scope / n, 4),
            "disagreements": Counter(f"{a} → {b}" for a, b in pairs if a != b).most_common()}


def main() -> None:
    report = {name: agreement(first, second) for name, (first, second) in SAMPLES.items()}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
