"""Operations: one declaration per endpoint serves both the router and the OpenAPI document."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from counterparty.domain.text import control_character
from counterparty.errors import (
    CounterpartyError,
    FieldError,
    MalformedRequest,
    RateLimited,
    TransientFailure,
    ValidationFailed,
)
from counterparty.services.context import Actor
from counterparty.web.rate_limiting import gate, with_quota
from counterparty.web.state import services
from counterparty.web.waiting import when_free

log = logging.getLogger("counterparty")
RETRY_AFTER_SECONDS = "1"

Handler = Callable[[Request, Actor], Awaitable[Response]]
PublicHandler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str  # "path", "query" or "header"
    schema: dict[str, Any]
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    operation_id: str
    summary: str
    tag: str = "contacts"
    body: type[BaseModel] | None = None
    body_media_types: tuple[str, ...] = ("application/json",)
    body_required: bool = True
    file_media_types: tuple[str, ...] = ()  # bodies that are a file as it is (an import)
    status: int = 200
    response: type[BaseModel] | None = None
    response_description: str = "OK"
    response_headers: tuple[str, ...] = ()
    response_media_types: tuple[str, ...] = ()  # a file answered as it is (an export)
    errors: tuple[int, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Surface:
    """An HTTP face of the service: how it authenticates and how it shows errors."""

    authenticate: Callable[[Request], Actor]
    render_error: Callable[[Exception, Request], Response]
    operations: Sequence[Operation] = field(default_factory=tuple)
    # Refuse query parameters an operation does not declare, and match path parameters
    # declared as UUIDs only against UUIDs (the native API; a vendor's clients may send
    # parameters their vendor ignores, and vendors answer unknown paths their own way).
    strict: bool = False


def refuse_control_characters(request: Request, surface: Surface) -> None:
    """A query parameter with a control character is refused on every surface before anything
    reads it (PostgreSQL cannot even compare text holding NUL): a 400 natively, the vendor's
    own answer to an invalid parameter on a dialect."""
    for name, value in request.query_params.multi_items():
        code = control_character(name) or control_character(value)
        if code is None:
            continue
        shown = name.encode("unicode_escape").decode()
        detail = f"the query parameter '{shown}' contains a control character ({code})"
        if surface.strict:
            raise MalformedRequest(detail)
        error = FieldError("control_character", detail, parameter=shown)
        raise ValidationFailed(detail, errors=[error])


async def _authenticated(surface: Surface, request: Request) -> Actor:
    return surface.authenticate(request)


async def _admitted(surface: Surface, request: Request) -> Actor:
    """The actor, within the rate limits when the app has them."""

    def authenticate() -> Awaitable[Actor]:
        return when_free(lambda: _authenticated(surface, request))

    rate_gate = gate(request)
    return await (rate_gate.admitted(request, authenticate) if rate_gate else authenticate())


async def _confirmed(request: Request, actor: Actor) -> None:
    services(request).tenancy.ensure_confirmed(actor)


def refuse_undeclared_parameters(request: Request, operation: Operation) -> None:
    declared = {p.name for p in operation.parameters if p.where == "query"}
    unknown = [name for name in request.query_params if name not in declared]
    if unknown:
        errors = [
            FieldError("unknown_parameter", f"'{name}' is not a parameter here", parameter=name)
            for name in unknown
        ]
        raise ValidationFailed(f"{unknown[0]}: not a parameter here", errors=errors)


def bind(handler: Handler, surface: Surface, operation: Operation | None = None) -> PublicHandler:
    """The endpoint of one operation. With `operation` (a surface with strict parameters),
    query parameters it does not declare are refused."""

    async def endpoint(request: Request) -> Response:
        try:
            refuse_control_characters(request, surface)
            if operation is not None:
                refuse_undeclared_parameters(request, operation)
            actor = await _admitted(surface, request)
            try:
                response = await when_free(lambda: handler(request, actor))
            finally:
                await when_free(lambda: _confirmed(request, actor))
            return with_quota(response, request)
        except CounterpartyError as error:
            response = surface.render_error(error, request)
            # Every 503 and 429 says when to try again, in every surface's error shape.
            if isinstance(error, TransientFailure):
                response.headers.setdefault("Retry-After", RETRY_AFTER_SECONDS)
            if isinstance(error, RateLimited):
                response.headers["Retry-After"] = str(error.retry_after_seconds)
            return with_quota(response, request)
        except Exception as error:  # the client still gets its own error shape, never a trace
            log.exception("unhandled error in %s %s", request.method, request.url.path)
            return surface.render_error(error, request)

    return endpoint


def routes(surface: Surface, prefix: str = "") -> list[Route]:
    by_path: dict[str, dict[str, PublicHandler]] = {}
    for operation in surface.operations:
        handler = bind(operation.handler, surface, operation if surface.strict else None)
        path = _route_path(operation) if surface.strict else operation.path
        by_path.setdefault(path, {})[operation.method] = handler
    return [
        Route(prefix + path, _dispatch(handlers), methods=list(handlers))
        for path, handlers in by_path.items()
    ]


def _route_path(operation: Operation) -> str:
    """The operation's path for the router: a path parameter declared as a UUID only matches
    one, so that `/contacts/batch` is another route's path (405 for a method it lacks), not
    a contact named "batch"."""
    path = operation.path
    for parameter in operation.parameters:
        if parameter.where == "path" and parameter.schema.get("format") == "uuid":
            path = path.replace(f"{{{parameter.name}}}", f"{{{parameter.name}:uuid}}")
    return path


def _dispatch(handlers: dict[str, PublicHandler]) -> PublicHandler:
    if len(handlers) == 1:
        return next(iter(handlers.values()))

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return endpoint
