"""The engine reads the calendar in the policy's time zone (`Policy.timezone`), not a constant.

The default policy's zone is Asia/Shanghai, so every other test shows the default unchanged;
here the same daily maintenance window (23:50–00:10 local) is placed by another zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tools.engine import run_check
from tools.policy import load_policy
from tools.snapshot import parse_snapshot

SNAPSHOT = parse_snapshot({"account_id": "u1", "as_of": "2026-11-20T10:00:00+08:00",
                           "limit": {"total": 15000, "used": 0, "available": 15000}})
LONDON = ZoneInfo("Europe/London")


def policy_in(zone: str):  # type: ignore[no-untyped-def]
    return load_policy().model_copy(update={"timezone": zone})


def test_the_default_zone_is_shanghai() -> None:
    assert load_policy().zone == ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("zone, at, in_window", [
    ("Asia/Shanghai", datetime(2026, 11, 20, 23, 55, tzinfo=ZoneInfo("Asia/Shanghai")), True),
    ("Asia/Shanghai", datetime(2026, 11, 20, 23, 55, tzinfo=LONDON), False),  # 07:55 in Shanghai
    ("Europe/London", datetime(2026, 11, 20, 23, 55, tzinfo=LONDON), True),
    ("Europe/London", datetime(2026, 11, 20, 23, 55, tzinfo=ZoneInfo("Asia/Shanghai")), False),
])
def test_the_daily_maintenance_window_is_local_to_the_policy(zone: str, at: datetime, in_window: bool) -> None:
    result = run_check(SNAPSHOT, "borrow", at=at, policy=policy_in(zone))
    assert ("SYSTEM_MAINTENANCE" in result.reason_codes) is in_window
    assert result.checked_at.tzinfo == ZoneInfo(zone)  # times are reported in the lender's zone
    if in_window:
        end = result.reason("SYSTEM_MAINTENANCE").facts["window_end"]  # type: ignore[union-attr]
        local_end = end.astimezone(ZoneInfo(zone))
        assert (local_end.hour, local_end.minute) == (0, 10)
