"""`read_request(text)`: what a message asks for, in the shapes every attack family shares.

The learned model knows the families it was trained on; this layer knows what makes any of them
an attack: a request (teach me / do it / tell me) for something no customer may have, and no sign
that the message is only *about* it (a denial, a complaint, a definition, a consequence, a worry
about one's own account). The cue lists, and how concepts combine into a request (the `misuse`
table), are data (data/request_cues.yaml); this module only applies them.

Measured honestly, regexes generalise less than hoped: on attacks written after the cues, in a
wording nobody tuned them on, the layer alone caught about half; it is a complement to the
learned model, not a replacement (bench/safety.py shows which layer refused what).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

CUES_FILE = Path(__file__).parent / "data" / "request_cues.yaml"

Need = Literal["nothing", "method", "ask", "wanted", "request"]


@dataclass(frozen=True)
class MisuseRule:
    """One row of the cues' `misuse` table: these concepts, with `needs`, are a request for misuse
    unless the message has one of the shapes in `silenced_by`."""

    when: frozenset[str]
    needs: Need
    silenced_by: frozenset[str]


@dataclass(frozen=True)
class Cues:
    asks: re.Pattern[str]
    asks_for_method: re.Pattern[str]
    targets: dict[str, re.Pattern[str]]
    innocent_shapes: dict[str, re.Pattern[str]]
    frames: frozenset[str]
    qualifiers: frozenset[str]
    imperatives: frozenset[str]
    misuse: tuple[MisuseRule, ...]
    whole_message_shapes: frozenset[str]
    only_without_concepts: frozenset[str]


@dataclass(frozen=True)
class RequestReading:
    """The concepts and shapes found in one text, and the layer's decisions on them (`read_request`).

    `asks_for_misuse`: a request for something no customer may have (the cues' `misuse` table).
    `whole_message_innocent`: the whole message is one of the cues' whole-message shapes and names
    nothing else, a draw at an amount ("改成4000试试？") or a request for a person ("找人工帮我查一下"):
    its own words cannot be an attack, however close a model scores "改成…" to a record change.
    """

    asks: bool
    targets: frozenset[str]
    shapes: frozenset[str]
    asks_for_method: bool = False
    asks_for_misuse: bool = False
    whole_message_innocent: bool = False

    @property
    def about_misuse(self) -> bool:
        """An innocent shape (denial, complaint, definition…) and no request: the model needs more certainty."""
        return bool(self.shapes) and not self.asks_for_misuse


def _holds(rule: MisuseRule, cues: Cues, reading: RequestReading) -> bool:
    if not rule.when <= reading.targets or reading.shapes & rule.silenced_by:
        return False
    wanted = reading.targets - cues.frames - cues.qualifiers
    if rule.needs == "nothing":
        return True
    if rule.needs == "method":
        return reading.asks_for_method
    if rule.needs == "ask":
        return reading.asks
    if rule.needs == "wanted":
        return bool(wanted)
    return bool(wanted) and (reading.asks or bool(reading.targets & cues.frames) or bool(wanted & cues.imperatives))


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_FILE) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    shapes = {name: _compile(patterns) for name, patterns in raw["innocent_shapes"].items()}
    return Cues(
        asks=_compile(raw["asks"]),
        asks_for_method=_compile(raw["asks_for_method"]),
        targets={name: _compile(patterns) for name, patterns in raw["targets"].items()},
        innocent_shapes=shapes,
        frames=frozenset(raw["concept_kinds"]["frame"]),
        qualifiers=frozenset(raw["concept_kinds"]["qualifier"]),
        imperatives=frozenset(raw["concept_kinds"]["imperative"]),
        misuse=tuple(_misuse_rule(row, frozenset(shapes)) for row in raw["misuse"]),
        whole_message_shapes=frozenset(raw["whole_message_shapes"]),
        only_without_concepts=frozenset(raw["only_without_concepts"]),
    )


def _misuse_rule(row: dict[str, Any], all_shapes: frozenset[str]) -> MisuseRule:
    silenced_by = row["silenced_by"]
    if silenced_by == "all":
        silencers = all_shapes
    elif isinstance(silenced_by, dict):
        silencers = all_shapes - frozenset(silenced_by["all_but"])
    else:
        silencers = frozenset(silenced_by)
    unknown = silencers - all_shapes
    if unknown:
        raise ValueError(f"{CUES_FILE.name}: misuse rule {row['when']} names unknown shapes {sorted(unknown)}")
    if row["needs"] not in get_args(Need):
        raise ValueError(f"{CUES_FILE.name}: misuse rule {row['when']} needs {row['needs']!r}, not one of {get_args(Need)}")
    return MisuseRule(frozenset(row["when"]), row["needs"], silencers)


@lru_cache(maxsize=8192)
def read_request(text: str) -> RequestReading:
    """The request layer's reading of one normalised text."""
    cues = load_cues()
    targets = frozenset(name for name, pattern in cues.targets.items() if pattern.search(text))
    shapes = frozenset(name for name, pattern in cues.innocent_shapes.items() if pattern.search(text))
    if targets:
        shapes -= cues.only_without_concepts
    found = RequestReading(
        asks=bool(cues.asks.search(text)),
        asks_for_method=bool(cues.asks_for_method.search(text)),
        targets=targets,
        shapes=shapes,
    )
    return replace(
        found,
        asks_for_misuse=any(_holds(rule, cues, found) for rule in cues.misuse),
        whole_message_innocent=(not found.targets and len(found.shapes) == 1
                                and found.shapes <= cues.whole_message_shapes),
    )
