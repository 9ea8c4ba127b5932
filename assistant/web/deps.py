"""FastAPI dependencies: the app's Services, and the authenticated, rate-limited caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.services import Services
from assistant.web.auth import Caller, authenticate
from assistant.web.errors import ApiError
from assistant.web.ratelimit import RateLimiter


async def services_of(request: Request) -> Services:
    """The app's Services. `async` although it waits for nothing: FastAPI runs a plain `def`
    dependency in a worker thread, a hop that cost more than the lookup (bench/api.py)."""
    return _services(request)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def caller_of(request: Request) -> Caller:
    """Authenticate the request, then count it against the caller's limit.

    A request with wrong credentials is counted too, against its address: 401 while under the
    limit, 429 once over it (guessing keys is throttled like any other traffic).
    """
    limiter: RateLimiter = request.app.state.rate_limiter
    try:
        caller = authenticate(request, _services(request))
    except ApiError as error:
        if error.status == 401:
            limiter.check_failed_auth(request.client.host if request.client else "unknown")
        raise
    limiter.check(caller.rate_key)
    request.state.caller = caller
    return caller


ServicesDep = Annotated[Services, Depends(services_of)]
CallerDep = Annotated[Caller, Depends(caller_of)]
