"""Counters of the LLM layer for /healthz: calls, fallbacks by cause, latency, reachability."""

from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Any

# Causes that say the endpoint itself is not answering (the others are the model's answers
# being rejected, which proves the endpoint is reachable).
TRANSPORT_CAUSES = frozenset({"timeout", "http_error", "error"})


class LLMStats:
    """Thread-safe counters; one per phraser (per process)."""

    def __init__(self, window: int = 500) -> None:
        self._lock = threading.Lock()
        self.calls = 0
        self.answered = 0
        self.fallbacks: Counter[str] = Counter()
        self.skipped = 0
        self._latencies_ms: deque[float] = deque(maxlen=window)
        self._last_transport_ok: bool | None = None
        self.output_tokens = 0
        self.generation_ms = 0.0

    def record_skip(self) -> None:
        with self._lock:
            self.skipped += 1

    def record(self, latency_ms: float, cause: str | None, output_tokens: int | None = None) -> None:
        """One call: `cause` None when the LLM answer was used, else why we fell back."""
        with self._lock:
            self.calls += 1
            if output_tokens:
                self.output_tokens += output_tokens
                self.generation_ms += latency_ms
            self._latencies_ms.append(latency_ms)
            if cause is None:
                self.answered += 1
            else:
                self.fallbacks[cause] += 1
            self._last_transport_ok = cause not in TRANSPORT_CAUSES

    def percentile_ms(self, q: float) -> float | None:
        with self._lock:
            values = sorted(self._latencies_ms)
        if not values:
            return None
        index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
        return round(values[index], 1)

    def snapshot(self) -> dict[str, Any]:
        """The /healthz view: configured, reachable/failing, calls, fallbacks by cause, p95."""
        with self._lock:
            last_ok = self._last_transport_ok
            data: dict[str, Any] = {
                "configured": True,
                "status": "unknown" if last_ok is None else ("reachable" if last_ok else "failing"),
                "calls": self.calls,
                "answered": self.answered,
                "skipped": self.skipped,
                "fallbacks": dict(sorted(self.fallbacks.items())),
            }
        data["p50_ms"] = self.percentile_ms(0.50)
        data["p95_ms"] = self.percentile_ms(0.95)
        data["tokens_per_s"] = round(self.output_tokens / (self.generation_ms / 1000), 1) if self.generation_ms else None
        return data
