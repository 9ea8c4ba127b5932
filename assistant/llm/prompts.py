"""The prompt files (prompts/zh.yaml, prompts/en.yaml) and the facts block given to the model.

We run the checks first and hand the model their results with the deterministic draft: the
model rephrases, it never decides (docs/LOCAL_LLM.md, "Tools or results first", says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.answers.format import display, money, when
from assistant.llm.evidence import MAX_PRINCIPAL_REASONS
from assistant.models import Answer
from tools.catalogue import catalogue
from tools.result import CheckResult

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
# Printed into the system prompt and never expected in an answer: seeing it means a leak.
CANARY = "LA-CANARY-7Q2X"


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    tools: str


@lru_cache(maxsize=2)
def load_prompt(lang: str) -> Prompt:
    """The prompt file of `lang` (zh for anything else)."""
    path = PROMPTS_DIR / f"{lang if lang in ('zh', 'en') else 'zh'}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Prompt(system=data["system"], user=data["user"], tools=data["tools"])


def system_text(lang: str, product: str, *, with_tools: bool = False) -> str:
    prompt = load_prompt(lang)
    text = prompt.system.format(product=product, canary=CANARY)
    return text + ("\n" + prompt.tools if with_tools else "")


def user_text(lang: str, message: str, result: Answer) -> str:
    # The message is data inside delimiters; braces are neutralised so it cannot reach format().
    safe = message.replace("<<<", "«").replace(">>>", "»")
    return load_prompt(lang).user.format(message=safe, facts=facts_block(result), draft=result.answer)


def facts_block(result: Answer) -> str:
    """The check results as short lines: reasons (principal first) with facts, steps with times."""
    lang = result.lang
    lines = [f"intent: {result.intent}"]
    for i, check in enumerate(result.checks):
        lines.extend(_check_lines(check, lang, label="what-if" if i else "check"))
    if result.what_if is not None:
        lines.append(f"what-if assumption: {result.what_if.assumption}")
    if result.citations:
        titles = "、".join(f"《{c.title}》" for c in result.citations) if lang == "zh" else \
            "; ".join(f'"{c.title}"' for c in result.citations)
        lines.append(f"sources: {titles}")
    if result.handoff_id:
        lines.append(f"ticket: {result.handoff_id}")
    return "\n".join(lines)


def _check_lines(check: CheckResult, lang: str, label: str) -> list[str]:
    head = f"{label}: {check.action}, allowed={str(check.allowed).lower()}"
    if check.amount is not None:
        head += f", amount={money(check.amount)}"
    if check.max_amount_now is not None:
        head += f", max_amount_now={money(check.max_amount_now)}"
    lines = [head]
    for rank, reason in enumerate(check.reasons, 1):
        title = getattr(catalogue().reason(reason.code).title, lang)
        tag = "principal" if rank <= MAX_PRINCIPAL_REASONS else "more"
        facts = "; ".join(f"{k}={display(k, v, lang)}" for k, v in reason.facts.items()
                          if not isinstance(v, list | dict) and v is not None)
        lines.append(f"  reason {rank} [{tag}, {reason.severity}] {reason.code} ({title}): {facts}")
    for step in check.next_steps:
        eta = f" at {when(step.eta, lang)}" if step.eta else ""
        lines.append(f"  next step {step.code}: {getattr(step.text, lang)}{eta}")
    return lines
