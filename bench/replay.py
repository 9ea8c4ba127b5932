"""Benchmark of replay (issue 17): milliseconds per replayed turn, and the set-up per conversation.

Run: ``python bench/replay.py [--suite] [--embedder hashing]``. Prints figures; it is not a test.
Records one conversation per demo account (the chat UI's four suggested questions, then the
hand-off button) — and with ``--suite`` every case of the public evaluation suite — in a scratch
data directory, then replays each conversation with `assistant.replay.replay` and reports the
time per replayed turn (the assistant's `ask`/`handoff` on the recorded inputs plus writing the
fresh record to the in-memory store; the models are loaded before the clock starts) and the
set-up per conversation (in-memory store, migrations, a warm-up turn).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.accounts import load_account
from assistant.replay import replay
from assistant.services import Services
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = {
    "zh": ["有额度为什么借不出来", "我现在最多能借多少", "还款了额度怎么没恢复", "为什么提额失败"],
    "en": ["Why can't I borrow although I have a limit?", "How much can I borrow now?",
           "I repaid, why is my limit not back?", "Why was my limit increase refused?"],
}


def demo_conversations(services: Services) -> list[str]:
    ids = []
    accounts = json.loads((REPO / "assistant/store/fixtures/demo_accounts.json").read_text(encoding="utf-8"))
    for account in accounts:
        snapshot, platform = load_account(account["account_id"], services.store)
        lang = "en" if account["account_id"].endswith("-en") else "zh"
        conversation_id = None
        for message in QUESTIONS[lang]:
            conversation_id = services.assistant.ask(message, snapshot, platform=platform,
                                                     conversation_id=conversation_id).conversation_id
        assert conversation_id is not None
        services.assistant.handoff(snapshot, conversation_id, platform=platform)
        ids.append(conversation_id)
    return ids


def suite_conversations(services: Services) -> list[str]:
    from assistant.evaluation.cases import load_cases
    from tools.snapshot import parse_platform, parse_snapshot

    cases, _ = load_cases(sorted((REPO / "eval" / "cases").glob("*.jsonl")))
    ids = []
    for source in cases:
        case = source.case
        if case.account is not None:
            snapshot, platform = parse_snapshot(case.account), None
        else:
            snapshot, platform = load_account(str(case.account_id), services.store)
        platform = parse_platform(case.platform) if case.platform is not None else platform
        conversation_id = None
        for turn in case.turns:
            conversation_id = services.assistant.ask(turn.user, snapshot, platform=platform, at=turn.at,
                                                     conversation_id=conversation_id).conversation_id
        ids.append(str(conversation_id))
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="also the public evaluation suite")
    parser.add_argument("--embedder", default="hashing", help="knowledge embedder (policy questions)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as scratch:
        services = Services(Settings(data_dir=Path(scratch), embedder=args.embedder, llm="off"))
        ids = demo_conversations(services) + (suite_conversations(services) if args.suite else [])
        per_turn: list[float] = []
        setup: list[float] = []
        differing = 0
        for conversation_id in ids:
            report = replay(services, conversation_id)
            per_turn += report.replayed
            setup.append(report.setup_seconds)
            differing += not report.identical
        services.store.close()
    ms = sorted(1000 * s for s in per_turn)
    print(f"conversations replayed: {len(ids)} ({differing} not identical), turns: {len(ms)}")
    print(f"ms per turn: mean {statistics.fmean(ms):.1f}, median {statistics.median(ms):.1f}, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f}, max {ms[-1]:.1f}")
    print(f"set-up per conversation: median {1000 * statistics.median(setup):.0f} ms")


if __name__ == "__main__":
    main()
