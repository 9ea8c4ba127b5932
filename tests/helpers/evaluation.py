"""Helpers of the evaluation tests: the public case files and small case files written per test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PUBLIC_CASES = sorted((REPO / "eval" / "cases").glob("*.jsonl"))


def write_cases(path: Path, cases: list[Any]) -> Path:
    """One line per item: dicts as JSON, strings verbatim (to write broken lines)."""
    lines = [c if isinstance(c, str) else json.dumps(c, ensure_ascii=False) for c in cases]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


OVERDUE = {"account_id": "t-overdue", "as_of": "2026-11-20T10:00:00+08:00",
           "limit": {"total": 15000, "used": 6000, "available": 9000},
           "overdue": {"amount": 1200, "days": 5, "count_12m": 1}}


def overdue_case(case_id: str = "t-1", **expect: Any) -> dict[str, Any]:
    return {"id": case_id, "account": OVERDUE, "turns": [{"user": "有额度为什么借不出来"}],
            "expect": expect or {"intent": "cannot_borrow", "reason_codes": ["OVERDUE_UNPAID"]}}
