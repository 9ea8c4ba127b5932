"""How answers print money, dates and times in each language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tools.inputs import to_local

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Facts that are ratios or counts, not money, although they are Decimal or int.
RATIO_KEYS = frozenset({"debt_to_income", "max_debt_to_income"})


def money(value: Decimal | float) -> str:
    """1200 → "1,200"; 1200.5 → "1,200.50" (the currency word comes from the template)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def ratio(value: Decimal) -> str:
    return f"{value:.2f}"


def when(moment: datetime, lang: str) -> str:
    """11月23日(周一) 09:00 · Mon 23 Nov 2026 09:00."""
    local = to_local(moment)
    if lang == "zh":
        return f"{local.year}年{local.month}月{local.day}日(周{_WEEKDAYS_ZH[local.weekday()]}) {local:%H:%M}"
    return f"{_WEEKDAYS_EN[local.weekday()]} {local.day} {local:%b %Y %H:%M}"


def day(value: date, lang: str) -> str:
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%b %Y}"


def display(key: str, value: Any, lang: str) -> str:
    """One fact as the customer should read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return ratio(value) if key in RATIO_KEYS else money(value)
    if isinstance(value, datetime):
        return when(value, lang)
    if isinstance(value, date):
        return day(value, lang)
    return str(value)
