"""Chroma's default embedding function (which would download a model) never runs."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from knowledge.embedders import HashingEmbedder
from knowledge.index import build_index
from knowledge.retrieval import Retriever


def test_default_embedding_function_is_never_called(
    settings: Settings, hashing: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api import types
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("Chroma's default embedding function ran")

    monkeypatch.setattr(types.DefaultEmbeddingFunction, "__call__", forbidden)
    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "__call__", forbidden)
    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "_download_model_if_not_exists", forbidden)

    build_index(settings, rebuild=True)
    hits = Retriever(settings).search("还款后额度多久恢复", k=2)
    assert hits[0].section_id == "repayment-posting"
    kinds = {kind for kind, _ in hashing.calls}
    assert kinds == {"passage", "query"}  # our embedder did all the embedding


def test_collection_remembers_our_embedding_function(settings: Settings, hashing: HashingEmbedder) -> None:
    from knowledge.vectorstore import EF_NAME, collection_name, open_client

    build_index(settings)
    collection = open_client(settings).get_collection(collection_name(hashing))
    ef = collection.configuration.get("embedding_function")
    assert ef is not None and ef.name() == EF_NAME
    assert ef.get_config() == {"embedder": "hashing"}
