"""Decision records (issue 17): what one answered turn decided, on what data, by which code,
policy and model, so that it can be shown to a regulator, replayed byte for byte
(`assistant.replay`) and explained to the customer in writing (`assistant.notices`).

The dialogue calls `build_decision` once per turn, from what the turn already has (snapshot,
platform, request time, the typed `Answer` with its checks and plan); the record is stored with
the turn, in the same transaction (`ConversationRepository.add_turn(decision=…)`).

`Provenance` is read once per process: the policy file's sha256, the package version, the git
commit when the code runs from a checkout, a hash of the code on the decision path, the intent
model's artefact hash and a hash of the knowledge corpus. Replay compares them with the
recorded ones to name the cause of a difference.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import PACKAGE_ROOT
from assistant.store.records import DecisionRecord, StoredDecision
from tools.result import jsonable
from tools.snapshot import Platform, Snapshot, parse_platform, parse_snapshot

if TYPE_CHECKING:
    from assistant.dialogue import Assistant
    from assistant.models import Answer
    from tools.policy import Policy

log = logging.getLogger("limit_assistant.decisions")

LANGS = ("zh", "en")
# The code that decides an answer: the assistant without its edges (CLI, web, evaluation) and
# the readers of records (replay, notices), and the engine without the policy files (the policy
# is a component of its own).
CODE_DIRS = ("assistant", "tools")
CODE_EXCLUDED = ("assistant/cli/", "assistant/web/", "assistant/evaluation/", "assistant/replay.py",
                 "assistant/notices/", "tools/policy/")
CODE_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".json", ".html", ".txt"})

# Which recorded hash names which cause of a difference.
COMPONENTS: dict[str, str] = {
    "policy_sha256": "policy file",
    "policy_version": "policy version",
    "package_version": "code version",
    "git_commit": "code version",
    "code_sha256": "code version",
    "intent_model_sha256": "intent model",
    "knowledge_sha256": "knowledge base",
}


# -- canonical JSON and hashes ---------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 characters kept; Decimals as JSON numbers, times ISO 8601.

    A value read back from the store (non-integral numbers as Decimal) gives the same text as
    the value it was written from, so a record's hash can be checked at any time.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      default=_plain)


def _plain(value: Any) -> Any:
    """What `json` cannot write itself, as `tools.result.jsonable` writes it."""
    if isinstance(value, Decimal | datetime | date):
        return jsonable(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _canonical_field(value: Any) -> str:
    """`canonical_json(value)`; most of a record's fields are strings or None, written directly."""
    if value is None:
        return "null"
    if type(value) is str:
        return encode_basestring(value)  # what json.dumps writes for a str with ensure_ascii=False
    return canonical_json(value)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_sha256(fields: dict[str, Any]) -> str:
    """The hash of a record's content (every field but the hash itself)."""
    return sha256_text(canonical_json({k: v for k, v in fields.items() if k != "record_sha256"}))


def verify(record: DecisionRecord) -> bool:
    """True when the record's content still matches the hash written with it."""
    fields = record.model_dump(include=set(DecisionRecord.model_fields))
    return record_sha256(fields) == record.record_sha256


# -- provenance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """The versions that decide an answer besides its inputs; None where unknown."""

    policy_version: str
    policy_sha256: str | None = None
    package_version: str | None = None
    git_commit: str | None = None
    code_sha256: str | None = None
    intent_model_sha256: str | None = None
    knowledge_sha256: str | None = None

    @classmethod
    def gather(cls, policy: Policy, policy_file: Path | None = None, corpus_dir: Path | None = None) -> Provenance:
        """Read once at start-up (`Services.provenance`); the code hashes are cached per process."""
        return cls(
            policy_version=policy.policy_version,
            policy_sha256=file_sha256(policy_file) if policy_file is not None else None,
            package_version=package_version(),
            git_commit=git_commit(),
            code_sha256=code_sha256(),
            intent_model_sha256=intent_model_fingerprint(),
            knowledge_sha256=tree_sha256(corpus_dir, ("*.md",)) if corpus_dir is not None else None,
        )

    def to_dict(self) -> dict[str, str | None]:
        return dict(_provenance_dict(self))  # a copy: the cached dict stays as read


@lru_cache(maxsize=8)
def _provenance_dict(provenance: Provenance) -> dict[str, str | None]:
    # Read once per process and recorded with every decision: not rebuilt per turn.
    return asdict(provenance)


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None  # the policy loader reports an unreadable file; this is only provenance


@lru_cache(maxsize=1)
def package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("limit-assistant")
    except PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    """`git rev-parse HEAD` of the checkout the code runs from; None for an installed package."""
    if not (PACKAGE_ROOT / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "-C", str(PACKAGE_ROOT), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """A hash of the code on the decision path (CODE_DIRS minus CODE_EXCLUDED): unlike the git
    commit it also sees uncommitted changes, and it exists for an installed package too."""
    digest = hashlib.sha256()
    for directory in CODE_DIRS:
        for path in sorted((PACKAGE_ROOT / directory).rglob("*")):
            relative = path.relative_to(PACKAGE_ROOT).as_posix()
            if (path.suffix not in CODE_SUFFIXES or "__pycache__" in relative
                    or relative.startswith(CODE_EXCLUDED) or not path.is_file()):
                continue
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def tree_sha256(root: Path, patterns: tuple[str, ...]) -> str | None:
    """A hash of the files under `root` matching `patterns` (names and contents)."""
    if not root.is_dir():
        return None
    digest = hashlib.sha256()
    paths = sorted({p for pattern in patterns for p in root.rglob(pattern) if p.is_file()})
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def intent_model_fingerprint() -> str | None:
    """The intent model's artefact hash, from `assistant.nlu.model_fingerprint()` when the NLU
    offers it (the one seam between records and the model); None until then."""
    from assistant import nlu

    fingerprint = getattr(nlu, "model_fingerprint", None)
    if not callable(fingerprint):
        return None
    value = fingerprint()
    return str(value) if value else None


# -- the record ------------------------------------------------------------------------------


def build_decision(assistant: Assistant, *, kind: str, message: str,
                   snapshot: Snapshot, platform: Platform | None, at: datetime | None,
                   result: Answer, deterministic: Answer | None = None) -> DecisionRecord:
    """The record of one answered turn; `deterministic` is the answer before LLM phrasing.

    Each field is written as canonical JSON once: the record's text (and so its hash) is those
    pieces joined, and the store writes the JSON columns from the same pieces
    (`DecisionRecord.encoded`), and a turn's checks and audit rows from the checks' pieces when
    they are the record's own check data (`ConversationRepository.add_turn`)."""
    snapshot_json = canonical_json(snapshot.model_dump(mode="json", by_alias=True))
    platform_json = canonical_json(platform.model_dump(mode="json", by_alias=True)) if platform else None
    request_time = (at or snapshot.as_of).isoformat()
    phrased = deterministic is not None and deterministic.answer != result.answer
    # The model's probability to 4 places: a replay on another machine (another BLAS) may differ
    # in the last bits of a float without the model deciding anything differently.
    confidence = round(result.confidence, 4) if result.confidence is not None else None
    answer_view = {**result.parts_view(), "slots": jsonable(result.slots), "confidence": confidence}
    checks = [check.to_data() for check in result.checks]
    fields: dict[str, Any] = {
        "kind": kind,
        "message": message,
        "default_lang": assistant.default_lang,
        "product": dict(assistant.composer.product),
        "snapshot": snapshot_json,
        "snapshot_sha256": sha256_text(snapshot_json),
        "platform": platform_json,
        "platform_sha256": sha256_text(platform_json) if platform_json is not None else None,
        "requested_at": at.isoformat() if at is not None else None,
        "request_time": request_time,
        **assistant.provenance.to_dict(),
        "phraser": type(assistant.phraser).__name__ if assistant.phraser is not None else None,
        "checks": checks,
        "plan": jsonable(result.plan.model_dump()) if result.plan is not None else None,
        "answer": jsonable(answer_view),
        "answer_sha256": sha256_text(result.answer),
        "deterministic_sha256": sha256_text(deterministic.answer) if phrased and deterministic else None,
        "wording": _wording(assistant, result, snapshot, platform, at),
    }
    check_texts = [canonical_json(data) for data in checks]
    encoded = {name: _canonical_field(value) for name, value in fields.items() if name != "checks"}
    encoded["checks"] = "[" + ",".join(check_texts) + "]"
    # = canonical_json(fields): sorted keys (field names are plain ASCII), no spaces
    text = "{" + ",".join(f'"{name}":{encoded[name]}' for name in sorted(encoded)) + "}"
    fields["record_sha256"] = sha256_text(text)  # = record_sha256(fields)
    record = DecisionRecord.model_validate(fields)
    record.keep_encoded(encoded, check_texts)
    return record


def _wording(assistant: Assistant, result: Answer, snapshot: Snapshot, platform: Platform | None,
             at: datetime | None) -> dict[str, Any]:
    """The principal reasons and the plan in both languages, for a written notice in either.

    The answer's own language keeps exactly its sentences; the other is worded from the same
    check (the same facts) and the same plan, never from a generic list.
    """
    check = result.checks[0] if result.checks else None
    wording: dict[str, Any] = {}
    for lang in LANGS:
        if lang == result.lang:
            reasons = [{"code": r.code, "sentence": r.sentence} for r in result.reasons]
            plan_text = list(result.plan.sentences) if result.plan is not None else []
        else:
            found = [check.reason(r.code) for r in result.reasons] if check is not None else []
            reasons = [{"code": r.code, "sentence": assistant.composer.sentence(r, lang)} for r in found if r]
            plan_text = _plan_in(assistant, result, snapshot, platform, at, lang)
        wording[lang] = {"reasons": reasons, "plan": plan_text}
    return wording


def _plan_in(assistant: Assistant, result: Answer, snapshot: Snapshot, platform: Platform | None,
             at: datetime | None, lang: str) -> list[str]:
    """The answer's plan in `lang`: the engine's plan the answer stated, or, for a view without
    it, the plan of the same inputs (section 9: the same plan), checked against the answer's."""
    if result.plan is None:
        return []
    from assistant.answers.plan_text import plan_sentences
    from tools.plan import plan

    if result.plan.plan is not None:
        return plan_sentences(result.plan.plan, lang, assistant.composer.product[lang])
    goal = result.plan.data.get("goal", {}).get("amount")
    found = plan(snapshot, platform, assistant.policy, Decimal(str(goal)) if goal is not None else None, at)
    if canonical_json(found.to_data()) != canonical_json(result.plan.data):
        log.warning("the plan re-worded in %s differs from the answer's; left out of the record", lang)
        return []
    return plan_sentences(found, lang, assistant.composer.product[lang])


# -- reading a record back -------------------------------------------------------------------


def snapshot_of(record: DecisionRecord) -> Snapshot:
    return parse_snapshot(json.loads(record.snapshot, parse_float=Decimal))


def platform_of(record: DecisionRecord) -> Platform | None:
    return parse_platform(json.loads(record.platform, parse_float=Decimal)) if record.platform else None


def requested_at_of(record: DecisionRecord) -> datetime | None:
    return datetime.fromisoformat(record.requested_at) if record.requested_at else None


def staff_view(record: StoredDecision) -> dict[str, Any]:
    """A record as staff read it (`GET /api/decisions/…`, exports): the inputs as objects, the
    customer's free text PII-masked like every export, and whether its hash still verifies
    (checked on the stored, unmasked record)."""
    from assistant.store.masking import mask_pii

    data: dict[str, Any] = jsonable(record.model_dump())
    data.update(message=mask_pii(record.message), message_masked=True, verified=verify(record),
                snapshot=json.loads(record.snapshot),
                platform=json.loads(record.platform) if record.platform else None)
    return data
