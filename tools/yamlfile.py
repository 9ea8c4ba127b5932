"""YAML for the project's data files (policy, catalogue, corpus front matter, templates): the safe
loader, in C when PyYAML has libyaml (5-10x faster: the catalogue alone took ~40 ms to read in
Python, paid by every `check` and `ask` at start)."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, faster."""
    return yaml.load(text, Loader=SafeLoader)
