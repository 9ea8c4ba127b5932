"""Per-identity rate limiting (the `limits` library), answered with 429 and `Retry-After`.

The identity is the API key (hashed), the user token's account, or the client address for
anonymous demo callers, so one noisy caller cannot starve the others. Counters live in the
worker's memory: with N uvicorn workers a caller may get up to N × the limit in the worst case
(a shared `limits` storage such as Redis would make it exact; the embedded setup has none).
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from assistant.errors import ConfigError
from assistant.web.errors import ApiError


class RateLimiter:
    """`check(key)` counts one request for `key` and raises 429 when over the limit."""

    def __init__(self, limit: str) -> None:
        try:
            self.item: RateLimitItem = parse(limit)
        except ValueError:
            raise ConfigError(f"rate_limit {limit!r} is not a limit like '60/minute'") from None
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, key: str) -> None:
        if self._limiter.hit(self.item, key):
            return
        reset_at = self._limiter.get_window_stats(self.item, key).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise ApiError(429, f"too many requests: the limit is {self.item}; retry in {retry_after} s",
                       headers={"Retry-After": str(retry_after)})
