"""Store errors a caller can act on. Operational failures become `ServiceUnavailable`."""

from __future__ import annotations

from assistant.errors import UserInputError


class NotFoundError(UserInputError):
    """The caller named a conversation, turn or record that does not exist (HTTP 404, exit 2)."""
