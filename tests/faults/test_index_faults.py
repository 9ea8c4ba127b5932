"""The knowledge index missing, deleted mid-run, corrupt, or on an unreachable Chroma server.

What the user must see: the same answer as with a healthy index (rebuilt if need be), or a clear
temporary error; never a 500. What the operator must see: /healthz flags an index it cannot
trust. A check-backed question never needs the index at all.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.helpers.faults import (
    CHECK_QUESTION,
    POLICY_QUESTIONS,
    Deployment,
    Golden,
    answer_of,
    assert_unavailable,
    deploy,
    make_settings,
)

FIRST, SECOND, ENGLISH = POLICY_QUESTIONS


def index_ok(deployment: Deployment) -> bool:
    return deployment.index_health()["status"] == "ok"


def test_missing_index_is_built_by_the_first_policy_question(tmp_path: Path, golden: Golden) -> None:
    deployment = deploy(make_settings(tmp_path / "data"))
    health = deployment.client.get("/healthz").json()
    assert health["status"] == "degraded" and health["components"]["index"]["status"] == "missing"

    assert answer_of(deployment.chat(FIRST)) == golden.policy[FIRST]
    assert index_ok(deployment)
    assert deployment.client.get("/healthz").json()["status"] == "ok"


def test_check_backed_question_never_touches_the_index(tmp_path: Path, golden: Golden,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def no_index(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a check-backed question opened the knowledge index")

    monkeypatch.setattr("knowledge.retrieval.get_retriever", no_index)
    monkeypatch.setattr("knowledge.index.ensure_index", no_index)
    deployment = deploy(make_settings(tmp_path / "data"))
    account_id, question = CHECK_QUESTION

    response = deployment.chat(question, account_id)

    assert answer_of(response) == golden.check
    assert response.json()["reason_codes"] == ["OVERDUE_UNPAID"]
    assert golden.check[2], "the check's answer still cites its rule sections (from the corpus)"
    assert not (tmp_path / "data" / "chroma").exists()


def test_index_deleted_mid_run_keeps_answers_correct(indexed_dir: Path, golden: Golden) -> None:
    deployment = deploy(make_settings(indexed_dir))
    assert answer_of(deployment.chat(FIRST)) == golden.policy[FIRST]

    shutil.rmtree(indexed_dir / "chroma")

    assert answer_of(deployment.chat(SECOND)) == golden.policy[SECOND]
    assert answer_of(deployment.chat(CHECK_QUESTION[1], CHECK_QUESTION[0])) == golden.check


def test_index_deleted_mid_run_is_rebuilt_by_the_next_question(indexed_dir: Path, golden: Golden) -> None:
    deployment = deploy(make_settings(indexed_dir))
    assert answer_of(deployment.chat(FIRST)) == golden.policy[FIRST]

    shutil.rmtree(indexed_dir / "chroma")
    deployment.chat(SECOND)

    # Not left to Chroma's open handles, which serve some worker threads and fail others.
    assert (indexed_dir / "chroma" / "chroma.sqlite3").exists()
    assert index_ok(deployment)


def test_restart_after_the_index_was_deleted_rebuilds_it(indexed_dir: Path, golden: Golden) -> None:
    deploy(make_settings(indexed_dir)).chat(FIRST)
    shutil.rmtree(indexed_dir / "chroma")

    restarted = deploy(make_settings(indexed_dir))

    for question in POLICY_QUESTIONS:
        assert answer_of(restarted.chat(question)) == golden.policy[question]
    assert index_ok(restarted)


def _corrupt_vector_db(data_dir: Path) -> None:
    (data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database\0" * 4096)


def test_corrupt_vector_db_never_gives_a_500(indexed_dir: Path, golden: Golden) -> None:
    deployment = deploy(make_settings(indexed_dir))
    assert answer_of(deployment.chat(FIRST)) == golden.policy[FIRST]

    _corrupt_vector_db(indexed_dir)

    intent, answer, citations = answer_of(deployment.chat(SECOND))
    assert intent == "policy_question" and answer and citations
    assert answer_of(deployment.chat(CHECK_QUESTION[1], CHECK_QUESTION[0])) == golden.check


    deployment.chat(FIRST)

    _corrupt_vector_db(indexed_dir)

    correct = answer_of(deployment.chat(SECOND)) == golden.policy[SECOND]
    assert correct or not index_ok(deployment), "a degraded answer while /healthz says ok"


def test_restart_after_the_vector_db_was_corrupted_rebuilds_it(indexed_dir: Path, golden: Golden) -> None:
    _corrupt_vector_db(indexed_dir)

    restarted = deploy(make_settings(indexed_dir))

    for question in POLICY_QUESTIONS:
        assert answer_of(restarted.chat(question)) == golden.policy[question]
    assert index_ok(restarted)


def _garbage_manifest(path: Path) -> None:
    path.write_bytes(b"\x00{not json")


def _manifest_left_building(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace('"complete"', '"building"'), encoding="utf-8")


def _manifest_deleted(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize("damage", [_garbage_manifest, _manifest_left_building, _manifest_deleted],
                         ids=["garbage", "left-building", "deleted"])
def test_damaged_manifest_is_flagged_then_rebuilt(indexed_dir: Path, golden: Golden, damage) -> None:
    deployment = deploy(make_settings(indexed_dir))
    assert answer_of(deployment.chat(FIRST)) == golden.policy[FIRST]
    (manifest,) = (indexed_dir / "index").glob("*.json")

    damage(manifest)

    assert not index_ok(deployment), "/healthz must not trust a damaged manifest"
    assert answer_of(deployment.chat(SECOND)) == golden.policy[SECOND]
    restarted = deploy(make_settings(indexed_dir))
    for question in POLICY_QUESTIONS:
        assert answer_of(restarted.chat(question)) == golden.policy[question]
    assert index_ok(restarted)
    assert '"complete"' in manifest.read_text(encoding="utf-8")


def _closed_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on return: nothing listens there


def test_chroma_server_down(tmp_path: Path, golden: Golden) -> None:
    url = f"http://127.0.0.1:{_closed_loopback_port()}"
    deployment = deploy(make_settings(tmp_path / "data", chroma_url=url))

    health = deployment.client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert health["components"]["index"]["status"] != "ok"
    assert health["components"]["index"]["target"] == url

    for question in (FIRST, ENGLISH):
        response = deployment.chat(question)
        if response.status_code == 200:  # answered without the index: then it cites nothing
            assert response.json()["citations"] == []
        else:
            assert_unavailable(response)
    assert answer_of(deployment.chat(CHECK_QUESTION[1], CHECK_QUESTION[0])) == golden.check
    assert deployment.client.get("/healthz").json()["components"]["store"]["status"] == "ok"
