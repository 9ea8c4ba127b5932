"""`refusal_text(family, lang, product)`: a refusal that still says what can legitimately be done.

Texts are data (refusal_zh.yaml, refusal_en.yaml next to this file), one per attack family plus a
default. A refusal never repeats the user's message, never describes prompts or internal rules
beyond the published policy, and never mentions another account: it is built from the template
and the product name alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TEMPLATE_DIR = Path(__file__).parent
LANGS = ("zh", "en")


@lru_cache(maxsize=len(LANGS))
def load_refusals(lang: str) -> dict[str, str]:
    """The refusal templates of one language (read once per process)."""
    path = TEMPLATE_DIR / f"refusal_{lang}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): " ".join(str(value).split()) if lang == "en" else "".join(str(value).split())
            for key, value in raw.items()}


def refusal_text(family: str | None, lang: str, product: str) -> str:
    """The refusal for an attack of `family` (None or unknown: the default), in `lang` (zh/en)."""
    templates = load_refusals(lang if lang in LANGS else "zh")
    template = templates.get(family or "default", templates["default"])
    opener = templates.get("opener", "")
    gap = " " if opener and lang == "en" else ""
    return opener + gap + template.replace("{product}", product)
