"""The assistant's turn: understand the message, run the intent's check, compose, persist.

The account is bound by the caller (CLI argument, signed token, API key + body) and by the
conversation; an account id typed in a message never switches it. Every check run is written
to the audit log with its trace and policy version, and every turn to the conversation.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from assistant.answers.compose import Composed, Composer, SectionBook
from assistant.answers.format import when
from assistant.answers.plan_text import plan_sentences, step_phrases
from assistant.decisions import Provenance, build_decision
from assistant.errors import UserInputError
from assistant.limits import MAX_MESSAGE_CHARS
from assistant.models import INTENT_CHECK, Answer, CitedSection, PlanView
from assistant.nlu import Understanding, understand
from assistant.reported_repayment import match_reported
from assistant.safety.refusal import refusal_text
from assistant.store.masking import mask_pii
from assistant.store.records import DecisionRecord, TurnRecord
from assistant.thread import Decision, Thread, after, next_turn
from tools.engine import run_check
from tools.plan import plan
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
PLAN_SECTION = "recourse-plan"
# Situations with a check of their own: a hand-off tells the agent of the thread's, and a rule
# question re-read from one of them adds the customer's own status from it.
SITUATION_CHECKS = frozenset({"cannot_borrow", "how_much_can_i_borrow", "limit_not_restored",
                              "limit_reduced_or_closed", "limit_increase"})


class Phraser(Protocol):
    """An optional LLM that re-phrases a deterministic answer (assistant/llm)."""

    def phrase(self, message: str, deterministic: Answer, context: Any = None) -> Answer: ...


@dataclass(frozen=True)
class Turn:
    """What one turn produced: the ask object, and where it was stored."""

    result: Answer
    conversation_id: str
    seq: int


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
        conversation_id, thread = self._conversation(conversation_id, snapshot.account_id)
        reading = understand(text, now=at or snapshot.as_of, history=thread.recent)
        decision = _everything_available(next_turn(reading, thread, text), reading, snapshot)
        lang = reading.lang if reading.lang_from_text else (thread.lang or self.default_lang)
        result = self._answer(decision, reading, snapshot, platform, at, lang, thread, conversation_id)
        result = self._with_clarify(result, decision, lang)
        offered = tuple((c.message, i) for c, i in zip(result.clarify, decision.alternatives))
        return self._finish(text, result, snapshot, platform, at, conversation_id,
                            after(decision, thread, lang, offered, mask_pii(text)))

    def handoff(self, snapshot: Snapshot, conversation_id: str | None, *, platform: Platform | None = None,
                at: datetime | None = None) -> Turn:
        """Hand the conversation to a person (the UI's button, `/api/handoff`).

        The summary comes from the thread's own check (a borrow thread's borrow check, with its
        amount); a conversation has one case number, so asking twice gives the same one.
        """
        conversation_id, thread = self._conversation(conversation_id, snapshot.account_id)
        lang = thread.lang or self.default_lang
        result = self._handoff(snapshot, platform, at, lang, thread, conversation_id)
        return self._finish(HANDOFF_REQUEST[lang], result, snapshot, platform, at, conversation_id, thread,
                            kind="handoff")

    def _finish(self, text: str, result: Answer, snapshot: Snapshot, platform: Platform | None,
                at: datetime | None, conversation_id: str, thread: Thread, kind: str = "ask") -> Turn:
        deterministic = result
        if self.phraser is not None:
            # The LLM may only re-phrase: it returns this deterministic result unless its own
            # answer passes the grounding verifier (reason codes and steps are never its own),
            # and its tools see the account bound here, never one the model names.
            from assistant.llm.tools import ConversationContext

            result = self.phraser.phrase(text, result, ConversationContext(snapshot, platform, at))
        record = build_decision(self, kind=kind, message=text, snapshot=snapshot, platform=platform, at=at,
                                result=result, deterministic=deterministic)
        seq = self._persist(conversation_id, text, result, thread, snapshot, record)
        return Turn(result=result, conversation_id=conversation_id, seq=seq)

    # -- routing -----------------------------------------------------------------------------

    def _answer(self, decision: Decision, u: Understanding, snapshot: Snapshot, platform: Platform | None,
                at: datetime | None, lang: str, thread: Thread, conversation_id: str) -> Answer:
        intent = decision.intent
        slots: dict[str, Any] = {"amount": _str(decision.amount), "transition": decision.transition,
                                 "rereads": list(decision.rereads)}
        if intent == "unsafe_request":
            # The refusal says what can legitimately be done; it never repeats the request.
            refusal = refusal_text(u.unsafe_kind, lang, self.composer.product[lang])
            return Answer(answer=refusal, intent=intent, refused=True, lang=lang, slots=slots)  # type: ignore[arg-type]
        if intent in ("greeting", "out_of_scope"):
            text = self.composer.fixed("closing" if decision.transition == "close" else intent, lang).text
            return Answer(answer=text, intent=intent, lang=lang, slots=slots)  # type: ignore[arg-type]
        if intent == "policy_question":
            about = decision.about if decision.about in SITUATION_CHECKS else None
            return self._policy_answer(u, snapshot, platform, at, lang, slots, about)
        if intent == "appeal_or_human":
            return self._handoff(snapshot, platform, at, lang, thread, conversation_id)
        action = INTENT_CHECK[intent]
        assert action is not None  # every remaining intent runs a check (INTENT_CHECK)
        amount = decision.amount
        check = run_check(snapshot, action, amount=amount, at=at, platform=platform, policy=self.policy)
        assumption = _assumption(u, check.checked_at)
        if assumption is not None:
            result = self._what_if(u, assumption, check, snapshot, platform, at, amount, lang, intent)
        elif intent == "how_much_can_i_borrow":
            result = _from_check(self.composer.how_much(check, lang), intent, check, lang, slots)
        else:
            reported = None
            if u.reported_repayment is not None:
                reported = match_reported(u.reported_repayment, snapshot, self.policy.zone)
                slots["reported_repayment"] = {**u.reported_repayment.model_dump(mode="json"),
                                               "matched": reported.record.id if reported.record else None,
                                               "exact": reported.exact}
            composed = self.composer.check_answer(check, snapshot, lang, reported)
            result = _from_check(composed, intent, check, lang, slots)
        if action == "borrow" and (not check.allowed or check.limited):
            first = u.asks_for_plan or assumption is not None
            result = self._with_plan(result, snapshot, platform, at, amount, lang, first=first)
        elif action == "limit_status" and u.asks_when and not check.allowed:
            # "要多久才能解冻": when borrowing comes back is the plan's question (section 9); a freeze
            # with no end date is said to have none, with the way through it, before the reasons.
            result = self._with_plan(result, snapshot, platform, at, None, lang, first=True)
        if decision.transition == "follow_up" and u.mentions_wrong_decision:
            # "凭什么啊，我一直按时还的" after an answer: the same reasons, said again, but not as if
            # the complaint had not been heard.
            acknowledged = f'{self.composer.fixed("complaint_ack", lang).text}\n{result.answer}'
            result = result.model_copy(update={"answer": acknowledged})
        return result.model_copy(update={"slots": {**result.slots, **slots}})

    def _with_plan(self, result: Answer, snapshot: Snapshot, platform: Platform | None, at: datetime | None,
                   amount: Decimal | None, lang: str, *, first: bool) -> Answer:
        """Add the recourse plan (section 9); "最快什么时候能借" gets it before the reasons."""
        found = plan(snapshot, platform, self.policy, amount, at)
        view = PlanView.of(found, plan_sentences(found, lang, self.composer.product[lang]), step_phrases(found, lang))
        plan_text = "\n".join(view.sentences)
        text = f"{plan_text}\n\n{result.answer}" if first else f"{result.answer}\n\n{plan_text}"
        citations = _dedupe_sections([*result.citations, self.composer.book.get(PLAN_SECTION, lang)])
        return result.model_copy(update={"answer": text, "plan": view, "citations": citations})

    def _with_clarify(self, result: Answer, decision: Decision, lang: str) -> Answer:
        """Offer the close other readings as choices (the best reading is answered already)."""
        if not decision.alternatives or result.refused or result.handoff:
            return result
        options = [self.composer.clarify_option(intent, lang) for intent in decision.alternatives]
        question = self.composer.clarify_question(options, lang)
        return result.model_copy(update={"clarify": options, "answer": f"{result.answer}\n\n{question}"})

    def _what_if(self, u: Understanding, assumption: Assumption, check: CheckResult, snapshot: Snapshot,
                 platform: Platform | None, at: datetime | None, amount: Decimal | None,
                 lang: str, intent: str) -> Answer:
        simulated = what_if(snapshot, check.action, assumption, amount=amount, at=at,
                            platform=platform, policy=self.policy, before=check)
        repay = snapshot.overdue.amount if assumption.repay_all_overdue else assumption.repay_amount
        checked_at = simulated.posts_at or assumption.at  # a card or transfer repayment is checked when it posts
        assumption_text = self.composer.assumption_text(
            repay=repay if repay else None, repay_all=assumption.repay_all_overdue,
            at_text=when(checked_at, lang) if checked_at else None, lang=lang,
            channel=assumption.repay_channel if repay else None)
        body, summary = self.composer.what_if(simulated, lang, assumption_text)
        current = self.composer.check_answer(check, snapshot, lang)
        composed = Composed(body + "\n\n" + current.text, current.sections, current.reasons, current.steps,
                            current.caps, current.more_reasons)
        result = _from_check(composed, intent, check, lang, {"amount": _str(amount)})
        return result.model_copy(update={"what_if": summary, "checks": [check, simulated.after]})

    def _handoff(self, snapshot: Snapshot, platform: Platform | None, at: datetime | None, lang: str,
                 thread: Thread, conversation_id: str) -> Answer:
        """The hand-off: the account's status check (contract section 4: its reason codes are the
        turn's), the thread's own check beside it for the agent (a borrow thread's borrow check,
        with its amount: what stopped the draw the customer came about), and the conversation's
        case number."""
        status = run_check(snapshot, "limit_status", at=at, platform=platform, policy=self.policy)
        topic = thread.intent if thread.intent in SITUATION_CHECKS else None
        action = INTENT_CHECK[topic] if topic else None
        amount = Decimal(thread.amount) if action == "borrow" and thread.amount else None
        topic_check = None
        if action is not None and action != "limit_status":
            topic_check = run_check(snapshot, action, amount=amount, at=at, platform=platform, policy=self.policy)
        summary = {
            "account_id": snapshot.account_id,
            "conversation_id": conversation_id,
            "reason_codes": status.reason_codes,
            "facts": {r.code: jsonable(r.facts) for r in status.reasons},
            "next_steps": status.step_codes,
            "policy_version": status.policy_version,
            "checked_at": status.checked_at.isoformat(),
            "trace_id": f"{conversation_id}:{status.checked_at.isoformat()}",
        }
        if topic_check is not None:
            summary["thread_check"] = {
                "action": topic_check.action, "amount": _str(amount), "allowed": topic_check.allowed,
                "reason_codes": topic_check.reason_codes, "next_steps": topic_check.step_codes,
                "facts": {r.code: jsonable(r.facts) for r in topic_check.reasons},
            }
        # The ticket is stored with its turn, in one transaction (_persist): a failed turn leaves
        # no orphan ticket, and its retry (or a second request) keeps the same number.
        handoff_id = case_number(conversation_id)
        composed = self.composer.handoff(status, topic_check, handoff_id, lang)
        result = _from_check(composed, "appeal_or_human", status, lang, {"amount": _str(amount)})
        return result.model_copy(update={"handoff": True, "handoff_id": handoff_id, "handoff_summary": summary})

    def _policy_answer(self, u: Understanding, snapshot: Snapshot, platform: Platform | None,
                       at: datetime | None, lang: str, slots: dict[str, Any],
                       about: str | None = None) -> Answer:
        """The rule from the knowledge base, plus a line on the customer's own account: the
        reasons of the situation the rule question is about (`about`: "提额失败一般是什么原因" →
        the increase check), or else the status reasons that rest on a retrieved section. The
        check is kept for the audit; as a policy question the turn reports no reason codes
        (section 4)."""
        hits = self.retriever.search(u.normalized_text, k=3, lang=lang)
        sections = [CitedSection(doc_id=h.doc_id, section_id=h.section_id, title=h.title, text=h.text) for h in hits]
        composed = self.composer.policy_answer(sections, lang)
        action = INTENT_CHECK.get(about) if about else None
        check = run_check(snapshot, action or "limit_status", at=at, platform=platform, policy=self.policy)
        cited = {s.section_id for s in sections}
        bearing = check.reasons if action else [r for r in check.reasons if cited & set(r.policy_refs)]
        text = composed.text
        if bearing:
            text += "\n" + self.composer.status_line(bearing, lang)
        return Answer(answer=text, intent="policy_question", citations=composed.sections,
                      lang=lang,  # type: ignore[arg-type]
                      checks=[check], slots=slots)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = self._retriever_factory()
        return self._retriever

    # -- persistence -------------------------------------------------------------------------

    def _conversation(self, conversation_id: str | None, account_id: str) -> tuple[str, Thread]:
        if conversation_id is None:
            return self.store.conversations.start(account_id, self.default_lang), Thread()
        record = self.store.conversations.get(conversation_id)
        # An unknown id and another account's id look the same to the caller: nothing leaks.
        if record is None or record.account_id != account_id:
            raise UserInputError("conversation_id: no such conversation for this account")
        return conversation_id, Thread.from_dict(record.state)

    def _persist(self, conversation_id: str, text: str, result: Answer, thread: Thread,
                 snapshot: Snapshot, record: DecisionRecord | None = None) -> int:
        """The turn, the thread the next turn inherits, an audit row per check run and the
        decision record: one transaction. The check data is the record's own (computed and
        written as JSON once for the record, the turn and the audit rows)."""
        checks = record.checks if record is not None else [c.to_data() for c in result.checks]
        turn = TurnRecord(
            user_text=mask_pii(text),
            intent=result.intent,
            slots=jsonable(result.slots),
            checks=checks,
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
            conversation_id, turn, state=thread.to_dict(),
            audits=[_audit_row(snapshot, check, data, simulated=i > 0)
                    for i, (check, data) in enumerate(zip(result.checks, checks, strict=True))],
            handoffs=handoffs, decision=record)


def _audit_row(snapshot: Snapshot, check: CheckResult, data: dict[str, Any], *, simulated: bool) -> dict[str, Any]:
    """An audit entry: the request, the full result with its trace, the policy version.

    A what-if's second check is audited too, marked `simulated`: it ran on a modified copy.
    """
    request = {"amount": _str(check.amount), "at": check.checked_at.isoformat(),
               "as_of": snapshot.as_of.isoformat(), "simulated": simulated}
    return {"account_id": snapshot.account_id, "action": check.action, "request": request,
            "result": data, "policy_version": check.policy_version}


def _everything_available(decision: Decision, reading: Understanding, snapshot: Snapshot) -> Decision:
    """A draw of everything available ("可用7万 想全借出来") is a draw of the account's available
    amount, named here so that the thread keeps it for follow-ups."""
    if decision.intent == "cannot_borrow" and decision.amount is None and reading.draws_everything \
            and snapshot.limit.available > 0:
        return replace(decision, amount=snapshot.limit.available)
    return decision


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
    return Assumption(repay_amount=u.repay_amount, repay_all_overdue=u.repay_all_overdue,
                      repay_channel=u.repay_channel, at=later)


def _from_check(composed: Composed, intent: str, check: CheckResult, lang: str, slots: dict[str, Any]) -> Answer:
    return Answer(answer=composed.text, intent=intent, lang=lang, reason_codes=check.reason_codes,  # type: ignore[arg-type]
                  next_steps=check.step_codes, reasons=composed.reasons, more_reasons=composed.more_reasons,
                  caps=composed.caps, max_amount_now=check.max_amount_now, steps=composed.steps,
                  citations=composed.sections, checks=[check], slots=slots)


def _dedupe_sections(sections: list[CitedSection]) -> list[CitedSection]:
    seen: dict[str, CitedSection] = {}
    for section in sections:
        seen.setdefault(section.section_id, section)
    return list(seen.values())


def case_number(conversation_id: str) -> str:
    """A short, stable case number for a conversation's hand-off: "K7Q3M-9PXD2".

    Derived from the conversation id, so a second request (or a replay) gives the same number;
    50 bits keep collisions negligible at any lender's volume.
    """
    digest = base64.b32encode(hashlib.sha256(conversation_id.encode()).digest()).decode()
    return f"{digest[:5]}-{digest[5:10]}"


def _str(amount: Decimal | None) -> str | None:
    return str(amount) if amount is not None else None
