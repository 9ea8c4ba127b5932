"""The services one process needs, built once from Settings and passed down (no globals).

Each part is created on first use, so `limit-assistant check file.json` never opens the
database and `--help` never loads a model.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from assistant.settings import Settings, load_settings
from tools.policy import Policy, load_policy

if TYPE_CHECKING:
    from assistant.store import Store


class Services:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def policy(self) -> Policy:
        return load_policy(self.settings.policy_file)

    @cached_property
    def store(self) -> "Store":
        from assistant.store import Store

        return Store.open(self.settings)
