"""Rate limits hold across workers and for wrong credentials (issue 13 item 6).

- a two-worker server (uvicorn --workers 2 on loopback, counters on Redis) refuses the 61st
  request of one caller within the minute, whichever worker receives it;
- two limiters on one Redis share one count; an unreachable Redis falls back to counting in
  memory instead of failing the request;
- requests with wrong credentials are counted against their address: 401, then 429.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.errors import ApiError
from assistant.web.ratelimit import RateLimiter

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _count(limiter: RateLimiter, key: str, times: int) -> list[bool]:
    allowed = []
    for _ in range(times):
        try:
            limiter.check(key)
            allowed.append(True)
        except ApiError as error:
            assert error.status == 429 and int(error.headers["Retry-After"]) >= 1
            allowed.append(False)
    return allowed


@pytest.mark.redis
def test_two_limiters_on_one_redis_share_one_count(redis_url: str) -> None:
    first, second = RateLimiter("3/minute", redis_url), RateLimiter("3/minute", redis_url)
    caller = f"caller-{uuid.uuid4().hex}"
    assert _count(first, caller, 2) == [True, True]
    assert _count(second, caller, 2) == [True, False]
    assert _count(first, caller, 1) == [False]
    assert _count(second, f"other-{uuid.uuid4().hex}", 1) == [True]


def test_an_unreachable_redis_falls_back_to_memory() -> None:
    limiter = RateLimiter("2/minute", f"redis://127.0.0.1:{_free_port()}/0")
    assert _count(limiter, "caller", 3) == [True, True, False]


def test_a_bad_redis_url_is_a_config_error() -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError):
        RateLimiter("2/minute", "nosuchstore://x")


def test_wrong_credentials_are_rate_limited(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret="s" * 32, api_keys="right-key", rate_limit="5/minute", llm="off")
    client = TestClient(create_app(Services(settings), surfaces=False, warm_up=False))
    statuses = [client.post("/api/check", json={"account_id": "x", "action": "borrow"},
                            headers={"Authorization": f"Bearer wrong-{i}"}).status_code for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3


# -- two workers ------------------------------------------------------------------------------


@pytest.fixture
def two_workers(redis_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIMIT_ASSISTANT_")}
    env.update({
        "LIMIT_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "LIMIT_ASSISTANT_REDIS_URL": redis_url,
        "LIMIT_ASSISTANT_RATE_LIMIT": "60/minute",
        "LIMIT_ASSISTANT_SECRET": "s" * 32,
        "LIMIT_ASSISTANT_API_KEYS": f"key-{uuid.uuid4().hex}",  # a fresh identity per run
    })
    log = (tmp_path / "uvicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--no-access-log", "--timeout-worker-healthcheck", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, (tmp_path / "uvicorn.log").read_text()
            time.sleep(0.5)
        else:
            pytest.fail("the two-worker server did not start: " + (tmp_path / "uvicorn.log").read_text()[-2000:])
        yield base, env["LIMIT_ASSISTANT_API_KEYS"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.slow
@pytest.mark.redis
def test_two_workers_refuse_the_61st_request_within_a_minute(two_workers) -> None:  # type: ignore[no-untyped-def]
    base, key = two_workers
    headers = {"Authorization": f"Bearer {key}"}

    def one(_: int) -> int:
        # A new connection per request, so the kernel spreads them over both workers.
        with httpx.Client(timeout=30) as client:
            response = client.post(f"{base}/api/check", headers=headers,
                                   json={"account_id": "demo-overdue", "action": "borrow"})
        return response.status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, range(75)))
    assert time.monotonic() - started < 60
    # Per-worker memory counters would let up to 120 through; one shared count lets exactly 60.
    assert statuses.count(200) == 60, statuses
    assert statuses.count(429) == 15, statuses
    assert one(0) == 429  # the next one, on whichever worker, too
