from __future__ import annotations

import logging

import pytest

from assistant.store.masking import PiiMaskingFilter, mask_pii


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # resident ID numbers: 18 characters, the last may be X
        ("身份证11010519491231002X请核实", "身份证**************002X请核实"),
        ("id 110105194912310021.", "id **************0021."),
        # mobile phones
        ("我的手机13812345678，帮我查一下", "我的手机138****5678，帮我查一下"),
        ("call +86 139 1234 5678 now", "call +86 139****5678 now"),
        ("tel:15900001111x", "tel:159****1111x"),
        # bank cards: 13-19 digits, contiguous or in groups of four
        ("卡号6222021234567890123", "卡号***************0123"),
        ("card 4111111111111111", "card ************1111"),
        ("卡 6222 0212 3456 7890 扣款失败", "卡 **** **** **** 7890 扣款失败"),
        ("4111-1111-1111-1111", "****-****-****-1111"),
    ],
)
def test_personal_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "借5000元，可用额度15,000，逾期1200.10元",
        "2026-11-20T10:00:00+08:00 周五 23:55",
        "demo-overdue 尾号4021 的银行卡",
        "12345678901",  # 11 digits that do not start like a mobile number (1[3-9])
        "金额 100000 元，最多 50000",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text


def test_no_digit_run_of_card_length_survives() -> None:
    for length in range(13, 20):
        assert not any(ch.isdigit() for ch in mask_pii("x" + "7" * length + "y")[1:-5])


def test_logging_filter_masks_formatted_messages(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.masking")
    logger.addFilter(PiiMaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.masking"):
        logger.info("user %s asked about card %s", "13812345678", "6222021234567890")
    assert caplog.messages == ["user 138****5678 asked about card ************7890"]


def test_a_uuid_whose_middle_groups_are_digits_is_not_a_card_number() -> None:
    conversation = "c9796244-4290-4825-8071-025b873c0319"
    assert mask_pii(f"conversation {conversation}") == f"conversation {conversation}"
    assert mask_pii(f"{conversation} 卡号6222021234567890123") == f"{conversation} 卡号***************0123"
