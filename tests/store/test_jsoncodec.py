from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel

from assistant.store import jsoncodec


@pytest.mark.parametrize("value", ["1200.10", "0.01", "0.70", "99999999.99", "15000", "-3.5"])
def test_decimals_round_trip_exactly(value: str) -> None:
    assert jsoncodec.loads(jsoncodec.dumps({"v": Decimal(value)}))["v"] == Decimal(value)


def test_integral_decimals_are_written_as_integers() -> None:
    assert jsoncodec.dumps(Decimal("15000.00")) == "15000"


def test_a_decimal_a_float_cannot_show_is_kept_as_text() -> None:
    precise = Decimal("0.1234567890123456789")
    assert jsoncodec.loads(jsoncodec.dumps(precise)) == str(precise)


def test_non_finite_numbers_are_refused() -> None:
    with pytest.raises((TypeError, ValueError)):
        jsoncodec.dumps(Decimal("NaN"))
    with pytest.raises(ValueError):
        jsoncodec.dumps(float("inf"))


def test_dates_models_and_chinese_text() -> None:
    class Step(BaseModel):
        code: str
        eta: datetime

    eta = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    text = jsoncodec.dumps(
        {"d": date(2026, 11, 20), "step": Step(code="WAIT_UNTIL", eta=eta), "t": "逾期"}
    )
    assert "逾期" in text
    assert jsoncodec.loads(text) == {
        "d": "2026-11-20",
        "step": {"code": "WAIT_UNTIL", "eta": "2026-11-23T09:00:00+08:00"},
        "t": "逾期",
    }
