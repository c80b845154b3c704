"""Unauthenticated endpoints: health, the OpenAPI document, its docs page, problem types."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from counterparty import __version__
from counterparty.api.operations import OPERATIONS, RESPONSE_HEADERS
from counterparty.api.problems import PROBLEM_BASE, PROBLEM_JSON, STATUS_BY_ERROR, Problem
from counterparty.domain.api_keys import KEY_PATTERN
from counterparty.web.http import json_response
from counterparty.web.openapi import build_document, docs_page
from counterparty.web.state import services

DESCRIPTION = f"""Contacts (customers and suppliers) for accounting and invoicing software.

Authenticate with `Authorization: Bearer <key>`. Keys match `{KEY_PATTERN}`.
Errors are RFC 9457 problem details (`{PROBLEM_JSON}`) whose `type` is
`{PROBLEM_BASE}<code>`; `GET {PROBLEM_BASE}` lists every type."""


def openapi_document() -> dict[str, Any]:
    return build_document(
        title="counterparty",
        version=__version__,
        description=DESCRIPTION,
        operations=OPERATIONS,
        error_model=Problem,
        error_media_type=PROBLEM_JSON,
        headers=RESPONSE_HEADERS,
        security_scheme={"type": "http", "scheme": "bearer"},
    )


def _problem_types() -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for error_class, status, title in STATUS_BY_ERROR:
        code = str(error_class.__dataclass_fields__["code"].default)
        seen[code] = {
            "type": PROBLEM_BASE + code.replace("_", "-"),
            "code": code,
            "status": status,
            "title": title,
            "description": (error_class.__doc__ or "").strip(),
        }
    return list(seen.values())


def system_routes() -> list[Route]:
    document = openapi_document()
    problem_types = _problem_types()
    by_slug = {entry["type"].removeprefix(PROBLEM_BASE): entry for entry in problem_types}

    async def healthz(request: Request) -> Response:
        services(request).tenancy.ping()
        return json_response({"status": "ok"})

    async def openapi(_: Request) -> Response:
        return json_response(document)

    async def docs(_: Request) -> Response:
        return HTMLResponse(docs_page("counterparty API", "/openapi.json"))

    async def problems(_: Request) -> Response:
        return json_response(problem_types)

    async def problem(request: Request) -> Response:
        entry = by_slug.get(request.path_params["slug"])
        if entry is None:
            return json_response({"detail": "no such problem type"}, status=404)
        return json_response(entry)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route("/problems/", problems, methods=["GET"]),
        Route("/problems/{slug}", problem, methods=["GET"]),
    ]
