"""Replay a recorded conversation with the current code and policy, and explain what changed.

Each recorded turn is asked again, in order, on its recorded snapshot, platform and request
time, by an assistant built from the current code and the current (or a given) policy, with
the LLM off, in a throw-away in-memory store under the recorded conversation id (so the case
number of a hand-off comes out the same). The fresh decision record is then compared with the
recorded one, field by field. Nothing is written to the configured store.

A difference names its cause from the recorded versions (`assistant.decisions.COMPONENTS`):
the policy file, the policy version, the code version, the intent model, the knowledge base,
or an earlier turn that already changed (the thread a follow-up inherits). With the same
versions, a difference is unexplained: a determinism bug to report.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.decisions import (
    COMPONENTS,
    canonical_json,
    platform_of,
    requested_at_of,
    snapshot_of,
)
from assistant.errors import ConfigError, UserInputError
from assistant.store.records import StoredDecision

if TYPE_CHECKING:
    from assistant.dialogue import Assistant, Turn
    from assistant.services import Services
    from assistant.settings import Settings
    from assistant.store import Store

# Fields the understanding decides: a policy change cannot explain them, a model change can.
NLU_FIELDS = frozenset({"intent", "slots", "clarify", "confidence", "lang"})
CONTRACT_ORDER = ("answer", "intent", "reason_codes", "next_steps", "citations", "handoff", "refused",
                  "what_if", "plan", "clarify")
CAUSE_ORDER = ("policy file", "policy version", "code version", "intent model", "knowledge base")
UNEXPLAINED = "unexplained: same inputs, code, policy and model (a determinism bug)"


@dataclass(frozen=True)
class Difference:
    field: str
    before: Any
    after: Any
    cause: str

    @property
    def trace_only(self) -> bool:
        return ".trace." in self.field

    def to_data(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after, "cause": self.cause}


@dataclass
class TurnReplay:
    turn: int
    differences: list[Difference]
    seconds: float

    @property
    def identical(self) -> bool:
        return not self.differences

    @property
    def outcome_changed(self) -> bool:
        """Something the customer was told or the checks decided differs, not only the trace of
        the rules (a threshold read and still passed, for instance)."""
        return any(not d.trace_only for d in self.differences)

    def to_data(self) -> dict[str, Any]:
        return {"turn": self.turn, "identical": self.identical, "outcome_changed": self.outcome_changed,
                "differences": [d.to_data() for d in self.differences]}


@dataclass
class ReplayReport:
    conversation_id: str
    turns: list[TurnReplay]
    changes: list[dict[str, Any]] = field(default_factory=list)  # provenance that differs
    policy_file: str | None = None
    replayed: list[float] = field(default_factory=list)  # seconds per turn asked again
    setup_seconds: float = 0.0

    @property
    def identical(self) -> bool:
        return all(t.identical for t in self.turns)

    @property
    def ms_per_turn(self) -> float:
        return 1000 * sum(self.replayed) / len(self.replayed) if self.replayed else 0.0

    def to_data(self) -> dict[str, Any]:
        """`{"identical", "turns": [{"turn", "identical", "differences"}]}` and what changed."""
        return {
            "identical": self.identical,
            "conversation_id": self.conversation_id,
            "turns": [t.to_data() for t in self.turns],
            "changes": self.changes,
            "policy_file": self.policy_file,
            "timing": {"turns_replayed": len(self.replayed), "ms_per_turn": round(self.ms_per_turn, 1),
                       "setup_ms": round(1000 * self.setup_seconds, 1)},
        }


def replay(services: Services, conversation_id: str, *, turn: int | None = None,
           policy_file: Path | None = None) -> ReplayReport:
    """Replay `conversation_id` (every turn, or up to and reporting only `turn`)."""
    records = _records(services, conversation_id, turn)
    started = time.perf_counter()
    with _sandbox(services, records[0], policy_file) as (assistant, scratch):
        report = ReplayReport(conversation_id, [], policy_file=str(policy_file) if policy_file else None,
                              setup_seconds=time.perf_counter() - started)
        changed_turns: list[int] = []
        for record in records:
            fresh, seconds = _ask_again(assistant, scratch, record)
            report.replayed.append(seconds)
            if fresh is None:
                differences = [Difference("error", None, "the turn could not be asked again", UNEXPLAINED)]
            else:
                changes = provenance_changes(record, fresh)
                report.changes += [c for c in changes if c not in report.changes]
                differences = compare(record, fresh, changes, changed_turns)
            if any(not d.trace_only for d in differences):
                changed_turns.append(record.turn_seq)  # a follow-up may inherit what changed
            if turn is None or record.turn_seq == turn:
                report.turns.append(TurnReplay(record.turn_seq, differences, seconds))
    return report


def _records(services: Services, conversation_id: str, turn: int | None) -> list[StoredDecision]:
    """The records to replay, after every check that makes the input bad (exit 2)."""
    store = services.store
    conversation = store.conversations.get(conversation_id) if len(conversation_id) <= 64 else None
    if conversation is None:
        raise UserInputError(f"unknown conversation {conversation_id[:64]!r}")
    records = store.decisions.for_conversation(conversation_id)
    recorded = {r.turn_seq for r in records}
    missing = [t.seq for t in store.conversations.turns(conversation_id) if t.seq not in recorded]
    if missing:
        raise UserInputError(f"turn {missing[0]} of this conversation has no decision record (answered "
                             "before records were kept), so the conversation cannot be replayed")
    if not records:
        raise UserInputError("this conversation has no answered turn to replay")
    if turn is not None and turn not in recorded:
        raise UserInputError(f"--turn {turn}: the conversation has turns 1 to {max(recorded)}")
    return [r for r in records if turn is None or r.turn_seq <= turn]


@contextmanager
def _sandbox(services: Services, first: StoredDecision,
             policy_file: Path | None) -> Iterator[tuple[Assistant, Store]]:
    """An assistant on the current code and policy, writing to an in-memory store only."""
    from assistant.dialogue import Assistant
    from assistant.store.db import Store, make_engine, migrate

    settings = services.settings
    chosen = Path(policy_file) if policy_file is not None else settings.policy_file
    same_policy = chosen.resolve() == Path(settings.policy_file).resolve()
    # The configured policy: the process's own policy, texts and versions (built once).
    current = services if same_policy else _services_for(settings, str(chosen.resolve()), _stamp(chosen))
    try:
        current.policy  # noqa: B018 -- loaded before anything is built
    except ConfigError as exc:
        if policy_file is None:
            raise  # the configured policy: the operator's to fix
        # The file named on the command line: the user's to fix, in one line.
        raise UserInputError("--policy: " + " ".join(str(exc).split())) from None
    # The knowledge texts carry the policy's numbers: another policy needs its own index, built
    # in a temporary directory rather than over the configured one.
    index_services = current if same_policy else _index_for(current.settings, _stamp(chosen))
    with ExitStack() as stack:
        scratch = Store(make_engine("sqlite://"))
        stack.callback(scratch.close)
        migrate(scratch.engine)
        snapshot = snapshot_of(first)
        scratch.conversations.create(snapshot.account_id, first.default_lang, conversation_id=first.conversation_id)
        assistant = Assistant(policy=current.policy, store=scratch, book=current.section_book,
                              retriever_factory=lambda: index_services.retriever(services.notify),
                              product=dict(first.product), default_lang=first.default_lang,
                              provenance=current.provenance)
        # Load the models before the clock starts (a conversation of its own, never compared):
        # the time per turn then describes replaying, not the process start-up.
        with contextlib.suppress(UserInputError):
            assistant.ask(first.message if first.kind == "ask" else "你好", snapshot,
                          platform=platform_of(first), at=requested_at_of(first))
        yield assistant, scratch


@lru_cache(maxsize=4)
def _services_for(settings: Settings, policy_file: str, stamp: tuple[int, int]) -> Services:
    """Services on another policy, kept while the file is unchanged (`stamp`): replaying many
    conversations against one candidate policy parses its texts once."""
    from assistant.services import Services

    return Services(settings.model_copy(update={"policy_file": Path(policy_file)}))


_scratch_indexes: dict[tuple[Settings, tuple[int, int]], tuple[Services, tempfile.TemporaryDirectory[str]]] = {}


def _index_for(settings: Settings, stamp: tuple[int, int]) -> Services:
    """Services whose knowledge index lives in a temporary directory (removed at exit), one per
    candidate policy file as it is now, so that many replays build it once."""
    from assistant.services import Services

    key = (settings, stamp)
    if key not in _scratch_indexes:
        scratch = tempfile.TemporaryDirectory(prefix="la-replay-")
        scratch_settings = settings.model_copy(update={"data_dir": Path(scratch.name), "chroma_url": None})
        _scratch_indexes[key] = (Services(scratch_settings), scratch)
    return _scratch_indexes[key][0]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)  # the policy loader reports the missing file
    return (stat.st_mtime_ns, stat.st_size)


def _ask_again(assistant: Assistant, scratch: Store, record: StoredDecision) -> tuple[StoredDecision | None, float]:
    snapshot, platform, at = snapshot_of(record), platform_of(record), requested_at_of(record)
    started = time.perf_counter()
    turn: Turn
    try:
        if record.kind == "handoff":
            turn = assistant.handoff(snapshot, record.conversation_id, platform=platform, at=at)
        else:
            turn = assistant.ask(record.message, snapshot, platform=platform, at=at,
                                 conversation_id=record.conversation_id)
    except UserInputError:
        return None, time.perf_counter() - started
    seconds = time.perf_counter() - started
    return scratch.decisions.get(record.conversation_id, turn.seq), seconds


# -- comparing two records -------------------------------------------------------------------


def provenance_changes(before: StoredDecision, after: StoredDecision) -> list[dict[str, Any]]:
    """Each recorded version that differs now: `{"component", "field", "before", "after"}`."""
    changes = []
    for name, component in COMPONENTS.items():
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append({"component": component, "field": name, "before": old, "after": new})
    return changes


def compare(before: StoredDecision, after: StoredDecision, changes: list[dict[str, Any]],
            changed_turns: list[int] | None = None) -> list[Difference]:
    """Every field of the decision that differs, with its cause."""
    changed = {c["component"] for c in changes}
    earlier = f"earlier turn {changed_turns[-1]}" if changed_turns else None
    found = []
    for name, old, new in _answer_fields(before, after) + _check_fields(before, after) + _wording_fields(before, after):
        if canonical_json(old) != canonical_json(new):
            found.append(Difference(name, old, new, _cause(name, changed, earlier)))
    return found


def _answer_fields(before: StoredDecision, after: StoredDecision) -> list[tuple[str, Any, Any]]:
    keys = [k for k in CONTRACT_ORDER if k in before.answer or k in after.answer]
    keys += sorted((set(before.answer) | set(after.answer)) - set(keys))
    fields = [(key, before.answer.get(key), after.answer.get(key)) for key in keys]
    if before.deterministic_sha256 is not None:
        # An LLM re-worded the recorded answer; replay runs without it, so the deterministic
        # answer underneath is what must come out the same.
        fields[0] = ("answer_sha256", before.deterministic_sha256, after.answer_sha256)
    return fields


def _check_fields(before: StoredDecision, after: StoredDecision) -> list[tuple[str, Any, Any]]:
    if len(before.checks) != len(after.checks):
        return [("checks", [c.get("action") for c in before.checks], [c.get("action") for c in after.checks])]
    fields = []
    for i, (old, new) in enumerate(zip(before.checks, after.checks)):
        for key in [k for k in old if k != "trace"] + [k for k in new if k not in old and k != "trace"]:
            fields.append((f"checks[{i}].{key}", old.get(key), new.get(key)))
        old_trace = {e["rule"]: e for e in old.get("trace", [])}
        new_trace = {e["rule"]: e for e in new.get("trace", [])}
        for rule in list(old_trace) + [r for r in new_trace if r not in old_trace]:
            fields.append((f"checks[{i}].trace.{rule}", old_trace.get(rule), new_trace.get(rule)))
    return fields


def _wording_fields(before: StoredDecision, after: StoredDecision) -> list[tuple[str, Any, Any]]:
    """The other language's wording (the answer's own is compared above)."""
    return [(f"wording.{lang}.{part}", before.wording.get(lang, {}).get(part), after.wording.get(lang, {}).get(part))
            for lang in ("zh", "en") if lang != before.answer.get("lang") for part in ("reasons", "plan")]


def _cause(name: str, changed: set[str], earlier: str | None) -> str:
    relevant = {"intent model", "code version"} if name in NLU_FIELDS else set(CAUSE_ORDER)
    causes = [c for c in CAUSE_ORDER if c in changed and c in relevant]
    if earlier is not None:
        causes.append(earlier)
    if not causes:
        causes = [c for c in CAUSE_ORDER if c in changed]
    return ", ".join(causes) if causes else UNEXPLAINED
