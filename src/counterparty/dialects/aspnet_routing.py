"""ASP.NET Web API's routing, as WACS and iDoklad clients meet it: paths matched without regard
to case (fallback routes derived from a dialect's operations), its 404 and 405 answers, routing
before authorization, and query parameters bound without regard to case."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.web.http import link_to
from counterparty.web.routing import Handler, Operation

UNMATCHED = "aspnet_unmatched"  # the path parameter of the fallback routes


@dataclass
class RouteMethodNotAllowed(errors.MethodNotAllowed):
    allowed: Sequence[str] = field(default=())


@cache
def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)(:\w+)?\}", path)
    regex = ""
    for index in range(0, len(parts), 3):  # text, then a parameter's name and convertor
        regex += re.escape(parts[index])
        if index + 1 < len(parts):
            value = "[0-9]+" if parts[index + 2] == ":int" else "[^/]+"
            regex += f"(?P<{parts[index + 1]}>{value})"
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
        raise RouteMethodNotAllowed(
            f"The requested resource does not support http method '{request.method}'.",
            allowed=allowed,
        )
    # ASP.NET names the request URI; without its query string, where clients put credentials,
    # and without the Host header, which a client chooses.
    uri = link_to(request, request.url.replace(query=""))
    raise NotFound(f"No HTTP resource was found that matches the request URI '{uri}'.")


def fallback_operations(operations: Sequence[Operation], tag: str) -> tuple[Operation, ...]:
    """Catch-all operations, last in a surface, that dispatch to `operations` as ASP.NET's
    case-insensitive router would, or answer its 404/405."""

    async def dispatch(request: Request, actor: Actor) -> Response:
        operation, parameters = resolve(request, operations)
        request.scope["path_params"] = parameters
        handler: Handler = operation.handler
        return await handler(request, actor)

    return tuple(
        Operation(method, f"/{{{UNMATCHED}:path}}", dispatch, f"{tag}Fallback{method.title()}",
                  "Case-insensitive routing and the vendor's 404/405", tag="routing")
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
    )  # fmt: skip


def routed_first(
    authenticate: Callable[[Request], Actor], operations: Sequence[Operation]
) -> Callable[[Request], Actor]:
    """`authenticate`, after a path that missed the exact routes is resolved: ASP.NET routes a
    request before it authorizes it, so an unknown path is a 404 (or 405) even without a key."""

    def routed(request: Request) -> Actor:
        if UNMATCHED in request.path_params:
            resolve(request, operations)
        return authenticate(request)

    return routed


def query_value(request: Request, name: str) -> str | None:
    """A query parameter matched without regard to case, as ASP.NET binds them."""
    folded = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == folded:
            return value
    return None
