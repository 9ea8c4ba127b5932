"""Errors split by who must act.

`UserInputError` (bad snapshot, bad amount, bad time: the user fixes the input; CLI exit 2,
HTTP 422) is defined in `tools` so the pure engine can raise it; it is re-exported here.
`ConfigError`: the operator must fix settings. Anything else is a bug: logged, never shown.
"""

from tools.errors import UserInputError


class ConfigError(Exception):
    """A deployment setting is missing or wrong; the operator must act."""


class ServiceUnavailable(Exception):
    """A dependency (store, index, LLM) is temporarily unreachable; retrying later may work."""


def is_disk_full(exc: BaseException) -> bool:
    """A full disk, whether it surfaces as OSError(ENOSPC) or as a database's own message."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text


DISK_FULL_MESSAGE = "the data directory's disk is full; free some space and try again"

__all__ = ["DISK_FULL_MESSAGE", "ConfigError", "ServiceUnavailable", "UserInputError", "is_disk_full"]
