"""Appeals hand the user to a person (CONTRACT.md §4): `handoff` true, a hand-off record a human
agent can act on, and an answer that says how the appeal works. A complaint without a request for
a person ("你们判断错了") is explained first, with a person offered as a choice."""

from __future__ import annotations

import pytest

APPEALS = [
    ("demo-reduced", "我要申诉", "zh", ["LIMIT_REDUCED"]),
    ("demo-reduced", "转人工", "zh", ["LIMIT_REDUCED"]),
    ("demo-closed", "我要申诉，为什么关我额度", "zh", ["ACCOUNT_CLOSED", "LIMIT_REDUCED"]),
    ("demo-risk-hold", "I want to appeal this decision", "en", ["RISK_REVIEW_HOLD"]),
    ("demo-risk-hold", "You got it wrong, I want a human", "en", ["RISK_REVIEW_HOLD"]),
    ("demo-frozen", "I want to talk to a real person", "en", ["ACCOUNT_FROZEN"]),
]


@pytest.mark.parametrize(("account", "question", "codes"), [
    ("demo-risk-hold", "你们判断错了，我根本没有异常操作", ["RISK_REVIEW_HOLD"]),
    ("demo-reduced", "我的额度被降了，你们判断错了", ["LIMIT_REDUCED"]),
])
def test_a_complaint_is_explained_with_a_person_offered(ask, account, question, codes):
    result = ask(account, question).result
    assert result.handoff is False and result.reason_codes == codes
    assert "转人工" in [option.message for option in result.clarify]


@pytest.mark.parametrize(("account", "question", "lang", "codes"), APPEALS,
                         ids=[f"{a}-{q}" for a, q, _, _ in APPEALS])
def test_appeal_hands_off_with_a_case_a_human_can_act_on(services, ask, account, question, lang, codes):
    turn = ask(account, question)
    result = turn.result
    assert result.intent == "appeal_or_human"
    assert result.handoff is True and result.refused is False
    assert result.reason_codes == codes
    assert "appeal-and-human-review" in {c.section_id for c in result.citations}

    record = services.store.handoffs.get(result.handoff_id)
    assert record is not None and record.account_id == account
    assert record.conversation_id == turn.conversation_id
    summary = record.summary
    assert summary["reason_codes"] == codes
    assert set(summary["facts"]) == set(codes)
    assert summary["trace_id"] and summary["conversation_id"] == turn.conversation_id

    # The answer gives the ticket and says how the appeal works and how long it takes.
    assert result.handoff_id in result.answer
    if lang == "zh":
        assert "人工复核" in result.answer and "工作日" in result.answer
    else:
        assert "human review" in result.answer and "business days" in result.answer


def test_handoff_summary_carries_the_facts(services, ask):
    result = ask("demo-reduced", "我要申诉").result
    facts = services.store.handoffs.get(result.handoff_id).summary["facts"]["LIMIT_REDUCED"]
    flat = str(facts)
    assert "30000" in flat and "15000" in flat


def test_appeal_on_a_healthy_account_still_reaches_a_person(services, ask):
    result = ask("demo-healthy", "转人工").result
    assert result.handoff is True and result.reason_codes == []
    assert services.store.handoffs.get(result.handoff_id) is not None


def test_handoff_only_when_handed_to_a_person(ask):
    for question in ("为什么借不出来", "额度怎么被降了", "How much can I borrow?"):
        assert ask("demo-reduced", question).result.handoff is False


def test_appeal_after_a_question_keeps_the_account(chat):
    c = chat("demo-risk-hold")
    c.say("为什么借不出来")
    result = c.say("这不对，我要人工复核")
    assert result.handoff is True
    assert result.reason_codes == ["RISK_REVIEW_HOLD"]


def test_a_hand_off_in_a_borrow_thread_reports_the_status_and_tells_the_agent_what_stopped_the_draw(chat):
    # Contract section 4: the hand-off's reason codes are the limit_status check's; the agent's
    # summary also carries the thread's borrow check (issue 12: "kept trying, same error").
    c = chat("demo-many-applications")
    first = c.say("借3000为什么一直失败")
    assert "TOO_MANY_APPLICATIONS" in first.reason_codes
    handed = c.say("转人工")
    assert handed.handoff and "TOO_MANY_APPLICATIONS" not in handed.reason_codes
    thread_check = handed.handoff_summary["thread_check"]
    assert thread_check["action"] == "borrow" and thread_check["amount"] == "3000"
    assert "TOO_MANY_APPLICATIONS" in thread_check["reason_codes"]
    assert "申请" in handed.answer  # the customer sees what the agent is told
