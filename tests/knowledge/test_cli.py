"""`limit-assistant index` and `limit-assistant search` end to end (fake embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assistant.cli.index_cmd
import assistant.cli.search_cmd  # noqa: F401
from assistant.cli._app import app
from knowledge.embedders import HashingEmbedder


@pytest.fixture
def env(tmp_path: Path, corpus_dir: Path, hashing: HashingEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIMIT_ASSISTANT_CORPUS_DIR", str(corpus_dir))
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.delenv("LIMIT_ASSISTANT_CHROMA_URL", raising=False)
    monkeypatch.delenv("LIMIT_ASSISTANT_CONFIG", raising=False)


def test_index_json_summary(env: None) -> None:
    result = CliRunner().invoke(app, ["index", "--json"])
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.stdout)
    assert (summary["added"], summary["unchanged"], summary["sections"]) == (16, 0, 8)
    again = json.loads(CliRunner().invoke(app, ["index", "--json"]).stdout)[0]
    assert (again["added"], again["unchanged"]) == (0, 16)
    rebuilt = json.loads(CliRunner().invoke(app, ["index", "--rebuild", "--json"]).stdout)[0]
    assert rebuilt["rebuilt"] and rebuilt["added"] == 16


def test_search_json_is_exactly_the_contract(env: None) -> None:
    result = CliRunner().invoke(app, ["search", "还款后额度多久恢复", "--k", "2", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2
    assert all(list(h) == ["doc_id", "section_id", "title", "text", "score"] for h in hits)
    assert hits[0]["section_id"] == "repayment-posting" and hits[0]["score"] >= hits[1]["score"]


def test_search_builds_the_index_on_first_use_and_says_so(env: None) -> None:
    result = CliRunner().invoke(app, ["search", "minimum draw", "--lang", "en"])
    assert result.exit_code == 0
    assert "building the knowledge index" in result.stderr
    assert "draw-minimum" in result.stdout


def test_bad_input_and_bad_config_exit_codes(env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert CliRunner().invoke(app, ["search", "x", "--lang", "fr"]).exit_code == 2
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "no-such-model")
    result = CliRunner().invoke(app, ["search", "x", "--json"])
    assert result.exit_code == 3 and "unknown embedder" in result.stderr
