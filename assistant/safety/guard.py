"""`Guard.assess(text, history)`: is this turn of the conversation an attack to refuse?

Layers, each with its reason in the verdict:

- `rule`: what must be exact (data/rules.yaml): chat-template and role markers typed into a
  message — no customer writes them, and a model must never read them as a turn boundary.
- `request`: what the message asks for (assistant.safety.requests, cues in
  data/request_cues.yaml): a request for a way past the checks, a forged document, another
  person's data, the assistant's instructions, a record changed by hand, or an instruction
  addressed to the assistant. It reads the shape every family shares, so it also covers wordings
  the learned model never saw.
- `model`: the learned model (assistant.safety.model) on every view of the message
  (assistant.safety.normalize), the highest score counts. A message that is only *about* a
  misdeed (a denial, a complaint, a definition, a consequence, a worry about one's own account)
  needs more certainty (`ABOUT_MISUSE_THRESHOLD`): those are the near-misses customers write.
- `context`: the conversation, not only the last message: the last turns read together
  (escalation: innocent steps, then the ask), and a lower bar for every message after an earlier
  turn that tried to install an instruction or a role ("from now on you are…", pasted "system"
  text), which stays in force for the rest of the conversation.

Scores of earlier turns are cached per text, and the sentence vector of the `base` view is the
one the intent model uses (assistant.nlu.encoder caches it), so a turn costs one embedding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml

from assistant.safety.features import context_text
from assistant.safety.model import SafetyModel, default_model
from assistant.safety.normalize import View, base_text, strip_invisible, views
from assistant.safety.requests import read_request

RULES_FILE = Path(__file__).parent / "data" / "rules.yaml"
# Families whose attack stays in force after its turn: an installed instruction or role.
STANDING_FAMILIES = frozenset({"direct_injection", "embedded_injection", "roleplay_authority"})
# Request-layer cues that install an instruction for later turns (assistant.safety.requests).
STANDING_CUES = frozenset({"override", "to_assistant"})
# How many earlier user turns are read (older ones have scrolled out of the context view too).
HISTORY_TURNS = 6
# The model's bar for a message that is only about a misdeed (an innocent shape and no request),
# chosen on the dev split: near-misses are what customers write, attacks rarely take that shape.
ABOUT_MISUSE_THRESHOLD = 0.97
# The model's bar for a message the request layer reads as asking for misuse.
REQUEST_THRESHOLD = 0.0

Reason = Literal["model", "rule", "request", "context"]
Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class SafetyVerdict:
    """The guard's decision on one turn. `family` names the kind of attack when `unsafe`."""

    unsafe: bool
    family: str | None
    score: float
    reason: Reason


@dataclass(frozen=True)
class _Scored:
    probability: float
    view: View


@dataclass(frozen=True)
class Rule:
    name: str
    family: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Rule(r["name"], r["family"], re.compile(r["pattern"], re.IGNORECASE)) for r in raw["rules"])


def _default_embed(texts: list[str]) -> np.ndarray:
    from assistant.nlu.encoder import encode

    return encode(texts)


class Guard:
    """Reads a conversation turn and decides whether it is an attack (see the module docstring)."""

    def __init__(self, model: SafetyModel, embed: Embed = _default_embed) -> None:
        self.model = model
        self._embed = embed
        self._scores: dict[str, tuple[_Scored, str | None]] = {}
        self._view_cache: dict[str, list[View]] = {}

    def assess(self, text: str, history: Sequence[str] = ()) -> SafetyVerdict:
        """The verdict on `text`, the newest user message; `history`: earlier user messages, oldest first."""
        rule = self._rule(text)
        if rule is not None:
            return SafetyVerdict(True, rule.family, 1.0, "rule")
        own, family = self._alone(text)
        if own.probability >= self._model_bar(text):
            return SafetyVerdict(True, family, own.probability, "model")
        thresholds = self.model.thresholds
        request = self._request(text)
        if request is not None and own.probability >= REQUEST_THRESHOLD:
            return SafetyVerdict(True, self.model.family(request.text, self._embed([request.text])[0]),
                                 max(own.probability, thresholds.unsafe), "request")
        earlier = list(history)[-HISTORY_TURNS:]
        if not earlier or read_request(base_text(text)).shapes:
            # A message with an innocent shape (a retreat to the proper way, one's own data, a
            # question why) does not inherit an earlier turn's attack: it is judged alone.
            return SafetyVerdict(False, None, own.probability, "model")
        if self._standing_instruction(earlier) and own.probability >= thresholds.after_standing_instruction:
            return SafetyVerdict(True, family, own.probability, "context")
        joined = base_text(context_text(earlier, text))
        context = self._score([View("context", joined)])
        if context.probability >= thresholds.context:
            vector = self._embed([joined])[0]
            return SafetyVerdict(True, self.model.family(joined, vector), context.probability, "context")
        return SafetyVerdict(False, None, max(own.probability, context.probability), "model")

    def _model_bar(self, text: str) -> float:
        """How sure the model must be to refuse this message on its own (see the constants)."""
        bar = self.model.thresholds.unsafe
        return max(bar, ABOUT_MISUSE_THRESHOLD) if read_request(base_text(text)).about_misuse else bar

    def _rule(self, text: str) -> Rule | None:
        visible = strip_invisible(text)
        return next((rule for rule in load_rules() if rule.pattern.search(visible)), None)

    def _request(self, text: str) -> View | None:
        """The first view of the message that asks for misuse (the request layer), if any."""
        return next((v for v in self._views(text) if read_request(v.text).asks_for_misuse), None)

    def _views(self, text: str) -> list[View]:
        """The message's views (cached per text: the request layer and the model read the same)."""
        found = self._view_cache.get(text)
        if found is None:
            if len(self._view_cache) > 4096:
                self._view_cache.clear()
            found = self._view_cache[text] = views(text, self.model.lexicon)
        return found

    def _alone(self, text: str) -> tuple[_Scored, str | None]:
        """The best-scoring view of one message and its family if unsafe (cached per text)."""
        cached = self._scores.get(text)
        if cached is not None:
            return cached
        best = self._score(self._views(text))
        family = None
        if best.probability >= self.model.thresholds.after_standing_instruction:
            family = self.model.family(best.view.text, self._embed([best.view.text])[0])
        if len(self._scores) > 4096:
            self._scores.clear()
        self._scores[text] = (best, family)
        return best, family

    def _score(self, candidates: list[View]) -> _Scored:
        vectors = self._embed([v.text for v in candidates])
        logits = [self.model.unsafe_logit(v.text, vec) for v, vec in zip(candidates, vectors, strict=True)]
        best = int(np.argmax(logits))
        return _Scored(self.model.probability(logits[best]), candidates[best])

    def _standing_instruction(self, earlier: list[str]) -> bool:
        """An earlier turn installed an instruction or a role (it stays in force)."""
        for turn in earlier:
            if self._rule(turn) is not None:
                return True
            if read_request(base_text(turn)).targets & STANDING_CUES:
                return True
            scored, family = self._alone(turn)
            if scored.probability >= self.model.thresholds.unsafe and family in STANDING_FAMILIES:
                return True
        return False


@lru_cache(maxsize=1)
def default_guard() -> Guard:
    """The guard with the shipped model and the shared sentence encoder, built once per process."""
    return Guard(default_model())
