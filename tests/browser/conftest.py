"""Real-browser fixtures: Debian's Chromium driven by Playwright, the real app on loopback.

The app (demo mode, data in a temp dir) runs under uvicorn in a thread on one free loopback
port; the example host page is served on a second port, i.e. from another origin, with its
script and CSP pointed at the app. Every request the browser makes is recorded so tests can
prove nothing leaves 127.0.0.1. Screenshots go to test-artifacts/ (gitignored), except the
README's, which the tests write to docs/screens/ at both sizes (SIZES).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
HOST_PAGE = REPO / "examples" / "host-page.html"
ARTIFACTS = REPO / "test-artifacts"
SCREENS = REPO / "docs" / "screens"
# The two sizes every surface is tested at: a laptop and a phone (CSS pixels).
SIZES = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
EXAMPLE_API_ORIGIN = "http://127.0.0.1:8000"
SERVER_START_SECONDS = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip browser tests, with the reason, when Chromium or Playwright is not installed."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (CI installs it with .ci/browser.sh)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing (pip install playwright; never `playwright install`)"
    if missing:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=missing))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Servers:
    api_origin: str
    host_origin: str
    services: Any
    data_dir: Path
    outbound: list[str]  # connections the server process opened to anything but loopback


def record_outbound_connections(pytest_monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every socket connection of this process to a non-loopback address.

    The app runs in this process, so this sees what a browser cannot: the server calling out
    (analytics, version checks, font or model downloads).
    """
    outbound: list[str] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(address[0]).startswith(("127.", "::1", "localhost")):
            outbound.append(f"{address[0]}:{address[1]}")
        return original(self, address)

    pytest_monkeypatch.setattr(socket.socket, "connect", connect)
    return outbound


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The real app (demo mode) and the example host page, each on its own loopback origin."""
    import uvicorn

    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.web import create_app

    patcher = pytest.MonkeyPatch()
    outbound = record_outbound_connections(patcher)
    data_dir = tmp_path_factory.mktemp("browser-data")
    api_port, host_port = free_port(), free_port()
    api_origin, host_origin = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{host_port}"
    settings = load_settings(data_dir=data_dir, secret=None, api_keys=None, cors_origins=host_origin,
                             llm="off", rate_limit="1000/minute")
    services = Services(settings)
    # No warm-up: building the knowledge index takes minutes on CI and these scenarios do not
    # search it; the first question loads what it needs.
    app = create_app(services, warm_up=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=api_port,
                                           log_level="warning"))
    api_thread = threading.Thread(target=server.run, daemon=True)
    api_thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not api_thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start on loopback")
        time.sleep(0.1)
    host_server = serve_host_page(host_port, api_origin)
    try:
        yield Servers(api_origin, host_origin, services, data_dir, outbound)
    finally:
        patcher.undo()
        host_server.shutdown()
        server.should_exit = True
        api_thread.join(timeout=10)


# A deployment's own product names, to prove they reach the page title, greeting and widget header.
BRAND = {"zh": "花花贷", "en": "Flexi Loan"}


@pytest.fixture(scope="session")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second app (demo mode) configured with BRAND's product names; yields its origin."""
    import uvicorn

    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.web import create_app

    settings = load_settings(data_dir=tmp_path_factory.mktemp("branded-data"), secret=None, api_keys=None,
                             llm="off", rate_limit="1000/minute", product_name_zh=BRAND["zh"],
                             product_name_en=BRAND["en"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Services(settings), warm_up=False), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the branded app did not start on loopback")
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_host_page(port: int, api_origin: str) -> http.server.ThreadingHTTPServer:
    """examples/host-page.html on its own origin, its widget URL and CSP pointed at the app."""
    page = HOST_PAGE.read_text(encoding="utf-8").replace(EXAMPLE_API_ORIGIN, api_origin).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] not in ("/", "/host-page.html"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@dataclass
class RecordedPage:
    """A page with every request URL (and chat request bodies) it made."""

    page: Any
    size: str = "desktop"
    urls: list[str] = field(default_factory=list)
    chat_bodies: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def readme_screenshot(self, name: str) -> None:
        """The viewport as a person sees it, for the README (docs/screens/NAME.png)."""
        SCREENS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENS / f"{name}.png"))

    def outside_loopback(self) -> list[str]:
        allowed = ("http://127.0.0.1:", "data:", "blob:", "about:")
        return [url for url in self.urls if not url.startswith(allowed)]


@pytest.fixture
def recorded_page(browser: Any) -> Iterator[RecordedPage]:
    yield from _recorded(browser, {"width": 1280, "height": 900})


@pytest.fixture(params=sorted(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[RecordedPage]:
    """A recorded page at each of SIZES (the test runs once per size); `.size` names it."""
    for recorded in _recorded(browser, SIZES[request.param], is_mobile=request.param == "mobile"):
        recorded.size = request.param
        yield recorded


def _recorded(browser: Any, viewport: dict[str, int], *, is_mobile: bool = False) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=is_mobile, has_touch=is_mobile,
                                  device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(60_000)
    recorded = RecordedPage(page)

    def on_request(request: Any) -> None:
        recorded.urls.append(request.url)
        if request.url.endswith("/api/chat") and request.method == "POST":
            recorded.chat_bodies.append(request.post_data or "")

    page.on("request", on_request)
    yield recorded
    context.close()
