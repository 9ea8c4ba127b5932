"""Determinism proof (issue 17): every case of the public evaluation suite, asked as the
evaluation asks it (one conversation per case, turn after turn, its account, platform and
times), replays identical with the current code and policy — answers byte for byte, checks
with their traces, plans, citations, hand-off case numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.accounts import load_account
from assistant.evaluation.cases import CaseSource, load_cases
from assistant.replay import replay
from assistant.services import Services
from tools.snapshot import parse_platform, parse_snapshot

REPO = Path(__file__).resolve().parents[2]
PUBLIC_CASES = sorted((REPO / "eval" / "cases").glob("*.jsonl"))


def record_case(services: Services, source: CaseSource) -> str:
    case = source.case
    if case.account is not None:
        snapshot, platform = parse_snapshot(case.account), None
    else:
        assert case.account_id is not None
        snapshot, platform = load_account(case.account_id, services.store)
    if case.platform is not None:
        platform = parse_platform(case.platform)
    conversation_id = None
    for turn in case.turns:
        conversation_id = services.assistant.ask(turn.user, snapshot, platform=platform, at=turn.at,
                                                 conversation_id=conversation_id).conversation_id
    assert conversation_id is not None
    return conversation_id


def test_every_public_eval_case_replays_identical(services: Services, policy_ready: None) -> None:
    cases, errors = load_cases(PUBLIC_CASES)
    assert not errors and len(cases) > 300
    turns = 0
    seconds: list[float] = []
    differing = []
    for source in cases:
        report = replay(services, record_case(services, source))
        turns += len(report.turns)
        seconds += report.replayed
        if not report.identical:
            differing.append((source.case.id, [t.to_data() for t in report.turns if not t.identical]))
    assert differing == [], differing[:3]
    assert turns == sum(len(source.case.turns) for source in cases)
    print(f"\nreplayed {turns} turns of {len(cases)} cases: "
          f"{1000 * sum(seconds) / len(seconds):.1f} ms per turn on average")


@pytest.fixture(scope="module")
def policy_ready(services: Services) -> None:
    """Build (or load) the knowledge index before the policy questions are asked."""
    services.retriever().search("单笔最少借多少", k=1, lang="zh")
