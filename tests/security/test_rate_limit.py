"""The rate limit holds under a burst (issue 9 item 3): with a limit of N per minute, N + 5
requests of one caller give at least 5 × 429 with `Retry-After`, and other callers are not
starved by it (API key, user token and anonymous demo caller each have their own budget)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.web import create_app
from tests.helpers.security import (
    API_KEY,
    OTHER_API_KEY,
    OWNER,
    SECRET,
    VICTIM,
    assert_json_error,
    bearer,
    make_settings,
    seed_private_accounts,
    user_headers,
)

LIMIT = 8
BURST = LIMIT + 5


def limited_client(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path, **overrides: str) -> TestClient:
    services = Services(make_settings(knowledge_dir, tmp_path_factory.mktemp("ratelimit-db"),
                                      rate_limit=f"{LIMIT}/minute", **overrides))
    seed_private_accounts(services)
    return TestClient(create_app(services, surfaces=False, warm_up=False))


@pytest.fixture
def secure(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> TestClient:
    return limited_client(tmp_path_factory, knowledge_dir, secret=SECRET, api_keys=f"{API_KEY},{OTHER_API_KEY}")


def check(client: TestClient, headers: dict[str, str], account_id: str = OWNER):  # type: ignore[no-untyped-def]
    return client.post("/api/check", json={"account_id": account_id, "action": "borrow"}, headers=headers)


def assert_limited(responses: list) -> None:  # type: ignore[type-arg]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == LIMIT and statuses.count(429) == BURST - LIMIT, statuses
    for response in responses:
        if response.status_code == 429:
            assert assert_json_error(response)["code"] == "rate_limited"
            assert 1 <= int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("who", ["api-key", "user-token"])
def test_a_sequential_burst_is_cut_at_the_limit(secure: TestClient, who: str) -> None:
    headers = bearer(API_KEY) if who == "api-key" else user_headers(OWNER)
    responses = [check(secure, headers) for _ in range(BURST)]
    assert_limited(responses)
    assert [r.status_code for r in responses[:LIMIT]] == [200] * LIMIT  # the first N were served


def test_a_concurrent_burst_is_cut_at_the_limit(secure: TestClient) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: check(secure, bearer(API_KEY)), range(BURST)))
    assert_limited(responses)


def test_one_noisy_caller_does_not_starve_the_others(secure: TestClient) -> None:
    for _ in range(BURST):
        check(secure, bearer(API_KEY))
    assert check(secure, bearer(API_KEY)).status_code == 429
    assert check(secure, bearer(OTHER_API_KEY)).status_code == 200
    assert check(secure, user_headers(OWNER)).status_code == 200
    assert check(secure, user_headers(VICTIM), VICTIM).status_code == 200


def test_a_fresh_token_does_not_reset_the_accounts_budget(secure: TestClient) -> None:
    """The budget is the account's, not the token's: minting new tokens does not get around it."""
    statuses = [check(secure, user_headers(OWNER, ttl_seconds=600 + i)).status_code for i in range(BURST)]
    assert statuses.count(429) >= BURST - LIMIT


def test_chat_is_limited_too(secure: TestClient) -> None:
    responses = [secure.post("/api/chat", json={"message": "为什么借不出来", "account_id": OWNER},
                             headers=bearer(API_KEY)) for _ in range(BURST)]
    assert_limited(responses)


def test_anonymous_demo_callers_are_limited(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> None:
    demo = limited_client(tmp_path_factory, knowledge_dir)
    responses = [demo.post("/api/check", json={"account_id": "demo-overdue", "action": "borrow"}) for _ in range(BURST)]
    assert_limited(responses)
