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


@dataclass(frozen=True)
class Cues:
    asks: re.Pattern[str]
    targets: dict[str, re.Pattern[str]]
    innocent_shapes: dict[str, re.Pattern[str]]


@dataclass(frozen=True)
class RequestReading:
    """The concepts found in one text; `asks_for_misuse` is the layer's decision."""

    asks: bool
    targets: frozenset[str]
    shapes: frozenset[str]

    @property
    def asks_for_misuse(self) -> bool:
        """An instruction to the assistant, or a request for something no customer may have.

        An instruction addressed to the assistant counts whatever shape the message has (it is
        usually pasted inside a complaint); switching the rules off counts unless the message asks
        what the words mean; anything else counts only in a message with no innocent shape.
        """
        if "to_assistant" in self.targets or ("override" in self.targets and "definition" not in self.shapes):
            return True
        if self.shapes:
            return False
        wanted = self.targets - FRAMES
        return bool(wanted) and (self.asks or bool(self.targets & FRAMES) or bool(wanted & IMPERATIVE_TARGETS))

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
        targets={name: _compile(patterns) for name, patterns in raw["targets"].items()},
        innocent_shapes={name: _compile(patterns) for name, patterns in raw["innocent_shapes"].items()},
    )


@lru_cache(maxsize=8192)
def read_request(text: str) -> RequestReading:
    """The request layer's reading of one normalised text."""
    cues = load_cues()
    return RequestReading(
        asks=bool(cues.asks.search(text)),
        targets=frozenset(name for name, pattern in cues.targets.items() if pattern.search(text)),
        shapes=frozenset(name for name, pattern in cues.innocent_shapes.items() if pattern.search(text)),
    )
