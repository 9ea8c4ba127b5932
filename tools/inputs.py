"""Parsing of request inputs (amounts, times) into exact, time-zone-aware values.

Money is Decimal; a datetime without offset is Asia/Shanghai time (CONTRACT: readings that hold
everywhere). Every error is a UserInputError with one line naming the input.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from tools.errors import UserInputError

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Far above any credit line, far below float trouble: anything larger is a typo or an attack.
MAX_REQUEST_AMOUNT = Decimal(1000000000000)


# Request and snapshot times outside these years are typos or attacks, and near year 1 or 9999
# the calendar arithmetic (next midnight, +30 days) would overflow.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def to_local(moment: datetime, zone: tzinfo = SHANGHAI) -> datetime:
    """The same instant in the lender's time zone (`Policy.zone`; by default Asia/Shanghai); a
    naive datetime is read as that zone's time.

    Raises ValueError for a year outside 1900–2200.
    """
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def local_midnight(day: date, zone: tzinfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def parse_amount(value: Any, field: str = "amount") -> Decimal:
    """A requested amount: positive, finite, at most two decimals, not absurdly large."""
    if isinstance(value, bool) or value is None:
        raise UserInputError(f"{field}: must be a positive number of yuan")
    text = str(value).strip().replace(",", "").replace("_", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise UserInputError(f"{field}: must be a positive number of yuan, got {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise UserInputError(f"{field}: must be a finite number")
    if amount <= 0:
        raise UserInputError(f"{field}: must be a positive number of yuan, got {text[:40]}")
    if amount > MAX_REQUEST_AMOUNT:
        raise UserInputError(f"{field}: {text[:40]} is too large (at most 1,000,000,000,000)")
    if amount != amount.quantize(Decimal("0.01")):
        raise UserInputError(f"{field}: at most two decimals (fen), got {text[:40]}")
    return amount


def parse_time(value: Any, field: str = "at") -> datetime:
    """An ISO 8601 date-time (or date) as an aware Asia/Shanghai datetime."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0, 0))
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise UserInputError(
                f"{field}: cannot read time {text[:40]!r}; use ISO 8601 like 2026-11-20T10:00:00+08:00"
            ) from None
    try:
        return to_local(parsed)
    except (ValueError, OverflowError) as exc:
        raise UserInputError(f"{field}: {exc}") from None
