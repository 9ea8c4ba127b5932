"""Stopping and restarting the throw-away PostgreSQL of `.ci/postgres.sh` from a test.

`.ci/postgres.sh` itself restarts on a *new* port when the old one is still in TIME_WAIT, which
would strand every pooled URL; so this talks to `pg_ctl` directly and restarts the server with
the very options it was started with (`postmaster.opts`), on the same port.
"""

from __future__ import annotations

import os
import pwd
import shlex
import subprocess
import time
from pathlib import Path

from sqlalchemy import make_url


class PgServer:
    """The cluster in `cluster_dir/data`, serving `url`."""

    def __init__(self, cluster_dir: Path, url: str) -> None:
        self.data = cluster_dir / "data"
        opts = (self.data / "postmaster.opts").read_text(encoding="utf-8")
        argv = shlex.split(opts)
        self.pg_ctl = str(Path(argv[0]).with_name("pg_ctl"))
        self.options = _drop_data_dir(argv[1:])
        port = make_url(url).port
        if f"-p {port}" not in shlex.join(self.options).replace("'", ""):
            raise LookupError(f"the cluster in {cluster_dir} does not serve port {port}")
        self.owner = pwd.getpwuid(self.data.stat().st_uid).pw_name

    def _pg_ctl(self, *args: str) -> None:
        command = [self.pg_ctl, "-D", str(self.data), *args]
        if os.geteuid() == 0 and self.owner != "root":
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def start_if_stopped(self) -> None:
        if not self.running():
            self.start()

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        started = time.monotonic()
        self._pg_ctl("-w", "-t", "30", "-l", str(self.data.parent / "server.log"),
                     "-o", shlex.join(self.options), "start")
        assert time.monotonic() - started < 60


def _drop_data_dir(argv: list[str]) -> list[str]:
    options, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "-D":
            skip = True
        else:
            options.append(arg)
    return options
