"""The LLM phraser: re-phrase a deterministic answer, keep it only if it passes the verifier.

Only `answer` may change; reason codes, next steps, citations, hand-off, refusal and what-if are
always the deterministic result's own. Refusals are never sent to a model. Any time-out, error,
malformed output or tool call, or verifier rejection returns the deterministic result, and is
logged with its cause and counted (LLMStats → /healthz).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import ValidationError

from assistant.llm.evidence import collect
from assistant.llm.health import LLMStats
from assistant.llm.prompts import CANARY, system_text, user_text
from assistant.llm.tools import ConversationContext, ToolLedger, build_tools
from assistant.llm.verifier import verify
from assistant.models import Answer
from tools.policy import Policy

log = logging.getLogger("limit_assistant.llm")

Mode = Literal["results", "tools"]
MAX_ANSWER_CHARS = 3000
NEVER_SENT = frozenset({"unsafe_request"})


class Fallback(Exception):
    """The LLM path ended without a usable answer; `cause` names why."""

    def __init__(self, cause: str, detail: str = "") -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause = cause
        self.detail = detail


class LLMPhraser:
    """Implements assistant.dialogue.Phraser over any langchain chat model."""

    def __init__(self, model: BaseChatModel, *, policy: Policy, product: dict[str, str], timeout: float,
                 mode: Mode = "results", retriever: Callable[[], Any] | None = None,
                 max_tool_rounds: int = 3, stats: LLMStats | None = None, label: str = "") -> None:
        self.model = model
        self.policy = policy
        self.product = product
        self.timeout = timeout
        self.mode = mode
        self.retriever = retriever
        self.max_tool_rounds = max_tool_rounds
        self.stats = stats or LLMStats()
        self.label = label
        # The call runs in a worker so the customer's wait is bounded by `timeout` even when
        # the HTTP client's own per-read time-outs would let a trickling server run longer.
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")

    def phrase(self, message: str, deterministic: Answer,
               context: ConversationContext | None = None) -> Answer:
        """The LLM's wording of `deterministic` if it passes the verifier, else `deterministic`."""
        if deterministic.refused or deterministic.intent in NEVER_SENT:
            self.stats.record_skip()
            return deterministic
        started = time.monotonic()
        ledger = ToolLedger()
        try:
            text = self._answer_within_deadline(message, deterministic, context, ledger, started)
        except Fallback as fallback:
            return self._fall_back(deterministic, fallback, started, ledger)
        elapsed = (time.monotonic() - started) * 1000
        self.stats.record(elapsed, None, ledger.output_tokens)
        log.info("llm answered intent=%s elapsed_ms=%.0f", deterministic.intent, elapsed,
                 extra={"llm_cause": None, "llm_ms": elapsed, "llm_tokens": ledger.output_tokens})
        return deterministic.model_copy(update={"answer": text})

    def health(self) -> dict[str, Any]:
        """`{"configured", "status": reachable|failing|unknown, "calls", "fallbacks", "p95_ms"…}`."""
        return {**self.stats.snapshot(), "mode": self.mode, "model": self.label}

    # -- one turn ----------------------------------------------------------------------------

    def _answer_within_deadline(self, message: str, result: Answer, context: ConversationContext | None,
                                ledger: ToolLedger, started: float) -> str:
        future = self._pool.submit(self._converse, message, result, context, ledger, started)
        try:
            text = future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise Fallback("timeout", f"no answer within {self.timeout:g} s") from None
        except Fallback:
            raise
        except Exception as exc:
            raise _classify(exc) from exc
        evidence = collect(result, self.policy, extra_checks=ledger.checks, extra_sections=ledger.sections)
        system = system_text(result.lang, self.product.get(result.lang, ""))
        verdict = verify(text, evidence, system_prompt=system, canary=CANARY)
        if not verdict.ok:
            first = verdict.problems[0]
            raise Fallback(first.cause, "; ".join(f"{p.cause}: {p.detail}" for p in verdict.problems[:5]))
        return text

    def _converse(self, message: str, result: Answer, context: ConversationContext | None,
                  ledger: ToolLedger, started: float) -> str:
        use_tools = self.mode == "tools" and context is not None
        messages: list[BaseMessage] = [
            SystemMessage(system_text(result.lang, self.product.get(result.lang, ""), with_tools=use_tools)),
            HumanMessage(user_text(result.lang, message, result)),
        ]
        if not use_tools:
            return _text_of(_counted(self.model.invoke(messages), ledger))
        assert context is not None
        tools = {t.name: t for t in build_tools(context, self.policy, ledger, result.lang, self.retriever)}
        bound = self.model.bind_tools(list(tools.values()))
        for _ in range(self.max_tool_rounds + 1):
            if time.monotonic() - started > self.timeout:
                raise Fallback("timeout", "deadline passed between tool rounds")
            reply = _counted(bound.invoke(messages), ledger)
            if not isinstance(reply, AIMessage):
                raise Fallback("malformed_output", f"unexpected reply type {type(reply).__name__}")
            if reply.invalid_tool_calls:
                raise Fallback("bad_tool_call", str(reply.invalid_tool_calls[0].get("name")))
            if not reply.tool_calls:
                return _text_of(reply)
            messages.append(reply)
            messages.extend(_run_tool_calls(reply, tools))
        raise Fallback("bad_tool_call", f"more than {self.max_tool_rounds} tool rounds")

    def _fall_back(self, deterministic: Answer, fallback: Fallback, started: float,
                   ledger: ToolLedger) -> Answer:
        elapsed = (time.monotonic() - started) * 1000
        self.stats.record(elapsed, fallback.cause, ledger.output_tokens)
        log.warning("llm fallback cause=%s intent=%s elapsed_ms=%.0f detail=%s",
                    fallback.cause, deterministic.intent, elapsed, fallback.detail[:300],
                    extra={"llm_cause": fallback.cause, "llm_ms": elapsed, "llm_tokens": ledger.output_tokens})
        return deterministic


def _run_tool_calls(reply: AIMessage, tools: dict[str, Any]) -> list[ToolMessage]:
    """Validate and run each call; a call we cannot run ends the LLM path (bad_tool_call)."""
    out = []
    for call in reply.tool_calls:
        tool = tools.get(call["name"])
        if tool is None:
            raise Fallback("bad_tool_call", f"unknown tool {call['name']!r}")
        try:
            args = tool.args_schema.model_validate(call.get("args") or {})
            output = tool.func(**args.model_dump())
        except ValidationError as exc:
            raise Fallback("bad_tool_call", f"{call['name']}: {exc.errors()[0]['msg']}") from None
        except Exception as exc:  # noqa: BLE001 - a tool failing on the model's input is its fault
            raise Fallback("bad_tool_call", f"{call['name']}: {exc}") from None
        out.append(ToolMessage(content=output, tool_call_id=call.get("id") or call["name"], name=call["name"]))
    return out


def _counted(reply: Any, ledger: ToolLedger) -> Any:
    usage = getattr(reply, "usage_metadata", None) or {}
    ledger.output_tokens += int(usage.get("output_tokens") or 0)
    return reply


def _text_of(reply: Any) -> str:
    if not isinstance(reply, AIMessage):
        raise Fallback("malformed_output", f"unexpected reply type {type(reply).__name__}")
    if reply.tool_calls:
        raise Fallback("bad_tool_call", "tool call where an answer was expected")
    content = reply.content
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    if not isinstance(content, str):
        raise Fallback("malformed_output", "content is not text")
    text = _strip_wrapping(content)
    if len(text) > MAX_ANSWER_CHARS:
        raise Fallback("malformed_output", f"answer of {len(text)} characters")
    return text


def _strip_wrapping(text: str) -> str:
    """Small models like to wrap answers in code fences or a reasoning block; drop both."""
    text = text.strip()
    if "</think>" in text:
        text = text.split("</think>", 1)[1].strip()
    if text.startswith("```") and text.endswith("```"):
        text = text.strip("`").split("\n", 1)[-1].strip()
    return text


def _classify(exc: Exception) -> Fallback:
    """Map client exceptions to causes without importing provider SDK types at module load."""
    name = type(exc).__name__
    chain = f"{name} {type(exc.__cause__).__name__ if exc.__cause__ else ''}"
    if "Timeout" in chain:
        return Fallback("timeout", name)
    if any(word in chain for word in ("APIStatusError", "APIConnectionError", "HTTPStatusError",
                                      "ConnectError", "RateLimit", "InternalServerError", "NotFound",
                                      "Authentication", "PermissionDenied", "BadRequest", "HTTPError",
                                      "RemoteProtocolError", "UnprocessableEntity")):
        return Fallback("http_error", f"{name}: {str(exc)[:200]}")
    if any(word in chain for word in ("JSONDecodeError", "ValidationError", "KeyError", "TypeError",
                                      "OutputParserException")):
        return Fallback("malformed_output", f"{name}: {str(exc)[:200]}")
    return Fallback("error", f"{name}: {str(exc)[:200]}")
