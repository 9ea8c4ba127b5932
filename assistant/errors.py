"""Errors split by who must act.

`UserInputError` (bad snapshot, bad amount, bad time: the user fixes the input; CLI exit 2,
HTTP 422) and `ConfigError` (the operator must fix a setting, the policy file or the corpus;
exit 3, HTTP 503 without details) are defined in `tools`, so the pure engine can raise them;
`ServiceUnavailable` (a store, index or LLM that is down now; exit 4, HTTP 503) in `knowledge`.
They are re-exported here, the one import for the assistant's code. Anything else is a bug:
logged, never shown.
"""

from knowledge.errors import (
    DISK_FULL_MESSAGE,
    ConfigError,
    CorpusError,
    ServiceUnavailable,
    UserInputError,
    is_disk_full,
)

__all__ = ["DISK_FULL_MESSAGE", "ConfigError", "CorpusError", "ServiceUnavailable", "UserInputError",
           "is_disk_full"]
