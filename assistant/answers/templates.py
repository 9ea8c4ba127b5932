"""Loading the answer templates (zh/en YAML files beside this module)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "templates"
LANGS = ("zh", "en")


class _Blank(dict):  # type: ignore[type-arg]
    """Missing placeholders render empty rather than crash a customer's answer."""

    def __missing__(self, key: str) -> str:
        return ""


@lru_cache(maxsize=2)
def templates(lang: str) -> dict[str, Any]:
    return yaml.safe_load((HERE / f"{lang if lang in LANGS else 'zh'}.yaml").read_text(encoding="utf-8"))


def fill(template: str, values: dict[str, Any]) -> str:
    return template.format_map(_Blank(values))


def text(lang: str, dotted: str, **values: Any) -> str:
    node: Any = templates(lang)
    for part in dotted.split("."):
        node = node[part]
    return fill(node, values) if isinstance(node, str) else node
