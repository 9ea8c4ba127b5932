"""The demo accounts: valid snapshots, one per reason code, and the engine agrees with the
`expect` written next to each (read from CONTRACT.md by hand, not produced by running code)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from assistant.store.seed import DemoAccount, DemoExpectation, load_demo_accounts
from tools.catalogue import catalogue

DEMO = load_demo_accounts()
CASES = [
    pytest.param(
        account, expectation, id=f"{account.account_id}:{expectation.action}:{expectation.amount}"
    )
    for account in DEMO
    for expectation in account.expect
]


def test_ids_are_unique_demo_names_with_both_descriptions() -> None:
    ids = [account.account_id for account in DEMO]
    assert len(ids) == len(set(ids))
    for account in DEMO:
        assert account.account_id.startswith("demo-")
        assert account.description_zh.strip() and account.description_en.strip()
        assert "\n" not in account.description_zh + account.description_en


def test_every_reason_code_is_the_principal_reason_of_some_demo_account() -> None:
    principal = {e.reason_codes[0] for a in DEMO for e in a.expect if e.reason_codes}
    assert set(catalogue().reasons) - principal == set()


def test_there_are_healthy_and_multi_reason_accounts() -> None:
    healthy = [a for a in DEMO if all(not e.reason_codes and e.allowed for e in a.expect)]
    multi = [a for a in DEMO if any(len(e.reason_codes) >= 3 for e in a.expect)]
    assert len(healthy) >= 2 and len(multi) >= 2


@pytest.mark.parametrize(("account", "expectation"), CASES)
def test_expectations_only_name_codes_their_check_can_return(
    account: DemoAccount, expectation: DemoExpectation
) -> None:
    for code in expectation.reason_codes:
        assert expectation.action in catalogue().reason(code).checks, code


def test_snapshots_are_taken_on_friday_20_november_2026() -> None:
    for account in DEMO:
        as_of = datetime.fromisoformat(account.snapshot["as_of"])
        assert as_of.date() == date(2026, 11, 20) and as_of.utcoffset().total_seconds() == 8 * 3600


engine = pytest.importorskip("tools.engine")
snapshots = pytest.importorskip("tools.snapshot")


def test_every_snapshot_and_platform_is_valid() -> None:
    for account in DEMO:
        assert snapshots.parse_snapshot(account.snapshot).account_id == account.account_id
        if account.platform is not None:
            snapshots.parse_platform(account.platform)


@pytest.mark.parametrize(("account", "expectation"), CASES)
def test_engine_agrees_with_the_expected_reasons(
    account: DemoAccount, expectation: DemoExpectation
) -> None:
    result = engine.run_check(
        snapshots.parse_snapshot(account.snapshot),
        expectation.action,
        amount=Decimal(str(expectation.amount)) if expectation.amount is not None else None,
        at=datetime.fromisoformat(expectation.at) if expectation.at else None,
        platform=snapshots.parse_platform(account.platform) if account.platform else None,
    )
    assert [reason.code for reason in result.reasons] == expectation.reason_codes
    assert result.allowed is expectation.allowed
    if expectation.max_amount_now is not None:
        assert result.max_amount_now == Decimal(str(expectation.max_amount_now))
