"""Normalisation: traditional→simplified, full-width→half-width, homophones and typos."""

import pytest

from assistant.nlu import understand
from assistant.nlu.normalize import normalize
from tests.helpers.nlu import NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("借贝为啥借不了", "借呗为啥借不了"),
        ("借唄額度為什麼沒了", "借呗额度为什么没了"),
        ("我的借吧用不了", "我的借呗用不了"),
        ("接呗借不了", "借呗借不了"),
        ("额渡有但是借不出", "额度有但是借不出"),
        ("额的怎么降了", "额度怎么降了"),
        ("还欵了额度没变", "还款了额度没变"),
        ("题额失败", "提额失败"),
        ("借５０００元？", "借5000元?"),
        ("why cant I borow, my limt is 5k", "why cant I borrow, my limit is 5k"),
        ("jiebei edu", "借呗 额度"),
    ],
)
def test_domain_words_restored(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text", ["那就借吧", "先借吧", "借款金额的上限", "和预期不符", "the limits are lime green"]
)
def test_real_words_left_alone(text: str) -> None:
    assert normalize(text) == text


def test_understanding_carries_the_normalised_text() -> None:
    u = understand("借貝額渡沒恢復", now=NOW)
    assert u.normalized_text == "借呗额度没恢复"
    assert u.intent == "limit_not_restored"


@pytest.mark.parametrize(("text", "expected"), [
    ("wo yao shensu", "我要申诉"),
    ("jiebei bei guanbi le zenme ban", "借呗被关闭了怎么办"),
    ("wei shenme jie bu chu lai", "为什么借不出来"),
])
def test_a_message_typed_in_pinyin_is_read_in_characters(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", [
    "I am a foreigner living in Shanghai, why can't I borrow?",
    "I need money for medicine and you refuse me.",
    "I woke up to find my 借呗 closed.",
    "you there?",
    "ban",
])
def test_an_english_message_keeps_its_words_even_where_they_sound_like_pinyin(text: str) -> None:
    assert normalize(text) == text


def test_a_pinyin_message_is_understood() -> None:
    assert understand("wo yao shensu", now=NOW).intent == "appeal_or_human"
    assert understand("jiebei bei guanbi le zenme ban", now=NOW).intent == "limit_reduced_or_closed"


def test_a_pinyin_syllable_is_not_repaired_as_a_misspelt_english_word() -> None:
    assert "human" not in normalize("xianzai huan le jiu keyi jie ma wo wang le")
    assert normalize("I cant borow 5000") == "I cant borrow 5000"
