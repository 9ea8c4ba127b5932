"""Understanding customer messages: intent (contract section 4) and slots.

from assistant.nlu import understand, Understanding
u = understand("借贝为啥借不了5千", now=now, previous_intent=None)
"""

from assistant.nlu.model import INTENTS, SITUATION_INTENTS, Intent, Understanding
from assistant.nlu.understand import understand

__all__ = ["INTENTS", "SITUATION_INTENTS", "Intent", "Understanding", "understand"]
