"""The report's charts: matplotlib (Agg, no display) rendered to base64 PNG data URIs, so the
HTML needs no file beside it and no network. matplotlib is imported only when a report is made.
"""

from __future__ import annotations

import base64
import io
from typing import Any

BAR_COLOUR = "#3b6fb6"
FAIL_COLOUR = "#c0392b"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _to_data_uri(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    _pyplot().close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def pass_rate_bars(groups: dict[str, dict[str, Any]], title: str) -> str | None:
    """Horizontal bars of the pass rate per label (intent or reason code), with counts."""
    if not groups:
        return None
    plt = _pyplot()
    labels = list(groups)
    rates = [(groups[label]["rate"] or 0.0) * 100 for label in labels]
    figure, axis = plt.subplots(figsize=(7.5, 0.32 * len(labels) + 1.2))
    colours = [BAR_COLOUR if rate >= 100 else FAIL_COLOUR for rate in rates]
    axis.barh(labels, rates, color=colours)
    axis.invert_yaxis()
    axis.set_xlim(0, 100)
    axis.set_xlabel("cases passed (%)")
    axis.set_title(title)
    for y, label in enumerate(labels):
        group = groups[label]
        axis.text(101, y, f"{group['passed']}/{group['total']}", va="center", fontsize=8)
    return _to_data_uri(figure)


def latency_histogram(latencies_ms: list[float]) -> str | None:
    if not latencies_ms:
        return None
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(7.5, 3))
    axis.hist(latencies_ms, bins=40, color=BAR_COLOUR)
    axis.set_xlabel("ask latency per turn (ms)")
    axis.set_ylabel("turns")
    axis.set_title("Latency")
    return _to_data_uri(figure)


def confusion_matrix(matrix: dict[str, dict[str, int]]) -> str | None:
    """Expected intent (rows) against the intent returned (columns), counts in the cells."""
    if not matrix:
        return None
    plt = _pyplot()
    labels = sorted(set(matrix) | {got for row in matrix.values() for got in row})
    grid = [[matrix.get(expected, {}).get(got, 0) for got in labels] for expected in labels]
    figure, axis = plt.subplots(figsize=(0.55 * len(labels) + 3, 0.45 * len(labels) + 2.5))
    axis.imshow(grid, cmap="Blues")
    axis.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axis.set_yticks(range(len(labels)), labels, fontsize=8)
    axis.set_xlabel("intent returned")
    axis.set_ylabel("intent expected")
    peak = max((max(row) for row in grid), default=0)
    for y, row in enumerate(grid):
        for x, count in enumerate(row):
            if count:
                axis.text(x, y, str(count), ha="center", va="center", fontsize=7,
                          color="white" if count > peak / 2 else "black")
    axis.set_title("Intent confusion")
    return _to_data_uri(figure)
