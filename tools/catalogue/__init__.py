"""The reason, next-step and knowledge-section catalogues, loaded once from the YAML beside this file.

One catalogue, shared by the engine (policy_refs, steps, severities), the knowledge base (section
ids the documents must carry) and the assistant (reason titles and phrases in zh/en).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tools.yamlfile import load_yaml

HERE = Path(__file__).resolve().parent
Severity = Literal["blocking", "limiting", "info"]
Action = Literal["borrow", "limit_status", "limit_increase"]
SEVERITY_RANK: dict[str, int] = {"blocking": 0, "limiting": 1, "info": 2}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Texts(_Frozen):
    zh: str
    en: str


class Phrases(_Frozen):
    zh: tuple[str, ...]
    en: tuple[str, ...]


class ReasonSpec(_Frozen):
    code: str
    priority: int  # position in the contract's table: the order within one severity
    severity: Severity
    checks: tuple[Action, ...]
    policy_refs: tuple[str, ...]
    steps: tuple[str, ...]
    title: Texts
    phrases: Phrases
    automated: bool = False


class StepSpec(_Frozen):
    code: str
    self_service: bool
    text: Texts


class SectionSpec(_Frozen):
    section_id: str
    kind: Literal["rule", "topic"]
    doc: str
    title: Texts
    policy_keys: tuple[str, ...] = ()


class Catalogue(_Frozen):
    reasons: dict[str, ReasonSpec]
    steps: dict[str, StepSpec]
    sections: dict[str, SectionSpec]
    documents: dict[str, Texts]

    def reason(self, code: str) -> ReasonSpec:
        return self.reasons[code]

    def step(self, code: str) -> StepSpec:
        return self.steps[code]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """Load and cross-check the catalogues; a broken catalogue is a bug caught at start-up."""
    raw = load_yaml((HERE / "reasons.yaml").read_text(encoding="utf-8"))
    sections_raw = load_yaml((HERE / "sections.yaml").read_text(encoding="utf-8"))
    reasons = {
        code: ReasonSpec(code=code, priority=i, **{k: v for k, v in spec.items()})
        for i, (code, spec) in enumerate(raw["reasons"].items())
    }
    steps = {
        code: StepSpec(code=code, self_service=spec["self_service"], text=Texts(zh=spec["zh"], en=spec["en"]))
        for code, spec in raw["steps"].items()
    }
    sections = {
        sid: SectionSpec(
            section_id=sid,
            kind=spec["kind"],
            doc=spec["doc"],
            title=Texts(zh=spec["zh"], en=spec["en"]),
            policy_keys=tuple(spec.get("policy_keys", ())),
        )
        for sid, spec in sections_raw["sections"].items()
    }
    documents = {doc: Texts(**titles) for doc, titles in sections_raw["documents"].items()}
    for spec in reasons.values():
        missing_steps = [s for s in spec.steps if s not in steps]
        missing_refs = [r for r in spec.policy_refs if r not in sections]
        if missing_steps or missing_refs:
            raise RuntimeError(f"catalogue: {spec.code} names unknown {missing_steps or missing_refs}")
    return Catalogue(reasons=reasons, steps=steps, sections=sections, documents=documents)
