"""An isolated LIMIT_ASSISTANT_* environment for tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

PREFIX = "LIMIT_ASSISTANT_"


@contextmanager
def isolated_env(**values: str) -> Iterator[None]:
    """Run with no LIMIT_ASSISTANT_* variables but `values`, then restore the caller's.

    A developer's own configuration must not change what is tested.
    """
    saved = {k: v for k, v in os.environ.items() if k.startswith(PREFIX)}
    for key in saved:
        del os.environ[key]
    os.environ.update({f"{PREFIX}{k.upper()}": v for k, v in values.items()})
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith(PREFIX)]:
            del os.environ[key]
        os.environ.update(saved)
