"""Turn writers of one SQLite file queue on a lock instead of polling SQLite's.

SQLite has one writer at a time. A writer that finds the file locked sleeps in SQLite's busy
handler — 1, 2, 5, 10, 15 … ms — and tries again, so with two server workers every collision
cost a turn at least a millisecond, more when the other worker's commit ran a WAL checkpoint
(bench/api.py: p95 56 ms at 241 answers/s). Queued on a lock, the next writer starts the moment
the one before it commits: threads of one process on a `threading.Lock`, processes on an
exclusive `flock` of a file beside the database (`<database>.write-lock`). SQLite's own lock
and busy timeout still guard against every other writer (the CLI, a replay); this only orders
ours. PostgreSQL locks rows, not the database: there the queue is not used.
"""

from __future__ import annotations

import os
import threading
from types import TracebackType
from typing import IO, Self

try:
    import fcntl
except ImportError:  # not POSIX: the thread lock and SQLite's busy wait are all there is
    fcntl = None  # type: ignore[assignment]


class WriteQueue:
    """A lock for one SQLite database file, across the threads and processes that write it."""

    def __init__(self, database: str | None) -> None:
        self._threads = threading.Lock()
        on_disk = database not in (None, "", ":memory:")
        self.path = f"{database}.write-lock" if on_disk and fcntl is not None else None
        self._file: IO[bytes] | None = None
        self._pid = 0

    def __enter__(self) -> Self:
        self._threads.acquire()
        try:
            if self.path is not None:
                fcntl.flock(self._lock_file(self.path).fileno(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if self.path is not None and self._file is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _lock_file(self, path: str) -> IO[bytes]:
        # A forked child shares its parent's open file, and with it the flock: each process
        # opens its own (uvicorn's workers are spawned, but a fork must not break the queue).
        if self._file is None or self._pid != os.getpid():
            self._file = open(path, "a+b")  # noqa: SIM115 -- held for the process's lifetime
            self._pid = os.getpid()
        return self._file
