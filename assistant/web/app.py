"""`create_app(services)`: the one FastAPI app behind `limit-assistant serve`.

Routes: /healthz, /api/* (assistant.web.api), /v1/* (assistant.web.openai_compat), the
OpenAPI schema at /openapi.json and its docs at /docs; the chat UI (/ui) and the widget are
mounted by their own modules when present (`SURFACES`). Middleware, outermost first: keep-alive
recycling (so the workers share the connections, assistant.web.connections), CORS (allow-list
from `settings.cors_origins`), the catch-all that turns a bug into a logged 500,
and the body-size limit. On start-up each worker warms the assistant (store, understanding
model, knowledge index) so the first question is not slow; a failure there is logged and
shows in /healthz instead of stopping the server.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from assistant.services import Services
from assistant.store.masking import install_pii_masking
from assistant.web import api, health, openai_compat
from assistant.web.connections import ConnectionRecycleMiddleware
from assistant.web.errors import CatchAllMiddleware, install_error_handlers
from assistant.web.limits import BodySizeLimitMiddleware
from assistant.web.ratelimit import RateLimiter
from tools.inputs import SHANGHAI

log = logging.getLogger("limit_assistant.web")

# (module, function(app, services)): web surfaces owned by other modules, mounted if present.
SURFACES = (("assistant.web.ui", "mount_ui"), ("assistant.web.widget", "mount_widget"))


def create_app(services: Services, *, surfaces: bool = True, warm_up: bool = True) -> FastAPI:
    """The web app for `services`. `surfaces=False` leaves out the UI and widget (API tests)."""
    install_pii_masking()  # before any request is logged
    settings = services.settings

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            await run_in_threadpool(warm, services)
        yield

    app = FastAPI(
        title="limit-assistant",
        summary="Why a credit line cannot be drawn right now, and what to do next.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.rate_limiter = RateLimiter(settings.rate_limit, settings.redis_url)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(openai_compat.router)
    mounted = mount_surfaces(app, services) if surfaces else []

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/ui" if "assistant.web.ui" in mounted else "/docs")

    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(CatchAllMiddleware)
    origins = cors_origins(settings.cors_origins)
    if origins:  # no allow-list: no CORS headers to add, so no middleware on every request
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept", openai_compat.CONVERSATION_HEADER],
            expose_headers=["Retry-After", openai_compat.CONVERSATION_HEADER],
        )
    app.add_middleware(ConnectionRecycleMiddleware)  # outermost: every response counts
    return app


def cors_origins(value: str) -> list[str]:
    """The comma-separated allow-list (`LIMIT_ASSISTANT_CORS_ORIGINS`); empty: no cross-origin calls."""
    return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]


def mount_surfaces(app: FastAPI, services: Services) -> list[str]:
    """Mount the UI and widget modules that exist; a missing optional dependency is a warning."""
    mounted = []
    for module_name, function in SURFACES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                log.warning("%s not mounted: %s is not installed", module_name, exc.name)
            continue
        try:
            getattr(module, function)(app, services)
        except ModuleNotFoundError as exc:  # e.g. gradio (extra [ui]) missing
            log.warning("%s not mounted: %s is not installed", module_name, exc.name)
            continue
        mounted.append(module_name)
    return mounted


def warm(services: Services) -> None:
    """Load what the first question would otherwise wait for; log, never raise."""
    from assistant.nlu import understand

    steps = (
        ("store", lambda: services.store),
        ("assistant", lambda: services.assistant),
        ("understanding", lambda: understand("借呗为什么借不了", now=datetime(2026, 1, 1, tzinfo=SHANGHAI))),
        ("knowledge index", lambda: services.assistant.retriever),
    )
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 -- the server still starts: /healthz reports the component
            log.warning("warm-up of %s failed: %s", name, exc)
    # What is loaded by now lives as long as the worker (models, index, dictionaries: ~500k
    # objects). A full garbage collection walked all of it — 264 ms with the worker stalled —
    # whenever one came due; frozen, collections see only what requests create.
    gc.collect()
    gc.freeze()
