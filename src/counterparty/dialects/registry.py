"""The one place where dialects are registered and mounted."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from counterparty.dialects import faturaentegrator, idoklad, muhasip, odyssee, wacs
from counterparty.dialects.base import Dialect
from counterparty.web.http import json_response
from counterparty.web.routing import routes

DIALECTS: tuple[Dialect, ...] = (
    muhasip.DIALECT,
    wacs.DIALECT,
    faturaentegrator.DIALECT,
    odyssee.DIALECT,
    idoklad.DIALECT,
)


def _published(dialect: Dialect) -> Route:
    document = dialect.document()

    async def openapi(_: Request) -> Response:
        return json_response(document)

    return Route(f"{dialect.prefix}/openapi.json", openapi, methods=["GET"])


def dialect_routes() -> list[BaseRoute]:
    """Each dialect's document first (its catch-all route would take the path), then its
    operations."""
    found: list[BaseRoute] = [_published(d) for d in DIALECTS if d.published is not None]
    for dialect in DIALECTS:
        found.extend(routes(dialect.surface, prefix=dialect.prefix))
    return found


def documents() -> list[tuple[str, str, str]]:
    """(name, title, URL) of every dialect's OpenAPI document."""
    return [(d.name, d.title, f"{d.prefix}/openapi.json") for d in DIALECTS if d.published]
