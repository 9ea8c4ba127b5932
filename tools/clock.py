"""Calendar arithmetic in the lender's time zone (`Policy.zone`): midnights, maintenance windows,
posting times. A datetime handed in is read in its own zone, which the engine has made the
policy's; a snapshot's times are converted where a calendar day of theirs counts.

Every window is half-open [start, end): at exactly `end` it no longer applies.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from tools.inputs import local_midnight
from tools.policy import Policy
from tools.snapshot import MaintenanceWindow, Platform, Repayment


def next_midnight(now: datetime) -> datetime:
    """The midnight after `now`, in `now`'s zone."""
    assert now.tzinfo is not None  # the engine only passes aware times
    return local_midnight(now.date() + timedelta(days=1), now.tzinfo)


def at_local(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def daily_maintenance_window(now: datetime, policy: Policy) -> MaintenanceWindow | None:
    """The daily window containing `now`, if any; a window like 23:50–00:10 spans midnight."""
    start, end, zone = policy.maintenance.daily_start, policy.maintenance.daily_end, policy.zone
    now = now.astimezone(zone)
    clock, today = now.timetz().replace(tzinfo=None), now.date()
    if start < end:
        if start <= clock < end:
            return MaintenanceWindow(start=at_local(today, start, zone), end=at_local(today, end, zone))
        return None
    if clock >= start:
        return MaintenanceWindow(start=at_local(today, start, zone),
                                 end=at_local(today + timedelta(days=1), end, zone))
    if clock < end:
        return MaintenanceWindow(start=at_local(today - timedelta(days=1), start, zone),
                                 end=at_local(today, end, zone))
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
    day = paid_at.astimezone(policy.zone).date() + timedelta(days=1)
    while day.weekday() not in policy.repayment_posting.business_days:
        day += timedelta(days=1)
    return at_local(day, policy.repayment_posting.bank_transfer_time, policy.zone)


def posting_eta(repayment: Repayment, policy: Policy) -> datetime:
    """When a repayment posts, and the limit comes back, for its channel."""
    if repayment.channel == "balance":
        return repayment.paid_at
    if repayment.channel == "bank_card":
        return repayment.paid_at + timedelta(hours=policy.repayment_posting.bank_card_hours)
    return next_business_day_at(repayment.paid_at, policy)
