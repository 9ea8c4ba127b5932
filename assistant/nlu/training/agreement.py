"""Agreement of the double-labelled sample with the first labels: `python -m assistant.nlu.training.agreement`."""

from __future__ import annotations

import json
from collections import Counter

from assistant.nlu.training.evaluate import IN_SCOPE
from assistant.nlu.training.splits import DATASETS


def main() -> None:
    first: dict[str, str] = {}
    for path in sorted((DATASETS / "zh").glob("labelled_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            first[row["text"]] = row["intent"]
    second = [json.loads(line) for line in (DATASETS / "zh" / "double_labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(first[row["text"]], row["intent"]) for row in second]
    agree = sum(a == b for a, b in pairs)
    scope = sum((a in IN_SCOPE) == (b in IN_SCOPE) for a, b in pairs)
    labels = sorted({x for pair in pairs for x in pair})
    n = len(pairs)
    expected = sum(Counter(a for a, _ in pairs)[k] * Counter(b for _, b in pairs)[k] for k in labels) / n / n
    kappa = (agree / n - expected) / (1 - expected)
    print(json.dumps({"items": n, "agreement": round(agree / n, 4), "kappa": round(kappa, 4),
                      "scope_agreement": round(scope / n, 4),
                      "disagreements": Counter(f"{a} → {b}" for a, b in pairs if a != b).most_common()},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
