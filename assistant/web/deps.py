"""FastAPI dependencies: the app's Services, and the authenticated, rate-limited caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.services import Services
from assistant.web.auth import Caller, authenticate
from assistant.web.ratelimit import RateLimiter


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def caller_of(request: Request) -> Caller:
    """Authenticate the request (401 on bad credentials), then count it against the caller's limit."""
    caller = authenticate(request, services_of(request))
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.check(caller.rate_key)
    request.state.caller = caller
    return caller


ServicesDep = Annotated[Services, Depends(services_of)]
CallerDep = Annotated[Caller, Depends(caller_of)]
