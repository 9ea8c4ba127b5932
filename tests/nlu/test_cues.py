"""Cue readings that decide a turn whatever the model leans to (assistant/nlu/data/cues.yaml)."""

import pytest

from assistant.nlu import cues, understand
from tests.helpers.nlu import NOW


@pytest.mark.parametrize("text", [
    "听说借呗提前还款能提额，是真的吗",
    "我朋友说逾期一天就永远借不了了，真的假的",
    "someone on tiktok said if I borrow and repay many times in one day the system will increase my limit. true?",
    "yesterday my friend say if I overdue even one day I cannot borrow forever. is that true?",
])
def test_a_rumour_to_check_is_a_question_about_the_rules_even_in_the_first_person(text: str) -> None:
    assert cues.asks_in_general(text.lower())


@pytest.mark.parametrize("text", ["我逾期一天了，现在能借吗", "my friend paid for me, why is my limit still low"])
def test_the_writers_own_state_without_a_rumour_is_not_a_rule_question(text: str) -> None:
    assert not cues.asks_in_general(text.lower())


def test_a_reported_text_message_is_not_a_question_about_messages() -> None:
    reported = understand("收到短信说身份证快过期了，会影响我借款吗？我想借一万", now=NOW)
    assert not reported.off_topic and reported.asks_to_draw
    assert understand("为什么收不到短信验证码", now=NOW).off_topic
    assert understand("i never get the sms code", now=NOW).off_topic
    assert not understand("got an sms saying my id expires soon, can i still borrow 3000", now=NOW).off_topic


@pytest.mark.parametrize("text", ["so max today is how much", "可用四千为什么最多只能借两千", "how much is the max i can take",
                                  "How much I can borrow now?", "And what's the max I could get right now?",
                                  "那现在能借的还有多少", "我手上可用的有多少", "how much do I have available now",
                                  "what can I borrow right now", "so how much tops", "just tell me my own available then"])
def test_the_maximum_asked_in_other_words_names_that_topic(text: str) -> None:
    assert understand(text, now=NOW).named_topic == "how_much_can_i_borrow"


@pytest.mark.parametrize("text", [
    "我怀疑有人冒用我的身份信息，那笔借款根本不是我借的，你们要查清楚",
    "someone stole my identity and took a loan in my name",
])
def test_a_report_of_identity_theft_asks_for_a_person(text: str) -> None:
    assert cues.asks_for_person(text.lower())


def test_a_settlement_certificate_is_off_the_lines_topics() -> None:
    assert understand("Where can I download a settlement certificate for the loan I paid off in September?", now=NOW).off_topic
    assert understand("借呗结清证明在哪里开", now=NOW).off_topic


@pytest.mark.parametrize("text", ["那我的额度还能提吗", "能提回去吗", "can I get the limit raised to 200k",
                                  "Can I apply to get it back up to 30k?"])
def test_raising_the_limit_in_other_words_names_an_increase(text: str) -> None:
    assert understand(text, now=NOW).named_topic == "limit_increase"


def test_whether_one_can_borrow_normally_asks_the_borrow_check() -> None:
    assert understand("那我现在能正常借钱吗", now=NOW).asks_if_can_borrow


@pytest.mark.parametrize("text", ["能不能先借我点钱把逾期还上", "额度还没回来，我能不能先借6000"])
def test_borrowing_first_asks_to_borrow_now(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.asks_if_can_borrow and reading.asks_now


def test_a_limit_the_app_writes_is_quoted_not_drawn() -> None:
    assert understand("我现在最多能借多少？可用额度写的7万，但是又提示什么收入核验", now=NOW).amount is None


@pytest.mark.parametrize("text", ["我急用钱，这太过分了，给我找个人工", "get me a human pls",
                                  "I want a person to look into this payment.", "帮我接一个人工吧",
                                  "叫个客服给我打电话", "could somebody from customer service check it", "hand me over to customer service",
                                  "I need an agent to chase this up"])
def test_a_person_asked_for_in_other_words(text: str) -> None:
    assert cues.asks_for_person(text.lower())


@pytest.mark.parametrize("text", ["how old do you have to be to get a credit line?",
                                  "does this maintenance happen every night? what are the usual hours?"])
def test_a_rule_asked_with_a_generic_you_is_a_rule_question(text: str) -> None:
    assert cues.asks_in_general(text.lower())


def test_where_to_see_a_repayment_record_is_off_the_lines_topics() -> None:
    assert understand("also, where can I see the record of that transfer repayment?", now=NOW).off_topic


def test_a_repayment_that_has_not_restored_the_limit_names_that_topic() -> None:
    reading = understand("also my 980 repayment on the 16th - why hasn't it restored my limit?", now=NOW)
    assert reading.named_topic == "limit_not_restored"


def test_an_available_amount_quoted_after_the_figure_is_not_a_draw() -> None:
    assert understand("but it says 70000 available", now=NOW).amount is None
    assert understand("24号以后就能借这10000了吗", now=NOW).amount == 10000


def test_how_long_a_manual_review_takes_is_a_question_not_a_request_for_one() -> None:
    assert not cues.asks_for_person("人工审核一般要多久")
    assert not cues.asks_for_person("somebody at customer service said to wait a day")
    assert cues.asks_for_person("我要人工审核")


def test_how_to_repay_again_is_repayment_mechanics_but_a_repeated_repayment_is_not() -> None:
    assert understand("我重新还一次要怎么操作", now=NOW).off_topic
    assert not understand("我重新还了一次，怎么还是没恢复", now=NOW).off_topic


@pytest.mark.parametrize("text", ["别跟我说转人工，你直接告诉我周一能不能借3000", "don't transfer me to a human, just explain"])
def test_a_person_declined_is_not_asked_for(text: str) -> None:
    reading = understand(text, now=NOW)
    assert not reading.asks_for_person
    assert reading.named_topic != "appeal_or_human"


def test_a_block_denied_is_a_complaint_about_borrowing() -> None:
    reading = understand("This is ridiculous. I have never missed a payment and you block me?? Explain. Now.", now=NOW)
    assert reading.mentions_wrong_decision and reading.cannot_use


@pytest.mark.parametrize("text", ["every night?", "what is the max number of lenders allowed?"])
def test_rules_asked_in_few_words(text: str) -> None:
    assert understand(text, now=NOW).asks_in_general


def test_what_was_done_today_is_the_writers_own_state_now() -> None:
    reading = understand("今天借了三笔了 还能再借吗", now=NOW)
    assert reading.speaks_of_self and reading.asks_now and reading.asks_if_can_borrow


def test_a_bank_transfer_done_is_a_repayment_reported_not_a_draw() -> None:
    reading = understand("did a bank transfer of 8000 tonight around 8pm to pay my credit line back. "
                         "will my limit be back by tomorrow?", now=NOW)
    assert reading.amount is None and reading.reported_repayment is not None
    assert reading.reported_repayment.amount == 8000


@pytest.mark.parametrize(("text", "topic"), [
    ("18号还的1856.42，怎么额度没涨回来？", "limit_not_restored"),
    ("I paid the overdue 1200 by bank transfer at 8:30 this morning, why does my account still say overdue?",
     "limit_not_restored"),
    ("那我用满90天就能提了吗", "limit_increase"),
])
def test_topics_named_in_other_words(text: str, topic: str) -> None:
    assert understand(text, now=NOW).named_topic == topic


def test_more_readings_in_other_words() -> None:
    assert understand("how do I retry the payment?", now=NOW).off_topic
    assert understand("我在别的几个平台确实也有借款，跟这个有关系吗", now=NOW).asks_about_cause
    assert understand("明白了，谢谢您的解答。", now=NOW).accepts_and_closes
    assert not understand("ID expired？？真的假的，那 upload 新的就行？", now=NOW).frames_as_general
    assert understand("will I be able to borrow on Monday then?", now=NOW).asks_if_can_borrow
    assert understand("and can I still borrow meanwhile? like 2000", now=NOW).asks_now


def test_what_papers_a_procedure_needs_is_asked_in_general_unless_the_writer_asks_for_their_own() -> None:
    assert cues.asks_in_general("申诉需要准备什么材料")
    assert not cues.asks_in_general("需要我提供什么材料 to unfreeze?")


@pytest.mark.parametrize("text", ["平台资金不足是什么意思", "申请太频繁是什么意思", "每天借款次数有限制吗",
                                  "what does too many applications mean"])
def test_the_funding_quota_and_application_count_are_checks_of_the_line(text: str) -> None:
    # An unsure off-topic reading of a question about one of them is a rule question (thread.py).
    assert cues.matches("names_a_check", text.lower())


@pytest.mark.parametrize("text", ["行，那我先去把钱还上", "好吧 等下周再看", "明白了 那我回头再试试",
                                  "ok, I'll wait for the review then", "thanks, i'll try again tomorrow"])
def test_an_acceptance_that_says_what_the_writer_will_do_next_closes_the_topic(text: str) -> None:
    assert understand(text, now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["好 那我等会儿能借吗", "行 那我去还钱，还完多久恢复？", "ok i'll borrow 3000 then"])
def test_an_acceptance_that_still_asks_or_draws_does_not_close(text: str) -> None:
    assert not understand(text, now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["借出来的钱一般多久能打到卡上到账", "放款要多久到账", "这笔钱会到哪张卡",
                                  "how soon will the money land in my bank account?"])
def test_when_a_loans_money_arrives_is_the_apps_payout_not_a_repayment_posting(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.off_topic and not reading.asks_posting_time


@pytest.mark.parametrize("text", ["那借的钱一般多久能打到卡上", "放款到我的新卡要多久", "how long would 80k take to arrive",
                                  "can the loan go to another card to receive the money"])
def test_a_payout_asked_without_the_word_to_account_is_off_the_lines_topics(text: str) -> None:
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["还款在哪里操作", "how do I redo that payment", "could you send me a receipt for it",
                                  "any penalty for paying early?", "how many days do I have to pay it back"])
def test_repayment_mechanics_receipts_and_fees_are_off_the_lines_topics(text: str) -> None:
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["那我以前借的那笔还能照常还吗", "can I keep paying my current loan the usual way",
                                  "有没有没还完的钱", "借到的钱能打到余额里吗", "how long till it lands in my account"])
def test_repaying_an_existing_loan_and_where_a_payout_goes_are_off_the_lines_topics(text: str) -> None:
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["how long after I pay it back will my limit come back", "还款以后额度多久恢复"])
def test_when_the_limit_returns_after_a_repayment_is_not_off_topic(text: str) -> None:
    assert not understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["用银行卡还款多久能到账", "转账还的钱几天能入账"])
def test_when_a_repayment_posts_is_still_asked_as_one(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.asks_posting_time and not reading.off_topic


@pytest.mark.parametrize("text", ["晚还两天会不会影响征信", "借呗的记录会报送征信吗", "does a late payment get reported to the credit bureau?"])
def test_what_goes_on_the_credit_report_is_off_the_lines_topics(text: str) -> None:
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["征信花了还能开通借呗吗", "征信记录上有逾期能借吗", "does my credit report affect my credit line limit?"])
def test_how_the_credit_report_affects_borrowing_here_is_not_off_topic(text: str) -> None:
    # labelling guide rule 10: a question about borrowing on this line
    assert not understand(text, now=NOW).off_topic


@pytest.mark.parametrize("text", ["this is wrong, can somebody please check my account", "put me through to your supervisor",
                                  "叫你们经理来", "钱已经扣了，找个人帮我核实一下"])
def test_a_person_asked_for_by_role_or_as_someone_to_check(text: str) -> None:
    assert understand(text, now=NOW).asks_for_person


@pytest.mark.parametrize("text", ["can someone borrow on my behalf?", "找个人担保能多借点吗"])
def test_someone_named_in_another_sense_is_not_a_request_for_a_person(text: str) -> None:
    assert not understand(text, now=NOW).asks_for_person


@pytest.mark.parametrize("text", ["算了 不用了 谢谢你", "thx, i'll ring them tomorrow", "cheers, I'll wait then"])
def test_a_closing_that_declines_or_thanks_tersely_closes_the_topic(text: str) -> None:
    assert understand(text, now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["transfer me to a human please", "can you connect me to customer service"])
def test_being_put_through_is_a_request_for_a_person(text: str) -> None:
    assert understand(text, now=NOW).asks_for_person


@pytest.mark.parametrize("text", ["为什么啊 上周还能用", "维护好了吗", "恢复了没有", "alright. when can i ask again",
                                  "好吧，还要多久", "ugh why not"])
def test_a_short_why_or_is_it_fixed_yet_leans_on_the_thread(text: str) -> None:
    # never a closing greeting, whatever the model makes of "好好的" or "好了"
    assert understand(text, now=NOW).is_follow_up


def test_instalments_counted_and_a_terse_ok_then_and_are_read() -> None:
    assert understand("借两万分24期 每期还多少钱", now=NOW).off_topic
    assert not understand("借两万分24期可以吗", now=NOW).off_topic  # a draw in instalments is a draw
    assert understand("ok. and how long does the review take?", now=NOW).is_follow_up


def test_a_cap_the_app_offers_is_quoted_and_mechanics_and_connect_me_are_read() -> None:
    capped = understand("wanted 6000 but it caps me at 2500??", now=NOW)
    assert capped.quotes_an_amount and capped.amount == 6000
    assert understand("how can I make a partial repayment?", now=NOW).off_topic
    assert understand("fine, connect me pls", now=NOW).asks_for_person


def test_a_cause_asked_in_other_words_and_a_bill_that_is_only_a_purpose() -> None:
    assert understand("网贷借得多 是不是这个原因", now=NOW).asks_about_cause
    assert not understand("need 20k for a hospital bill", now=NOW).off_topic
    assert understand("when is this month's bill due", now=NOW).off_topic


@pytest.mark.parametrize("text", ["征信查询次数多是啥意思", "资金方是干嘛的", "负债率是指什么", "how is the debt ratio worked out"])
def test_what_a_word_means_or_how_a_figure_is_worked_out_is_asked_in_general(text: str) -> None:
    assert understand(text, now=NOW).asks_in_general


@pytest.mark.parametrize("text", ["那借钱不受影响吧", "不影响我借钱吧", "ok and borrowing?", "我能先借着用吗"])
def test_whether_borrowing_is_affected_asks_whether_the_writer_can_borrow_now(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.asks_if_can_borrow and reading.asks_now


def test_the_writer_coming_back_later_is_no_limit_coming_back() -> None:
    assert understand("what if I come back after midnight", now=NOW).named_topic != "limit_not_restored"
    assert understand("when will my limit come back", now=NOW).named_topic == "limit_not_restored"


def test_a_statement_asked_as_a_question_asks_whether_the_writer_can_borrow_now() -> None:
    reading = understand("good. and I can still borrow like normal?", now=NOW)
    assert reading.asks_if_can_borrow and reading.asks_now
    # a rule asked with "still" is not the writer's now (the public suite's in-overdue-en)
    assert not understand("Can I still borrow if I have an overdue payment?", now=NOW).asks_now


@pytest.mark.parametrize("text", ["my transfer from this morning isn't showing on the limit yet", "还款 3000 一直 pending 怎么回事"])
def test_a_repayment_not_showing_names_the_limit_question(text: str) -> None:
    assert understand(text, now=NOW).named_topic == "limit_not_restored"


@pytest.mark.parametrize("text", ["好的，我晚上把钱还上，谢谢啦", "understood, I'll renew the ID first. thanks a lot",
                                  "ok I'll check back next week. bye", "知道了，就这样吧", "好吧算了，等我换了卡再来", "行。"])
def test_a_message_that_asks_nothing_and_ends_in_thanks_or_goodbye_closes_the_topic(text: str) -> None:
    assert understand(text, now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["为啥还是借不出来，谢谢", "那下周一呢？谢谢", "我想借钱，谢谢", "please help me borrow, thanks"])
def test_a_message_that_still_asks_something_does_not_close_however_it_ends(text: str) -> None:
    assert not understand(text, now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["还款的入口在哪里", "怎么换绑我的银行卡", "在哪能查到借款记录", "how do I change my repayment card",
                                  "can you send me the contract by email", "where can i see my old applications"])
def test_how_or_where_to_do_something_in_the_app_is_a_procedure_question(text: str) -> None:
    assert understand(text, now=NOW).asks_procedure


@pytest.mark.parametrize("text", ["怎么还是借不了", "要等多久", "how come it failed", "why can't I borrow"])
def test_a_complaint_or_a_wait_is_not_a_procedure_question(text: str) -> None:
    assert not understand(text, now=NOW).asks_procedure


@pytest.mark.parametrize("text", ["借6000几天能到账", "借两万多久到卡"])
def test_when_a_named_draw_reaches_the_card_is_the_apps_payout(text: str) -> None:
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize(("text", "limit", "overdue"), [
    ("上午还了1500，怎么可用还没变", True, False),
    ("paid 900 this morning, shouldn't my available be higher", True, False),
    ("欠的那800我已经还了", False, True),
    ("I cleared the overdue amount an hour ago", False, True),
])
def test_the_limit_and_the_overdue_a_repayment_is_reported_against(text: str, limit: bool, overdue: bool) -> None:
    reading = understand(text, now=NOW)
    assert (reading.names_the_limit, reading.names_overdue) == (limit, overdue)


@pytest.mark.parametrize("text", ["你好", "您好，在吗", "hi there", "hello?", "早上好"])
def test_a_hello_says_hello(text: str) -> None:
    assert understand(text, now=NOW).says_hello


@pytest.mark.parametrize("text", ["好的 谢谢", "ok thanks, that's all", "谢谢，再见", "this helps, thank you", "晚安"])
def test_a_thanks_or_goodbye_is_not_a_hello(text: str) -> None:
    assert not understand(text, now=NOW).says_hello


@pytest.mark.parametrize("text", ["and if i need the money today?", "我急用钱怎么办", "今天就要用钱"])
def test_needing_the_money_now_asks_whether_one_can_borrow(text: str) -> None:
    assert understand(text, now=NOW).asks_if_can_borrow


@pytest.mark.parametrize("text", ["用哪张卡还比较快", "还款是从哪张卡扣的", "五万分24期月供多少", "how fast does it land in my bank",
                                  "so did the money land on my card ending 3321 or not?", "how do I unfreeze my bank card",
                                  "提额会不会查征信", "关闭了对征信有没有影响", "will it hurt my credit score", "借了多久能到卡上"])
def test_repayment_cards_instalments_payouts_and_credit_checks_are_off_the_lines_topics(text: str) -> None:
    # Inside a borrow thread such a turn is a new, out-of-scope topic, not a follow-up (thread.py).
    assert understand(text, now=NOW).off_topic


@pytest.mark.parametrize(("text", "wants"), [
    ("我提额被拒了多久能再申请", True), ("提额被拒后多久可以再申请", False), ("提额怎么申请", True), ("要多久才能申请提额", True), ("how do I raise my limit", True),
    ("提额需要满足什么条件", False), ("顺便问一下，一般提额要怎么申请", False), ("提额一般能提多少", False),
])
def test_wanting_more_limit_oneself_is_told_from_asking_what_decides_increases(text: str, wants: bool) -> None:
    assert understand(text, now=NOW).wants_more_limit is wants


@pytest.mark.parametrize("text", ["借呗多久评估一次", "收入多久要认证一次", "年龄限制是从几岁到几岁"])
def test_how_often_or_an_age_range_is_not_asking_when(text: str) -> None:
    # inside a borrow thread, such a rule question is not "when does mine end" (thread.py own_case)
    assert not understand(text, now=NOW).asks_when


@pytest.mark.parametrize("text", ["要维护到几点", "多久能借", "要等多久"])
def test_when_something_of_ones_own_ends_is_asking_when(text: str) -> None:
    assert understand(text, now=NOW).asks_when


@pytest.mark.parametrize("text", ["ok and who do I talk to about it", "ok how do I reach a person", "我该找谁说"])
def test_asking_whom_to_talk_to_asks_for_a_person(text: str) -> None:
    assert understand(text, now=NOW).asks_for_person


@pytest.mark.parametrize("text", ["行 知道了", "ok nvm", "开玩笑的 那我就等吧", "那算了", "算了算了", "行 算了 先不借了",
                                  "那我再等等吧"])
def test_an_acknowledgement_or_never_mind_closes_the_topic(text: str) -> None:
    assert understand(text, now=NOW).accepts_and_closes


def test_a_why_after_never_mind_does_not_close() -> None:
    assert not understand("算了，为什么不能借", now=NOW).accepts_and_closes


@pytest.mark.parametrize("text", ["我不是故意不还的", "我没还的那笔会怎样"])
def test_a_repayment_denied_is_not_a_repayment_reported(text: str) -> None:
    assert understand(text, now=NOW).reported_repayment is None


@pytest.mark.parametrize("text", ["那我先还掉一笔能马上再借吗", "and after I pay, i can borrow same day?",
                                  "so I need to repay more before I can borrow?", "so I can borrow again after midnight?"])
def test_whether_and_when_one_can_borrow_after_a_step_is_the_plan(text: str) -> None:
    reading = understand(text, now=NOW)
    assert reading.asks_if_can_borrow and reading.asks_for_plan


@pytest.mark.parametrize("text", ["还款失败的话额度还会恢复吗", "还款失败了额度会不会恢复", "借了马上还的话额度是不是马上就回来",
                                  "If I repay early, does my available limit go back up right away?"])
def test_whether_the_limit_comes_back_in_a_case_supposed_is_a_consequence(text: str) -> None:
    assert understand(text, now=NOW).asks_effect_on_limit


@pytest.mark.parametrize("text", ["用余额还款的话多久额度能回来", "我昨天还了3000 额度怎么还没恢复"])
def test_how_long_until_it_comes_back_or_ones_own_repayment_is_not_a_consequence(text: str) -> None:
    # how long a repayment takes to restore the limit is a limit question (contract section 4)
    assert not understand(text, now=NOW).asks_effect_on_limit


def test_a_one_letter_typo_in_a_time_word_is_still_a_time() -> None:
    assert understand("tomorow mornin ok?", now=NOW).at is not None
    assert understand("in mourning, can I borrow", now=NOW).at is None


@pytest.mark.parametrize("text", ["how does income verification work?", "how often do you guys reassess this stuff",
                                  "what's the age limit exactly", "what's the smallest loan you guys do",
                                  "and how many times a day max?", "借呗多久评估一次"])
def test_how_a_rule_works_how_often_or_its_bounds_frame_a_rule_question(text: str) -> None:
    assert understand(text, now=NOW).frames_as_general


@pytest.mark.parametrize("text", ["how does it work then", "what's the max", "how does my limit work out at 0"])
def test_the_accounts_own_figure_or_it_is_not_framed_as_a_rule(text: str) -> None:
    assert not understand(text, now=NOW).frames_as_general


def test_using_the_line_again_is_not_the_limit_restored() -> None:
    assert understand("那我什么时候能恢复使用", now=NOW).named_topic is None
    assert understand("额度什么时候能恢复", now=NOW).named_topic == "limit_not_restored"
