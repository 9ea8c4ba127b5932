"""The clock of the understanding tests."""

from datetime import datetime

# Friday 2026-11-20 10:00 in Asia/Shanghai: every relative time in these tests is read from it.
NOW = datetime.fromisoformat("2026-11-20T10:00:00+08:00")
