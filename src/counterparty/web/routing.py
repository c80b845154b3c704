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
from counterparty.errors import CounterpartyError, MalformedRequest, TransientFailure
from counterparty.services.context import Actor
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
    status: int = 200
    response: type[BaseModel] | None = None
    response_description: str = "OK"
    response_headers: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Surface:
    """An HTTP face of the service: how it authenticates and how it shows errors."""

    authenticate: Callable[[Request], Actor]
    render_error: Callable[[Exception, Request], Response]
    operations: Sequence[Operation] = field(default_factory=tuple)


def refuse_control_characters(request: Request) -> None:
    """A query parameter with a control character is a 400 on every surface, before anything
    reads it (PostgreSQL cannot even compare text holding NUL)."""
    for name, value in request.query_params.multi_items():
        code = control_character(name) or control_character(value)
        if code is not None:
            raise MalformedRequest(
                f"the query parameter '{name.encode('unicode_escape').decode()}' contains a "
                f"control character ({code})"
            )


async def _authenticated(surface: Surface, request: Request) -> Actor:
    return surface.authenticate(request)


async def _confirmed(request: Request, actor: Actor) -> None:
    services(request).tenancy.ensure_confirmed(actor)


def bind(handler: Handler, surface: Surface) -> PublicHandler:
    async def endpoint(request: Request) -> Response:
        try:
            refuse_control_characters(request)
            actor = await when_free(lambda: _authenticated(surface, request))
            try:
                response = await when_free(lambda: handler(request, actor))
            finally:
                await when_free(lambda: _confirmed(request, actor))
            return response
        except CounterpartyError as error:
            response = surface.render_error(error, request)
            if isinstance(error, TransientFailure):
                # Every 503 says when to try again, in every surface's error shape.
                response.headers.setdefault("Retry-After", RETRY_AFTER_SECONDS)
            return response
        except Exception as error:  # the client still gets its own error shape, never a trace
            log.exception("unhandled error in %s %s", request.method, request.url.path)
            return surface.render_error(error, request)

    return endpoint


def routes(surface: Surface, prefix: str = "") -> list[Route]:
    by_path: dict[str, dict[str, PublicHandler]] = {}
    for operation in surface.operations:
        by_path.setdefault(operation.path, {})[operation.method] = bind(operation.handler, surface)
    return [
        Route(prefix + path, _dispatch(handlers), methods=list(handlers))
        for path, handlers in by_path.items()
    ]


def _dispatch(handlers: dict[str, PublicHandler]) -> PublicHandler:
    if len(handlers) == 1:
        return next(iter(handlers.values()))

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return endpoint
