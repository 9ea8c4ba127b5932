"""GET /healthz: the service and each component (index, store, LLM), never a 500.

`status` is "ok" when every component is usable and "degraded" otherwise; the HTTP status is
200 either way so a dashboard can always read the details (a load balancer should look at
`status`). A component that fails its probe is reported with a one-line error.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.services import Services
from assistant.store.masking import mask_pii
from assistant.web.deps import ServicesDep
from assistant.web.schemas import HealthResponse
from knowledge.settings import KnowledgeSettings

log = logging.getLogger("limit_assistant.web")
router = APIRouter()


def _probe(name: str, check: Any) -> dict[str, Any]:
    try:
        return check()  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 -- reported, not raised: health must answer while parts are down
        log.warning("health probe %s failed: %s", name, exc)
        return {"status": "down", "error": mask_pii(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)}


def store_status(services: Services) -> dict[str, Any]:
    services.store.ping()
    return {"status": "ok", "backend": services.store.backend}


@lru_cache(maxsize=4)
def _corpus(settings: KnowledgeSettings) -> Any:
    # Parsing and chunking the corpus takes tens of milliseconds; the files do not change under
    # a running server (a changed corpus needs `limit-assistant index` and a restart anyway).
    from knowledge.index import load_indexable_corpus

    return load_indexable_corpus(settings)


def index_status(services: Services) -> dict[str, Any]:
    from knowledge.index import index_embedders, is_fresh
    from knowledge.vectorstore import target_label

    settings = services.settings.knowledge
    corpus = _corpus(settings)
    embedders = index_embedders(settings)
    fresh = all(is_fresh(settings, e, corpus) for e in embedders)
    status = "ok" if fresh and _collections_complete(settings, embedders, len(corpus.chunks)) else "missing"
    return {"status": status, "embedder": settings.embedder,
            "target": target_label(settings), "chunks": len(corpus.chunks)}


def _collections_complete(settings: KnowledgeSettings, embedders: Any, chunks: int) -> bool:
    """The manifest can outlive the data: look at the collections themselves, read-only.

    A deleted or unreadable store raises or returns a different count; nothing is created.
    """
    from knowledge.vectorstore import collection_name, open_client

    if not settings.chroma_url and not (settings.chroma_dir / "chroma.sqlite3").is_file():
        return False
    client = open_client(settings)
    return all(client.get_collection(collection_name(e)).count() == chunks for e in embedders)


def llm_status(services: Services) -> dict[str, Any]:
    if services.settings.llm == "off":
        return {"status": "off"}
    phraser = services.phraser
    health = phraser.health() if phraser is not None and hasattr(phraser, "health") else {}
    return {"status": "ok", "model": services.settings.llm_model, **health}


def health(services: Services) -> dict[str, Any]:
    components = {
        "index": _probe("index", lambda: index_status(services)),
        "store": _probe("store", lambda: store_status(services)),
        "llm": _probe("llm", lambda: llm_status(services)),
    }
    healthy = all(c.get("status") in ("ok", "off") for c in components.values())
    return {"status": "ok" if healthy else "degraded", "demo_mode": services.settings.demo_mode,
            "components": components}


@router.get("/healthz", response_model=HealthResponse, summary="Service and component status")
async def healthz(services: ServicesDep) -> dict[str, Any]:
    return await run_in_threadpool(health, services)
