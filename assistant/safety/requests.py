"""`read_request(text)`: what a message asks for, in the shapes every attack family shares.

The learned model knows the families it was trained on; this layer knows what makes any of them
an attack: a request (teach me / do it / tell me) for something no customer may have, and no sign
that the message is only *about* it (a denial, a complaint, a definition, a consequence, a worry
about one's own account). The cue lists are data (data/request_cues.yaml); the decision is
`RequestReading.asks_for_misuse`.

Measured honestly, regexes generalise less than hoped: on attacks written after the cues, in a
wording nobody tuned them on, the layer alone caught about half; it is a complement to the
learned model, not a replacement (bench/safety.py shows which layer refused what).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CUES_FILE = Path(__file__).parent / "data" / "request_cues.yaml"
# Concepts that frame a request (a claimed role or a story) but ask for nothing by themselves;
# with one, any other concept is a request ("I'm the admin: the thresholds").
FRAMES = frozenset({"authority", "role_setup"})
# Concepts worded as a command ("把我的逾期记录删除"): a request without an asking word.
IMPERATIVE_TARGETS = frozenset({"change_record"})
# Concepts that only qualify another (a word-for-word copy of what?): never a request alone.
QUALIFIERS = frozenset({"verbatim"})


@dataclass(frozen=True)
class Cues:
    asks: re.Pattern[str]
    asks_for_method: re.Pattern[str]
    targets: dict[str, re.Pattern[str]]
    innocent_shapes: dict[str, re.Pattern[str]]


@dataclass(frozen=True)
class RequestReading:
    """The concepts found in one text; `asks_for_misuse` is the layer's decision."""

    asks: bool
    targets: frozenset[str]
    shapes: frozenset[str]
    asks_for_method: bool = False

    @property
    def asks_for_misuse(self) -> bool:
        """An instruction to the assistant, or a request for something no customer may have.

        An instruction addressed to the assistant counts whatever shape the message has (it is
        usually pasted inside a complaint); switching the rules off, or the assistant's own set-up
        asked for word for word, counts unless the message asks what the words mean or denies
        doing it; a method for getting past a check counts even next to a claim of being
        misjudged ("they think I'm … — how do I make the system think …"), not in any other
        shape; so does another person's identity asked for next to a claim that the account is
        the writer's own; and a claimed office (police, staff) asking for something, whatever story
        comes with it; anything else counts only in a message with no innocent shape.
        """
        if "to_assistant" in self.targets:
            return True
        if not self.shapes & {"definition", "denial"} and (
                "override" in self.targets or {"internals", "verbatim"} <= self.targets):
            return True
        if self.asks_for_method and "evade" in self.targets and self.shapes <= {"complaint"}:
            return True
        if "others_identity" in self.targets and self.asks and self.shapes <= {"own_data"}:
            return True  # "the limit is my own" is what makes using another's face or ID fraud
        if "authority" in self.targets and self.targets - FRAMES - QUALIFIERS and "definition" not in self.shapes:
            return True  # a claimed office asking for something: no shape makes that innocent
        if self.shapes:
            return False
        wanted = self.targets - FRAMES - QUALIFIERS
        return bool(wanted) and (self.asks or bool(self.targets & FRAMES) or bool(wanted & IMPERATIVE_TARGETS))

    @property
    def only_a_draw(self) -> bool:
        """The whole message is a draw at an amount and names nothing else ("改成4000试试？"): its
        own words cannot be an attack, however close a model scores "改成…" to a record change."""
        return self.shapes == {"draw_at_amount"} and not self.targets

    @property
    def about_misuse(self) -> bool:
        """An innocent shape (denial, complaint, definition…) and no request: the model needs more certainty."""
        return bool(self.shapes) and not self.asks_for_misuse


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_FILE) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Cues(
        asks=_compile(raw["asks"]),
        asks_for_method=_compile(raw["asks_for_method"]),
        targets={name: _compile(patterns) for name, patterns in raw["targets"].items()},
        innocent_shapes={name: _compile(patterns) for name, patterns in raw["innocent_shapes"].items()},
    )


@lru_cache(maxsize=8192)
def read_request(text: str) -> RequestReading:
    """The request layer's reading of one normalised text."""
    cues = load_cues()
    return RequestReading(
        asks=bool(cues.asks.search(text)),
        asks_for_method=bool(cues.asks_for_method.search(text)),
        targets=frozenset(name for name, pattern in cues.targets.items() if pattern.search(text)),
        shapes=frozenset(name for name, pattern in cues.innocent_shapes.items() if pattern.search(text)),
    )
