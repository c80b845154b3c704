"""Reading request bodies within limits and writing JSON responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from counterparty.domain.text import decimal_digits
from counterparty.errors import MalformedRequest, PayloadTooLarge, UnsupportedMediaType

JSON = "application/json"


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


RAW_BODY = "counterparty.raw_body"


def raw_body(request: Request) -> bytes:
    """The body `read_body` read earlier in this request (empty if none was read)."""
    found: bytes = request.scope.get(RAW_BODY, b"")
    return found


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, refused as soon as it passes `max_bytes` (declared or streamed); read
    once, so that a request run again (web/waiting.py) finds it."""
    if RAW_BODY in request.scope:
        return raw_body(request)
    declared = request.headers.get("content-length")
    if declared is not None and decimal_digits(declared) and int(declared) > max_bytes:
        raise PayloadTooLarge(f"the body may be at most {max_bytes} bytes", limit_bytes=max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge(
                f"the body may be at most {max_bytes} bytes", limit_bytes=max_bytes
            )
    request.scope[RAW_BODY] = bytes(body)
    return request.scope[RAW_BODY]  # type: ignore[no-any-return]


async def read_json(request: Request, max_bytes: int, accepted: Iterable[str] = (JSON,)) -> Any:
    """Parse a JSON body of one of the `accepted` media types."""
    accepted = tuple(accepted)
    kind = media_type(request)
    if kind not in accepted:
        shown = kind or "no Content-Type"
        raise UnsupportedMediaType(
            f"{shown} is not accepted here; send {' or '.join(accepted)}", accepted=accepted
        )
    body = await read_body(request, max_bytes)
    if not body.strip():
        raise MalformedRequest("the body is empty; send a JSON object")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"the body is not valid JSON: {exc}") from None


def json_response(
    content: Any,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    media: str = JSON,
) -> Response:
    """A JSON response from a pydantic model (serialised by its own schema) or plain data."""
    if isinstance(content, BaseModel):
        body = content.__pydantic_serializer__.to_json(content)
    else:
        body = orjson.dumps(content)
    return Response(body, status_code=status, headers=headers, media_type=media)


def link_to(request: Request, url: URL) -> str:
    """A link to `url` (a URL of this service): absolute from COUNTERPARTY_PUBLIC_URL when
    it is set, else relative. Never built from the request's Host header, which a client
    chooses: a client following the link would send its credentials there."""
    relative = url.path + (f"?{url.query}" if url.query else "")
    public: str | None = request.app.state.limits.public_url
    return public.rstrip("/") + relative if public else relative


def next_link(request: Request, cursor: str | None, parameter: str = "cursor") -> dict[str, str]:
    """The RFC 8288 `Link: <…>; rel="next"` header for a page that has a next one."""
    if cursor is None:
        return {}
    target = link_to(request, request.url.include_query_params(**{parameter: cursor}))
    return {"Link": f'<{target}>; rel="next"'}
