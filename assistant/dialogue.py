"""The assistant's turn: understand the message, run the intent's check, compose, persist.

The account is bound by the caller (CLI argument, signed token, API key + body) and by the
conversation; an account id typed in a message never switches it. Every check run is written
to the audit log with its trace and policy version, and every turn to the conversation.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from assistant.answers.compose import Composed, Composer, SectionBook
from assistant.answers.format import when
from assistant.decisions import Provenance, build_decision
from assistant.errors import UserInputError
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.models import INTENT_CHECK, Answer, CitedSection
from assistant.nlu import Understanding, understand
from assistant.store.masking import mask_pii
from assistant.store.records import DecisionRecord, TurnRecord
from tools.engine import run_check
from tools.policy import Policy
from tools.result import CheckResult, jsonable
from tools.snapshot import Platform, Snapshot
from tools.whatif import Assumption, what_if

if TYPE_CHECKING:
    from assistant.store import Store
    from knowledge.retrieval import Retriever

log = logging.getLogger("limit_assistant.dialogue")

# What a hand-off requested by button (not by a typed message) records as the user's turn.
HANDOFF_REQUEST = {"zh": "（请求转人工）", "en": "(asked for a person)"}
BORROW_INTENTS = frozenset({"cannot_borrow", "how_much_can_i_borrow"})
# Intents a classifier may give an opening what-if ("如果我先还1200呢？") that has no thread yet.
OPENER_REREAD = frozenset({"policy_question", "limit_not_restored", "out_of_scope"})


class Phraser(Protocol):
    """An optional LLM that re-phrases a deterministic answer (assistant/llm)."""

    def phrase(self, message: str, deterministic: Answer, context: Any = None) -> Answer: ...


@dataclass(frozen=True)
class Turn:
    """What one turn produced: the ask object, and where it was stored."""

    result: Answer
    conversation_id: str
    seq: int


@dataclass
class DialogueState:
    """What a follow-up inherits: the last intent, amount and language."""

    last_intent: str | None = None
    amount: str | None = None
    lang: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DialogueState:
        return cls(last_intent=data.get("last_intent"), amount=data.get("amount"), lang=data.get("lang"))

    def to_dict(self) -> dict[str, Any]:
        return {"last_intent": self.last_intent, "amount": self.amount, "lang": self.lang}


class Assistant:
    """Deterministic assistant: the same message and account always give the same answer."""

    def __init__(self, *, policy: Policy, store: Store, book: SectionBook,
                 retriever_factory: Any, product: dict[str, str], default_lang: str = "zh",
                 phraser: Phraser | None = None, provenance: Provenance | None = None) -> None:
        self.policy = policy
        self.provenance = provenance or Provenance.gather(policy)  # recorded with every decision
        self.phraser = phraser
        self.store = store
        self.composer = Composer(policy, book, product)
        self._retriever_factory = retriever_factory
        self._retriever: Retriever | None = None
        self.default_lang = default_lang

    def ask(self, message: str, snapshot: Snapshot, *, platform: Platform | None = None,
            at: datetime | None = None, conversation_id: str | None = None) -> Turn:
        """Answer one user message about `snapshot`'s account, continuing `conversation_id`."""
        text = _validate_message(message)
        conversation_id, state = self._conversation(conversation_id, snapshot.account_id)
        now = at or snapshot.as_of
        understanding = understand(text, now=now, previous_intent=state.last_intent)
        lang = understanding.lang if understanding.lang_from_text else (state.lang or self.default_lang)
        result = self._answer(understanding, snapshot, platform, at, lang, state, conversation_id)
        return self._finish(text, result, snapshot, platform, at, conversation_id, state)

    def handoff(self, snapshot: Snapshot, conversation_id: str, *, platform: Platform | None = None,
                at: datetime | None = None) -> Turn:
        """Hand the conversation to a person (the UI's button, `/api/handoff`).

        The summary comes from the thread's own check (a borrow thread's borrow check, with its
        amount); a conversation has one case number, so asking twice gives the same one.
        """
        conversation_id, state = self._conversation(conversation_id, snapshot.account_id)
        lang = state.lang or self.default_lang
        result = self._handoff(snapshot, platform, at, lang, state, conversation_id)
        return self._finish(HANDOFF_REQUEST[lang], result, snapshot, platform, at, conversation_id, state,
                            kind="handoff")

    def _finish(self, text: str, result: Answer, snapshot: Snapshot, platform: Platform | None,
                at: datetime | None, conversation_id: str, state: DialogueState, kind: str = "ask") -> Turn:
        deterministic = result
        if self.phraser is not None:
            # The LLM may only re-phrase: it returns this deterministic result unless its own
            # answer passes the grounding verifier (reason codes and steps are never its own),
            # and its tools see the account bound here, never one the model names.
            from assistant.llm.tools import ConversationContext

            result = self.phraser.phrase(text, result, ConversationContext(snapshot, platform, at))
        record = build_decision(self, kind=kind, message=text, snapshot=snapshot, platform=platform, at=at,
                                result=result, deterministic=deterministic)
        seq = self._persist(conversation_id, text, result, state, snapshot, record)
        return Turn(result=result, conversation_id=conversation_id, seq=seq)

    # -- routing -----------------------------------------------------------------------------

    def _answer(self, u: Understanding, snapshot: Snapshot, platform: Platform | None,
                at: datetime | None, lang: str, state: DialogueState, conversation_id: str) -> Answer:
        intent = _resolve_intent(u, state)
        if intent == "unsafe_request":
            return Answer(answer=self.composer.fixed("refusal", lang).text, intent=intent, refused=True, lang=lang)
        if intent in ("greeting", "out_of_scope"):
            return Answer(answer=self.composer.fixed(intent, lang).text, intent=intent, lang=lang)
        if intent == "policy_question":
            return self._policy_answer(u, lang)
        if intent == "appeal_or_human":
            return self._handoff(snapshot, platform, at, lang, state, conversation_id)
        action = INTENT_CHECK[intent]
        assert action is not None  # every remaining intent runs a check (INTENT_CHECK)
        amount = self._amount(u, intent, state)
        check = run_check(snapshot, action, amount=amount, at=at, platform=platform, policy=self.policy)
        assumption = _assumption(u, check.checked_at)
        if assumption is not None:
            return self._what_if(u, assumption, check, snapshot, platform, at, amount, lang, intent)
        if intent == "how_much_can_i_borrow":
            composed = self.composer.how_much(check, lang)
        else:
            composed = self.composer.check_answer(check, snapshot, lang)
        return _from_check(composed, intent, check, lang, {"amount": _str(amount)})

    def _amount(self, u: Understanding, intent: str, state: DialogueState) -> Decimal | None:
        """The amount asked now, else (for a follow-up in the same borrowing thread) the last one."""
        if intent == "how_much_can_i_borrow":
            return None
        if u.amount is not None:
            return u.amount
        if intent in BORROW_INTENTS and state.last_intent in BORROW_INTENTS and state.amount:
            return Decimal(state.amount)
        return None

    def _what_if(self, u: Understanding, assumption: Assumption, check: CheckResult, snapshot: Snapshot,
                 platform: Platform | None, at: datetime | None, amount: Decimal | None,
                 lang: str, intent: str) -> Answer:
        simulated = what_if(snapshot, check.action, assumption, amount=amount, at=at,
                            platform=platform, policy=self.policy, before=check)
        repay = snapshot.overdue.amount if assumption.repay_all_overdue else assumption.repay_amount
        assumption_text = self.composer.assumption_text(
            repay=repay if repay else None, repay_all=assumption.repay_all_overdue,
            at_text=when(assumption.at, lang) if assumption.at else None, lang=lang)
        body, summary = self.composer.what_if(simulated, lang, assumption_text)
        current = self.composer.check_answer(check, snapshot, lang)
        composed = Composed(body + "\n\n" + current.text, current.sections, current.reasons, current.steps,
                            current.caps, current.more_reasons)
        result = _from_check(composed, intent, check, lang, {"amount": _str(amount)})
        return result.model_copy(update={"what_if": summary, "checks": [check, simulated.after]})

    def _handoff(self, snapshot: Snapshot, platform: Platform | None, at: datetime | None, lang: str,
                 state: DialogueState, conversation_id: str) -> Answer:
        """The thread's own check for the agent's summary, and the conversation's case number."""
        thread = state.last_intent if state.last_intent in SITUATION_CHECKS else None
        action = INTENT_CHECK[thread] if thread else "limit_status"
        amount = Decimal(state.amount) if action == "borrow" and state.amount else None
        check = run_check(snapshot, action or "limit_status", amount=amount, at=at, platform=platform,
                          policy=self.policy)
        summary = {
            "account_id": snapshot.account_id,
            "conversation_id": conversation_id,
            "reason_codes": check.reason_codes,
            "facts": {r.code: jsonable(r.facts) for r in check.reasons},
            "next_steps": check.step_codes,
            "policy_version": check.policy_version,
            "checked_at": check.checked_at.isoformat(),
            "trace_id": f"{conversation_id}:{check.checked_at.isoformat()}",
        }
        # The ticket is stored with its turn, in one transaction (_persist): a failed turn leaves
        # no orphan ticket, and its retry (or a second request) keeps the same number.
        handoff_id = case_number(conversation_id)
        composed = self.composer.handoff(check, handoff_id, lang)
        result = _from_check(composed, "appeal_or_human", check, lang, {"amount": _str(amount)})
        return result.model_copy(update={"handoff": True, "handoff_id": handoff_id, "handoff_summary": summary})

    def _policy_answer(self, u: Understanding, lang: str) -> Answer:
        hits = self.retriever.search(u.normalized_text, k=3, lang=lang)
        sections = [CitedSection(doc_id=h.doc_id, section_id=h.section_id, title=h.title, text=h.text) for h in hits]
        composed = self.composer.policy_answer(sections, lang)
        return Answer(answer=composed.text, intent="policy_question", citations=composed.sections, lang=lang)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = self._retriever_factory()
        return self._retriever

    # -- persistence -------------------------------------------------------------------------

    def _conversation(self, conversation_id: str | None, account_id: str) -> tuple[str, DialogueState]:
        if conversation_id is None:
            return self.store.conversations.start(account_id, self.default_lang), DialogueState()
        record = self.store.conversations.get(conversation_id)
        # An unknown id and another account's id look the same to the caller: nothing leaks.
        if record is None or record.account_id != account_id:
            raise UserInputError("conversation_id: no such conversation for this account")
        return conversation_id, DialogueState.from_dict(record.state)

    def _persist(self, conversation_id: str, text: str, result: Answer, state: DialogueState,
                 snapshot: Snapshot, record: DecisionRecord | None = None) -> int:
        """The turn, the new dialogue state and an audit row per check run: one transaction."""
        turn = TurnRecord(
            user_text=mask_pii(text),
            intent=result.intent,
            slots=jsonable(result.slots),
            checks=[c.to_data() for c in result.checks],
            answer=result.answer,
            citations=[c.model_dump() for c in result.citations],
            reason_codes=result.reason_codes,
            next_steps=result.next_steps,
            handoff=result.handoff,
            refused=result.refused,
        )
        handoffs = ([{"id": result.handoff_id, "account_id": snapshot.account_id, "summary": result.handoff_summary}]
                    if result.handoff_id and result.handoff_summary is not None else [])
        return self.store.conversations.add_turn(
            conversation_id, turn, state=_next_state(result, state).to_dict(),
            audits=[_audit_row(snapshot, check, simulated=i > 0) for i, check in enumerate(result.checks)],
            handoffs=handoffs, decision=record)


# Threads whose own check a hand-off summarises (anything else: the limit_status check).
SITUATION_CHECKS = frozenset({"cannot_borrow", "how_much_can_i_borrow", "limit_not_restored",
                              "limit_reduced_or_closed", "limit_increase"})

# Turns that don't move the thread: a follow-up after them still refers to the turn before.
THREAD_NEUTRAL = frozenset({"unsafe_request", "greeting", "out_of_scope"})


def _next_state(result: Answer, state: DialogueState) -> DialogueState:
    """What the next turn inherits: the intent and, in a borrowing thread, the amount."""
    if result.intent in THREAD_NEUTRAL:
        return DialogueState(last_intent=state.last_intent, amount=state.amount, lang=result.lang)
    amount = (result.slots.get("amount") or state.amount) if result.intent in BORROW_INTENTS else None
    return DialogueState(last_intent=result.intent, amount=amount, lang=result.lang)


def _resolve_intent(u: Understanding, state: DialogueState) -> str:
    """The dialogue's reading on top of the classifier's: context decides a few cases."""
    if u.intent == "unsafe_request":
        return u.intent
    if u.mentions_wrong_decision:
        return "appeal_or_human"  # a customer who says the decision is wrong gets a person
    simulated = u.repay_amount is not None or u.repay_all_overdue or u.at is not None
    # "What if I repay first?" / "明天能借吗" opening a conversation ask about this account's
    # borrowing, not about the rules in general.
    if simulated and state.last_intent is None and u.intent in OPENER_REREAD:
        return "cannot_borrow"
    # "那3000呢？" after "how much can I borrow": a named amount is a draw to check, not a maximum.
    if u.intent == "how_much_can_i_borrow" and u.amount is not None:
        return "cannot_borrow"
    return u.intent


def _audit_row(snapshot: Snapshot, check: CheckResult, *, simulated: bool) -> dict[str, Any]:
    """An audit entry: the request, the full result with its trace, the policy version.

    A what-if's second check is audited too, marked `simulated`: it ran on a modified copy.
    """
    request = {"amount": _str(check.amount), "at": check.checked_at.isoformat(),
               "as_of": snapshot.as_of.isoformat(), "simulated": simulated}
    return {"account_id": snapshot.account_id, "action": check.action, "request": request,
            "result": check.to_data(), "policy_version": check.policy_version}


def _validate_message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise UserInputError("message: must not be empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise UserInputError(f"message: at most {MAX_MESSAGE_CHARS} characters")
    return text


def _assumption(u: Understanding, now: datetime) -> Assumption | None:
    """A simulated action (a repayment, a later time); a new amount is not simulated: it replaces."""
    later = u.at if u.at is not None and u.at > now else None
    if u.repay_amount is None and not u.repay_all_overdue and later is None:
        return None
    return Assumption(repay_amount=u.repay_amount, repay_all_overdue=u.repay_all_overdue, at=later)


def _from_check(composed: Composed, intent: str, check: CheckResult, lang: str, slots: dict[str, Any]) -> Answer:
    return Answer(answer=composed.text, intent=intent, lang=lang, reason_codes=check.reason_codes,  # type: ignore[arg-type]
                  next_steps=check.step_codes, reasons=composed.reasons, more_reasons=composed.more_reasons,
                  caps=composed.caps, max_amount_now=check.max_amount_now, steps=composed.steps,
                  citations=composed.sections, checks=[check], slots=slots)


def case_number(conversation_id: str) -> str:
    """A short, stable case number for a conversation's hand-off: "K7Q3M-9PXD2".

    Derived from the conversation id, so a second request (or a replay) gives the same number;
    50 bits keep collisions negligible at any lender's volume.
    """
    digest = base64.b32encode(hashlib.sha256(conversation_id.encode()).digest()).decode()
    return f"{digest[:5]}-{digest[5:10]}"


def _str(amount: Decimal | None) -> str | None:
    return str(amount) if amount is not None else None
