"""Evaluation fixtures: a temp data dir per test (helpers: tests/helpers/evaluation.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("LIMIT_ASSISTANT_DATA_DIR", str(data))
    monkeypatch.delenv("LIMIT_ASSISTANT_DATABASE_URL", raising=False)
    monkeypatch.delenv("LIMIT_ASSISTANT_CONFIG", raising=False)
    monkeypatch.setenv("LIMIT_ASSISTANT_LLM", "off")
    return data
