"""A small, fillable disk for the data directory: a size-limited tmpfs mounted under tmp_path.

Mounting needs root (CI containers run as root); elsewhere the disk-full tests are skipped
rather than faked, because the faults worth finding (SQLite's and Chroma's own writes failing
with ENOSPC half-way) happen in native code a Python monkeypatch cannot reach.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

SMALL_DISK_KB = 4096  # the index (~1.8 MB) and the store (~0.2 MB) fit; twice that does not
FILL_CHUNK = 16 * 1024


@contextlib.contextmanager
def mounted_tmpfs(mount_point: Path, size_kb: int = SMALL_DISK_KB) -> Iterator[Path | None]:
    """`mount_point` as a tmpfs of `size_kb`, or None when this machine cannot mount one."""
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


@contextlib.contextmanager
def filled(disk: Path, leave_kb: int = 0) -> Iterator[None]:
    """Fill `disk` up to its last `leave_kb` KB for the duration, then free the space again."""
    stats = os.statvfs(disk)
    room = stats.f_bavail * stats.f_frsize - leave_kb * 1024
    try:
        with (disk / "filler").open("wb") as handle:
            while room > 0:
                handle.write(b"\0" * min(FILL_CHUNK, room))
                handle.flush()
                room -= FILL_CHUNK
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    if leave_kb == 0:
        _fill_remainder(disk)
    try:
        yield
    finally:
        for path in disk.glob("filler*"):
            path.unlink()


def _fill_remainder(disk: Path) -> None:
    # A buffered writer may leave a few KB unused; top up with ever smaller files.
    for size in (4096, 512, 64, 1):
        for n in range(1000):
            try:
                (disk / f"filler-{size}-{n}").write_bytes(b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
