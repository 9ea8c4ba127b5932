"""`limit-assistant index` on a data directory whose disk is full (a 4 MB tmpfs, filled).

What must hold: one clear error line and a non-zero exit, no traceback; an index that did not
finish is never taken for a complete one; a complete index built before is not touched and
serves again as soon as there is room.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.helpers.disk import filled
from tests.helpers.faults import assert_one_line_error, make_settings, run_cli

QUERY = "一天最多能借几次"
# Room for Chroma to start writing the index (~1.8 MB) but not to finish it.
PARTIAL_INDEX_ROOM_KB = 600



def manifests(data_dir: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((data_dir / "index").glob("*.json"))]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_index_on_a_full_disk_fails_with_a_clear_error(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    with filled(small_disk, leave_kb=PARTIAL_INDEX_ROOM_KB):
        failed = run_cli(data_dir, "index")
    assert failed.returncode in (3, 4), failed.stderr  # operator error or temporarily unavailable
    line = assert_one_line_error(failed, failed.returncode)
    assert any(word in line.lower() for word in ("disk", "space", "full")), line


def test_unfinished_index_is_never_taken_for_complete(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    with filled(small_disk, leave_kb=PARTIAL_INDEX_ROOM_KB):
        failed = run_cli(data_dir, "index")
        assert failed.returncode != 0
        assert "Traceback" not in failed.stderr
        assert all(m["state"] != "complete" for m in manifests(data_dir))

    # Space is back: the next search rebuilds from scratch and answers.
    searched = run_cli(data_dir, "search", QUERY, "--json")
    assert searched.returncode == 0, searched.stderr
    # The rebuilt index answers (the test embedder ranks by words: the recourse-plan section,
    # which also names the daily draw count, may come first).
    assert "daily-draw-count" in [hit["section_id"] for hit in json.loads(searched.stdout)[:3]]
    assert [m["state"] for m in manifests(data_dir)] == ["complete"]


def test_index_on_a_full_disk_keeps_the_previous_index(small_disk: Path) -> None:
    data_dir = small_disk / "data"
    built = run_cli(data_dir, "index")
    assert built.returncode == 0, built.stderr
    baseline = json.loads(run_cli(data_dir, "search", QUERY, "--json").stdout)
    vector_db = make_settings(data_dir).chroma_dir / "chroma.sqlite3"
    before = (manifests(data_dir), digest(vector_db))

    with filled(small_disk):
        refreshed = run_cli(data_dir, "index")
        assert "Traceback" not in refreshed.stderr
        assert vector_db.exists() and (manifests(data_dir), digest(vector_db)) == before

    searched = run_cli(data_dir, "search", QUERY, "--json")
    assert json.loads(searched.stdout) == baseline
    assert "building" not in searched.stderr, "the previous index should have served as it was"
