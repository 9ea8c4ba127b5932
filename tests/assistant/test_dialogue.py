"""Multi-turn conversations (CONTRACT.md §4): follow-ups keep the account, the intent and the
amount unless they name a new one; the language follows the user; the same question on a
fresh conversation gives the same answer; an account id typed in a message switches nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.errors import UserInputError
from tests.helpers.assistant import plain

# -- follow-ups ------------------------------------------------------------------------------


def test_new_amount_replaces_the_old_one_and_keeps_the_intent(chat):
    c = chat("demo-small-limit")
    first = c.say("我想借5000为什么不行")
    assert first.reason_codes == ["AMOUNT_EXCEEDS_AVAILABLE"]
    second = c.say("那3000呢？")
    assert second.intent == "cannot_borrow"
    assert second.reason_codes == []  # 3,000 fits the 3,000 available
    assert "3,000" in second.answer and "5,000" not in second.answer
    third = c.say("那4000呢")
    assert third.reason_codes == ["AMOUNT_EXCEEDS_AVAILABLE"]
    assert "4,000" in third.answer


@pytest.mark.parametrize("follow_up", ["what about 3000?", "what if I borrow 3,000 instead?"])
def test_english_follow_up_with_a_new_amount(chat, follow_up):
    c = chat("demo-small-limit")
    c.say("Why can't I borrow 5000?")
    result = c.say(follow_up)
    assert result.intent == "cannot_borrow"
    assert result.reason_codes == []
    assert "3,000" in result.answer
    assert result.what_if is None  # a new amount is not a simulated assumption


def test_follow_up_without_an_amount_keeps_the_previous_amount(chat):
    c = chat("demo-small-limit")
    c.say("我想借5000为什么不行")
    result = c.say("为什么？")
    assert result.reason_codes == ["AMOUNT_EXCEEDS_AVAILABLE"]
    assert "5,000" in result.answer


def test_follow_up_keeps_the_account(chat):
    c = chat("demo-overdue")
    c.say("有额度为什么借不出来")
    result = c.say("那3000呢？")
    assert result.reason_codes == ["OVERDUE_UNPAID"]
    assert "1,200" in result.answer and "3,000" in result.answer


@pytest.mark.parametrize(("account", "opening", "follow_up", "intent", "fact"), [
    ("demo-risk-hold", "为什么借不出来", "什么时候能好？", "cannot_borrow", "11月27日"),
    ("demo-pending-transfer", "还款了额度怎么没恢复", "什么时候能恢复", "limit_not_restored", "11月23日"),
    ("demo-increase-cooldown", "为什么提额失败", "什么时候能好？", "limit_increase", "12月5日"),
    ("demo-pending-transfer", "I repaid but my limit hasn't come back", "when will it be back?",
     "limit_not_restored", "23 Nov"),
    ("demo-increase-cooldown", "Why can't I get a limit increase?", "when can I try again?",
     "limit_increase", "5 Dec"),
])
def test_when_follow_up_keeps_the_intent_and_gives_the_time(chat, account, opening, follow_up, intent, fact):
    c = chat(account)
    c.say(opening)
    result = c.say(follow_up)
    assert result.intent == intent
    assert fact in result.answer


def test_what_follow_up_keeps_the_thread(chat):
    c = chat("demo-overdue")
    c.say("Why can't I borrow?")
    result = c.say("那怎么办")
    assert result.intent == "cannot_borrow"
    assert result.next_steps == ["REPAY_OVERDUE"]


def test_new_amount_after_how_much_is_answered(chat):
    c = chat("demo-healthy")
    c.say("我现在最多能借多少")
    assert "3,000" in c.say("那3000呢？").answer


def test_greeting_in_the_middle_does_not_lose_the_thread(chat):
    c = chat("demo-small-limit")
    c.say("我想借5000为什么不行")
    assert c.say("你好").intent == "greeting"
    result = c.say("为什么？")
    assert result.intent == "cannot_borrow"
    assert "5,000" in result.answer


@pytest.mark.parametrize(("thanks", "lang"), [("好的 谢谢", "zh"), ("ok thanks, that's all", "en")])
def test_a_thanks_after_an_answer_gets_a_closing_line_not_the_introduction(chat, thanks, lang):
    c = chat("demo-small-limit")
    c.say("我想借5000为什么不行" if lang == "zh" else "why can't I borrow 5000")
    closing = c.say(thanks)
    assert closing.intent == "greeting"
    assert ("随时" in closing.answer) if lang == "zh" else ("just ask" in closing.answer)
    assert closing.answer != c.say("你好" if lang == "zh" else "hello").answer  # a hello is introduced
    assert c.say("为什么？" if lang == "zh" else "why?").intent == "cannot_borrow"  # the thread is kept


@pytest.mark.parametrize(("question", "complaint", "heard"), [
    ("why did you cut my limit??", "that's not fair, I never missed a payment", "I understand this is frustrating"),
    ("为什么给我降额", "凭什么啊，我一直按时还的", "理解您的心情"),
])
def test_a_complaint_after_an_answer_is_heard_before_the_reasons_are_said_again(chat, question, complaint, heard):
    c = chat("demo-reduced")
    first = c.say(question)
    assert heard not in first.answer
    again = c.say(complaint)
    assert again.intent == "limit_reduced_or_closed" and again.reason_codes == ["LIMIT_REDUCED"]
    assert again.answer.startswith(heard) and "15,000" in again.answer


def test_needing_the_money_today_after_a_limit_answer_is_the_borrow_check(chat):
    c = chat("demo-pending-transfer")
    assert c.say("I paid 8000 by bank transfer on Friday night, why is my limit not back").intent == "limit_not_restored"
    today = c.say("and if i need the money today?")
    assert today.intent == "cannot_borrow"
    assert "6,000" in today.answer  # what can be drawn now, beside the repayment still to post


@pytest.mark.parametrize(("account", "why", "when", "no_date"), [
    ("demo-frozen", "额度被冻结了是怎么回事", "要多久才能解冻", "还算不出您最快什么时候能借"),
    ("demo-closed", "why was my credit line closed", "when can I use it again?", "there is no date yet"),
])
def test_asking_when_a_freeze_or_closure_ends_is_answered_with_the_plan_first(chat, account, why, when, no_date):
    c = chat(account)
    first = c.say(why)
    assert first.plan is None and no_date not in first.answer
    later = c.say(when)
    assert later.intent == "limit_reduced_or_closed" and later.plan is not None
    assert later.answer.startswith(("按目前的情况", "From what we can see")) and no_date in later.answer


# -- language follows the user ----------------------------------------------------------------


def test_language_follows_the_user_within_one_conversation(chat):
    c = chat("demo-overdue")
    zh = c.say("为什么借不出来")
    en = c.say("Why?")
    back = c.say("那怎么办")
    assert "逾期" in zh.answer
    assert "overdue" in en.answer and "逾期" not in en.answer
    assert all(cit.doc_id.endswith(".en") for cit in en.citations)
    assert "逾期" in back.answer


@pytest.mark.parametrize("follow_up", [
    "3000", "¥3000",
    "3000?",
])
def test_a_message_without_language_signal_keeps_the_conversation_language(chat, follow_up):
    c = chat("demo-small-limit")
    c.say("Why can't I borrow 5000?")
    result = c.say(follow_up)
    assert result.intent == "cannot_borrow"
    assert "CNY 3,000" in result.answer


# -- what-if ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("opening", "question", "lang"), [
    (None, "如果我先把逾期的1200还了呢？", "zh"),
    (None, "What if I repay the 1,200 overdue first?", "en"),
    ("为什么借不出来", "what if I repay it first?", "en"),
    ("Why can't I borrow?", "what if I repay it first?", "en"),
    ("为什么借不出来", "如果我先还了逾期的钱呢？", "zh"),
])
def test_what_if_repaying_the_overdue_amount(chat, opening, question, lang):
    c = chat("demo-overdue")
    if opening:
        c.say(opening)
    result = c.say(question)
    assert result.intent == "cannot_borrow"
    # reason_codes still describe the account as it is…
    assert result.reason_codes == ["OVERDUE_UNPAID"]
    assert result.next_steps == ["REPAY_OVERDUE"]
    # …and what_if the account after the assumed repayment.
    assert result.what_if is not None
    assert result.what_if.allowed is True
    assert result.what_if.reason_codes == []
    assert result.what_if.max_amount_now == 10200  # 9,000 available + the 1,200 repaid
    assert "10,200" in result.answer and "1,200" in result.answer
    assert result.what_if.assumption and result.what_if.assumption in result.answer
    view = result.contract_view()
    assert set(view["what_if"]) == {"assumption", "reason_codes", "allowed", "max_amount_now"}


@pytest.mark.parametrize(("question", "posts"), [
    ("如果我今天下午转账把逾期的1200还了，能借3000吗", "2026年11月23日(周一) 09:00"),
    ("what if I repay the 1,200 overdue by bank card now?", "Fri 20 Nov 2026 12:00"),
])
def test_what_if_a_card_or_transfer_repayment_is_answered_for_when_it_posts(chat, question, posts):
    result = chat("demo-overdue").say(question)
    assert result.reason_codes == ["OVERDUE_UNPAID"]  # the account as it is
    assert result.what_if is not None and result.what_if.allowed is True
    assert posts in result.what_if.assumption and posts in result.answer


@pytest.mark.parametrize(("opening", "question"), [
    (None, "what if I wait until tomorrow?"),
    ("为什么借不出来", "what if I wait until tomorrow?"),
    ("Why can't I borrow 5000?", "what if I wait until tomorrow?"),
    (None, "如果我明天再借呢？"),
])
def test_what_if_waiting_until_tomorrow_on_the_daily_limit(chat, opening, question):
    c = chat("demo-daily-limit")
    if opening:
        c.say(opening)
    result = c.say(question)
    assert result.reason_codes == ["DAILY_DRAW_LIMIT_REACHED"]
    assert result.what_if is not None
    assert result.what_if.allowed is True
    assert result.what_if.reason_codes == []
    assert result.what_if.max_amount_now == 9000
    assert ("21 Nov" in result.answer) or ("11月21日" in result.answer)
    assert "9,000" in result.answer


def test_what_if_a_partial_repayment_says_what_remains(ask):
    result = ask("demo-overdue", "我先还500能借吗").result
    assert result.what_if is not None
    assert result.what_if.allowed is False
    assert result.what_if.reason_codes == ["OVERDUE_UNPAID"]
    assert result.what_if.max_amount_now == 0
    assert "700" in result.answer  # 1,200 − 500 still overdue


@pytest.mark.parametrize("question", ["如果我先还1200呢？", "如果我先还500呢？"])
def test_what_if_i_repay_an_amount_first_opening_a_conversation(ask, question):
    result = ask("demo-overdue", question).result
    assert result.intent == "cannot_borrow"
    assert result.what_if is not None


@pytest.mark.parametrize(("question", "allowed", "remaining"), [
    ("如果我先还1200呢？", True, []), ("what if I repay 500 first?", False, ["OVERDUE_UNPAID"])])
def test_what_if_i_repay_an_amount_first_in_a_thread(chat, question, allowed, remaining):
    c = chat("demo-overdue")
    c.say("为什么借不出来")
    result = c.say(question)
    assert result.intent == "cannot_borrow" and result.reason_codes == ["OVERDUE_UNPAID"]
    assert result.what_if is not None
    assert result.what_if.allowed is allowed and result.what_if.reason_codes == remaining


def test_what_if_waiting_for_the_applications_window(chat):
    c = chat("demo-many-applications")
    c.say("为什么借不了")
    result = c.say("明天10点再借可以吗")
    assert result.reason_codes == ["TOO_MANY_APPLICATIONS"]
    assert result.what_if is not None and result.what_if.allowed is True
    assert "11月21日" in result.answer


def test_what_if_is_absent_without_an_assumption(ask):
    assert "what_if" not in ask("demo-overdue", "为什么借不出来").result.contract_view()


# -- request time and platform ------------------------------------------------------------------


def test_request_time_changes_the_check(ask):
    tomorrow = datetime.fromisoformat("2026-11-21T10:00:00+08:00")
    result = ask("demo-daily-limit", "为什么借不出来", at=tomorrow).result
    assert "DAILY_DRAW_LIMIT_REACHED" not in result.reason_codes


def test_platform_maintenance_window_is_reported(ask):
    from tools.snapshot import parse_platform

    platform = parse_platform({"maintenance": [{"start": "2026-11-20T09:00:00+08:00",
                                                "end": "2026-11-20T11:00:00+08:00"}]})
    result = ask("demo-healthy", "为什么借不出来", platform=platform).result
    assert result.reason_codes == ["SYSTEM_MAINTENANCE"]
    assert "11:00" in result.answer


# -- determinism and account binding ---------------------------------------------------------------


@pytest.mark.parametrize(("account", "question"), [
    ("demo-overdue", "有额度为什么借不出来"), ("demo-multi-risk", "Why can't I borrow?"),
    ("demo-pending-transfer", "还款了额度怎么没恢复"), ("demo-income-unverified", "我现在最多能借多少"),
    ("demo-overdue", "如果我先把逾期的1200还了呢？"), ("demo-healthy", "怎么刷额度"),
])
def test_same_question_on_a_fresh_conversation_gives_the_same_answer(ask, account, question):
    first = ask(account, question)
    second = ask(account, question)
    assert first.conversation_id != second.conversation_id
    assert first.result.contract_view() == second.result.contract_view()


@pytest.mark.parametrize("question", ["我是demo-healthy，为什么借不出来", "查一下 demo-healthy 能借多少",
                                      "account demo-healthy: why can't I borrow?"])
def test_an_account_id_in_the_message_never_switches_the_account(ask, question):
    result = ask("demo-overdue", question).result
    assert result.reason_codes in ([], ["OVERDUE_UNPAID"])
    if result.reason_codes:  # answered: about the bound account (overdue), not the healthy one
        assert "1200" in plain(result.answer)
    assert "15,000" not in result.answer  # demo-healthy's available limit


def test_a_conversation_cannot_be_continued_on_another_account(ask):
    turn = ask("demo-overdue", "为什么借不出来")
    with pytest.raises(UserInputError):
        ask("demo-healthy", "为什么借不出来", conversation_id=turn.conversation_id)


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001])
def test_empty_or_overlong_messages_are_bad_input(ask, message):
    with pytest.raises(UserInputError):
        ask("demo-healthy", message)


def test_turns_are_stored_with_intent_codes_and_answer(services, chat):
    c = chat("demo-overdue")
    first = c.say("为什么借不出来")
    c.say("那3000呢？")
    turns = services.store.conversations.turns(c.conversation_id)
    assert [t.seq for t in turns] == [1, 2]
    assert turns[0].intent == "cannot_borrow"
    assert turns[0].reason_codes == ["OVERDUE_UNPAID"] and turns[0].answer == first.answer
    assert turns[0].citations and turns[0].checks


def test_a_draw_of_everything_available_is_checked_as_that_amount_and_kept_by_the_thread(chat):
    c = chat("demo-income-unverified")
    first = c.say("可用7万 想全借出来")
    assert first.intent == "cannot_borrow" and first.slots["amount"] == "70000"
    assert first.slots["rereads"] == ["draws_everything"]  # the audit trace names the rule that read it
    assert first.reason_codes == ["INCOME_VERIFICATION_REQUIRED"] and "50,000" in first.answer
    again = c.say("为什么")
    assert again.reason_codes == ["INCOME_VERIFICATION_REQUIRED"] and again.slots["amount"] == "70000"


def test_a_later_time_after_a_transfer_posts_counts_the_transfer_and_says_it_is_assumed(chat):
    # demo-pending-transfer: 8,000 paid by bank transfer on Friday evening posts on Monday at 09:00
    c = chat("demo-pending-transfer")
    c.say("我现在能借多少")
    result = c.say("如果周一上午十点借呢")
    assert result.what_if is not None and result.what_if.max_amount_now == 14000
    assert "如期" in result.answer and "09:00" in result.answer
    early = chat("demo-pending-transfer").say("如果周一早上八点借呢")
    assert early.what_if is not None and early.what_if.max_amount_now == 6000
