"""Alembic migrations of the store, run programmatically by `assistant.store.db.migrate`.

No alembic.ini is needed: `alembic_config()` builds the configuration in code. To add a
revision during development:
`python -c "from assistant.store.migrations import revision; revision('add x')"`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).resolve().parent

# The newest revision. Checked against the scripts by a test; lets `Store.open` see that the
# schema is current with one query, without importing Alembic (CLI start-up time).
HEAD = "0002"


def alembic_config(connection: Any = None) -> Any:
    """An Alembic Config pointing at this directory, optionally bound to an open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def revision(message: str, url: str = "sqlite:///:memory:") -> None:
    """Create a new empty revision file (developer helper)."""
    from alembic import command

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.revision(config, message=message)
