"""Serves the embeddable widget: GET /widget.js, GET /widget.css and a demo host page.

widget.js is static apart from its stylesheet, which is kept in widget.css (easier to edit) and
inlined into the script when it is first served. Both are served with an ETag and a short public
max-age: the URL is unversioned (hosts paste it once), so browsers revalidate hourly and get a
304 while nothing changed.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response

from assistant.web.limits import MAX_MESSAGE_CHARS

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services

STATIC_DIR = Path(__file__).resolve().parent / "static"
CSS_PLACEHOLDER = '/*__WIDGET_CSS__*/ ""'
CONFIG_PLACEHOLDER = "/*__WIDGET_CONFIG__*/ {}"
MAX_AGE_SECONDS = 3600
DEMO_ACCOUNT = "demo-overdue"
# The demo page is itself a strict-CSP host: the widget must work under it.
DEMO_PAGE_CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                 "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=1)
def widget_css() -> Asset:
    """The widget's stylesheet (the fallback for browsers without constructed stylesheets)."""
    return _asset((STATIC_DIR / "widget.css").read_bytes(), "text/css; charset=utf-8")


@lru_cache(maxsize=4)
def widget_js(product_zh: str = "借呗", product_en: str = "credit line") -> Asset:
    """widget.js with widget.css inlined as a JS string and the deployment's product names."""
    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    if CSS_PLACEHOLDER not in source or CONFIG_PLACEHOLDER not in source:
        raise RuntimeError("widget.js lost a placeholder")  # a packaging bug, caught at first request
    css = widget_css().body.decode("utf-8")
    config = {"product": {"zh": product_zh, "en": product_en}, "maxMessageChars": MAX_MESSAGE_CHARS}
    script = source.replace(CSS_PLACEHOLDER, json.dumps(css, ensure_ascii=False), 1)
    script = script.replace(CONFIG_PLACEHOLDER, json.dumps(config, ensure_ascii=False), 1)
    return _asset(script.encode("utf-8"), "application/javascript; charset=utf-8")


@lru_cache(maxsize=1)
def favicon() -> Asset:
    """The product mark, for the UI, the demo page and any host that links it."""
    return _asset((STATIC_DIR / "favicon.svg").read_bytes(), "image/svg+xml")


def _asset(body: bytes, media_type: str) -> Asset:
    return Asset(body, media_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def asset_response(asset: Asset, request: Request) -> Response:
    """200 with the asset, or 304 when the browser's If-None-Match names the current ETag."""
    headers = {
        "ETag": asset.etag,
        "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}",
        "X-Content-Type-Options": "nosniff",
        # Hosts that isolate themselves (COEP) may still load the script from our origin.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Access-Control-Allow-Origin": "*",
    }
    if asset.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def mount_widget(app: FastAPI, services: Services) -> None:
    """Add the widget routes to `app` (called by create_app)."""
    app.include_router(widget_router(services))


def widget_router(services: Services) -> APIRouter:
    """Routes: GET /widget.js, GET /widget.css, GET /widget/demo[?account=…|?token=…]."""
    router = APIRouter(tags=["widget"])
    demo_mode = services.settings.demo_mode
    products = (services.settings.product_name_zh, services.settings.product_name_en)

    @router.get("/widget.js", include_in_schema=False)
    def get_widget_js(request: Request) -> Response:
        return asset_response(widget_js(*products), request)

    @router.get("/widget.css", include_in_schema=False)
    def get_widget_css(request: Request) -> Response:
        return asset_response(widget_css(), request)

    @router.get("/favicon.svg", include_in_schema=False)
    @router.get("/favicon.ico", include_in_schema=False)
    def get_favicon(request: Request) -> Response:
        return asset_response(favicon(), request)

    @router.get("/widget/demo", include_in_schema=False)
    def get_demo_page(account: str = DEMO_ACCOUNT, token: str = "", lang: str = "zh") -> Response:
        return Response(
            demo_page(account=account if demo_mode else "", token=token, lang=lang),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": DEMO_PAGE_CSP, "Cache-Control": "no-store"},
        )

    return router


def demo_page(*, account: str, token: str, lang: str) -> str:
    """A bare host page carrying the one script tag (demo account in demo mode, else a token)."""
    lang = "en" if lang == "en" else "zh"
    attrs = {"data-lang": lang}  # the title is the configured product's (served inside widget.js)
    if token:
        attrs["data-token"] = token
    elif account:
        attrs["data-account"] = account
    tag_attrs = " ".join(f'{name}="{html.escape(value)}"' for name, value in attrs.items())
    who = html.escape(account or ("token" if token else "—"))
    return f"""<!doctype html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>limit-assistant widget demo</title><link rel="icon" type="image/svg+xml" href="/favicon.svg"></head>
<body>
<main>
<h1>limit-assistant widget demo</h1>
<p>Account: <code>{who}</code>. Try <a href="?account=demo-risk-hold">demo-risk-hold</a>,
<a href="?account=demo-pending-transfer">demo-pending-transfer</a>,
<a href="?account=demo-healthy-en&amp;lang=en">demo-healthy-en (English)</a>.
This page is served with a strict Content-Security-Policy; the chat button is at the bottom right.</p>
</main>
<script src="/widget.js" {tag_attrs} defer></script>
</body>
</html>
"""
