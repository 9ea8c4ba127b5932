"""How long a customer's message may be: the one limit the dialogue and every edge (HTTP schema,
chat UI, widget, evaluation cases) apply."""

MAX_MESSAGE_CHARS = 2000
