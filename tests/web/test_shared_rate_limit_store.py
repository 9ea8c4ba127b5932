"""The shared counter store for rate limits across workers: Redis through `limits`."""

from __future__ import annotations

import uuid

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

pytestmark = pytest.mark.redis


def test_workers_on_one_redis_share_one_count(redis_url: str) -> None:
    # Two workers, each with its own connection: a caller's third request in the minute is
    # refused whichever worker counts it (with in-memory counters each worker would allow two).
    limit, caller = parse("2/minute"), f"caller-{uuid.uuid4().hex}"
    first, second = (MovingWindowRateLimiter(storage_from_string(redis_url)) for _ in range(2))
    assert first.hit(limit, caller)
    assert second.hit(limit, caller)
    assert not first.hit(limit, caller)
    assert not second.hit(limit, caller)
