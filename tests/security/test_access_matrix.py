"""Access control matrix (issue 9 item 3; CONTRACT.md section 7). Extends tests/web/test_auth.py:
every route × {no credential, API key, user token} × {own account, another account}, bad tokens
on every route, a token for a deleted account, objects from user tokens, demo mode.

A refusal must not carry a byte of the other account: its id, figures (48,213 available,
3,777.77 overdue), conversation text or hand-off id are searched for in every response.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.web.tokens import mint_token
from tests.helpers.security import (
    API_KEY,
    OWNER,
    SECRET,
    VICTIM,
    VICTIM_SECRET_TEXT,
    assert_json_error,
    bearer,
    leaked_markers,
    owner_snapshot,
    user_headers,
    victim_snapshot,
)

ASK = "为什么借不出来"


@dataclass(frozen=True)
class World:
    """Conversations (and a hand-off) of both accounts, started by the server-to-server caller."""

    conversations: dict[str, str]
    victim_handoff_id: str


@pytest.fixture(scope="module")
def world(secure_client: TestClient) -> World:
    conversations = {}
    for account_id, message in ((OWNER, ASK), (VICTIM, VICTIM_SECRET_TEXT)):
        response = secure_client.post("/api/chat", json={"message": message, "account_id": account_id},
                                      headers=bearer(API_KEY))
        assert response.status_code == 200, response.text
        conversations[account_id] = response.json()["conversation_id"]
    victim_answer = secure_client.get(f"/api/conversations/{conversations[VICTIM]}", headers=bearer(API_KEY)).text
    assert "3,777.77" in victim_answer and "紫罗兰大象" in victim_answer  # the markers are really there to leak
    handoff = secure_client.post("/api/handoff", json={"conversation_id": conversations[VICTIM]}, headers=bearer(API_KEY))
    assert handoff.status_code == 200 and handoff.json()["handoff_id"]
    return World(conversations, handoff.json()["handoff_id"])


Request = Callable[[TestClient, World, str, dict[str, str]], Any]


def _check(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/api/check", json={"account_id": target, "action": "borrow"}, headers=h)


def _chat(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/api/chat", json={"message": ASK, "account_id": target}, headers=h)


def _chat_in_conversation(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/api/chat", json={"message": "那3000呢", "conversation_id": w.conversations[target]}, headers=h)


def _conversation(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.get(f"/api/conversations/{w.conversations[target]}", headers=h)


def _feedback(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/api/feedback", json={"conversation_id": w.conversations[target], "turn": 1, "rating": "down",
                                         "comment": "太慢了"}, headers=h)


def _handoff(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/api/handoff", json={"conversation_id": w.conversations[target]}, headers=h)


def _completions(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ASK}],
                                                "metadata": {"account_id": target}}, headers=h)


def _completions_in_conversation(c: TestClient, w: World, target: str, h: dict[str, str]) -> Any:
    return c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ASK}]},
                  headers={**h, "X-Conversation-Id": w.conversations[target]})


# route → status for a user token asking for another account (403: named account; 404: a
# conversation of another account looks unknown).
ROUTES: dict[str, tuple[Request, int]] = {
    "POST /api/check": (_check, 403),
    "POST /api/chat": (_chat, 403),
    "POST /api/chat conversation_id": (_chat_in_conversation, 404),
    "GET /api/conversations/{id}": (_conversation, 404),
    "POST /api/feedback": (_feedback, 404),
    "POST /api/handoff": (_handoff, 404),
    "POST /v1/chat/completions": (_completions, 403),
    "POST /v1/chat/completions X-Conversation-Id": (_completions_in_conversation, 404),
}
CALLERS = {
    "none": dict,
    "api-key": lambda: bearer(API_KEY),
    "owner-token": lambda: user_headers(OWNER),
}


def expected_status(caller: str, target: str, refused_as: int) -> int:
    if caller == "none":
        return 401  # secured deployment: credentials required
    if caller == "api-key" or target == OWNER:
        return 200
    return refused_as


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("route", list(ROUTES))
def test_access_matrix(secure_client: TestClient, world: World, route: str, caller: str, target: str) -> None:
    send, refused_as = ROUTES[route]
    account = OWNER if target == "own" else VICTIM
    response = send(secure_client, world, account, CALLERS[caller]())
    assert response.status_code == expected_status(caller, account, refused_as), response.text[:300]
    if response.status_code != 200:
        assert_json_error(response)
    if account == VICTIM and caller != "api-key":
        assert not leaked_markers(response.text), response.text[:400]
        assert world.victim_handoff_id not in response.text
    if caller == "owner-token" and account == OWNER:
        assert not leaked_markers(response.text) and world.victim_handoff_id not in response.text


def test_another_accounts_conversation_is_indistinguishable_from_an_unknown_one(secure_client: TestClient,
                                                                              world: World) -> None:
    """Same status, code and message for another account's id and a made-up one: no oracle."""
    mine = user_headers(OWNER)
    for send, status in [(r, s) for r, s in ROUTES.values() if s == 404]:
        theirs = send(secure_client, world, VICTIM, mine)
        made_up = send(secure_client, World({VICTIM: "0" * 32}, ""), VICTIM, mine)
        assert theirs.status_code == made_up.status_code == status
        assert theirs.json() == made_up.json()


# -- bad credentials on every route -------------------------------------------------------------------

def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(payload: str, secret: str = SECRET) -> str:
    return f"{payload}.{_b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())}"


def _swap_account(token: str, account_id: str) -> str:
    version, _, expiry, signature = token.split(".")
    return ".".join([version, _b64(account_id.encode()), expiry, signature])


FAR = int(time.time()) + 86_400
NOT_UTF8 = _b64(bytes([0xFF, 0xFE]))
BAD_CREDENTIALS = {
    "wrong-secret": lambda: bearer(mint_token(OWNER, "not-the-secret")),
    "expired": lambda: user_headers(OWNER, ttl_seconds=1, now=time.time() - 5),
    "expired-by-one-second": lambda: bearer(_signed(f"lat1.{_b64(OWNER.encode())}.{int(time.time()) - 1}")),
    "account-swapped": lambda: bearer(_swap_account(mint_token(OWNER, SECRET), VICTIM)),
    "signature-dropped": lambda: bearer(mint_token(OWNER, SECRET).rsplit(".", 1)[0] + "."),
    "signature-of-empty-secret": lambda: bearer(_signed(f"lat1.{_b64(OWNER.encode())}.{FAR}", secret="")),
    "unsigned-alg-none": lambda: bearer(f"lat1.{_b64(OWNER.encode())}.{FAR}.none"),
    "version-changed": lambda: bearer("lat2" + mint_token(OWNER, SECRET)[4:]),
    "expiry-not-a-number": lambda: bearer(_signed(f"lat1.{_b64(OWNER.encode())}.9e99")),
    "account-not-utf8": lambda: bearer(_signed(f"lat1.{NOT_UTF8}.{FAR}")),
    "five-fields": lambda: bearer(mint_token(OWNER, SECRET) + ".x"),
    "huge": lambda: bearer("lat1." + "A" * 5_000),
    "api-key-prefix": lambda: bearer(API_KEY[:-1]),
    "api-key-suffix": lambda: bearer(API_KEY + "x"),
    "api-key-padded-inside": lambda: bearer(API_KEY.replace("-", " - ")),
    "basic-scheme": lambda: {"Authorization": f"Basic {API_KEY}"},
    "token-scheme": lambda: {"Authorization": f"Token {API_KEY}"},
    "bearer-only": lambda: {"Authorization": "Bearer"},
    "bearer-empty": lambda: {"Authorization": "Bearer    "},
    "api-key-in-query-like-header": lambda: {"X-Api-Key": API_KEY},
}
ALL_ROUTES = [(name, send) for name, (send, _) in ROUTES.items()]


@pytest.mark.parametrize("credential", list(BAD_CREDENTIALS))
@pytest.mark.parametrize(("route", "send"), ALL_ROUTES, ids=[name for name, _ in ALL_ROUTES])
def test_bad_credentials_are_401_on_every_route(secure_client: TestClient, world: World, route: str, send: Request,
                                                credential: str) -> None:
    response = send(secure_client, world, OWNER, BAD_CREDENTIALS[credential]())
    assert response.status_code == 401, response.text[:200]
    assert assert_json_error(response)["code"] == "unauthorized"
    assert not leaked_markers(response.text)


@pytest.mark.parametrize("path", ["/v1/models", "/api/accounts"])
def test_bad_credentials_are_401_on_get_routes(secure_client: TestClient, path: str) -> None:
    for credential in ("wrong-secret", "expired", "api-key-suffix"):
        assert secure_client.get(path, headers=BAD_CREDENTIALS[credential]()).status_code == 401
    assert secure_client.get(path).status_code == 401


def test_scheme_is_case_insensitive_but_nothing_else_is(secure_client: TestClient) -> None:
    token = mint_token(OWNER, SECRET)
    ok = secure_client.post("/api/check", json={"action": "borrow"}, headers={"Authorization": f"bearer {token}"})
    assert ok.status_code == 200 and ok.json()["account_id"] == OWNER
    upper = secure_client.post("/api/check", json={"action": "borrow"},
                               headers={"Authorization": f"Bearer {token.upper()}"})
    assert upper.status_code == 401


# -- a token for a deleted account ------------------------------------------------------------------------


def test_a_token_for_a_deleted_account_reaches_nothing(secure_services: Services, secure_client: TestClient) -> None:
    doomed = "acct-doomed-3"
    secure_services.store.accounts.put(doomed, owner_snapshot() | {"account_id": doomed})
    headers = user_headers(doomed)
    started = secure_client.post("/api/chat", json={"message": ASK}, headers=headers)
    assert started.status_code == 200
    conversation_id = started.json()["conversation_id"]
    assert secure_services.store.accounts.delete(doomed)

    refused = [
        secure_client.post("/api/check", json={"action": "borrow"}, headers=headers),
        secure_client.post("/api/chat", json={"message": ASK}, headers=headers),
        secure_client.post("/api/chat", json={"message": ASK, "conversation_id": conversation_id}, headers=headers),
        secure_client.post("/api/handoff", json={"conversation_id": conversation_id}, headers=headers),
        secure_client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ASK}]}, headers=headers),
        secure_client.post("/api/check", json={"account_id": VICTIM, "action": "borrow"}, headers=headers),
    ]
    for response in refused:
        assert response.status_code in (403, 404), response.text[:200]
        assert_json_error(response)
        assert not leaked_markers(response.text)
    # The conversation it already had is still its own history (no other account's data in it).
    history = secure_client.get(f"/api/conversations/{conversation_id}", headers=headers)
    assert history.status_code in (200, 404) and not leaked_markers(history.text)


# -- objects in the body from a user token ---------------------------------------------------------------


@pytest.mark.parametrize(("path", "body"), [
    ("/api/chat", {"message": ASK, "account": owner_snapshot()}),
    ("/api/chat", {"message": ASK, "account": victim_snapshot()}),
    ("/api/chat", {"message": ASK, "platform": {"funding_quota_remaining": 0}}),
    ("/api/check", {"action": "borrow", "account": owner_snapshot() | {"overdue": {"amount": 0}}}),
    ("/api/check", {"action": "borrow", "account_id": OWNER, "account": victim_snapshot()}),
])
def test_objects_from_a_user_token_are_forbidden(secure_client: TestClient, path: str, body: dict) -> None:
    response = secure_client.post(path, json=body, headers=user_headers(OWNER))
    assert response.status_code in (403, 422), response.text[:200]
    assert_json_error(response)
    assert not leaked_markers(response.text)


def test_an_account_object_in_a_handoff_from_a_user_token_is_refused(secure_client: TestClient, world: World) -> None:
    mine = world.conversations[OWNER]
    for account in (owner_snapshot(), victim_snapshot()):
        response = secure_client.post("/api/handoff", json={"conversation_id": mine, "account": account},
                                      headers=user_headers(OWNER))
        assert response.status_code in (403, 404), response.text[:200]
        assert not leaked_markers(response.text)


def test_the_user_field_of_a_completion_cannot_switch_a_tokens_account(secure_client: TestClient) -> None:
    response = secure_client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ASK}],
                                                                "user": VICTIM}, headers=user_headers(OWNER))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        conversation_id = response.json()["limit_assistant"]["conversation_id"]
        stored = secure_client.get(f"/api/conversations/{conversation_id}", headers=user_headers(OWNER))
        assert stored.status_code == 200 and stored.json()["account_id"] == OWNER
    assert not leaked_markers(response.text)


def test_an_api_key_cannot_continue_a_conversation_with_another_accounts_object(secure_client: TestClient,
                                                                                world: World) -> None:
    response = secure_client.post("/api/chat", json={"message": ASK, "conversation_id": world.conversations[OWNER],
                                                     "account": victim_snapshot()}, headers=bearer(API_KEY))
    assert response.status_code == 404
    assert not leaked_markers(response.text.replace(VICTIM, ""))


# -- demo mode ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def private_conversation_in_demo(demo_services: Services) -> str:
    """A conversation of a private account in the demo deployment's store (written directly)."""
    return demo_services.store.conversations.create(VICTIM, "zh")


@pytest.mark.parametrize("headers", [{}, bearer(API_KEY)], ids=["anonymous", "api-key"])
def test_demo_mode_refuses_private_accounts_on_every_route(demo_client: TestClient, private_conversation_in_demo: str,
                                                           headers: dict[str, str]) -> None:
    w = World({VICTIM: private_conversation_in_demo}, "")
    for name, (send, _) in ROUTES.items():
        response = send(demo_client, w, VICTIM, headers)
        assert response.status_code in (403, 404), (name, response.status_code, response.text[:200])
        assert_json_error(response)
        assert not leaked_markers(response.text.replace(VICTIM, "")), name
    inline = demo_client.post("/api/check", json={"account": victim_snapshot(), "action": "borrow"}, headers=headers)
    assert inline.status_code == 403


def test_demo_mode_rejects_user_tokens(demo_client: TestClient) -> None:
    """No secret configured: no token can be valid, whoever signed it."""
    for token in (mint_token("demo-overdue", SECRET), f"lat1.{_b64(b'demo-overdue')}.{FAR}.forged"):
        response = demo_client.post("/api/chat", json={"message": ASK, "account_id": "demo-overdue"},
                                    headers=bearer(token))
        assert response.status_code == 401


def test_demo_accounts_list_names_no_private_account(demo_client: TestClient) -> None:
    response = demo_client.get("/api/accounts")
    assert response.status_code == 200
    ids = [a["account_id"] for a in response.json()["accounts"]]
    assert ids and all(i.startswith("demo-") for i in ids)
    assert OWNER not in response.text and not leaked_markers(response.text)
