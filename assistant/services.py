"""The services one process needs, built once from Settings and passed down (no globals).

Each part is created on first use, so `limit-assistant check file.json` never opens the
database and `--help` never loads a model.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from assistant.settings import Settings, load_settings
from tools.policy import Policy, load_policy

if TYPE_CHECKING:
    from collections.abc import Callable

    from assistant.answers.compose import SectionBook
    from assistant.decisions import Provenance
    from assistant.dialogue import Assistant, Phraser
    from assistant.store import Store
    from knowledge.retrieval import Retriever


class Services:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def policy(self) -> Policy:
        return load_policy(self.settings.policy_file)

    @cached_property
    def store(self) -> Store:
        from assistant.store import Store

        return Store.open(self.settings)

    @cached_property
    def section_book(self) -> SectionBook:
        """Titles and texts of the corpus sections, for citations (no index needed)."""
        from assistant.answers.compose import SectionBook
        from assistant.models import CitedSection
        from knowledge.corpus import all_sections, load_corpus

        sections = all_sections(load_corpus(self.settings.corpus_dir, self.policy))
        return SectionBook({
            (s.section_id, s.lang): CitedSection(doc_id=s.doc_id, section_id=s.section_id, title=s.title, text=s.text)
            for s in sections
        })

    def retriever(self, notify: Callable[[str], None] | None = None) -> Retriever:
        """The process's one retriever for these settings (built, and the index checked, once)."""
        from knowledge.retrieval import get_retriever

        return get_retriever(self.settings.knowledge, notify or self.notify)

    @cached_property
    def assistant(self) -> Assistant:
        from assistant.dialogue import Assistant

        return Assistant(
            policy=self.policy,
            store=self.store,
            book=self.section_book,
            retriever_factory=self.retriever,
            product={"zh": self.settings.product_name_zh, "en": self.settings.product_name_en},
            default_lang=self.settings.lang,
            phraser=self.phraser,
            provenance=self.provenance,
        )

    @cached_property
    def provenance(self) -> Provenance:
        """Policy file hash, code and model versions: read once, recorded with every decision."""
        from assistant.decisions import Provenance

        return Provenance.gather(self.policy, self.settings.policy_file, self.settings.corpus_dir)

    @cached_property
    def phraser(self) -> Phraser | None:
        """The optional LLM phrasing layer; None (deterministic answers) unless configured."""
        if self.settings.llm == "off":
            return None
        from assistant.llm import build_phraser

        return build_phraser(self.settings, self.policy, self.retriever)

    def notify(self, message: str) -> None:
        """Operator notices (e.g. "building the knowledge index…") go to stderr, not the answer."""
        import sys

        print(message, file=sys.stderr)
