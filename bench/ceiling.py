"""The ceiling: a bare Starlette app that answers the benchmarked endpoints with the real
service's bytes but does none of its work (no auth, no validation, no database).

Served by the same uvicorn settings as the real app, it measures what the HTTP stack alone
costs on this machine, so that the real numbers can be read as a fraction of it. The fixtures
(one contact's JSON, and each list page the benchmark asks for, by its query string) are
fetched from the real server first; BENCH_FIXTURES names their directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

CONTACT_FILE = "contact.json"
PAGES_FILE = "pages.json"
JSON = "application/json"


def create_app(fixtures: Path) -> Starlette:
    contact = (fixtures / CONTACT_FILE).read_bytes()
    etag = {"ETag": f'"{orjson.loads(contact)["version"]}"'}
    pages = {
        query: page.encode()
        for query, page in orjson.loads((fixtures / PAGES_FILE).read_bytes()).items()
    }

    async def get_contact(_: Request) -> Response:
        return Response(contact, media_type=JSON, headers=etag)

    async def patch_contact(request: Request) -> Response:
        # Reading and parsing the body is the least any PATCH handler does.
        orjson.loads(await request.body())
        return Response(contact, media_type=JSON, headers=etag)

    async def list_contacts(request: Request) -> Response:
        page = pages.get(request.url.query)
        if page is None:
            return Response(b'{"title":"no such fixture"}', status_code=404, media_type=JSON)
        return Response(page, media_type=JSON)

    async def healthz(_: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type=JSON)

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/v1/contacts", list_contacts, methods=["GET"]),
            Route("/v1/contacts/{contact_id}", get_contact, methods=["GET"]),
            Route("/v1/contacts/{contact_id}", patch_contact, methods=["PATCH"]),
        ]
    )


def app_from_environment() -> Starlette:
    """Entry point for `uvicorn --factory bench.ceiling:app_from_environment`."""
    return create_app(Path(os.environ["BENCH_FIXTURES"]))
