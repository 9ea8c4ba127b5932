"""Safety: normalisation, the learned guard, and refusals that still help (issue 13).

    from assistant.safety import default_guard, refusal_text

    verdict = default_guard().assess(message, history)   # history: earlier user messages, oldest first
    if verdict.unsafe:
        answer = refusal_text(verdict.family, lang, product)   # never the message itself
"""

from assistant.safety.guard import Guard, SafetyVerdict, default_guard
from assistant.safety.refusal import refusal_text

__all__ = ["Guard", "SafetyVerdict", "default_guard", "refusal_text"]
