"""Unauthenticated endpoints: health, the OpenAPI document, its docs page, problem types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from counterparty import __version__
from counterparty.api.operations import OPERATIONS
from counterparty.api.problem_types import problem_page, problem_types
from counterparty.api.problems import PROBLEM_BASE, PROBLEM_JSON, Problem
from counterparty.api.response_headers import RESPONSE_HEADERS
from counterparty.domain.api_keys import KEY_PATTERN
from counterparty.web.http import json_response
from counterparty.web.openapi import DOCS_ASSETS, build_document, docs_page, swagger_asset
from counterparty.web.state import services

DESCRIPTION = f"""Contacts (customers and suppliers) for accounting and invoicing software.

Authenticate with `Authorization: Bearer <key>`. Keys match `{KEY_PATTERN}`.
Errors are RFC 9457 problem details (`{PROBLEM_JSON}`) whose `type` is
`{PROBLEM_BASE}<code>`; `GET {PROBLEM_BASE}` lists every type."""


def openapi_document(dialects: Sequence[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """The native document; `dialects` (name, title, URL) are linked from it."""
    links = "".join(f"\n- [{title}]({url})" for _, title, url in dialects)
    described = DESCRIPTION + (f"\n\nVendor dialects, each with its own document:{links}"
                               if links else "")  # fmt: skip
    found = build_document(
        title="counterparty",
        version=__version__,
        description=described,
        operations=OPERATIONS,
        error_model=Problem,
        error_media_type=PROBLEM_JSON,
        headers=RESPONSE_HEADERS,
        security_scheme={"type": "http", "scheme": "bearer"},
    )
    found["x-dialects"] = [{"name": name, "title": title, "url": url}
                           for name, title, url in dialects]  # fmt: skip
    return found


def system_routes(dialects: Sequence[tuple[str, str, str]] = ()) -> list[Route]:
    """`dialects`: (name, title, URL) of each vendor dialect's OpenAPI document."""
    document = openapi_document(dialects)
    types = problem_types()
    by_slug = {entry["type"].removeprefix(PROBLEM_BASE): entry for entry in types}

    async def healthz(request: Request) -> Response:
        services(request).tenancy.ping()
        return json_response({"status": "ok"})

    async def openapi(_: Request) -> Response:
        return json_response(document)

    async def docs(_: Request) -> Response:
        return HTMLResponse(docs_page("counterparty API", "/openapi.json"))

    async def docs_asset(request: Request) -> Response:
        found = swagger_asset(request.path_params["name"])
        if found is None:
            return problem_page(request, None)
        content, media = found
        return Response(content, media_type=media, headers={"Cache-Control": "max-age=86400"})

    async def problems(_: Request) -> Response:
        return json_response(types)

    async def problem(request: Request) -> Response:
        return problem_page(request, by_slug.get(request.path_params["slug"]))

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route(DOCS_ASSETS + "{name}", docs_asset, methods=["GET"]),
        Route("/problems/", problems, methods=["GET"]),
        Route("/problems/{slug}", problem, methods=["GET"]),
    ]
