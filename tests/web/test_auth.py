"""Who may reach what: API keys, signed user tokens, anonymous demo callers (CONTRACT section 7)."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from assistant.web.tokens import InvalidToken, mint_token, verify_token
from tests.helpers.web import (
    API_KEY,
    OTHER_PRIVATE_ACCOUNT,
    PRIVATE_ACCOUNT,
    SECRET,
    bearer,
    error_of,
    private_snapshot,
    user_headers,
)

ASK = "为什么借不出来"


def start_conversation(client: TestClient, account_id: str) -> str:
    response = client.post("/api/chat", json={"message": ASK, "account_id": account_id}, headers=bearer(API_KEY))
    assert response.status_code == 200
    return response.json()["conversation_id"]


# -- tokens ------------------------------------------------------------------------------------------


def test_token_round_trip_and_expiry_boundary() -> None:
    token = mint_token("acct-1", SECRET, ttl_seconds=60, now=1_000)
    assert verify_token(token, SECRET, now=1_059).account_id == "acct-1"
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(token, SECRET, now=1_060)


@pytest.mark.parametrize("mutate", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),                   # signature changed
    lambda t: t.replace(t.split(".")[1], "YWNjdC0y"),                              # account swapped
    lambda t: ".".join([*t.split(".")[:2], str(int(t.split(".")[2]) + 9999), t.split(".")[3]]),  # expiry pushed
    lambda t: "lat2" + t[4:],                                                       # version
    lambda t: t.rsplit(".", 1)[0],                                                  # no signature
])
def test_tampered_tokens_are_rejected(mutate) -> None:
    token = mint_token("acct-1", SECRET, ttl_seconds=600)
    with pytest.raises(InvalidToken):
        verify_token(mutate(token), SECRET)


# -- credentials on the wire ---------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {},
    bearer("wrong-key"),
    {"Authorization": f"Basic {API_KEY}"},
    bearer(mint_token(PRIVATE_ACCOUNT, "another-secret")),                     # forged
    user_headers(PRIVATE_ACCOUNT, ttl_seconds=1, now=time.time() - 10),         # expired
    bearer(mint_token(PRIVATE_ACCOUNT, SECRET).replace("lat1.", "lat1.x", 1)),  # tampered
])
@pytest.mark.parametrize(("path", "body"), [
    ("/api/chat", {"message": ASK, "account_id": PRIVATE_ACCOUNT}),
    ("/api/check", {"account_id": PRIVATE_ACCOUNT, "action": "borrow"}),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": ASK}], "user": PRIVATE_ACCOUNT}),
])
def test_missing_or_bad_credentials_are_401(secure_client: TestClient, headers: dict, path: str, body: dict) -> None:
    response = secure_client.post(path, json=body, headers=headers)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_api_key_reaches_any_account_by_id_or_object(secure_client: TestClient) -> None:
    by_id = secure_client.post("/api/check", json={"account_id": OTHER_PRIVATE_ACCOUNT, "action": "borrow"},
                               headers=bearer(API_KEY))
    assert by_id.status_code == 200 and by_id.json()["account_id"] == OTHER_PRIVATE_ACCOUNT
    inline = private_snapshot("acct-inline") | {"overdue": {"amount": 800, "days": 3}}
    by_object = secure_client.post("/api/chat", json={"message": ASK, "account": inline}, headers=bearer(API_KEY))
    assert by_object.status_code == 200
    assert by_object.json()["reason_codes"] == ["OVERDUE_UNPAID"]


def test_user_token_reaches_its_own_account_without_naming_it(secure_client: TestClient) -> None:
    response = secure_client.post("/api/chat", json={"message": ASK}, headers=user_headers(PRIVATE_ACCOUNT))
    assert response.status_code == 200
    conversation_id = response.json()["conversation_id"]
    history = secure_client.get(f"/api/conversations/{conversation_id}", headers=user_headers(PRIVATE_ACCOUNT))
    assert history.status_code == 200 and history.json()["account_id"] == PRIVATE_ACCOUNT
    same = secure_client.post("/api/check", json={"account_id": PRIVATE_ACCOUNT, "action": "limit_status"},
                              headers=user_headers(PRIVATE_ACCOUNT))
    assert same.status_code == 200


@pytest.mark.parametrize(("path", "body"), [
    ("/api/chat", {"message": ASK, "account_id": OTHER_PRIVATE_ACCOUNT}),
    ("/api/check", {"account_id": OTHER_PRIVATE_ACCOUNT, "action": "borrow"}),
    ("/api/chat", {"message": ASK, "account": private_snapshot(PRIVATE_ACCOUNT)}),
    ("/api/check", {"account": private_snapshot(PRIVATE_ACCOUNT), "action": "borrow"}),
    ("/api/check", {"action": "borrow", "platform": {"funding_quota_remaining": 0}}),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": ASK}],
                              "metadata": {"account_id": OTHER_PRIVATE_ACCOUNT}}),
])
def test_user_token_cannot_name_another_account_or_send_objects(secure_client: TestClient, path: str, body: dict) -> None:
    response = secure_client.post(path, json=body, headers=user_headers(PRIVATE_ACCOUNT))
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_another_accounts_conversation_looks_unknown(secure_client: TestClient) -> None:
    theirs = start_conversation(secure_client, OTHER_PRIVATE_ACCOUNT)
    mine = user_headers(PRIVATE_ACCOUNT)
    attempts = [
        secure_client.post("/api/chat", json={"message": ASK, "conversation_id": theirs}, headers=mine),
        secure_client.get(f"/api/conversations/{theirs}", headers=mine),
        secure_client.post("/api/feedback", json={"conversation_id": theirs, "turn": 1, "rating": "down"}, headers=mine),
        secure_client.post("/api/handoff", json={"conversation_id": theirs}, headers=mine),
        secure_client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": ASK}]},
                           headers={**mine, "X-Conversation-Id": theirs}),
    ]
    unknown = secure_client.get("/api/conversations/does-not-exist", headers=mine)
    for response in attempts:
        assert response.status_code == 404, response.text
        assert error_of(response) == error_of(unknown)
    owner = secure_client.get(f"/api/conversations/{theirs}", headers=user_headers(OTHER_PRIVATE_ACCOUNT))
    assert owner.status_code == 200


def test_api_key_cannot_move_a_conversation_to_another_account(secure_client: TestClient) -> None:
    conversation_id = start_conversation(secure_client, PRIVATE_ACCOUNT)
    response = secure_client.post("/api/chat", json={"message": ASK, "conversation_id": conversation_id,
                                                     "account_id": OTHER_PRIVATE_ACCOUNT}, headers=bearer(API_KEY))
    assert response.status_code == 404


def test_unknown_account_for_an_api_key_is_404(secure_client: TestClient) -> None:
    response = secure_client.post("/api/check", json={"account_id": "nobody", "action": "borrow"}, headers=bearer(API_KEY))
    assert response.status_code == 404


# -- demo mode -------------------------------------------------------------------------------------------


def test_demo_mode_serves_demo_accounts_anonymously(demo_client: TestClient) -> None:
    assert demo_client.post("/api/chat", json={"message": ASK, "account_id": "demo-overdue"}).status_code == 200


@pytest.mark.parametrize("body", [
    {"message": ASK, "account_id": PRIVATE_ACCOUNT},      # exists, not a demo account
    {"message": ASK, "account_id": "no-such-account"},    # unknown: the same answer, nothing leaks
    {"message": ASK, "account": private_snapshot("x")},   # objects are never accepted in demo mode
])
def test_demo_mode_refuses_non_demo_accounts(demo_client: TestClient, body: dict) -> None:
    response = demo_client.post("/api/chat", json=body)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_demo_mode_refuses_non_demo_accounts_even_with_an_api_key(demo_client: TestClient) -> None:
    response = demo_client.post("/api/check", json={"account_id": PRIVATE_ACCOUNT, "action": "borrow"},
                                headers=bearer(API_KEY))
    assert response.status_code == 403


def test_demo_mode_rejects_a_bad_credential(demo_client: TestClient) -> None:
    response = demo_client.post("/api/chat", json={"message": ASK, "account_id": "demo-overdue"},
                                headers=bearer("lat1.ZGVtbw.9999999999.forged"))
    assert response.status_code == 401
