"""Fixtures shared across test packages, and which tests are outside the fast lane.

Helpers (builders, constants, assertions) live in `tests/helpers/`; conftest files hold fixtures
and hooks only, and no test imports from them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The fast lane, `python3 -m pytest -m "not slow"`, leaves out what is listed here (a directory,
# a file or one test, by node id prefix), every test with one of SLOW_MARKERS and every test
# marked `@pytest.mark.slow` in its file. CI runs all of them.
SLOW_PATHS = {
    "tests/browser/": "drives a real Chromium",
    "tests/faults/": "fault injection: stops PostgreSQL, fills disks, locks stores, restarts",
    "tests/evaluation/test_public_suite_floor.py": "runs the whole public evaluation suite",
    "tests/assistant/test_replay_eval_suite.py": "asks and replays the whole public evaluation suite",
    "tests/knowledge/test_retrieval_quality.py": "builds real-embedder indexes to measure the floor",
    "tests/knowledge/test_embedders.py::test_sentence_transformers_from_a_local_directory":
        "loads a sentence-transformers model with torch",
    "tests/security/test_fuzz_chat.py": "thousands of generated messages through the API",
    "tests/security/test_fuzz_inputs.py": "thousands of mutated snapshots, amounts and times",
    "tests/security/test_fuzz_cli.py": "hundreds of random command lines, each a new process",
    "tests/security/test_schemathesis.py": "schemathesis over every route of the OpenAPI schema",
    "tests/tools/test_properties.py::test_engine_invariants": "300 random snapshots",
    "tests/tools/test_plan_properties.py::test_plan_properties_over_random_snapshots":
        "300 random snapshots",
    "tests/tools/test_plan_properties.py::test_plan_properties_over_recoverable_snapshots":
        "400 random snapshots",
    "tests/assistant/test_replay.py::test_every_demo_conversation_replays_identical":
        "replays every demo conversation",
    "tests/assistant/test_replay.py::test_over_every_demo_conversation_only_the_turns":
        "replays every demo conversation under another policy",
    "tests/safety/test_llm_on.py::test_an_unrefused_attack_is_data_for_the_model":
        "builds its own real-embedder knowledge index (about 30 s)",
}
SLOW_MARKERS = {"browser": "drives a real Chromium", "chroma_server": "needs a Chroma server"}

# Read at import: the packages' session fixtures clear LIMIT_ASSISTANT_* while tests run.
REDIS_URL = os.environ.get("LIMIT_ASSISTANT_TEST_REDIS_URL")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of SLOW_PATHS and SLOW_MARKERS `slow`."""
    for item in items:
        slow = any(item.nodeid.startswith(prefix) for prefix in SLOW_PATHS)
        slow = slow or any(item.get_closest_marker(name) for name in SLOW_MARKERS)
        if slow:
            item.add_marker(pytest.mark.slow)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """In the fast lane, do not even import the directories and files of SLOW_PATHS.

    All their tests would be deselected anyway, and importing them (gradio, playwright,
    schemathesis) costs seconds per run.
    """
    if " ".join(config.getoption("markexpr").split()) != "not slow":
        return None
    try:
        relative = collection_path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return None
    whole = (p.rstrip("/") for p in SLOW_PATHS if "::" not in p)
    return True if relative in whole else None


@pytest.fixture
def redis_url() -> str:
    """The Redis server of LIMIT_ASSISTANT_TEST_REDIS_URL (`.ci/redis.sh` starts one)."""
    if not REDIS_URL:
        pytest.skip("LIMIT_ASSISTANT_TEST_REDIS_URL is not set (run .ci/redis.sh)")
    return REDIS_URL

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Playwright-driven system Chromium per test session.

    Playwright's sync API runs one event loop per thread, so every test that needs a browser
    shares this one instead of starting its own.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs it with .ci/browser.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
