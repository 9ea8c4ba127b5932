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


__all__ = ["ConfigError", "ServiceUnavailable", "UserInputError"]
