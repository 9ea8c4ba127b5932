"""Request and response bodies of the HTTP API (pydantic: validated in, documented in OpenAPI).

Unknown request fields are ignored. Money may be sent as a JSON number or a string; times are
ISO 8601 (without an offset: Asia/Shanghai).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from assistant.models import Intent, Lang
from assistant.web.limits import MAX_MESSAGE_CHARS
from tools.result import Action, CapKind, Severity  # the contract's literal types (no texts)

AccountId = Field(default=None, min_length=1, max_length=128,
                  description="An account in the account store (demo mode: a demo account).")
AccountObject = Field(default=None, description="A full account snapshot (CONTRACT section 1); API-key callers only.")
PlatformObject = Field(default=None, description="Platform state `{maintenance, funding_quota_remaining}`; API-key callers only.")
At = Field(default=None, max_length=64, description="Request time, ISO 8601; default: the snapshot's as_of.")
ConversationId = Field(min_length=1, max_length=64)


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CheckRequest(_Request):
    account_id: str | None = AccountId
    account: dict[str, Any] | None = AccountObject
    action: Action = Field(description="What the customer wants to do.")
    amount: float | str | None = Field(default=None, description="Yuan, positive, at most two decimals (borrow).")
    at: str | None = At
    platform: dict[str, Any] | None = PlatformObject


class PlanRequest(CheckRequest):
    """The body of /api/check; a plan's goal is always a borrow."""

    action: Literal["borrow"] = Field(default="borrow", description="borrow (the only goal a plan has)")


class ChatRequest(_Request):
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    account_id: str | None = AccountId
    account: dict[str, Any] | None = AccountObject
    conversation_id: str | None = Field(default=None, min_length=1, max_length=64,
                                        description="Continue this conversation (it names the account).")
    at: str | None = At
    platform: dict[str, Any] | None = PlatformObject


class FeedbackRequest(_Request):
    conversation_id: str = ConversationId
    turn: int = Field(ge=1, description="The `turn` number /api/chat returned.")
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class HandoffRequest(_Request):
    conversation_id: str = ConversationId
    at: str | None = At
    account: dict[str, Any] | None = Field(
        default=None, description="API-key callers whose account is not in the store: the snapshot again.")


# -- responses (documentation; the routes return exactly these fields) ------------------------


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class CitationOut(BaseModel):
    doc_id: str
    section_id: str
    title: str


class SectionOut(CitationOut):
    text: str


class ReasonOut(BaseModel):
    code: str
    severity: Severity
    title: str
    sentence: str = Field(description="The reason as the answer states it, with the customer's figures.")
    facts: dict[str, Any]
    policy_refs: list[str]


class StepOut(BaseModel):
    code: str
    label: str
    eta: AwareDatetime | None
    eta_text: str | None
    self_service: bool


class CapOut(BaseModel):
    kind: CapKind
    amount: float
    label: str


class ClarifyOut(BaseModel):
    label: str
    message: str = Field(description="What the user sends by picking this choice.")


class ChatResponse(BaseModel):
    """The contract's `ask` object plus the answer's parts, for a chat front-end to render."""

    answer: str
    intent: Intent
    reason_codes: list[str]
    next_steps: list[str]
    citations: list[CitationOut]
    handoff: bool
    refused: bool
    what_if: dict[str, Any] | None = Field(default=None, description="Only when a what-if was simulated.")
    plan: dict[str, Any] | None = Field(default=None, description="The recourse plan (CONTRACT section 9), on borrow answers that are not allowed or limited.")
    clarify: list[ClarifyOut] | None = Field(default=None, description="Choices when two readings of the message are close.")
    conversation_id: str
    turn: int = Field(description="Sequence number of this turn in the conversation (for /api/feedback).")
    handoff_id: str | None = Field(description="The conversation's case number once handed to a person.")
    lang: Lang
    reasons: list[ReasonOut] = Field(description="The principal reasons (at most four), worded.")
    more_reasons: int
    caps: list[CapOut] = Field(description="What limits a draw now (borrow checks).")
    max_amount_now: float | None
    steps: list[StepOut]
    sections: list[SectionOut] = Field(description="The cited sections with their text.")
    plan_sentences: list[str]
    plan_steps: list[str] = Field(description="One phrase per plan step, for a timeline.")


class FeedbackResponse(BaseModel):
    conversation_id: str
    turn: int
    rating: str
    comment: str | None


class AccountOut(BaseModel):
    account_id: str
    description: str
    description_zh: str
    description_en: str


class AccountsResponse(BaseModel):
    demo_mode: bool
    accounts: list[AccountOut]


class TurnOut(BaseModel):
    seq: int
    user_text: str
    answer: str
    intent: str | None
    reason_codes: list[str]
    next_steps: list[str]
    citations: list[dict[str, Any]]
    handoff: bool
    refused: bool
    created_at: AwareDatetime
    checks: list[dict[str, Any]]


class ConversationResponse(BaseModel):
    conversation_id: str
    account_id: str
    lang: Lang
    created_at: AwareDatetime
    updated_at: AwareDatetime
    turns: list[TurnOut]


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    demo_mode: bool
    components: dict[str, dict[str, Any]]


class PlanGoalOut(BaseModel):
    action: Literal["borrow"]
    amount: float | None = Field(description="The asked amount; null: any draw of at least the minimum.")


class PlanStepOut(BaseModel):
    step: str = Field(description="A next-step code of CONTRACT section 3.")
    kind: Literal["you", "wait", "support"]
    at: AwareDatetime | None = Field(description="you/support: the request time; wait: when it ends (null: unknown).")
    amount: float | None = Field(description="Set on repayment steps only.")
    clears: list[str] = Field(description="The reason codes this step takes away.")
    certain: bool = Field(description="False: decided by someone at that time (re-evaluated, never promised).")


class PlanResponse(BaseModel):
    """The recourse plan (CONTRACT section 9)."""

    goal: PlanGoalOut
    reachable: bool
    earliest_at: AwareDatetime | None = Field(description="The earliest minute the goal is met; null when unreachable.")
    amount_now: float = Field(description="max_amount_now of the borrow check at the request time.")
    amount_at_goal: float | None
    steps: list[PlanStepOut]
    blocked_by: list[str] = Field(description="Reasons no step clears (unreachable plans only).")
    policy_version: str
    checked_at: AwareDatetime


class DecisionOut(BaseModel):
    """One answered turn's decision record (issue 17); `message` is PII-masked."""

    model_config = ConfigDict(extra="allow")

    turn_seq: int
    kind: Literal["ask", "handoff"]
    message: str
    message_masked: bool
    snapshot: dict[str, Any] = Field(description="The snapshot as received (its canonical JSON hashes to snapshot_sha256).")
    snapshot_sha256: str
    platform: dict[str, Any] | None
    request_time: AwareDatetime
    policy_version: str
    policy_sha256: str | None
    git_commit: str | None
    intent_model_sha256: str | None
    checks: list[dict[str, Any]] = Field(description="Every check run, with its trace.")
    plan: dict[str, Any] | None
    answer: dict[str, Any] = Field(description="The answer's contract view and rendered parts.")
    answer_sha256: str
    record_sha256: str
    verified: bool = Field(description="The stored record still matches record_sha256.")


class TextsOut(BaseModel):
    zh: str
    en: str


class CheckStepOut(BaseModel):
    code: str
    text: TextsOut
    eta: AwareDatetime | None
    self_service: bool


class CheckReasonOut(BaseModel):
    code: str
    severity: Severity
    facts: dict[str, Any]
    policy_refs: list[str]
    next_steps: list[CheckStepOut]


class CheckCapOut(BaseModel):
    kind: CapKind
    amount: float


class TraceOut(BaseModel):
    rule: str
    inputs: dict[str, Any]
    outcome: str


class CheckResponse(BaseModel):
    """The check result (CONTRACT section 3): money as numbers, times ISO 8601 with their offset."""

    action: Action
    account_id: str
    amount: float | None
    allowed: bool
    max_amount_now: float | None
    caps: list[CheckCapOut] = Field(description="The ceilings behind max_amount_now (borrow checks).")
    reasons: list[CheckReasonOut]
    next_steps: list[CheckStepOut]
    policy_version: str
    checked_at: AwareDatetime
    trace: list[TraceOut]


class ModelOut(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelsResponse(BaseModel):
    object: Literal["list"]
    data: list[ModelOut]


class CompletionMessageOut(BaseModel):
    role: Literal["assistant"]
    content: str


class CompletionChoiceOut(BaseModel):
    index: int
    message: CompletionMessageOut
    finish_reason: Literal["stop"]
    logprobs: None = None


class CompletionUsageOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionResponse(BaseModel):
    """An OpenAI chat completion, plus the conversation id and the whole answer object."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[CompletionChoiceOut]
    usage: CompletionUsageOut
    conversation_id: str
    limit_assistant: ChatResponse


class DecisionsResponse(BaseModel):
    conversation_id: str
    account_id: str
    decisions: list[DecisionOut]
