"""Understanding customer messages: intent (contract section 4) and slots.

from assistant.nlu import understand, Understanding
u = understand("借贝为啥借不了5千", now=now)
"""

from assistant.nlu.model import INTENTS, SITUATION_INTENTS, Intent, Understanding
from assistant.nlu.understand import understand

__all__ = ["INTENTS", "SITUATION_INTENTS", "Intent", "Understanding", "model_fingerprint", "understand"]


def model_fingerprint() -> str:
    """The sha256 of the intent model artefact in use (decision records name it)."""
    from assistant.nlu.intent_model import default_model

    return default_model().fingerprint
