"""Runs cases through the same code path as `limit-assistant ask`: `services.assistant.ask`,
one conversation per case, turn after turn, and judges the judged turns.

The assistant writes its conversations, audit entries and hand-offs to a scratch SQLite file
(`scratch_settings`), never to the configured database: an evaluation must not put a few
hundred fake hand-offs in the support team's queue. Accounts named by `account_id` are read
from the configured account store, as `ask` reads them. The knowledge index is the configured
one (same data dir), so the run measures what users get.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.accounts import load_account
from assistant.errors import UserInputError
from assistant.evaluation.cases import Case, CaseSource
from assistant.evaluation.evaluators import judge
from assistant.models import INTENT_CHECK, Answer
from assistant.settings import Settings
from tools.inputs import parse_time
from tools.snapshot import Platform, Snapshot, parse_platform, parse_snapshot

if TYPE_CHECKING:
    from assistant.services import Services

log = logging.getLogger("limit_assistant.evaluation")

# Sections an answer may cite beside its reasons' policy_refs and the sections retrieved for a
# policy question: the caps that set "how much can I borrow", and the appeal route of a hand-off.
INTENT_SECTIONS: dict[str, frozenset[str]] = {
    "how_much_can_i_borrow": frozenset({"available-limit", "draw-maximum", "income-verification", "funding-quota"}),
    "appeal_or_human": frozenset({"appeal-and-human-review"}),
    # With nothing to report, a situation answer still states (and cites) the rule that decides it.
    "limit_increase": frozenset({"increase-cooldown", "increase-eligibility"}),
    "limit_not_restored": frozenset({"repayment-posting"}),
    "limit_reduced_or_closed": frozenset({"repayment-posting"}),
}
# A borrow answer that is not allowed carries the recourse plan and cites how it is worked out.
PLAN_SECTION = "recourse-plan"


@dataclass
class TurnOutcome:
    """One turn: what `ask` returned, the checks it ran, and the judgement if it was judged."""

    user: str
    output: dict[str, Any]
    checks: list[dict[str, Any]]
    expect: dict[str, bool]
    expected: dict[str, Any]
    latency_ms: float
    allowed_sections: list[str] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        return bool(self.expected)

    def to_data(self) -> dict[str, Any]:
        """The contract's per-turn line, plus the expectation and latency (extensions)."""
        return {"user": self.user, "output": self.output, "checks": self.checks, "expect": self.expect,
                "expected": self.expected, "latency_ms": round(self.latency_ms, 3),
                "allowed_sections": self.allowed_sections}


@dataclass
class CaseOutcome:
    id: str
    file: str
    line: int
    run: int
    passed: bool
    turns: list[TurnOutcome]
    tags: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def latency_ms(self) -> float:
        return sum(t.latency_ms for t in self.turns)


AccountLoader = Callable[[str], tuple[Snapshot, Platform | None]]


def scratch_settings(settings: Settings, directory: Path) -> Settings:
    """The same settings with the database moved to a scratch SQLite file in `directory`."""
    return settings.model_copy(update={"database_url": f"sqlite:///{directory / 'eval.sqlite3'}"})


def store_loader(services: Services) -> AccountLoader:
    """Loads `account_id` cases from the configured account store (opened on first use)."""
    return lambda account_id: load_account(account_id, services.store)


class CaseRunner:
    """Runs one case at a time; thread-safe (the assistant and store are)."""

    def __init__(self, services: Services, load_account_id: AccountLoader) -> None:
        self.services = services
        self.load_account_id = load_account_id

    def run(self, source: CaseSource, run: int = 0) -> CaseOutcome:
        case = source.case
        outcome = CaseOutcome(id=case.id, file=source.file, line=source.line, run=run, passed=False,
                              turns=[], tags=list(case.tags))
        try:
            snapshot, platform = self._account(case)
            self._turns(case, snapshot, platform, outcome)
        except UserInputError as exc:
            outcome.error = f"bad input: {exc}"
        except Exception as exc:  # a bug in the product: record it, keep evaluating the others
            log.exception("case %s failed with an unexpected error", case.id)
            outcome.error = f"unexpected {type(exc).__name__}: {exc}"
        outcome.passed = outcome.error is None and all(all(t.expect.values()) for t in outcome.turns)
        return outcome

    def _account(self, case: Case) -> tuple[Snapshot, Platform | None]:
        if case.account is not None:
            snapshot, stored = parse_snapshot(case.account), None
        else:
            assert case.account_id is not None  # Case validation: exactly one of the two
            snapshot, stored = self.load_account_id(case.account_id)
        return snapshot, parse_platform(case.platform) if case.platform is not None else stored

    def _turns(self, case: Case, snapshot: Snapshot, platform: Platform | None, outcome: CaseOutcome) -> None:
        judged = dict(case.judged())
        conversation_id: str | None = None
        for index, turn in enumerate(case.turns):
            at = parse_time(turn.at) if turn.at is not None else None
            started = time.perf_counter()
            result = self.services.assistant.ask(turn.user, snapshot, platform=platform, at=at,
                                                 conversation_id=conversation_id)
            latency_ms = (time.perf_counter() - started) * 1000
            conversation_id = result.conversation_id
            output = result.result.contract_view()
            expected = judged[index].model_dump(exclude_none=True) if index in judged else {}
            outcome.turns.append(TurnOutcome(
                user=turn.user, output=output, checks=[c.to_data() for c in result.result.checks],
                expect=judge(expected, output), expected=expected, latency_ms=latency_ms,
                allowed_sections=sorted(allowed_citations(result.result)),
            ))


def allowed_citations(result: Answer) -> set[str]:
    """Sections an answer may cite: its reasons' policy_refs, the sections retrieved when no
    check ran (a policy question), and the intent's fixed sections (INTENT_SECTIONS)."""
    allowed = {ref for check in result.checks for reason in check.reasons for ref in reason.policy_refs}
    if INTENT_CHECK.get(result.intent) is None:
        allowed |= {s.section_id for s in result.citations}
    if result.plan is not None:
        allowed.add(PLAN_SECTION)
    return allowed | INTENT_SECTIONS.get(result.intent, frozenset())


def warm_up(services: Services) -> None:
    """Load the intent model, the sentence encoder and the knowledge index before the clock
    starts, so the latency figures describe a running service, not its start-up."""
    from assistant.nlu.encoder import encode
    from assistant.nlu.intent_model import default_model

    default_model()
    encode(["warm up"])
    services.assistant.retriever  # noqa: B018 -- builds or opens the index


def run_cases(runner: CaseRunner, cases: Sequence[CaseSource], *, repeat: int = 1, workers: int = 1,
              on_done: Callable[[CaseOutcome], None] | None = None) -> list[list[CaseOutcome]]:
    """Every case `repeat` times; returns one list per run, in case order whatever `workers`."""
    jobs = [(run, source) for run in range(repeat) for source in cases]

    def one(job: tuple[int, CaseSource]) -> CaseOutcome:
        outcome = runner.run(job[1], job[0])
        if on_done is not None:
            on_done(outcome)
        return outcome

    if workers <= 1:
        outcomes = [one(job) for job in jobs]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval") as pool:
            outcomes = list(pool.map(one, jobs))
    return [outcomes[run * len(cases):(run + 1) * len(cases)] for run in range(repeat)]
