"""The recourse plan in words (CONTRACT.md section 9): a headline with at most four short steps
and their times, then what can be borrowed from when.

"最快 2026年11月23日(周一) 09:00 可以借 5,000 元：现在上传有效身份证件；您周五的 1,200 元转账入账后
逾期即结清，无需再还。" A step someone decides later (a review) is worded "届时重新评估" /
"re-evaluated at", and a plan that depends on one says "可能" / "might": never a promise.
The texts live in templates/plan_zh.yaml and plan_en.yaml; this module only picks and fills them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.answers.format import money, when
from assistant.answers.templates import fill
from tools.catalogue import catalogue
from tools.plan_model import PendingRepayment, Plan, PlanStep

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_STEPS = 4  # the contract: an answer states at most four short steps
OVERDUE_CODES = frozenset({"OVERDUE_UNPAID", "ACCOUNT_FROZEN"})
SHORTAGE_CODES = frozenset({"NO_AVAILABLE_LIMIT", "AMOUNT_EXCEEDS_AVAILABLE"})
REVIEW_CODES = ("RISK_REVIEW_HOLD", "COMPLIANCE_REVIEW")
TIME_CODES = ("TOO_MANY_APPLICATIONS", "DAILY_DRAW_LIMIT_REACHED", "SYSTEM_MAINTENANCE")


@lru_cache(maxsize=2)
def _templates(lang: str) -> dict[str, Any]:
    name = f"plan_{lang if lang in ('zh', 'en') else 'zh'}.yaml"
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


class _Words:
    def __init__(self, lang: str) -> None:
        self.lang = "en" if lang == "en" else "zh"
        self.t = _templates(self.lang)

    def __call__(self, dotted: str, **values: Any) -> str:
        """Fill the template at a dotted path; a key may itself hold a dot (REPAY_OVERDUE.partial)."""
        node: Any = self.t
        parts = dotted.split(".")
        while parts:
            head = parts.pop(0)
            if head not in node:
                head, parts = ".".join([head, *parts]), []
            node = node[head]
        return fill(node, values)

    def get(self, section: str, key: str) -> str | None:
        return self.t[section].get(key)

    def when(self, moment: Any) -> str:
        return when(moment, self.lang)


def plan_sentences(plan: Plan, lang: str, product: str) -> list[str]:
    """The plan as at most three sentences: the headline with its steps, and the amount from when."""
    words = _Words(lang)
    if plan.met_now:
        key = "met_now.any" if plan.goal.amount is None else "met_now.with_amount"
        return [words(key, amount=_money(plan.goal.amount), max_amount=money(plan.amount_at_goal or 0),
                      product=product)]
    if not plan.reachable:
        return _unreachable(plan, words, product)
    uncertain = any(not step.certain for step in plan.steps if step.kind == "wait")
    steps = _step_list(plan, words)
    amount_part = _amount_part(plan, words)
    if plan.earliest_at == plan.checked_at:
        headline = words("headline.right_away", steps=steps, amount_part=amount_part, product=product)
    else:
        key = "headline.uncertain" if uncertain else "headline.certain"
        headline = words(key, earliest_at=words.when(plan.earliest_at), steps=steps, amount_part=amount_part,
                         product=product)
    at_goal_key = ("at_goal.right_away" if plan.earliest_at == plan.checked_at
                   else "at_goal.uncertain" if uncertain else "at_goal.certain")
    at_goal = words(at_goal_key, amount=money(plan.amount_at_goal or 0), earliest_at=words.when(plan.earliest_at))
    return [headline, at_goal]


def step_phrases(plan: Plan, lang: str) -> list[str]:
    """One short phrase per step, all of them (for a timeline: CLI, UI, widget)."""
    words = _Words(lang)
    return [_phrase(step, plan, words) for step in plan.steps]


def timeline_label(lang: str, key: str, **values: Any) -> str:
    """A label of the plan's timeline view ("now", "you can borrow up to X from T", column names)."""
    return _Words(lang)(f"timeline.{key}", **values)


def _unreachable(plan: Plan, words: _Words, product: str) -> list[str]:
    titles = [getattr(catalogue().reason(code).title, words.lang) for code in plan.blocked_by]
    sentences = [words("unreachable.headline", reasons=words("unreachable.reason_sep").join(titles),
                       amount_part=_amount_part(plan, words), product=product)]
    if plan.steps:
        sentences.append(words("unreachable.helps", steps=_step_list(plan, words)))
    return sentences


def _step_list(plan: Plan, words: _Words) -> str:
    phrases = [_phrase(step, plan, words) for step in plan.steps]
    if len(phrases) > MAX_STEPS:
        phrases = phrases[:MAX_STEPS - 1] + [words("more_steps", count=len(phrases) - MAX_STEPS + 1)]
    return words("step_sep").join(phrases)


def _phrase(step: PlanStep, plan: Plan, words: _Words) -> str:
    if step.kind == "you":
        partial = step.step == "REPAY_OVERDUE" and any(s.repayments for s in plan.steps if s.kind == "wait")
        template = words.get("you", f"{step.step}.partial" if partial else step.step)
        return _catalogue_text(step, words) if template is None else fill(template, {"amount": _money(step.amount)})
    if step.kind == "support" and step.repayments:
        return words("support.CONTACT_SUPPORT.late", repayments=_repayments(step.repayments, words),
                     posts_at=words.when(max(r.posts_at for r in step.repayments)))
    if step.kind == "support" or step.step != "WAIT_UNTIL":
        return _with_time(_catalogue_text(step, words), step, words)
    return _wait_phrase(step, plan, words)


def _wait_phrase(step: PlanStep, plan: Plan, words: _Words) -> str:
    if step.at is None:
        return _with_time(_catalogue_text(step, words), step, words)
    # The headline already gives earliest_at: a wait ending then says "届时" / "at that time".
    at, suffix = words.when(step.at), "_at_goal" if step.at == plan.earliest_at else ""
    parts = []
    if step.repayments:
        parts.append(_repayment_wait(step, plan, words))
    parts += [words(f"wait.review{suffix}.{code}", at=at) for code in REVIEW_CODES if code in step.clears]
    if not parts:  # a time that passes: name the first thing it lifts, or just the time
        lapsing = [code for code in TIME_CODES if code in step.clears]
        parts.append(words(f"wait.time{suffix}.{lapsing[0]}", at=at) if lapsing
                     else words(f"wait.plain{suffix}", at=at))
    return words("wait.part_sep").join(parts)


def _repayment_wait(step: PlanStep, plan: Plan, words: _Words) -> str:
    effects = []
    if OVERDUE_CODES & set(step.clears):
        repaid_too = "REPAY_OVERDUE" in plan.step_codes
        effects.append(words("wait.effect.overdue" if repaid_too else "wait.effect.overdue_paid_once"))
    if SHORTAGE_CODES & set(step.clears):
        effects.append(words("wait.effect.limit"))
    at_part = "" if step.at == plan.earliest_at else words("wait.at_part", at=words.when(step.at))
    key = "wait.repayments_plural" if len(step.repayments) > 1 else "wait.repayments"
    return words(key, repayments=_repayments(step.repayments, words), at_part=at_part,
                 effects=words("wait.effect_sep").join(effects) or words("wait.effect.limit"))


def _repayments(repayments: tuple[PendingRepayment, ...], words: _Words) -> str:
    return words("repayment_sep").join(
        words("repayment", amount=money(r.amount), channel=words.t["channel"][r.channel],
              paid_day=words.t["weekday"][r.paid_at.weekday()])
        for r in repayments)


def _catalogue_text(step: PlanStep, words: _Words) -> str:
    text: str = getattr(catalogue().step(step.step).text, words.lang)
    return text[:1].lower() + text[1:] if words.lang == "en" else text


def _with_time(text: str, step: PlanStep, words: _Words) -> str:
    if step.kind != "wait":
        return text
    if step.at is None:
        return words("wait.unknown", text=text)
    review = next((code for code in REVIEW_CODES if code in step.clears), None)
    if review is not None:
        return words(f"wait.review.{review}", at=words.when(step.at))
    return words("wait.plain", at=words.when(step.at))


def _amount_part(plan: Plan, words: _Words) -> str:
    return "" if plan.goal.amount is None else words("amount_part", amount=money(plan.goal.amount))


def _money(value: Any) -> str:
    return "" if value is None else money(value)
