"""Per-identity rate limiting (the `limits` library), answered with 429 and `Retry-After`.

The identity is the API key (hashed), the user token's account, or the client address for
anonymous demo callers, so one noisy caller cannot starve the others. Requests whose
credentials are wrong are counted too, against the client address (`check_failed_auth`), so
guessing keys or tokens is throttled like any other traffic.

Counters are shared by every worker when `LIMIT_ASSISTANT_REDIS_URL` is set (the `limits`
storage on Redis: a caller's 61st request in the minute is refused whichever worker receives
it); otherwise they live in the worker's memory (the embedded setup: with N workers a caller may
get up to N × the limit). If Redis cannot be reached the worker counts in memory until it can
again and logs a warning: an outage of the counter store must not take the API down.

In memory the moving window is our own `MemoryWindow`, not `limits`' MemoryStorage: that one
starts a timer thread (every 10 ms of traffic) to expire its entries, which cost a thread start
and a GIL hand-over per request or so (bench/api.py profile, ~0.5 ms per answer).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from typing import Protocol

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assistant.errors import ConfigError
from assistant.web.errors import ApiError

log = logging.getLogger("limit_assistant.web")
# Keys in a shared store are namespaced, so one Redis can serve several deployments' tests.
KEY_PREFIX = "limit-assistant"
# After a Redis error, how long the worker counts in memory before trying Redis again.
RETRY_SHARED_AFTER_S = 5.0


class RateLimiter:
    """`check(key)` counts one request for `key` and raises 429 when over the limit."""

    def __init__(self, limit: str, storage_url: str | None = None) -> None:
        try:
            self.item: RateLimitItem = parse(limit)
        except ValueError:
            raise ConfigError(f"rate_limit {limit!r} is not a limit like '60/minute'") from None
        self.shared = storage_url is not None
        self._memory = MemoryWindow()
        self._limiter: WindowLimiter = self._memory
        self._retry_shared_at = 0.0
        if storage_url is not None:
            self._limiter = MovingWindowRateLimiter(_shared_storage(storage_url))

    def check(self, key: str) -> None:
        """Count one request of `key`; 429 with `Retry-After` when it is over the limit."""
        limiter = self._current()
        try:
            allowed = limiter.hit(self.item, KEY_PREFIX, key)
            reset_at = None if allowed else limiter.get_window_stats(self.item, KEY_PREFIX, key).reset_time
        except Exception as exc:  # noqa: BLE001 -- any storage error: count in memory instead
            log.warning("rate-limit store unavailable (%s): counting in this worker's memory", exc)
            self._retry_shared_at = time.monotonic() + RETRY_SHARED_AFTER_S
            allowed = self._memory.hit(self.item, KEY_PREFIX, key)
            reset_at = None if allowed else self._memory.get_window_stats(self.item, KEY_PREFIX, key).reset_time
        if allowed:
            return
        retry_after = max(1, math.ceil((reset_at or time.time()) - time.time()))
        raise ApiError(429, f"too many requests: the limit is {self.item}; retry in {retry_after} s",
                       headers={"Retry-After": str(retry_after)})

    def check_failed_auth(self, client_host: str) -> None:
        """Count a request with wrong credentials against its address (429 once over the limit)."""
        self.check(f"unauthenticated:{client_host}")

    def _current(self) -> WindowLimiter:
        if self._limiter is self._memory or time.monotonic() >= self._retry_shared_at:
            return self._limiter
        return self._memory


class WindowStats(Protocol):
    @property
    def reset_time(self) -> float: ...


class WindowLimiter(Protocol):
    """What `RateLimiter` uses of a `limits` strategy (and `MemoryWindow` provides)."""

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats: ...


class _Stats:
    def __init__(self, reset_time: float, remaining: int) -> None:
        self.reset_time = reset_time
        self.remaining = remaining


class MemoryWindow:
    """A moving-window counter in this process's memory, with the semantics of `limits`'
    MovingWindowRateLimiter: a hit is allowed while fewer than `amount` hits of the key fall in
    the last `window` seconds; the window is free again once its oldest hit is `window` old."""

    # Keys idle for a whole window are dropped every this many hits (memory stays bounded).
    SWEEP_EVERY = 1024

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._until_sweep = self.SWEEP_EVERY

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        key, window, now = item.key_for(*identifiers), item.get_expiry(), time.time()
        with self._lock:
            hits = self._recent(key, now - window)
            self._until_sweep -= 1
            if self._until_sweep <= 0:
                self._sweep(now - window)
            if len(hits) >= item.amount:
                return False
            hits.append(now)
            return True

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> _Stats:
        key, window, now = item.key_for(*identifiers), item.get_expiry(), time.time()
        with self._lock:
            hits = self._recent(key, now - window)
            oldest = hits[0] if hits else now
            return _Stats(reset_time=oldest + window, remaining=max(0, item.amount - len(hits)))

    def _recent(self, key: str, start: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] < start:
            hits.popleft()
        return hits

    def _sweep(self, start: float) -> None:
        self._until_sweep = self.SWEEP_EVERY
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= start]:
            del self._hits[key]


def _shared_storage(url: str) -> Storage:
    try:
        storage = storage_from_string(url)
    except Exception as exc:  # noqa: BLE001 -- a bad URL or a missing client is the operator's to fix
        raise ConfigError(f"LIMIT_ASSISTANT_REDIS_URL cannot be used for rate limits: {exc}") from None
    if not isinstance(storage, Storage):  # an async storage (async+redis://) cannot serve this limiter
        raise ConfigError("LIMIT_ASSISTANT_REDIS_URL must name a synchronous storage, e.g. redis://host:6379/0")
    return storage
