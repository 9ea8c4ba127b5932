"""The chat UI's parts that need no browser: how an answer's parts are rendered, and the
in-process backend (access rules, errors as the customer's messages, one case number)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.web.ui_render import line_part, plan_timeline, render_answer, render_log, ui_text

OVERDUE_SENTENCE = "您有逾期未还的欠款 1,200 元，已逾期 5 天；逾期还清前不能借新的款。"
OVERDUE_ANSWER: dict[str, Any] = {
    "answer": ("我查看了您截至 2026年11月20日(周五) 10:00 的账户情况。目前不能借款，主要原因如下：\n"
               f"1. {OVERDUE_SENTENCE}\n接下来您可以：\n- 还清逾期欠款\n"
               "- 等到指定时间后再试（2026年11月23日(周一) 09:00）\n依据：《逾期未还时不能借款》"),
    "intent": "cannot_borrow", "lang": "zh", "reason_codes": ["OVERDUE_UNPAID"],
    "reasons": [{"code": "OVERDUE_UNPAID", "severity": "blocking", "title": "有逾期未还的欠款",
                 "sentence": OVERDUE_SENTENCE, "facts": {}, "policy_refs": []}],
    "caps": [{"kind": "available", "amount": 9000, "label": "可用额度 9,000 元"}], "max_amount_now": 0,
    "steps": [{"code": "REPAY_OVERDUE", "label": "还清逾期欠款", "eta": None, "eta_text": None, "self_service": True},
              {"code": "WAIT_UNTIL", "label": "等到指定时间后再试", "eta": "2026-11-23T09:00:00+08:00",
               "eta_text": "2026年11月23日(周一) 09:00", "self_service": True}],
    "sections": [{"doc_id": "d", "section_id": "s", "title": "逾期未还时不能借款", "text": "<b>逾期</b>还清前不能借款"}],
    "plan_sentences": [], "clarify": [], "handoff": False, "handoff_id": None,
}
PLAN = {"goal": {"action": "borrow", "amount": 5000}, "reachable": True,
        "earliest_at": "2026-11-23T09:00:00+08:00", "amount_now": 0, "amount_at_goal": 10200,
        "steps": [{"step": "UPDATE_ID_DOCUMENT", "kind": "you", "at": "2026-11-20T10:00:00+08:00", "amount": None,
                   "clears": ["ID_DOCUMENT_EXPIRED"], "certain": True},
                  {"step": "WAIT_UNTIL", "kind": "wait", "at": "2026-11-23T09:00:00+08:00", "amount": None,
                   "clears": ["OVERDUE_UNPAID"], "certain": True}],
        "blocked_by": [], "policy_version": "2026.11", "checked_at": "2026-11-20T10:00:00+08:00"}
PLAN_SENTENCES = ["最快 2026年11月23日(周一) 09:00 可以借 5,000 元：现在上传有效身份证件；您周五的 1,200 元转账入账后逾期即结清，无需再还。",
                  "届时最多可借 10,200 元。"]


def visible_text(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def test_each_reason_sentence_is_shown_once_as_a_card_in_the_answers_own_order() -> None:
    markup = render_answer(OVERDUE_ANSWER)
    assert visible_text(markup).count(OVERDUE_SENTENCE) == 1
    assert '<p class="la-card-title">有逾期未还的欠款</p>' in markup
    # The answer's own heading stays, right before its cards; then the steps, then the sources.
    text = visible_text(markup)
    assert text.index("主要原因如下") < text.index("有逾期未还的欠款") < text.index("接下来您可以") < text.index("还清逾期欠款")
    assert "1. " not in text and "依据：《" not in text


def test_steps_carry_their_times_and_citations_expand_with_escaped_text() -> None:
    markup = render_answer(OVERDUE_ANSWER)
    assert '<time datetime="2026-11-23T09:00:00+08:00">2026年11月23日(周一) 09:00</time>' in markup
    assert "<summary>逾期未还时不能借款</summary>" in markup
    assert "&lt;b&gt;逾期&lt;/b&gt;" in markup and "<b>" not in markup
    assert ui_text("zh", "sources") in markup


def test_a_line_is_only_replaced_when_a_part_states_it_exactly() -> None:
    assert line_part("1. " + OVERDUE_SENTENCE, OVERDUE_ANSWER) == "reasons"
    assert line_part("- 等到指定时间后再试（2026年11月23日(周一) 09:00）", OVERDUE_ANSWER) == "steps"
    assert line_part("依据：《逾期未还时不能借款》", OVERDUE_ANSWER) == "sources"
    assert line_part("您有逾期未还的欠款 1,200 元。另有说明", OVERDUE_ANSWER) is None
    assert line_part("- 还清逾期欠款以后再说", OVERDUE_ANSWER) is None
    assert line_part("依据：《逾期未还时不能借款》和另一条", OVERDUE_ANSWER) is None


def test_caps_are_shown_only_when_something_can_be_drawn() -> None:
    assert "可用额度 9,000 元" not in render_answer(OVERDUE_ANSWER)  # cannot borrow: caps would mislead
    can_draw = {**OVERDUE_ANSWER, "max_amount_now": 9000, "answer": "现在最多可借 9,000 元：\n- 可用额度 9,000 元"}
    markup = render_answer(can_draw)
    assert visible_text(markup).count("可用额度 9,000 元") == 1 and "la-caplist" in markup


def test_the_plan_is_its_sentences_and_a_timeline_from_now_to_the_goal() -> None:
    phrases = ["现在上传有效身份证件", "您周五的 1,200 元转账入账后逾期即结清，无需再还"]
    parts = {**OVERDUE_ANSWER, "plan": PLAN, "plan_sentences": PLAN_SENTENCES, "plan_steps": phrases,
             "answer": OVERDUE_ANSWER["answer"] + "\n" + "".join(PLAN_SENTENCES)}
    markup = render_answer(parts)
    assert visible_text(markup).count(PLAN_SENTENCES[0]) == 1
    nodes = plan_timeline(PLAN, parts, "zh")
    assert [when for when, _, _ in nodes] == ["现在", "2026年11月23日(周一) 09:00"]  # one node per moment
    assert nodes[0][1] == [phrases[0]]  # the composer's words for each step, never re-derived
    assert nodes[1][1] == [phrases[1], "最多可借 10,200 元"] and nodes[1][2] == "la-node-goal"
    assert '<ol class="la-timeline">' in markup and ui_text("zh", "plan") in markup


def test_an_uncertain_wait_says_it_is_re_evaluated_and_an_unreachable_plan_says_why() -> None:
    review = {**PLAN, "steps": [{"step": "WAIT_UNTIL", "kind": "wait", "at": "2026-11-27T10:00:00+08:00",
                                 "amount": None, "clears": ["RISK_REVIEW_HOLD"], "certain": False}]}
    [wait, goal] = plan_timeline(review, {}, "en")
    assert "re-evaluated then, not a promise" in wait[1][0]
    assert goal[1] == ["You can borrow up to CNY 10,200"]
    blocked = {**PLAN, "reachable": False, "earliest_at": None, "amount_at_goal": None, "steps": [],
               "blocked_by": ["ACCOUNT_CLOSED"]}
    [(when, titles, css)] = plan_timeline(blocked, {}, "en")
    assert when == "Cannot be scheduled yet" and css == "la-node-blocked" and titles


def test_clarify_choices_are_buttons_that_send_their_message() -> None:
    parts = {**OVERDUE_ANSWER, "clarify": [{"label": "借不出来", "message": "有额度为什么借不出来"},
                                            {"label": "额度被降", "message": "额度怎么被降了"}]}
    markup = render_answer(parts)
    assert markup.count('data-action="send"') == 2
    assert 'data-message="额度怎么被降了"' in markup and ">额度被降</button>" in markup
    assert "data-action" not in render_answer(parts, clarify=False)  # only the latest answer offers them


def test_a_hand_off_shows_its_short_case_number() -> None:
    parts = {**OVERDUE_ANSWER, "handoff": True, "handoff_id": "K7Q3M-9PXD2", "lang": "en"}
    markup = render_answer(parts)
    assert '<strong class="la-case-id">K7Q3M-9PXD2</strong>' in markup and "Case number" in markup


def test_headings_follow_the_answer_and_the_page_follows_the_user() -> None:
    english_answer = {**OVERDUE_ANSWER, "lang": "en", "answer": "Sources: \"逾期未还时不能借款\""}
    log = render_log([{"role": "user", "text": "why?"},
                      {"role": "bot", "parts": english_answer, "turn": 1, "rating": None}], "zh", "借呗")
    assert "Sources (click to read)" in log and "依据条款" not in log       # the answer's language
    assert ui_text("zh", "like") in log and ui_text("en", "like") not in log  # the page's language
    assert 'lang="en"' in log and 'lang="zh-CN"' in log


def test_an_empty_chat_greets_with_the_product_name_and_offers_questions() -> None:
    log = render_log([], "en", "Flexi Loan")
    assert "Flexi Loan assistant" in log
    assert log.count('class="la-suggestion"') == len(ui_text("en", "suggestions"))


def test_errors_are_the_customers_words_with_a_retry_for_the_kept_question() -> None:
    log = render_log([{"role": "user", "text": "有额度为什么借不出来"},
                      {"role": "error", "key": "error_failed", "retry": "有额度为什么借不出来"}], "zh", "借呗")
    assert ui_text("zh", "error_failed") in log and 'data-action="retry" data-index="1"' in log
    for key in ("error_too_long", "error_unreadable", "error_rate_limited", "error_session", "error_not_found"):
        for lang in ("zh", "en"):
            text = ui_text(lang, key, max=2000)
            assert "String should" not in text and "422" not in text and "validation" not in text.lower()


def test_the_readme_shows_every_screenshot_and_both_surfaces_at_both_sizes() -> None:
    root = Path(__file__).resolve().parents[2]
    shown = set(re.findall(r"\(docs/screens/([\w-]+\.png)\)", (root / "README.md").read_text("utf-8")))
    assert shown == {p.name for p in (root / "docs/screens").glob("*.png")}
    assert {"ui-desktop.png", "ui-mobile.png", "widget-desktop.png", "widget-mobile.png"} <= shown


def test_every_label_exists_in_both_languages() -> None:
    import yaml

    texts = yaml.safe_load((Path(__file__).resolve().parents[2] / "assistant/web/ui_texts.yaml").read_text("utf-8"))
    assert set(texts["zh"]) == set(texts["en"])


# -- the in-process backend ------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.web.ui_client import UiBackend

    settings = load_settings(data_dir=tmp_path_factory.mktemp("ui-backend"), secret=None, api_keys=None, llm="off")
    return UiBackend(Services(settings))


def test_the_backend_answers_with_the_answers_parts(backend: Any) -> None:
    caller = backend.caller(None, "127.0.0.1")
    parts = backend.ask(caller, "有额度为什么借不出来", account_id="demo-overdue", conversation_id=None)
    assert parts["conversation_id"] and parts["turn"] == 1
    assert parts["reasons"][0]["sentence"] in parts["answer"]


def test_a_second_hand_off_keeps_the_case_number(backend: Any) -> None:
    caller = backend.caller(None, "127.0.0.1")
    first = backend.handoff(caller, account_id="demo-risk-hold", conversation_id=None)
    again = backend.handoff(caller, account_id="demo-risk-hold", conversation_id=first["conversation_id"])
    assert first["handoff"] and len(first["handoff_id"]) <= 12
    assert again["handoff_id"] == first["handoff_id"]


def test_a_hand_off_before_any_question_comes_in_the_pages_language(backend: Any) -> None:
    caller = backend.caller(None, "127.0.0.1")
    english = backend.handoff(caller, account_id="demo-overdue", conversation_id=None, words="Talk to a person")
    assert english["handoff"] and english["lang"] == "en" and english["handoff_id"] in english["answer"]
    chinese = backend.handoff(caller, account_id="demo-healthy-en", conversation_id=None, words="转人工")
    assert chinese["handoff"] and chinese["lang"] == "zh"


def test_the_backend_keeps_the_access_rules_and_words_failures_for_the_customer(backend: Any) -> None:
    from assistant.web.ui_client import UiFailure

    caller = backend.caller(None, "127.0.0.1")
    with pytest.raises(UiFailure) as not_demo:
        backend.ask(caller, "你好", account_id="not-a-demo-account", conversation_id=None)
    assert not_demo.value.key == "error_not_found" and not not_demo.value.retry
    with pytest.raises(UiFailure) as too_long:
        backend.ask(caller, "借" * 2001, account_id="demo-overdue", conversation_id=None)
    assert too_long.value.key == "error_too_long"


def test_a_failing_assistant_becomes_a_retry(backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.web.ui_client import UiFailure

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(backend.services.assistant, "ask", broken)
    with pytest.raises(UiFailure) as failure:
        backend.ask(backend.caller(None, "127.0.0.1"), "你好", account_id="demo-overdue", conversation_id=None)
    assert failure.value.key == "error_failed" and failure.value.retry


def test_outside_demo_mode_the_page_needs_a_valid_token(tmp_path: Path) -> None:
    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.web.tokens import mint_token
    from assistant.web.ui_client import UiBackend, UiFailure

    backend = UiBackend(Services(load_settings(data_dir=tmp_path, secret="s3cret-for-tests", api_keys=None)))
    with pytest.raises(UiFailure) as missing:
        backend.caller(None, "127.0.0.1")
    assert missing.value.key == "token_missing"
    with pytest.raises(UiFailure) as forged:
        backend.caller("v1.forged.1.x", "127.0.0.1")
    assert forged.value.key == "error_session"
    caller = backend.caller(mint_token("demo-overdue", "s3cret-for-tests", ttl_seconds=600), "127.0.0.1")
    assert caller.kind == "user" and caller.account_id == "demo-overdue"


def test_importing_the_ui_modules_does_not_import_gradio() -> None:
    code = ("import sys, assistant.web.ui, assistant.web.widget, assistant.web.ui_render, assistant.web.ui_client;"
            " print('gradio' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
