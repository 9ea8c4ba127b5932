"""The report opens in Chromium: charts decode, the failing case is listed, nothing is fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.evaluation import overdue_case, write_cases

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.browser
def test_report_renders_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Any) -> None:
    monkeypatch.setenv("LIMIT_ASSISTANT_EMBEDDER", "hashing")
    from assistant.evaluation import EvalOptions, evaluate

    path = write_cases(tmp_path / "c.jsonl", [overdue_case("good"), overdue_case("bad", reason_codes=["AGE_INELIGIBLE"])])
    out = tmp_path / "run"
    evaluate([path], EvalOptions(out=out))
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "report.html").as_uri())
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    page.click("details#case-bad > summary")
    page.click("#case-bad details > summary")  # the check trace
    failing_text = page.inner_text("#case-bad")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eval-report.png"), full_page=True)
    page.close()
    assert len(widths) == 4 and all(w > 100 for w in widths)  # four charts, all decoded
    assert "AGE_INELIGIBLE" in failing_text and "有额度为什么借不出来" in failing_text
    assert "overdue_unpaid" in failing_text  # the check trace is shown
    assert all(url.startswith(("file://", "data:")) for url in requests)
