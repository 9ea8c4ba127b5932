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
  (escalation: steps that lean towards an attack without being one, then the ask), and a lower
  bar for every message after an earlier turn that tried to install an instruction or a role
  ("from now on you are…", pasted "system" text), which stays in force for the rest of the
  conversation. A relative said to be there on their own phone stays there too: the turns
  after it are not read together with it.

Scores of earlier turns are cached per text, and the sentence vector of the `base` view is the
one the intent model uses (assistant.nlu.encoder caches it), so a turn costs one embedding.

Fast path (a cascade): with the artefact's `FastPath`, a view's logit is first bounded from its
characters alone; a view whose bounds lie on one side of the threshold being asked about is
settled without its sentence vector, and only the unsettled views are embedded. The decisions are
the full model's wherever the bounds hold (they are the extremes of the estimate's error on
held-out training views); a refusal's family is always read with the vectors.
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
from assistant.safety.model import (
    FastPath,
    LogitBounds,
    SafetyModel,
    default_fast_path,
    default_model,
)
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
# The innocent shape of a relative asking on their own phone or account (request_cues.yaml).
RELATIVE_PRESENT = "on_their_own_account"
# A message's pinyin read back as characters, the views it supersedes for the model, and how far the
# words read back must lean towards an attack for the raw letters to count as well (`_model_views`).
PINYIN_VIEW = "pinyin"
SPELLED_VIEWS = frozenset({"base", "clean"})
PINYIN_LEAN = 0.5
# A bar no probability reaches.
NEVER = 1.01
# The turns read together refuse only when one of the earlier ones already leaned this far towards
# an attack on its own. Innocent questions about one's own line read together look like probing
# ("is there a minimum?", "and the max?", "ok so what's mine right now" read as circumvention at
# 0.89): on the sixteen dev conversation sets the joined reading refused 7 innocent turns and no
# attack; the corpus attacks it caught each had an earlier turn at 0.97.
EARLIER_SUSPICION = 0.5
# The model's bar for a message the request layer reads as asking for misuse.
REQUEST_THRESHOLD = 0.0

Reason = Literal["model", "rule", "request", "context"]
Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class SafetyVerdict:
    """The guard's decision on one turn. `family` names the kind of attack when `unsafe`.

    `score` is the model's probability; where the fast path settled the decision without the
    sentence vector, it is the estimate from the characters.
    """

    unsafe: bool
    family: str | None
    score: float
    reason: Reason


class _Reading:
    """The model's reading of some views (a message's, or the context view): the highest counts.

    Bounds from the characters first; a view's sentence vector is computed only when a question
    (`at_least`, `family`) cannot be settled without it.
    """

    def __init__(self, model: SafetyModel, fast_path: FastPath | None, embed: Embed, candidates: list[View]) -> None:
        self._model = model
        self._embed = embed
        self._candidates = candidates
        self._bounds: list[LogitBounds | None] = [fast_path.bounds(v.text) if fast_path else None for v in candidates]
        self._logits: list[float | None] = [None] * len(candidates)
        self._vectors: list[np.ndarray | None] = [None] * len(candidates)

    def at_least(self, threshold: float) -> bool:
        """Whether the model's probability (over all views) reaches `threshold`."""
        probability = self._model.probability
        unsettled = []
        for i, bounds in enumerate(self._bounds):
            logit = self._logits[i]
            if logit is not None:
                if probability(logit) >= threshold:
                    return True
            elif bounds is None or probability(bounds.high) >= threshold:
                if bounds is not None and probability(bounds.low) >= threshold:
                    return True
                unsettled.append(i)
        self._compute(unsettled)
        return any(probability(self._logits[i]) >= threshold for i in unsettled)  # type: ignore[arg-type]

    @property
    def probability(self) -> float:
        """The model's probability: exact where every view was embedded, else the estimate."""
        known = [logit if logit is not None else bounds.estimate  # type: ignore[union-attr]
                 for logit, bounds in zip(self._logits, self._bounds, strict=True)]
        return self._model.probability(max(known))

    @property
    def family(self) -> str:
        """The attack family of the highest-scoring view (read with every view's vector)."""
        self._compute(range(len(self._candidates)))
        best = int(np.argmax(self._logits))  # type: ignore[arg-type]
        return self._model.family(self._candidates[best].text, self._vectors[best])  # type: ignore[arg-type]

    def _compute(self, indices: Sequence[int] | range) -> None:
        missing = [i for i in indices if self._logits[i] is None]
        if not missing:
            return
        vectors = self._embed([self._candidates[i].text for i in missing])
        for i, vector in zip(missing, vectors, strict=True):
            self._vectors[i] = vector
            self._logits[i] = self._model.unsafe_logit(self._candidates[i].text, vector)


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

    def __init__(self, model: SafetyModel, embed: Embed = _default_embed, fast_path: FastPath | None = None) -> None:
        self.model = model
        self.fast_path = fast_path
        self._embed = embed
        self._readings: dict[str, _Reading] = {}
        self._view_cache: dict[str, list[View]] = {}

    def assess(self, text: str, history: Sequence[str] = ()) -> SafetyVerdict:
        """The verdict on `text`, the newest user message; `history`: earlier user messages, oldest first."""
        rule = self._rule(text)
        if rule is not None:
            return SafetyVerdict(True, rule.family, 1.0, "rule")
        own = self._alone(text)
        if own.at_least(self._model_bar(text)):
            return SafetyVerdict(True, own.family, own.probability, "model")
        thresholds = self.model.thresholds
        request = self._request(text)
        if request is not None and own.at_least(REQUEST_THRESHOLD):
            return SafetyVerdict(True, self.model.family(request.text, self._embed([request.text])[0]),
                                 max(own.probability, thresholds.unsafe), "request")
        earlier = list(history)[-HISTORY_TURNS:]
        if not earlier or read_request(base_text(text)).shapes:
            # A message with an innocent shape (a retreat to the proper way, one's own data, a
            # question why) does not inherit an earlier turn's attack: it is judged alone.
            return SafetyVerdict(False, None, own.probability, "model")
        if self._standing_instruction(earlier) and own.at_least(thresholds.after_standing_instruction):
            return SafetyVerdict(True, own.family, own.probability, "context")
        if self._relative_present(earlier) or not any(self._alone(turn).at_least(EARLIER_SUSPICION) for turn in earlier):
            return SafetyVerdict(False, None, own.probability, "model")
        joined = base_text(context_text(earlier, text))
        context = self._reading([View("context", joined)])
        if context.at_least(thresholds.context):
            return SafetyVerdict(True, context.family, context.probability, "context")
        return SafetyVerdict(False, None, max(own.probability, context.probability), "model")

    def _model_bar(self, text: str) -> float:
        """How sure the model must be to refuse this message on its own (see the constants); a
        message that is only a draw at an amount or a request for a person is never refused for
        its own words."""
        reading = read_request(base_text(text))
        if reading.whole_message_innocent:
            return NEVER
        bar = self.model.thresholds.unsafe
        return max(bar, ABOUT_MISUSE_THRESHOLD) if reading.about_misuse else bar

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

    def _alone(self, text: str) -> _Reading:
        """The model's reading of one message's views (cached per text: earlier turns come back)."""
        found = self._readings.get(text)
        if found is None:
            if len(self._readings) > 4096:
                self._readings.clear()
            found = self._readings[text] = self._reading(self._model_views(self._views(text)))
        return found

    def _model_views(self, found: list[View]) -> list[View]:
        """The views the learned model reads. A message typed in pinyin whose words, read back as
        characters (its `pinyin` view), do not lean towards an attack is read as those words: its
        raw letters are not a reading of their own, because the model learned latin pinyin only
        from the obfuscation attacks and scored "wei sha jie bu chu lai le" (为啥借不出来了) as one.
        Where the words do lean ("jie bei zen me tao xian", read back only in part), every view
        counts. The request layer always reads every view."""
        restored = [view for view in found if view.name == PINYIN_VIEW]
        if not restored or self._reading(restored).at_least(PINYIN_LEAN):
            return found
        return [view for view in found if view.name not in SPELLED_VIEWS]

    def _reading(self, candidates: list[View]) -> _Reading:
        return _Reading(self.model, self.fast_path, self._embed, candidates)

    @staticmethod
    def _relative_present(earlier: list[str]) -> bool:
        """An earlier turn said a relative is there, on their own phone or account ("他就坐我旁边，用的是
        他自己的手机"): "he asks whether he can borrow 3000" next is that relative's own question,
        judged alone, not read with the first turn's "his line" as a probe of someone else's."""
        return any(RELATIVE_PRESENT in read_request(base_text(turn)).shapes for turn in earlier)

    def _standing_instruction(self, earlier: list[str]) -> bool:
        """An earlier turn installed an instruction or a role (it stays in force)."""
        for turn in earlier:
            if self._rule(turn) is not None:
                return True
            if read_request(base_text(turn)).targets & STANDING_CUES:
                return True
            reading = self._alone(turn)
            if reading.at_least(self.model.thresholds.unsafe) and reading.family in STANDING_FAMILIES:
                return True
        return False


@lru_cache(maxsize=1)
def default_guard() -> Guard:
    """The guard with the shipped model, its fast path and the shared sentence encoder, built once per process."""
    return Guard(default_model(), fast_path=default_fast_path())
