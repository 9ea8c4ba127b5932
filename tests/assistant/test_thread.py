"""The thread's state machine: one test per transition of assistant/thread.py, on hand-made readings
(the model is tested on data elsewhere; here only what the conversation makes of a reading)."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from assistant.nlu.model import ReportedRepayment, Understanding
from assistant.thread import REREADS, Decision, Thread, after, next_turn

BORROW_THREAD = Thread(intent="cannot_borrow", amount="5000", lang="zh")


def reading(intent: str = "cannot_borrow", confidence: float = 0.9, **fields: Any) -> Understanding:
    ranked = fields.pop("ranked", ((intent, confidence), ("policy_question", 1 - confidence)))
    return Understanding(intent=intent, confidence=confidence, ranked=ranked, lang="zh",  # type: ignore[arg-type]
                         normalized_text=fields.pop("normalized_text", "x"), **fields)


def test_refuse_keeps_the_thread() -> None:
    decision = next_turn(reading("unsafe_request", 1.0), BORROW_THREAD, "x")
    assert (decision.intent, decision.transition) == ("unsafe_request", "refuse")
    assert after(decision, BORROW_THREAD, "zh").intent == "cannot_borrow"


def test_greet_keeps_the_thread() -> None:
    decision = next_turn(reading("greeting", 1.0, greeting_only=True, says_hello=True), BORROW_THREAD, "你好")
    assert (decision.intent, decision.transition) == ("greeting", "greet")
    assert after(decision, BORROW_THREAD, "zh") == BORROW_THREAD


def test_a_thanks_after_an_answer_closes_and_keeps_the_thread() -> None:
    decision = next_turn(reading("greeting", 1.0, greeting_only=True), BORROW_THREAD, "好的 谢谢")
    assert (decision.intent, decision.transition) == ("greeting", "close")
    assert after(decision, BORROW_THREAD, "zh") == BORROW_THREAD


def test_a_thanks_that_opens_a_conversation_is_greeted() -> None:
    decision = next_turn(reading("greeting", 1.0, greeting_only=True), Thread(), "谢谢")
    assert (decision.intent, decision.transition) == ("greeting", "greet")


def test_choose_takes_the_offered_choice_whatever_the_model_reads() -> None:
    thread = Thread(intent="policy_question", offered=(("我现在为什么借不了款？", "cannot_borrow"),))
    decision = next_turn(reading("how_much_can_i_borrow", 0.5), thread, " 我现在为什么借不了款？ ")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "choose")


def test_hand_off_only_on_an_explicit_request() -> None:
    decision = next_turn(reading("cannot_borrow", asks_for_person=True), BORROW_THREAD, "转人工")
    assert (decision.intent, decision.transition) == ("appeal_or_human", "hand_off")
    assert after(decision, BORROW_THREAD, "zh").intent == "cannot_borrow"  # the summary's thread stays


def test_how_appeals_work_asked_in_general_is_a_rule_with_a_person_offered_not_a_hand_off() -> None:
    general = reading("appeal_or_human", 0.62, asks_in_general=True,
                      ranked=(("appeal_or_human", 0.62), ("policy_question", 0.37)))
    decision = next_turn(general, Thread(intent="limit_reduced_or_closed"), "申诉一般要多久有结果")
    assert (decision.intent, decision.transition) == ("policy_question", "new_topic")
    assert decision.alternatives == ("appeal_or_human",)
    assert decision.about == "limit_reduced_or_closed"
    asked = reading("appeal_or_human", 0.9)
    assert next_turn(asked, Thread(), "我要申诉").transition == "hand_off"


def test_a_complaint_after_an_answer_explains_the_thread_instead_of_handing_off() -> None:
    complaint = reading("appeal_or_human", 0.55, mentions_wrong_decision=True,
                        ranked=(("appeal_or_human", 0.55), ("limit_reduced_or_closed", 0.4)))
    thread = Thread(intent="limit_reduced_or_closed")
    decision = next_turn(complaint, thread, "凭什么啊，我一直按时还的")
    assert (decision.intent, decision.transition) == ("limit_reduced_or_closed", "follow_up")


def test_follow_up_keeps_the_threads_amount_and_a_new_amount_replaces_it() -> None:
    kept = next_turn(reading("policy_question", 0.5, is_follow_up=True), BORROW_THREAD, "为什么")
    assert (kept.intent, kept.amount, kept.transition) == ("cannot_borrow", Decimal(5000), "follow_up")
    replaced = next_turn(reading("cannot_borrow", 0.5, is_follow_up=True, amount=Decimal(3000)), BORROW_THREAD, "那3000呢")
    assert replaced.amount == Decimal(3000)


def test_a_follow_up_that_names_another_topic_leaves_the_thread() -> None:
    named = reading("limit_increase", 0.6, is_follow_up=True, named_topic="limit_increase")
    decision = next_turn(named, BORROW_THREAD, "那提额呢")
    assert (decision.intent, decision.transition) == ("limit_increase", "new_topic")
    assert decision.amount is None
    other_product = next_turn(reading("out_of_scope", 0.95, is_follow_up=True, other_product=True), BORROW_THREAD,
                              "那花呗呢")
    assert other_product.intent == "out_of_scope"


def test_the_models_reading_of_a_short_follow_up_alone_does_not_leave_the_thread() -> None:
    thread = Thread(intent="limit_increase")
    decision = next_turn(reading("cannot_borrow", 0.95, is_follow_up=True), thread, "when can I try again?")
    assert (decision.intent, decision.transition) == ("limit_increase", "follow_up")


def test_open_what_if_is_a_borrow_question() -> None:
    decision = next_turn(reading("policy_question", 0.7, what_if=True, repay_amount=Decimal(1200)), Thread(),
                         "如果我先还了1200呢")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "open_what_if")
    rule = next_turn(reading("policy_question", 0.9, what_if=True), Thread(), "Can I borrow if I am overdue?")
    assert rule.intent == "policy_question"


def test_another_product_named_alone_is_out_of_scope_with_our_reading_offered() -> None:
    decision = next_turn(reading("limit_increase", 0.75, other_product=True), Thread(), "花呗额度怎么提升")
    assert (decision.intent, decision.alternatives) == ("out_of_scope", ("limit_increase",))


def test_new_topic_resets_the_amount() -> None:
    decision = next_turn(reading("limit_not_restored", 0.9), BORROW_THREAD, "还款了额度怎么没恢复")
    assert (decision.intent, decision.amount, decision.transition) == ("limit_not_restored", None, "new_topic")
    assert after(decision, BORROW_THREAD, "zh").amount is None


def test_a_plan_question_is_the_borrow_check_with_its_amount() -> None:
    decision = next_turn(reading("policy_question", 0.8, asks_for_plan=True, amount=Decimal(5000)), Thread(),
                         "最快什么时候能借5000")
    assert (decision.intent, decision.amount) == ("cannot_borrow", Decimal(5000))


def test_an_uncertain_reading_offers_the_close_other_one() -> None:
    torn = reading("policy_question", 0.5, ranked=(("policy_question", 0.5), ("limit_not_restored", 0.42)))
    decision = next_turn(torn, Thread(), "银行卡还的款一般多久能让额度回来")
    assert decision == Decision("policy_question", None, "new_topic", ("limit_not_restored",), about="limit_not_restored")
    sure = next_turn(reading("policy_question", 0.9), Thread(), "单笔最少借多少")
    assert sure.alternatives == ()


def test_the_thread_survives_a_round_trip_through_the_store() -> None:
    thread = Thread(intent="cannot_borrow", amount="5000", lang="en", offered=(("Why?", "cannot_borrow"),))
    assert Thread.from_dict(thread.to_dict()) == thread
    assert Thread.from_dict({"last_intent": "limit_increase"}).intent == "limit_increase"  # stored before 2026-12


def test_a_stray_out_of_scope_reading_inside_a_thread_stays_in_it() -> None:
    stray = next_turn(reading("out_of_scope", 0.8), BORROW_THREAD, "差一块钱都不行？")
    assert (stray.intent, stray.transition) == ("cannot_borrow", "follow_up")
    off_topic = next_turn(reading("out_of_scope", 0.8, off_topic=True), BORROW_THREAD, "利息怎么算")
    assert off_topic.intent == "out_of_scope"


def test_a_question_how_or_where_to_do_something_in_the_app_leaves_the_thread() -> None:
    # Read as off the line's topics, "提前还款的入口在哪" asks the app's procedure, not the draw again;
    # a short "要等多久" read the same way stays in the thread.
    where = next_turn(reading("out_of_scope", 0.95, asks_procedure=True), BORROW_THREAD, "提前还款的入口在哪")
    assert (where.intent, where.transition) == ("out_of_scope", "new_topic")
    started = next_turn(reading("out_of_scope", 0.95, asks_procedure=True, is_follow_up=True), BORROW_THREAD,
                        "那这个要怎么操作")
    assert started.intent == "out_of_scope"
    wait = next_turn(reading("out_of_scope", 0.95), BORROW_THREAD, "要等多久")
    assert (wait.intent, wait.transition) == ("cannot_borrow", "follow_up")
    # An in-scope reading of a how-to question keeps its own course ("how do I get it switched on").
    opening = next_turn(reading("cannot_borrow", 0.9, asks_procedure=True), BORROW_THREAD, "在哪里能查到原因")
    assert opening.intent == "cannot_borrow"


def test_a_named_draw_is_the_borrow_check() -> None:
    decision = next_turn(reading("out_of_scope", 0.7, asks_to_draw=True, amount=Decimal(5000)), Thread(),
                         "我想借5000，可以吗")
    assert (decision.intent, decision.amount) == ("cannot_borrow", Decimal(5000))


def test_a_greeting_reading_of_a_message_that_is_not_only_a_greeting_stays_in_the_thread() -> None:
    decision = next_turn(reading("greeting", 0.8, amount=Decimal(1000)), BORROW_THREAD, "ok 1000 then")
    assert (decision.intent, decision.amount, decision.transition) == ("cannot_borrow", Decimal(1000), "follow_up")


def test_a_draw_named_in_a_follow_up_of_another_topic_is_the_borrow_check() -> None:
    draw = reading("out_of_scope", 0.6, is_follow_up=True, asks_to_draw=True, amount=Decimal(20000))
    decision = next_turn(draw, Thread(intent="limit_increase"), "那我先借2万")
    assert (decision.intent, decision.amount, decision.transition) == ("cannot_borrow", Decimal(20000), "new_topic")


def test_a_short_question_naming_no_general_rule_is_about_the_accounts_thread() -> None:
    own = reading("policy_question", 0.8, may_lean_back=True)
    decision = next_turn(own, Thread(intent="cannot_borrow"), "要维护到几点")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "follow_up")
    general = reading("policy_question", 0.8, may_lean_back=False)
    assert next_turn(general, Thread(intent="cannot_borrow"), "单笔最少借多少").intent == "policy_question"
    # A rule question after a rule question stays a rule question.
    assert next_turn(own, Thread(intent="policy_question"), "要维护到几点").intent == "policy_question"


def test_a_short_rule_question_read_surely_asks_the_rule_unless_it_asks_when_the_accounts_case_ends() -> None:
    rule = reading("policy_question", 0.97, may_lean_back=True)
    decision = next_turn(rule, Thread(intent="cannot_borrow"), "借呗年龄上限是多少岁")
    assert (decision.intent, decision.about) == ("policy_question", "cannot_borrow")
    when = reading("policy_question", 0.97, may_lean_back=True, asks_when=True)
    assert next_turn(when, Thread(intent="cannot_borrow"), "审核还要多久").intent == "cannot_borrow"
    own = reading("policy_question", 0.97, may_lean_back=True, speaks_of_self=True)
    assert next_turn(own, Thread(intent="cannot_borrow"), "那我这个呢").intent == "cannot_borrow"


def test_a_reported_repayment_the_model_reads_as_off_the_line_is_a_limit_question() -> None:
    from assistant.nlu.model import ReportedRepayment

    paid = reading("out_of_scope", 0.5, reported_repayment=ReportedRepayment(amount=Decimal(8000)))
    assert next_turn(paid, Thread(), "转账还了8000，额度还是6000").intent == "limit_not_restored"
    about_increase = reading("policy_question", 0.5, named_topic="limit_increase",
                             reported_repayment=ReportedRepayment())
    assert next_turn(about_increase, Thread(), "我已经还清了，为什么提额不给过").intent == "policy_question"


def test_a_general_question_the_model_reads_as_a_situation_is_a_rule_question_with_the_situation_offered() -> None:
    general = reading("limit_increase", 0.9, asks_in_general=True,
                      ranked=(("limit_increase", 0.9), ("policy_question", 0.08)))
    decision = next_turn(general, Thread(), "提额失败一般是什么原因")
    assert decision == Decision("policy_question", None, "new_topic", ("limit_increase",), about="limit_increase",
                                rereads=("asked_in_general",))
    own = reading("limit_increase", 0.9, ranked=(("limit_increase", 0.9), ("policy_question", 0.08)))
    assert next_turn(own, Thread(), "我提额失败是什么原因").intent == "limit_increase"


def test_own_case_after_a_rule_answer_takes_the_situation_offered_beside_it() -> None:
    after_rule = Thread(intent="policy_question", offered=(("我的额度为什么被降了？", "limit_reduced_or_closed"),))
    mine = reading("out_of_scope", 0.5, speaks_of_self=True, may_lean_back=True)
    decision = next_turn(mine, after_rule, "那我的是什么原因")
    assert (decision.intent, decision.transition) == ("limit_reduced_or_closed", "own_case")
    draw = reading("out_of_scope", 0.5, speaks_of_self=True, may_lean_back=True, asks_to_draw=True,
                   amount=Decimal(80000))
    assert next_turn(draw, after_rule, "那我借8万").intent == "cannot_borrow"
    # the writer's own case, but about fees: off the line's topics, not the situation offered
    fees = reading("out_of_scope", 0.99, speaks_of_self=True, may_lean_back=True, off_topic=True)
    assert next_turn(fees, after_rule, "我现在逾期三天 罚息怎么算").intent == "out_of_scope"


def test_a_general_rule_question_asked_as_a_follow_up_is_a_rule_question() -> None:
    how_to = reading("policy_question", 0.9, is_follow_up=True, asks_in_general=True)
    decision = next_turn(how_to, Thread(intent="cannot_borrow"), "那怎么开通")
    assert (decision.intent, decision.transition) == ("policy_question", "new_topic")


def test_own_case_after_a_rule_question_that_named_its_topic() -> None:
    rule = reading("policy_question", 0.9, named_topic="limit_increase", asks_in_general=True)
    decision = next_turn(rule, Thread(), "提额失败后多久能再申请 一般规定")
    thread = after(decision, Thread(), "zh")
    assert (decision.intent, thread.about) == ("policy_question", "limit_increase")
    assert Thread.from_dict(thread.to_dict()) == thread
    mine = next_turn(reading("policy_question", 0.7, speaks_of_self=True, may_lean_back=True), thread, "我的呢")
    assert (mine.intent, mine.transition) == ("limit_increase", "own_case")


def test_what_the_app_shows_the_writer_is_their_situation() -> None:
    shown = reading("policy_question", 0.7, quotes_app_message=True, speaks_of_self=True,
                    ranked=(("policy_question", 0.7), ("cannot_borrow", 0.2)))
    assert next_turn(shown, Thread(), "为啥大半夜的借钱显示系统维护").intent == "cannot_borrow"


def test_when_a_repayment_posts_is_a_rule_or_a_limit_question_never_mechanics() -> None:
    general = reading("out_of_scope", 0.7, asks_posting_time=True, asks_in_general=True)
    assert next_turn(general, Thread(), "转账还款一般多久到账").intent == "policy_question"
    own = reading("out_of_scope", 0.7, asks_posting_time=True, speaks_of_self=True)
    assert next_turn(own, Thread(), "我转的款多久到账").intent == "limit_not_restored"


def test_a_draw_asked_about_in_a_limit_thread_is_the_borrow_check_but_a_past_draw_is_not() -> None:
    draw = reading("limit_not_restored", 0.7, asks_to_draw=True, amount=Decimal(5000))
    assert next_turn(draw, Thread(), "so i can borrow 5000 now or not").intent == "cannot_borrow"
    past = reading("limit_not_restored", 0.7, asks_to_draw=True, amount=Decimal(5000), at_is_past=True)
    assert next_turn(past, Thread(), "昨天借5000还了以后额度没恢复").intent == "limit_not_restored"


def test_questioning_the_maximum_just_given_stays_a_maximum_question() -> None:
    doubt = reading("cannot_borrow", 0.8, quotes_an_amount=True)
    decision = next_turn(doubt, Thread(intent="how_much_can_i_borrow"), "为什么不是2万 我额度明明是两万")
    assert (decision.intent, decision.transition) == ("how_much_can_i_borrow", "follow_up")


def test_a_line_that_cannot_be_used_is_the_borrow_question_whatever_the_cause() -> None:
    frozen = reading("limit_reduced_or_closed", 0.6, cannot_use=True, named_topic="limit_reduced_or_closed",
                     speaks_of_self=True)
    decision = next_turn(frozen, Thread(), "我借呗用不了了，冻结了")
    assert (decision.intent, decision.rereads) == ("cannot_borrow", ("cannot_use_the_line",))
    cut = reading("limit_reduced_or_closed", 0.6, named_topic="limit_reduced_or_closed")
    decision = next_turn(cut, Thread(), "额度怎么降了")
    assert (decision.intent, decision.rereads) == ("limit_reduced_or_closed", ())


def test_rereads_apply_in_order_each_to_the_reading_the_one_before_left() -> None:
    # A named amount turns "how much" into a draw; the plan question then keeps it the borrow check.
    asked = reading("how_much_can_i_borrow", 0.9, amount=Decimal(5000), asks_for_plan=True)
    decision = next_turn(asked, Thread(), "最快什么时候能借5000")
    assert decision.intent == "cannot_borrow" and decision.rereads == ("amount_to_draw",)
    assert len({rule.name for rule in REREADS}) == len(REREADS)


def test_a_product_rule_about_the_maximum_is_a_rule_question_with_the_own_maximum_offered() -> None:
    rule = reading("how_much_can_i_borrow", 0.5, asks_in_general=True)
    rule = rule.model_copy(update={"normalized_text": "what's the max for a single draw?"})
    decision = next_turn(rule, Thread(), "what's the max for a single draw?")
    assert (decision.intent, decision.alternatives) == ("policy_question", ("how_much_can_i_borrow",))
    own = reading("how_much_can_i_borrow", 0.9, speaks_of_self=True)
    assert next_turn(own, Thread(), "我最多能借多少").intent == "how_much_can_i_borrow"


def test_own_repayment_after_the_posting_rule_is_the_limit_question() -> None:
    rule = reading("out_of_scope", 0.7, asks_posting_time=True, asks_in_general=True)
    thread = after(next_turn(rule, Thread(), "银行卡还款一般多久到账"), Thread(), "zh")
    assert thread.about == "limit_not_restored"
    mine = reading("out_of_scope", 0.7, speaks_of_self=True, may_lean_back=True, is_follow_up=True)
    assert next_turn(mine, thread, "我昨天那笔呢").intent == "limit_not_restored"
    named = reading("limit_reduced_or_closed", 0.7, speaks_of_self=True, may_lean_back=True,
                    named_topic="limit_not_restored")
    assert next_turn(named, Thread(intent="policy_question", about="limit_increase"), "我的那笔呢 到底什么时候恢复").intent \
        == "limit_not_restored"


def test_a_short_turn_naming_no_topic_stays_in_the_accounts_thread() -> None:
    stray = reading("limit_increase", 0.65, may_lean_back=True, speaks_of_self=True)
    decision = next_turn(stray, BORROW_THREAD, "I click more times it will pass?")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "follow_up")
    unasked = reading("appeal_or_human", 0.69, may_lean_back=True)
    assert next_turn(unasked, BORROW_THREAD, "so age is the issue? what can I do").intent == "cannot_borrow"
    named = reading("limit_increase", 0.65, may_lean_back=True, named_topic="limit_increase")
    assert next_turn(named, BORROW_THREAD, "那提额呢").intent == "limit_increase"
    # Short "why" turns read confidently as another situation ("why though? it's my own credit
    # line" → a closure at 0.95): naming nothing, they still ask about the thread.
    why = reading("limit_reduced_or_closed", 0.94, may_lean_back=True, speaks_of_self=True)
    assert next_turn(why, BORROW_THREAD, "why though? it's my own credit line").transition == "follow_up"


def test_how_to_open_the_line_is_a_rule_question_whoever_asks() -> None:
    how = reading("limit_increase", 0.7, asks_how_to=True, speaks_of_self=True, may_lean_back=True)
    assert next_turn(how, Thread(), "我还没开通啊 那要怎么开").intent == "policy_question"
    follow = reading("cannot_borrow", 0.7, asks_how_to=True, is_follow_up=True)
    assert next_turn(follow, BORROW_THREAD, "how do I get it opened then").intent == "policy_question"


def test_a_sure_reading_of_another_situation_leaves_the_thread() -> None:
    sure = reading("how_much_can_i_borrow", 0.99, may_lean_back=True)
    assert next_turn(sure, BORROW_THREAD, "how much could I get?").intent == "how_much_can_i_borrow"


def test_the_minimum_draw_is_a_rule_question_whoever_asks() -> None:
    least = reading("how_much_can_i_borrow", 0.8, speaks_of_self=True)
    least = least.model_copy(update={"normalized_text": "what's the smallest amount i can borrow in one go?"})
    assert next_turn(least, Thread(), "what's the smallest amount I can borrow in one go?").intent == "policy_question"


def test_an_objection_that_names_no_repayment_stays_in_the_thread() -> None:
    from assistant.nlu.model import ReportedRepayment

    objection = reading("limit_not_restored", 0.91, may_lean_back=True, at_is_past=True,
                        reported_repayment=ReportedRepayment())
    thread = Thread(intent="limit_increase")
    assert next_turn(objection, thread, "我早就还清了啊").intent == "limit_increase"
    named = reading("limit_not_restored", 0.91, at_is_past=True, reported_repayment=ReportedRepayment(amount=Decimal(800)))
    assert next_turn(named, thread, "昨天还了800额度还没回来").intent == "limit_not_restored"


def test_a_general_question_asked_in_passing_switches_to_the_rule_when_the_model_ranks_it() -> None:
    general = reading("out_of_scope", 0.95, asks_in_general=True,
                      ranked=(("out_of_scope", 0.95), ("policy_question", 0.05)))
    general = general.model_copy(update={"normalized_text": "一般换收款卡以后多久能生效"})
    assert next_turn(general, BORROW_THREAD, "一般换收款卡以后多久能生效").intent == "policy_question"
    weak = general.model_copy(update={"normalized_text": "那怎么办 多久能解"})
    assert next_turn(weak, BORROW_THREAD, "那怎么办 多久能解").intent == "cannot_borrow"


def test_when_can_i_borrow_after_another_topic_is_the_borrow_check() -> None:
    when = reading("limit_reduced_or_closed", 0.7, asks_for_plan=True, names_borrowing=True, is_follow_up=True)
    assert next_turn(when, Thread(intent="limit_reduced_or_closed"), "还了以后啥时候能借").intent == "cannot_borrow"


def test_a_question_the_writer_marks_as_new_never_leans_on_the_thread() -> None:
    new = reading("out_of_scope", 0.6, starts_new_topic=True, is_follow_up=True, may_lean_back=True)
    decision = next_turn(new, BORROW_THREAD, "ok. separate thing - how do i change the card my repayments come out of")
    assert (decision.intent, decision.transition) == ("out_of_scope", "new_topic")


def test_a_weak_general_marker_leaves_a_short_follow_up_in_the_thread() -> None:
    from assistant.nlu import cues

    assert cues.could_be_about_the_thread("大概多久能审完") and cues.asks_in_general("大概多久能审完")
    assert not cues.could_be_about_the_thread("单笔最低借多少")


def test_a_short_follow_up_with_only_a_weak_general_marker_is_about_the_account() -> None:
    review = reading("policy_question", 0.95, asks_in_general=True, may_lean_back=True, asks_when=True)
    decision = next_turn(review, BORROW_THREAD, "大概多久能审完")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "follow_up")
    plan = reading("policy_question", 0.9, asks_in_general=True, may_lean_back=True, asks_for_plan=True,
                   names_borrowing=True, asks_when=True)
    assert next_turn(plan, Thread(intent="limit_increase"), "更新完多久能借").intent == "cannot_borrow"


def test_a_sure_thank_you_with_no_question_closes_the_topic() -> None:
    thanks = reading("greeting", 0.99, may_lean_back=True)
    assert next_turn(thanks, BORROW_THREAD, "好吧，谢谢").transition == "close"
    assert next_turn(thanks, BORROW_THREAD, "thanks, so 3000 then?").intent == "cannot_borrow"


def test_an_off_topic_question_in_a_thread_is_out_of_scope() -> None:
    fees = reading("limit_increase", 0.5, off_topic=True, is_follow_up=True)
    assert next_turn(fees, Thread(intent="limit_increase"), "Also, what's the interest rate on the loan I have now?").intent \
        == "out_of_scope"


def test_a_draw_asked_now_beside_a_past_event_is_the_borrow_check() -> None:
    now = reading("limit_increase", 0.35, asks_to_draw=True, amount=Decimal(9000), at_is_past=True, asks_now=True)
    assert next_turn(now, Thread(), "我今天已经借了三笔了，现在还想借九千可以吗").intent == "cannot_borrow"


def test_the_earliest_reapplication_after_an_increase_is_not_a_draw() -> None:
    again = reading("cannot_borrow", 0.6, asks_for_plan=True, is_follow_up=True)
    assert next_turn(again, Thread(intent="limit_increase"), "最早哪天可以再申请？").intent == "limit_increase"


def test_a_question_framed_as_general_is_a_rule_question_whatever_the_model_leans_to() -> None:
    framed = reading("how_much_can_i_borrow", 0.8, asks_in_general=True, frames_as_general=True,
                     ranked=(("how_much_can_i_borrow", 0.8), ("cannot_borrow", 0.1)))
    decision = next_turn(framed, Thread(), "General question first: what's the single-draw cap on this credit line?")
    assert (decision.intent, decision.alternatives) == ("policy_question", ("how_much_can_i_borrow",))


def test_what_the_app_shows_is_the_writers_situation_even_when_the_model_reads_it_off_topic() -> None:
    shown = reading("out_of_scope", 0.88, quotes_app_message=True,
                    ranked=(("out_of_scope", 0.88), ("cannot_borrow", 0.1)))
    assert next_turn(shown, Thread(), "借钱提示银行卡异常 我尾号4021的卡上个月就到期了").intent == "cannot_borrow"
    sms = reading("out_of_scope", 0.88, quotes_app_message=True, off_topic=True,
                  ranked=(("out_of_scope", 0.88), ("cannot_borrow", 0.1)))
    assert next_turn(sms, Thread(), "短信提示验证码错误").intent == "out_of_scope"


def test_an_unsure_situation_reading_of_a_fee_question_is_out_of_scope_with_the_situation_offered() -> None:
    fees = reading("how_much_can_i_borrow", 0.56, off_topic=True,
                   ranked=(("how_much_can_i_borrow", 0.56), ("out_of_scope", 0.41)))
    decision = next_turn(fees, Thread(intent="limit_increase"), "Also, what's the interest rate on the loan I have now?")
    assert (decision.intent, decision.alternatives) == ("out_of_scope", ("how_much_can_i_borrow",))


def test_a_named_restore_read_as_off_topic_is_the_limit_question() -> None:
    posted = reading("out_of_scope", 0.86, named_topic="limit_not_restored")
    assert next_turn(posted, Thread(), "Yesterday 3pm 我用银行卡 repay 了 2,500，现在还是没入账").intent == "limit_not_restored"


def test_a_time_asked_about_a_rule_is_not_a_what_if() -> None:
    from datetime import datetime

    rule = reading("policy_question", 0.87, asks_in_general=True, at=datetime(2026, 11, 20, 12, tzinfo=UTC))
    assert next_turn(rule, Thread(), "借呗每天晚上几点到几点是系统维护时间呀？").intent == "policy_question"


def test_a_limit_the_words_say_went_down_is_never_an_increase_question() -> None:
    down = reading("limit_increase", 0.6, named_topic="limit_reduced_or_closed", amount=Decimal(15000))
    assert next_turn(down, Thread(), "我额度怎么从3万变成1.5万了").intent == "limit_reduced_or_closed"


def test_a_line_that_cannot_be_used_is_the_borrow_question_over_a_maximum_or_an_unsure_off_topic_reading() -> None:
    unusable = reading("how_much_can_i_borrow", 0.39, cannot_use=True, named_topic="cannot_borrow")
    assert next_turn(unusable, Thread(), "why is my limit not usable").intent == "cannot_borrow"
    too_old = reading("out_of_scope", 0.47, cannot_use=True, speaks_of_self=True)
    assert next_turn(too_old, Thread(), "我今年61了 借呗是不是不让借了").intent == "cannot_borrow"
    huabei = reading("out_of_scope", 0.9, cannot_use=True, other_product=True)
    assert next_turn(huabei, Thread(), "花呗用不了了").intent == "out_of_scope"
    maximum = reading("how_much_can_i_borrow", 0.7, cannot_use=True, named_topic="how_much_can_i_borrow")
    assert next_turn(maximum, Thread(), "额度用不了，那我最多能借多少").intent == "how_much_can_i_borrow"


def test_a_rule_reading_of_the_writers_own_named_state_is_their_situation() -> None:
    ranked = (("policy_question", 0.35), ("limit_reduced_or_closed", 0.32), ("out_of_scope", 0.27))
    frozen = reading("policy_question", 0.35, ranked=ranked, speaks_of_self=True, named_topic="limit_reduced_or_closed")
    decision = next_turn(frozen, Thread(), "现在借呗被冻结了。这周五发工资就能还上，还完能解冻吗？")
    assert (decision.intent, decision.rereads) == ("limit_reduced_or_closed", ("own_situation_named",))
    general = frozen.model_copy(update={"asks_in_general": True})
    assert next_turn(general, Thread(), "借呗被冻结了一般还完多久能解冻").intent == "policy_question"
    far = reading("policy_question", 0.6, ranked=(("policy_question", 0.6), ("out_of_scope", 0.3),
                                                  ("limit_reduced_or_closed", 0.1)),
                  speaks_of_self=True, named_topic="limit_reduced_or_closed")
    assert next_turn(far, Thread(), "我被冻结了，冻结是什么意思").intent == "policy_question"


def test_the_plan_to_a_draw_after_a_rule_or_a_maximum_is_the_borrow_check() -> None:
    after_rule = reading("how_much_can_i_borrow", 0.93, what_if=True, may_lean_back=True, speaks_of_self=True,
                         names_borrowing=True, asks_for_plan=True)
    decision = next_turn(after_rule, Thread(intent="policy_question"), "那我要是先还一部分，还多少我才能借出来？")
    assert decision.intent == "cannot_borrow"
    after_max = reading("cannot_borrow", 0.6, may_lean_back=True, names_borrowing=True, asks_for_plan=True)
    decision = next_turn(after_max, Thread(intent="how_much_can_i_borrow"), "换完卡以后最快什么时候能借")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "new_topic")


def test_a_time_in_an_opening_message_that_names_no_borrowing_is_not_a_what_if() -> None:
    weather = reading("out_of_scope", 0.73, at=datetime(2026, 11, 21, 10, tzinfo=UTC))
    assert next_turn(weather, Thread(), "明天杭州天气怎么样").intent == "out_of_scope"
    draw = reading("out_of_scope", 0.5, at=datetime(2026, 11, 21, 10, tzinfo=UTC), names_borrowing=True)
    assert next_turn(draw, Thread(), "明天能借吗").intent == "cannot_borrow"


def test_an_explicitly_general_question_inside_a_thread_is_a_rule_question() -> None:
    general = reading("policy_question", 0.99, what_if=True, speaks_of_self=True, frames_as_general=True)
    decision = next_turn(general, BORROW_THREAD, "in general what happen after ID expire if I dont update")
    assert (decision.intent, decision.transition) == ("policy_question", "new_topic")


def test_instalments_are_out_of_scope_inside_a_borrowing_thread() -> None:
    instalments = reading("out_of_scope", 0.99, may_lean_back=True, off_topic=True)
    assert next_turn(instalments, BORROW_THREAD, "分12期的话每个月要还多少").intent == "out_of_scope"


def test_a_question_whether_something_is_the_reason_stays_in_the_thread() -> None:
    closed = Thread(intent="limit_reduced_or_closed", lang="zh")
    doubt = reading("cannot_borrow", 0.97, asks_about_cause=True, may_lean_back=True, speaks_of_self=True)
    decision = next_turn(doubt, closed, "就因为我没怎么用？？")
    assert (decision.intent, decision.transition) == ("limit_reduced_or_closed", "follow_up")
    other = reading("limit_increase", 0.9, asks_about_cause=True, named_topic="limit_increase")
    assert next_turn(other, closed, "是因为这个所以不能提额吗").intent == "limit_increase"


def test_whether_the_writer_can_borrow_is_the_borrow_check() -> None:
    own = reading("policy_question", 0.63, asks_if_can_borrow=True, speaks_of_self=True, asks_now=True)
    decision = next_turn(own, Thread(), "身份证过期了 新的已经拿到了 现在还能借吗")
    assert (decision.intent, decision.rereads) == ("cannot_borrow", ("asks_if_i_can_borrow",))
    general = reading("policy_question", 0.8, asks_if_can_borrow=True)
    assert next_turn(general, Thread(), "借完了以后还能再借吗").intent == "policy_question"
    rule = reading("policy_question", 0.8, asks_if_can_borrow=True, speaks_of_self=True)
    assert next_turn(rule, Thread(), "Can I still borrow if I have an overdue payment?").intent == "policy_question"


def test_a_rule_question_after_a_rule_answer_stays_a_rule_even_when_it_names_a_maximum() -> None:
    rule = reading("policy_question", 0.88, is_follow_up=True, asks_in_general=True, names_borrowing=True,
                   named_topic="how_much_can_i_borrow")
    assert next_turn(rule, Thread(intent="policy_question"), "那借呗规定单笔最多能借多少").intent == "policy_question"


def test_the_minimum_draw_asked_inside_a_borrowing_thread_is_the_products_rule() -> None:
    minimum = reading("how_much_can_i_borrow", 0.79, is_follow_up=True, speaks_of_self=True, names_borrowing=True)
    minimum = minimum.model_copy(update={"normalized_text": "and what's the minimum i can borrow?"})
    assert next_turn(minimum, BORROW_THREAD, "and what's the minimum I can borrow?").intent == "policy_question"


def test_whether_the_writer_can_borrow_now_after_another_topic_is_the_borrow_check() -> None:
    own = reading("limit_reduced_or_closed", 0.6, is_follow_up=True, may_lean_back=True, speaks_of_self=True,
                  asks_if_can_borrow=True, asks_now=True, names_borrowing=True)
    decision = next_turn(own, Thread(intent="limit_reduced_or_closed"), "那我现在能正常借钱吗")
    assert decision.intent == "cannot_borrow"


def test_a_rule_asked_in_passing_remembers_the_accounts_topic_for_the_next_turn() -> None:
    rule = reading("policy_question", 0.9, asks_in_general=True, frames_as_general=True, is_follow_up=True)
    thread = Thread(intent="how_much_can_i_borrow", lang="en")
    decision = next_turn(rule, thread, "does this maintenance happen every night? what are the usual hours?")
    assert (decision.intent, decision.about) == ("policy_question", "how_much_can_i_borrow")
    now = reading("policy_question", 0.5, is_follow_up=True, may_lean_back=True, speaks_of_self=True, asks_now=True)
    assert next_turn(now, after(decision, thread, "en"), "now?").intent == "how_much_can_i_borrow"


def test_an_amount_after_a_rule_answer_is_a_draw_to_check() -> None:
    amount = reading("policy_question", 0.6, is_follow_up=True, may_lean_back=True, amount=Decimal(55000))
    decision = next_turn(amount, Thread(intent="policy_question"), "ok 55000 then?")
    assert (decision.intent, decision.amount) == ("cannot_borrow", Decimal(55000))


def test_a_rule_question_about_another_product_only_is_out_of_scope() -> None:
    other = reading("policy_question", 0.7, other_product=True, names_borrowing=True)
    decision = next_turn(other, Thread(), "网商贷能借多少")
    assert (decision.intent, decision.alternatives) == ("out_of_scope", ("policy_question",))


def test_a_rule_question_after_an_account_topic_remembers_it_for_the_own_case_next() -> None:
    rule = reading("policy_question", 0.95, asks_in_general=True)
    decision = next_turn(rule, BORROW_THREAD, "In general, what does a loan-purpose review check?")
    assert (decision.intent, decision.about) == ("policy_question", "cannot_borrow")
    back = reading("policy_question", 0.71, speaks_of_self=True, may_lean_back=True)
    thread = after(decision, BORROW_THREAD, "en")
    assert next_turn(back, thread, "ok back to mine, will it be done by Monday?").intent == "cannot_borrow"


def test_a_rule_question_about_a_check_is_about_the_borrow_check_for_the_own_case_next() -> None:
    rule = reading("policy_question", 0.98, asks_in_general=True, names_a_check=True)
    decision = next_turn(rule, Thread(), "风控复核一般要多久？")
    assert (decision.intent, decision.about) == ("policy_question", "cannot_borrow")
    mine = reading("out_of_scope", 0.99, speaks_of_self=True, may_lean_back=True)
    assert next_turn(mine, after(decision, Thread(), "zh"), "我这个是哪天结束").intent == "cannot_borrow"


def test_a_draw_at_a_named_time_after_a_rule_answer_is_the_borrow_check() -> None:
    later = reading("policy_question", 0.96, speaks_of_self=True, may_lean_back=True, names_borrowing=True,
                    is_follow_up=True, at=datetime(2026, 11, 21, 0, 0, tzinfo=UTC))
    thread = Thread(intent="policy_question", offered=(("现在最多能借多少？", "how_much_can_i_borrow"),))
    assert next_turn(later, thread, "那我晚上12点一过就借").intent == "cannot_borrow"


def test_whether_one_can_borrow_after_ones_own_repayment_is_the_borrow_check() -> None:
    from assistant.nlu.model import ReportedRepayment

    repaid = reading("policy_question", 0.57, asks_if_can_borrow=True, names_borrowing=True, at_is_past=True,
                     reported_repayment=ReportedRepayment(amount=Decimal(8000), channel="bank_transfer"))
    assert next_turn(repaid, Thread(), "今晚 bank transfer 还了8000, 周末能借钱吗").intent == "cannot_borrow"


def test_an_acceptance_that_thanks_closes_the_topic_unless_it_asks_or_names_an_amount() -> None:
    accepts = reading("out_of_scope", 0.43, accepts_and_closes=True, is_follow_up=True)
    assert next_turn(accepts, BORROW_THREAD, "ok 那就等24号吧，谢谢").transition == "close"
    draw = reading("cannot_borrow", 0.9, accepts_and_closes=True, amount=Decimal(3000))
    assert next_turn(draw, BORROW_THREAD, "ok 那我借3000吧，谢谢").intent == "cannot_borrow"
    person = reading("appeal_or_human", 0.95, accepts_and_closes=True, asks_for_person=True)
    assert next_turn(person, BORROW_THREAD, "好的，帮我转人工，谢谢").transition == "hand_off"


def test_an_unsure_off_topic_reading_of_a_question_about_a_check_is_a_rule_question() -> None:
    unsure = reading("out_of_scope", 0.35, names_a_check=True, names_borrowing=True,
                     ranked=(("out_of_scope", 0.35), ("cannot_borrow", 0.21), ("policy_question", 0.2)))
    decision = next_turn(unsure, Thread(), "为什么借款要人脸识别")
    assert (decision.intent, decision.rereads) == ("policy_question", ("unsure_about_a_check",))
    assert "out_of_scope" not in decision.alternatives and decision.about != "out_of_scope"
    own = unsure.model_copy(update={"speaks_of_self": True})
    assert next_turn(own, Thread(), "review 什么时候结束啊，loan purpose 我都填了").intent == "cannot_borrow"


def test_a_repayment_reported_as_not_shown_is_a_limit_question_whatever_the_model_reads() -> None:
    from assistant.nlu.model import ReportedRepayment

    still = reading("cannot_borrow", 0.8, named_topic="limit_not_restored",
                    reported_repayment=ReportedRepayment(amount=Decimal(1200), channel="bank_transfer"))
    assert next_turn(still, Thread(), "I paid the overdue 1200 … why does my account still say overdue?").intent \
        == "limit_not_restored"
    asks_too = reading("limit_not_restored", 0.8, named_topic="limit_not_restored", asks_if_can_borrow=True,
                       reported_repayment=ReportedRepayment(amount=Decimal(8000), channel="bank_transfer"))
    assert next_turn(asks_too, Thread(), "今晚8点转账还了8000，额度怎么没回来？周末能借吗？").intent == "limit_not_restored"


def test_whether_one_can_borrow_at_a_named_time_after_another_topic_is_the_borrow_check() -> None:
    later = reading("limit_not_restored", 0.9, asks_if_can_borrow=True, may_lean_back=True, is_follow_up=True,
                    at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    thread = Thread(intent="limit_not_restored")
    assert next_turn(later, thread, "will I be able to borrow on Monday then?").intent == "cannot_borrow"


def test_an_unsure_off_topic_reading_of_whether_i_can_borrow_is_the_borrow_check() -> None:
    own = reading("out_of_scope", 0.55, asks_if_can_borrow=True, speaks_of_self=True, names_borrowing=True)
    assert next_turn(own, Thread(), "我今年61了，还能用借呗借钱吗").intent == "cannot_borrow"
    sure = own.model_copy(update={"confidence": 0.9})
    assert next_turn(sure, Thread(), "x").intent == "out_of_scope"


def test_own_case_after_a_rule_about_borrowing_is_the_borrow_check() -> None:
    rule = reading("policy_question", 0.95, names_borrowing=True, asks_in_general=True)
    decision = next_turn(rule, Thread(), "do late payments stop people borrowing?")
    thread = after(decision, Thread(), "en")
    assert (decision.intent, thread.about) == ("policy_question", "cannot_borrow")
    mine = next_turn(reading("policy_question", 0.8, speaks_of_self=True, may_lean_back=True), thread, "ok and me?")
    assert (mine.intent, mine.transition) == ("cannot_borrow", "own_case")


def test_a_cap_questioned_on_a_draw_read_off_topic_is_the_borrow_check() -> None:
    capped = reading("out_of_scope", 0.45, amount=Decimal(5000), quotes_an_amount=True)
    decision = next_turn(capped, Thread(), "tried 5000, it only offers 3000. why")
    assert (decision.intent, decision.amount) == ("cannot_borrow", Decimal(5000))
    assert "questions_a_cap_on_a_draw" in decision.rereads
    fees = reading("out_of_scope", 0.45, amount=Decimal(5000), quotes_an_amount=True, off_topic=True)
    assert next_turn(fees, Thread(), "借5000只收3000利息?").intent == "out_of_scope"


def test_another_product_blamed_for_the_writers_block_is_a_question_about_this_line() -> None:
    blamed = reading("cannot_borrow", 0.9, other_product=True, asks_about_cause=True, cannot_use=True)
    assert next_turn(blamed, Thread(), "信用卡欠得多 是不是这个原因借不了").intent == "cannot_borrow"
    elsewhere = reading("cannot_borrow", 0.9, other_product=True, cannot_use=True)
    assert next_turn(elsewhere, Thread(), "网商贷借不了了").intent == "out_of_scope"
    # the app's own message about this line, quoted, with the other product named in passing
    quoted = reading("cannot_borrow", 0.99, other_product=True, cannot_use=True, quotes_app_message=True)
    assert next_turn(quoted, Thread(), "提示暂时无法借款，我只是在淘宝买了点东西").intent == "cannot_borrow"


def test_another_product_repaid_as_a_what_if_inside_the_thread_stays_in_it() -> None:
    step = reading("out_of_scope", 0.99, other_product=True, what_if=True, may_lean_back=True)
    assert next_turn(step, BORROW_THREAD, "我把花呗先还清了能借吗").intent == "cannot_borrow"
    about_it = reading("out_of_scope", 0.99, other_product=True, is_follow_up=True, may_lean_back=True)
    assert next_turn(about_it, BORROW_THREAD, "那花呗呢").intent == "out_of_scope"


def test_all_of_it_after_how_much_is_a_draw_to_check() -> None:
    how_much = Thread(intent="how_much_can_i_borrow", lang="en")
    everything = reading("policy_question", 0.87, draws_everything=True, may_lean_back=True, speaks_of_self=True)
    assert next_turn(everything, how_much, "could I take all of it in one go?").intent == "cannot_borrow"


def test_when_the_accounts_case_ends_after_a_rule_asked_inside_a_borrow_thread_is_the_borrow_check() -> None:
    when = reading("out_of_scope", 0.42, may_lean_back=True, asks_when=True)
    after_rule = Thread(intent="policy_question", about="cannot_borrow")
    assert next_turn(when, after_rule, "ok what time tomorrow exactly").intent == "cannot_borrow"
    # after a rule asked on its own, the same words are still about the rule
    assert next_turn(when, Thread(intent="policy_question"), "ok what time tomorrow exactly").intent != "cannot_borrow"


def test_whether_something_would_lower_the_limit_is_a_rule_even_in_the_first_person_and_inside_a_thread() -> None:
    effect = reading("limit_reduced_or_closed", 0.7, may_lean_back=True, asks_effect_on_limit=True, speaks_of_self=True)
    first = next_turn(effect, Thread(), "我提前还了一笔，额度会不会被降")
    assert (first.intent, first.alternatives) == ("policy_question", ("limit_reduced_or_closed",))
    inside = next_turn(effect, Thread(intent="cannot_borrow"), "那我的额度会不会被降")
    assert (inside.intent, inside.about) == ("policy_question", "cannot_borrow")


def test_after_a_refused_request_about_someone_elses_account_mine_asks_the_same_of_the_writers_own() -> None:
    refused = reading("unsafe_request", 1.0, ranked=(("unsafe_request", 1.0), ("policy_question", 0.3),
                                                     ("how_much_can_i_borrow", 0.2)))
    decision = next_turn(refused, Thread(), "my husband's available limit please")
    thread = after(decision, Thread(), "en")
    assert thread.refused_about == "how_much_can_i_borrow"
    mine = reading("out_of_scope", 0.5, may_lean_back=True, speaks_of_self=True)
    assert next_turn(mine, thread, "ok then just mine").intent == "how_much_can_i_borrow"
    # one turn later the refusal is no longer what "mine" refers to
    later = after(next_turn(reading("greeting", 1.0), thread, "thanks"), thread, "en")
    assert later.refused_about is None
    assert Thread.from_dict(thread.to_dict()) == thread


def test_a_named_repayment_whose_effect_on_the_limit_is_questioned_in_a_borrow_thread_is_the_limit_question() -> None:
    paid = ReportedRepayment(amount=Decimal(2000))
    shown = next_turn(reading("cannot_borrow", 0.7, reported_repayment=paid, names_the_limit=True, is_follow_up=True),
                      BORROW_THREAD, "我下午还了2000，可用怎么还是这么点")
    assert (shown.intent, shown.transition) == ("limit_not_restored", "new_topic")
    when = next_turn(reading("out_of_scope", 0.7, reported_repayment=paid, asks_when=True, is_follow_up=True),
                     BORROW_THREAD, "那这2000哪天能到")
    assert when.intent == "limit_not_restored"
    # Paying the overdue asks whether the block lifts: the borrow check (guide rule 15).
    overdue = next_turn(reading("cannot_borrow", 0.7, reported_repayment=paid, names_the_limit=True,
                                names_overdue=True, is_follow_up=True), BORROW_THREAD, "逾期的2000我还了，额度呢")
    assert overdue.intent == "cannot_borrow"
    # Named, but nothing about the limit questioned: the thread's own objection.
    bare = next_turn(reading("cannot_borrow", 0.7, reported_repayment=paid, is_follow_up=True), BORROW_THREAD,
                     "我昨天还了2000的")
    assert bare.intent == "cannot_borrow"


def test_how_or_when_to_get_more_limit_oneself_stays_the_increase_question() -> None:
    # labelling guide rule 5: "多久能再申请提额" is limit_increase; "提额需要什么条件" is a rule question
    ranked = (("limit_increase", 0.9), ("policy_question", 0.1))
    again = reading("limit_increase", 0.9, ranked=ranked, asks_in_general=True, wants_more_limit=True)
    assert next_turn(again, Thread(lang="zh"), "我提额被拒了多久能再申请").intent == "limit_increase"
    conditions = reading("limit_increase", 0.9, ranked=ranked, asks_in_general=True)
    assert next_turn(conditions, Thread(lang="zh"), "提额需要什么条件").intent == "policy_question"


def test_at_least_alone_does_not_ask_for_the_minimum_draw() -> None:
    ranked = (("how_much_can_i_borrow", 0.99), ("out_of_scope", 0.01))
    own = reading("how_much_can_i_borrow", 0.99, ranked=ranked, normalized_text="can you at least tell me how much i'd get")
    assert next_turn(own, Thread(lang="en"), "can you at least tell me how much I'd get").intent == "how_much_can_i_borrow"
    least = reading("how_much_can_i_borrow", 0.99, ranked=ranked, normalized_text="what's the least i can borrow")
    assert next_turn(least, Thread(lang="en"), "what's the least I can borrow").intent == "policy_question"


def test_an_unsure_situation_reading_gives_way_to_the_situation_the_words_name() -> None:
    ranked = (("cannot_borrow", 0.56), ("limit_reduced_or_closed", 0.41))
    closed = reading("cannot_borrow", 0.56, ranked=ranked, named_topic="limit_reduced_or_closed")
    decision = next_turn(closed, Thread(), "My line got closed on Oct 30?? is it because I didn't borrow")
    assert decision.intent == "limit_reduced_or_closed" and "names_the_runner_up" in decision.rereads
    assert decision.alternatives == ("cannot_borrow",)
    # a sure reading, or one that asks to borrow, keeps the model's reading
    sure = reading("cannot_borrow", 0.9, named_topic="limit_reduced_or_closed")
    assert next_turn(sure, Thread(), "x").intent == "cannot_borrow"
    draw = reading("cannot_borrow", 0.56, ranked=ranked, named_topic="limit_reduced_or_closed", asks_if_can_borrow=True)
    assert next_turn(draw, Thread(), "x").intent == "cannot_borrow"


def test_whether_one_can_borrow_at_a_time_after_how_much_is_the_borrow_check() -> None:
    how_much = Thread(intent="how_much_can_i_borrow", lang="zh")
    tomorrow = datetime(2026, 11, 21, 10, tzinfo=UTC)
    asks = reading("policy_question", 0.7, asks_if_can_borrow=True, at=tomorrow, may_lean_back=True, is_follow_up=True)
    decision = next_turn(asks, how_much, "明天早上十点能借吗")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "new_topic")
    # questioning the figure just given stays with it
    figure = reading("cannot_borrow", 0.7, quotes_an_amount=True, may_lean_back=True)
    assert next_turn(figure, how_much, "为什么不是2万").intent == "how_much_can_i_borrow"


def test_when_the_threads_block_ends_stays_in_the_thread_though_read_as_a_repayment_not_restored() -> None:
    back = reading("limit_not_restored", 0.99, asks_when=True, may_lean_back=True)
    decision = next_turn(back, BORROW_THREAD, "when will it be back up")
    assert (decision.intent, decision.transition) == ("cannot_borrow", "follow_up")
    # the limit or a repayment named is the repayment question
    limit = reading("limit_not_restored", 0.99, asks_when=True, may_lean_back=True, names_the_limit=True)
    assert next_turn(limit, BORROW_THREAD, "when will my limit be back").intent == "limit_not_restored"
