"""ASP.NET routing habits the router does not have: paths match without regard to case
(and with a trailing slash), and an unknown path or method answers in the WACS error shape.

A catch-all route under /compat/wacs receives whatever the exact routes did not take;
`resolve` finds the operation it meant, or raises the vendor's 404 / 405.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.wacs.errors import UNMATCHED, RouteMethodNotAllowed
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.web.routing import Handler, Operation

FALLBACK_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@cache
def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", path)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex + "/?", re.IGNORECASE)


def resolve(request: Request, operations: Sequence[Operation]) -> tuple[Operation, dict[str, str]]:
    """The operation a path that missed the exact routes means, and its path parameters."""
    path = "/" + request.path_params[UNMATCHED]
    method = "GET" if request.method == "HEAD" else request.method
    allowed: list[str] = []
    for operation in operations:
        found = _pattern(operation.path).fullmatch(path)
        if found is None:
            continue
        if operation.method == method:
            return operation, found.groupdict()
        allowed.append(operation.method)
    if allowed:
        raise RouteMethodNotAllowed(f"{method} is not allowed here", allowed=allowed)
    raise NotFound(f"nothing at {request.url.path}")


def fallback_operations(operations: Sequence[Operation]) -> tuple[Operation, ...]:
    """Catch-all operations that dispatch to `operations` (the surface's authenticate must
    call `resolve` first, so that an unknown path is a 404 before it is a 401)."""

    async def dispatch(request: Request, actor: Actor) -> Response:
        operation, parameters = resolve(request, operations)
        request.scope["path_params"] = parameters
        handler: Handler = operation.handler
        return await handler(request, actor)

    return tuple(
        Operation(
            method,
            f"/{{{UNMATCHED}:path}}",
            dispatch,
            f"wacsFallback{method.title()}",
            "Case-insensitive routing and vendor-shaped 404/405",
            tag="routing",  # not an endpoint of its own: leave it out of published documents
        )
        for method in FALLBACK_METHODS
    )
