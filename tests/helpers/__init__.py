"""Helpers shared by the tests: builders, constants and assertions.

One module per test package (`engine` for tests/tools, `web` for tests/web, ...) plus `env`
(an isolated LIMIT_ASSISTANT_* environment) and `contract` (CONTRACT.md's next-step table).
Tests import helpers from here; conftest files hold only fixtures and hooks.
"""
