"""Slots on messages written blind: the draw, the repayment, its channel, the time and its tense.

    python bench/slots.py [eval/dev/slots.jsonl] [--show]

Prints, per slot, the share read right (assistant/evaluation/slots.py says how each is judged);
`--show` lists the misses. eval/dev/slots.jsonl is a development set (tuned on, never trained on);
eval/fresh/slots.jsonl is held out: read it once per change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.evaluation.slots import SLOTS, load_cases, score

DEFAULT_SET = Path(__file__).resolve().parents[1] / "eval" / "dev" / "slots.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--show", action="store_true", help="list the misses")
    args = parser.parse_args()
    scores = score(load_cases(args.path))
    if args.show:
        for case, misses in scores.misses:
            print(f"{case['id']} {case['text']}\n    " + "\n    ".join(misses))
    for slot in SLOTS:
        print(f"{slot:14} {scores.share(slot):.3f}  ({scores.right.get(slot, 0)}/{scores.judged.get(slot, 0)})")
    print(f"{'every slot':14} {scores.every_slot:.3f}  ({scores.whole}/{scores.messages})")


if __name__ == "__main__":
    main()
