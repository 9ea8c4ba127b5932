"""Errors the knowledge layer raises, split by who must act (`assistant.errors` re-exports them).

- `UserInputError`: the caller's input is wrong (an empty query, an unknown language).
- `ConfigError`: the operator must fix the deployment; `CorpusError` is the one for a
  malformed policy document (front matter, section ids, a `{{placeholder}}` typo).
- `ServiceUnavailable`: a dependency (the vector store, the disk) is down now; retrying later
  may work.
"""

from __future__ import annotations

import errno

from tools.errors import ConfigError, UserInputError

DISK_FULL_MESSAGE = "the data directory's disk is full; free some space and try again"


class CorpusError(ConfigError):
    """A policy document cannot be used as written; the message names the file and the line."""


class ServiceUnavailable(Exception):
    """A dependency (store, index, LLM) is temporarily unreachable; retrying later may work."""


def is_disk_full(exc: BaseException) -> bool:
    """A full disk, whether it surfaces as OSError(ENOSPC) or as a database's own message."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text


__all__ = ["DISK_FULL_MESSAGE", "ConfigError", "CorpusError", "ServiceUnavailable", "UserInputError",
           "is_disk_full"]
