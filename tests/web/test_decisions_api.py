"""`GET /api/decisions/{conversation_id}` (issue 17): staff only. An API key reads the records
(the customer's message PII-masked, the inputs as objects, the hash verified); a user token —
even for its own account — and a caller without credentials get 403 (401 when credentials are
required), an unknown conversation 404."""

from __future__ import annotations

import hashlib
import json

from fastapi.testclient import TestClient

from assistant.web.tokens import mint_token

# The deployments of tests/web/conftest.py.
SECRET = "test-secret-do-not-use"
API_KEY = "key-one"
PRIVATE_ACCOUNT = "acct-private-1"


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def chat(client: TestClient, headers: dict[str, str], message: str, account_id: str, **extra: str) -> str:
    response = client.post("/api/chat", json={"message": message, "account_id": account_id, **extra},
                           headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["conversation_id"])


def test_an_api_key_reads_the_records_with_the_message_masked(secure_client: TestClient) -> None:
    key = bearer(API_KEY)
    conversation_id = chat(secure_client, key, "我手机13812345678，为什么借不出来", PRIVATE_ACCOUNT)
    chat(secure_client, key, "我要借5000", PRIVATE_ACCOUNT, conversation_id=conversation_id)
    response = secure_client.get(f"/api/decisions/{conversation_id}", headers=key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["conversation_id"] == conversation_id and body["account_id"] == PRIVATE_ACCOUNT
    first, second = body["decisions"]
    assert (first["turn_seq"], second["turn_seq"]) == (1, 2)
    assert "13812345678" not in response.text and "138****5678" in first["message"]
    assert first["message_masked"] is True and first["verified"] is True
    assert first["snapshot"]["account_id"] == PRIVATE_ACCOUNT
    canonical = json.dumps(first["snapshot"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == first["snapshot_sha256"]
    assert second["checks"][0]["action"] == "borrow" and second["checks"][0]["trace"]
    assert second["answer"]["intent"] == "cannot_borrow" and second["policy_sha256"]


def test_a_user_token_is_refused_even_for_its_own_account(secure_client: TestClient) -> None:
    user = bearer(mint_token(PRIVATE_ACCOUNT, SECRET))
    conversation_id = chat(secure_client, user, "为什么借不出来", PRIVATE_ACCOUNT)
    assert secure_client.get(f"/api/decisions/{conversation_id}", headers=user).status_code == 403
    assert secure_client.get(f"/api/decisions/{conversation_id}").status_code == 401


def test_an_unknown_conversation_is_404(secure_client: TestClient) -> None:
    assert secure_client.get("/api/decisions/no-such-conversation", headers=bearer(API_KEY)).status_code == 404


def test_demo_callers_without_a_key_are_refused(demo_client: TestClient) -> None:
    conversation_id = chat(demo_client, {}, "为什么借不出来", "demo-overdue")
    assert demo_client.get(f"/api/decisions/{conversation_id}").status_code == 403
    with_key = demo_client.get(f"/api/decisions/{conversation_id}", headers=bearer(API_KEY))
    assert with_key.status_code == 200 and len(with_key.json()["decisions"]) == 1


def test_the_route_is_documented(secure_client: TestClient) -> None:
    schema = secure_client.get("/openapi.json").json()
    assert "/api/decisions/{conversation_id}" in schema["paths"]
