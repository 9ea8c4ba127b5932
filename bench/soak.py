"""Soak: a bounded load run on loopback with the server's memory sampled; fails on errors or growth.

Starts `uvicorn app:build_app --factory --workers 2` on a free 127.0.0.1 port with a fresh data
directory (demo mode, SQLite, `hashing` embedder, no LLM) — the launcher of `bench/api.py`.
Simulated customers hold whole conversations of mixed intents: check-backed questions,
follow-ups with a new amount, what-ifs, policy questions (knowledge index), English, hand-offs
(/api/handoff), direct /api/check calls and /healthz. The server's resident memory (parent +
workers) is sampled every `--sample-every` seconds. At the end the SQLite store is read back:
every answered turn and audited check must be there exactly once.

Exit 1 when any request failed, a stored row is missing or extra, or the memory after warm-up
grew by more than `--rss-bound-mb` (default 64 MB over the first sample after warm-up).

    python bench/soak.py [--minutes 3] [--concurrency 8] [--warmup-seconds 30] [--rss-bound-mb 64]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import free_port, percentile, rss_mb, start_server, wait_ready

# One conversation per script: (account, [messages]); "HANDOFF" asks for a person via /api/handoff.
SCRIPTS: list[tuple[str, list[str]]] = [
    ("demo-overdue", ["为什么借不出来5000", "那3000呢", "如果我先还了逾期的钱呢？"]),
    ("demo-healthy", ["单笔最少借多少", "一天最多能借几次"]),
    ("demo-late-posting", ["还款了额度怎么没恢复", "什么时候能恢复", "HANDOFF"]),
    ("demo-healthy-en", ["Why can't I borrow 5000?", "what about 3000?", "What is the minimum amount per draw?"]),
    ("demo-below-minimum", ["我想借300为什么不行", "那500呢"]),
    ("demo-increase-cooldown", ["为什么提额失败", "提额申请要间隔多久"]),
    ("demo-multi", ["为什么借不出来5000", "转人工"]),
    ("demo-healthy", ["我现在最多能借多少", "你好"]),
]


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    turns: list[tuple[str, int]] = field(default_factory=list)  # (conversation id, seq) answered
    audited: int = 0  # /api/check calls answered: each one is an audit row (a turn's checks are
    # counted from its decision record, since the chat answer no longer carries the trace)
    requests: int = 0


async def timed(figures: Figures, call: Any) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response: httpx.Response = await call
    except httpx.HTTPError as exc:
        figures.errors.append(f"{type(exc).__name__}: {exc}")
        return None
    finally:
        figures.requests += 1
    figures.latencies.append(time.perf_counter() - started)
    if response.status_code != 200:
        figures.errors.append(f"HTTP {response.status_code} {response.text[:160]}")
        return None
    return response


def note_turn(figures: Figures, body: dict[str, Any], message: str) -> None:
    if not body.get("answer"):
        figures.errors.append(f"empty answer to {message!r}")
    figures.turns.append((body["conversation_id"], body["turn"]))


async def conversation(client: httpx.AsyncClient, figures: Figures, account_id: str, messages: list[str]) -> None:
    conversation_id: str | None = None
    for message in messages:
        if message == "HANDOFF":
            call = client.post("/api/handoff", json={"conversation_id": conversation_id})
        else:
            body = {"message": message, "account_id": account_id, "conversation_id": conversation_id}
            call = client.post("/api/chat", json={k: v for k, v in body.items() if v is not None})
        response = await timed(figures, call)
        if response is None:
            return
        data = response.json()
        if message in ("HANDOFF", "转人工") and not data.get("handoff"):
            figures.errors.append(f"no hand-off for {message!r}")
        note_turn(figures, data, message)
        conversation_id = data["conversation_id"]


async def customer(client: httpx.AsyncClient, figures: Figures, number: int, deadline: float) -> None:
    round_ = number
    while time.monotonic() < deadline:
        account_id, messages = SCRIPTS[round_ % len(SCRIPTS)]
        await conversation(client, figures, account_id, messages)
        if round_ % 5 == 0:
            check = client.post("/api/check", json={"account_id": "demo-overdue", "action": "borrow", "amount": "3000"})
            if await timed(figures, check) is not None:
                figures.audited += 1
        if round_ % 7 == 0:
            await timed(figures, client.get("/healthz"))
        round_ += len(SCRIPTS) + 1  # customers walk the scripts out of step with each other


async def sample_memory(pid: int, samples: list[tuple[float, float]], every: float, stop: asyncio.Event) -> None:
    started = time.monotonic()
    while not stop.is_set():
        samples.append((time.monotonic() - started, rss_mb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pass


def stored_rows(data_dir: str) -> tuple[set[tuple[str, int]], int, int, int, int]:
    """(conversation id, seq) of every stored turn, the number of turns, of audit rows, of
    decision records and of the checks those records say their turns ran."""
    with sqlite3.connect(Path(data_dir) / "limit-assistant.sqlite3") as db:
        turns = db.execute("SELECT conversation_id, seq FROM turns").fetchall()
        audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        records, checks = db.execute("SELECT count(*), coalesce(sum(json_array_length(checks)), 0) "
                                     "FROM decisions").fetchone()
    return {(c, s) for c, s in turns}, len(turns), int(audit), int(records), int(checks)


async def run(args: argparse.Namespace, data_dir: str) -> tuple[Figures, list[tuple[float, float]], float]:
    port = free_port()
    server = start_server(port, args.workers, data_dir)
    samples: list[tuple[float, float]] = []
    stop = asyncio.Event()
    try:
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits) as client:
            await wait_ready(client, server)
            sampler = asyncio.create_task(sample_memory(server.pid, samples, args.sample_every, stop))
            figures = Figures()
            started = time.monotonic()
            deadline = started + 60 * args.minutes
            await asyncio.gather(*(customer(client, figures, n, deadline) for n in range(args.concurrency)))
            wall = time.monotonic() - started
            stop.set()
            await sampler
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return figures, samples, wall


def report(args: argparse.Namespace, figures: Figures, samples: list[tuple[float, float]], wall: float,
           rows: tuple[set[tuple[str, int]], int, int, int, int]) -> list[str]:
    """Print the figures; return the reasons the soak failed (empty: it passed)."""
    ms = [1000 * x for x in figures.latencies] or [0.0]
    warm = [mb for t, mb in samples if t >= args.warmup_seconds] or [samples[-1][1]]
    stored, turn_rows, audit_rows, records, turn_checks = rows
    answered = set(figures.turns)
    print(f"soak: {args.minutes:g} min, {args.workers} workers, {args.concurrency} customers, {os.cpu_count()} CPUs")
    print(f"  requests     {figures.requests}   errors {len(figures.errors)}   throughput {figures.requests / wall:.1f}/s")
    print(f"  latency      p50 {percentile(ms, 0.5):.1f} ms   p95 {percentile(ms, 0.95):.1f} ms   "
          f"p99 {percentile(ms, 0.99):.1f} ms   max {max(ms):.1f} ms")
    print(f"  server RSS   start {samples[0][1]:.1f} MB   after warm-up {warm[0]:.1f} MB   peak {max(mb for _, mb in samples):.1f} MB"
          f"   end {samples[-1][1]:.1f} MB   ({len(samples)} samples every {args.sample_every:g} s)")
    print(f"  store        {len(answered)} turns answered, {turn_rows} stored, {records} decision records; "
          f"{turn_checks} checks in turns + {figures.audited} by /api/check, {audit_rows} audit rows")
    failures = [f"{len(figures.errors)} failed requests, first: {figures.errors[0]}"] if figures.errors else []
    growth = max(warm) - warm[0]
    if growth > args.rss_bound_mb:
        failures.append(f"RSS grew {growth:.1f} MB after warm-up (bound {args.rss_bound_mb:g} MB)")
    if answered - stored or turn_rows != len(answered) or len(answered) != len(figures.turns):
        failures.append(f"turns lost or duplicated: answered {len(figures.turns)}, stored {turn_rows}")
    if records != turn_rows:
        failures.append(f"decision records {records} != turns stored {turn_rows}")
    if audit_rows != turn_checks + figures.audited:
        failures.append(f"audit rows {audit_rows} != checks run {turn_checks + figures.audited}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--warmup-seconds", type=float, default=30.0, help="RSS growth is measured after this")
    parser.add_argument("--rss-bound-mb", type=float, default=64.0, help="allowed RSS growth after warm-up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="la-soak-") as data_dir:
        figures, samples, wall = asyncio.run(run(args, data_dir))
        failures = report(args, figures, samples, wall, stored_rows(data_dir))
    for failure in failures:
        print(f"FAIL: {failure}")
    print("soak passed" if not failures else "soak FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
