"""Calendar arithmetic in the lender's time zone: midnights, maintenance windows, posting times.

Every window is half-open [start, end): at exactly `end` it no longer applies.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tools.inputs import SHANGHAI, local_midnight
from tools.policy import Policy
from tools.snapshot import MaintenanceWindow, Platform, Repayment


def next_midnight(now: datetime) -> datetime:
    return local_midnight(now.date() + timedelta(days=1))


def at_local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=SHANGHAI)


def daily_maintenance_window(now: datetime, policy: Policy) -> MaintenanceWindow | None:
    """The daily window containing `now`, if any; a window like 23:50–00:10 spans midnight."""
    start, end = policy.maintenance.daily_start, policy.maintenance.daily_end
    clock, today = now.timetz().replace(tzinfo=None), now.date()
    if start < end:
        if start <= clock < end:
            return MaintenanceWindow(start=at_local(today, start), end=at_local(today, end))
        return None
    if clock >= start:
        return MaintenanceWindow(start=at_local(today, start), end=at_local(today + timedelta(days=1), end))
    if clock < end:
        return MaintenanceWindow(start=at_local(today - timedelta(days=1), start), end=at_local(today, end))
    return None


def active_maintenance_windows(now: datetime, platform: Platform, policy: Policy) -> list[MaintenanceWindow]:
    """All windows (daily and the platform's) that contain `now`."""
    windows = [w for w in platform.maintenance if w.start <= now < w.end]
    daily = daily_maintenance_window(now, policy)
    if daily is not None:
        windows.append(daily)
    return sorted(windows, key=lambda w: (w.end, w.start))


def next_business_day_at(paid_at: datetime, policy: Policy) -> datetime:
    """09:00 of the first business day after the day of `paid_at` (no holiday calendar)."""
    day = paid_at.date() + timedelta(days=1)
    while day.weekday() not in policy.repayment_posting.business_days:
        day += timedelta(days=1)
    return at_local(day, policy.repayment_posting.bank_transfer_time)


def posting_eta(repayment: Repayment, policy: Policy) -> datetime:
    """When a repayment posts, and the limit comes back, for its channel."""
    if repayment.channel == "balance":
        return repayment.paid_at
    if repayment.channel == "bank_card":
        return repayment.paid_at + timedelta(hours=policy.repayment_posting.bank_card_hours)
    return next_business_day_at(repayment.paid_at, policy)
