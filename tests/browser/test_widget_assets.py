"""How /widget.js, /widget.css and /widget/demo are served (no browser needed)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.services import Services
from assistant.settings import load_settings
from assistant.web.widget import CSS_PLACEHOLDER, widget_router

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "host-page.html"


def client(tmp_path: Path, **settings: object) -> TestClient:
    app = FastAPI()
    app.include_router(widget_router(Services(load_settings(data_dir=tmp_path, **settings))))
    return TestClient(app)


@pytest.fixture
def demo(tmp_path: Path) -> TestClient:
    return client(tmp_path, secret=None)


def test_widget_js_is_javascript_with_its_css_inlined_and_cache_headers(demo: TestClient) -> None:
    response = demo.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert CSS_PLACEHOLDER not in response.text
    assert ".la-launcher" in response.text and ":host" in response.text


def test_widget_js_revalidates_with_its_etag(demo: TestClient) -> None:
    etag = demo.get("/widget.js").headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        not_modified = demo.get("/widget.js", headers={"If-None-Match": header})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified.headers["etag"] == etag
        assert not_modified.headers["cache-control"] == "public, max-age=3600"
    assert demo.get("/widget.js", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_widget_css_is_served_for_old_browsers(demo: TestClient) -> None:
    response = demo.get("/widget.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert response.headers["etag"] != demo.get("/widget.js").headers["etag"]


def test_widget_js_needs_nothing_a_strict_csp_forbids(demo: TestClient) -> None:
    script = demo.get("/widget.js").text
    for forbidden in ("eval(", "new Function", "innerHTML", "insertAdjacentHTML", "document.write",
                      'setAttribute("style"', ".style.", 'createElement("style")', 'setTimeout("'):
        assert forbidden not in script, forbidden


def test_demo_page_embeds_the_widget_under_a_strict_csp(demo: TestClient) -> None:
    response = demo.get("/widget/demo", params={"account": 'demo-risk-hold"><script>alert(1)</script>'})
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    assert '<script src="/widget.js"' in response.text
    assert "<script>alert(1)" not in response.text  # the account is escaped
    assert 'data-account="demo-risk-hold&quot;&gt;' in response.text
    assert response.headers["cache-control"] == "no-store"


def test_demo_page_outside_demo_mode_takes_a_token_not_an_account(tmp_path: Path) -> None:
    signed = client(tmp_path, secret="s3cret-for-tests")
    page = signed.get("/widget/demo", params={"account": "demo-overdue", "token": "abc.def"}).text
    assert 'data-token="abc.def"' in page and "data-account" not in page


def test_example_host_page_embeds_from_another_origin_under_a_strict_csp() -> None:
    page = EXAMPLE.read_text(encoding="utf-8")
    assert page.count("<script") == 1  # the widget tag only: no inline script
    assert '<script src="http://127.0.0.1:8000/widget.js"' in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "unsafe-inline" not in csp.group(1) and "unsafe-eval" not in csp.group(1)
    assert "script-src http://127.0.0.1:8000;" in csp.group(1)
    assert "connect-src http://127.0.0.1:8000;" in csp.group(1)


def test_example_host_page_style_hash_matches_its_style() -> None:
    page = EXAMPLE.read_text(encoding="utf-8")
    style = re.search(r"^\s*<style>(.*?)</style>", page, re.DOTALL | re.MULTILINE)
    assert style
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in page, "recompute the style-src hash after editing the <style>"


def test_widget_js_carries_the_configured_product_names(tmp_path: Path) -> None:
    named = client(tmp_path, secret=None, product_name_zh="花花贷", product_name_en="Flexi Loan")
    script = named.get("/widget.js").text
    assert '"product": {"zh": "花花贷", "en": "Flexi Loan"}' in script
    assert "/*__WIDGET_CONFIG__*/" not in script


def test_the_favicon_is_served_for_every_page(demo: TestClient) -> None:
    for path in ("/favicon.svg", "/favicon.ico"):
        response = demo.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
        assert response.text.startswith("<svg")
