"""The clock of the understanding tests."""

from datetime import datetime

# Friday 2026-11-20 10:00 in Asia/Shanghai: every relative time in these tests is read from it.
NOW = datetime.fromisoformat("2026-11-20T10:00:00+08:00")


def decide(text: str, previous: str | None = None, amount: str | None = None):  # type: ignore[no-untyped-def]
    """The turn's intent for `text` in a thread whose last intent was `previous` (and its reading)."""
    from assistant.nlu import understand
    from assistant.thread import Thread, next_turn

    reading = understand(text, now=NOW)
    return next_turn(reading, Thread(intent=previous, amount=amount), text), reading
