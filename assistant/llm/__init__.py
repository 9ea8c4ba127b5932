"""Optional LLM layer: re-phrases deterministic answers, behind a deterministic verifier.

Off by default (`LIMIT_ASSISTANT_LLM=off`). With `openai`, any OpenAI-compatible endpoint is
called through langchain; an answer is used only when the grounding verifier finds every
reason, figure, date and citation in it supported by the checks actually run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from assistant.llm.phraser import LLMPhraser
    from assistant.settings import Settings
    from knowledge.retrieval import Retriever
    from tools.policy import Policy

__all__ = ["build_phraser", "health_of"]


def build_phraser(settings: Settings, policy: Policy, retriever: Callable[[], Retriever]) -> LLMPhraser:
    """The phraser for the configured endpoint (Services.phraser calls this when llm=openai):
    the LLM settings, the policy its tools check against and the shared retriever, no more."""
    from assistant.llm.client import chat_model
    from assistant.llm.phraser import LLMPhraser

    # `llm_mode` is read if Settings has it; "results" (checks run first) is the measured default.
    mode = getattr(settings, "llm_mode", "results")
    return LLMPhraser(
        chat_model(settings),
        policy=policy,
        product={"zh": settings.product_name_zh, "en": settings.product_name_en},
        timeout=settings.llm_timeout,
        mode="tools" if mode == "tools" else "results",
        retriever=retriever,
        label=settings.llm_model or "",
    )


def health_of(phraser: Any) -> dict[str, Any]:
    """The /healthz entry of the LLM: `{"configured": false}` when off, else its counters."""
    if phraser is None:
        return {"configured": False, "status": "off"}
    return phraser.health()
