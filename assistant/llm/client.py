"""The chat model: any OpenAI-compatible endpoint through langchain's ChatOpenAI.

Nothing provider-specific: base URL, model, key, timeout, max tokens and temperature come from
Settings. Retries are off: a retry would spend the customer's wait, and the deterministic
answer is always there to fall back on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.errors import ConfigError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings

# Local servers (llama.cpp, vLLM) accept any key; the client library insists on one.
PLACEHOLDER_KEY = "not-needed"
DEFAULT_MODEL = "default"


def chat_model(settings: Settings) -> BaseChatModel:
    """A ChatOpenAI client for the configured endpoint."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise ConfigError("LIMIT_ASSISTANT_LLM=openai needs the llm extra: pip install 'limit-assistant[llm]'") from None
    if not settings.llm_base_url:
        raise ConfigError("LIMIT_ASSISTANT_LLM=openai needs LIMIT_ASSISTANT_LLM_BASE_URL")
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or DEFAULT_MODEL,
        api_key=settings.llm_api_key or PLACEHOLDER_KEY,  # type: ignore[arg-type]
        timeout=settings.llm_timeout,
        max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
        temperature=settings.llm_temperature,
        max_retries=0,
        # langchain sends the cap as `max_completion_tokens`, which llama-cpp-python's server
        # ignores (abetlen/llama-cpp-python#1907) and then generates to the end of its context;
        # the older `max_tokens` is understood by every OpenAI-compatible server we know of.
        extra_body={"max_tokens": settings.llm_max_tokens},
    )
