"""Turn writers of one SQLite file queue on a lock (threads and processes) instead of polling
SQLite's busy handler (assistant.store.writequeue)."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

from assistant.settings import Settings
from assistant.store.db import Store
from assistant.store.records import TurnRecord
from assistant.store.writequeue import WriteQueue


def test_a_writer_waits_while_another_process_holds_the_queue(tmp_path: Path) -> None:
    queue = WriteQueue(str(tmp_path / "store.sqlite3"))
    entered = threading.Event()

    def write() -> None:
        with queue:
            entered.set()

    with open(tmp_path / "store.sqlite3.write-lock", "a+b") as other_process:  # its own open file
        fcntl.flock(other_process.fileno(), fcntl.LOCK_EX)
        writer = threading.Thread(target=write)
        writer.start()
        assert not entered.wait(0.3)
        fcntl.flock(other_process.fileno(), fcntl.LOCK_UN)
        writer.join(5)
    assert entered.is_set()


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    queue = WriteQueue(str(tmp_path / "store.sqlite3"))
    inside, most = 0, 0
    count_lock = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        for _ in range(200):
            with queue:
                with count_lock:
                    inside += 1
                    most = max(most, inside)
                with count_lock:
                    inside -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_an_in_memory_database_needs_no_lock_file(tmp_path: Path) -> None:
    assert WriteQueue(":memory:").path is None and WriteQueue(None).path is None
    with WriteQueue(":memory:"):
        pass


def test_turns_are_written_through_the_queue(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with Store.open(settings, seed_demo=False) as store:
        conversation_id = store.conversations.start("u-1", "zh")
        assert store.conversations.add_turn(conversation_id, TurnRecord(user_text="你好")) == 1
    assert (tmp_path / "store.sqlite3.write-lock").exists()
