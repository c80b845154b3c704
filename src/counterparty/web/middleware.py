"""Request ids and the access log. Query values that carry credentials never reach a log."""

from __future__ import annotations

import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counterparty.domain.ids import new_id

REQUEST_ID_HEADER = "x-request-id"
_ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SECRET_PARAMETERS = {
    "key",
    "api_key",
    "apikey",
    "token",
    "access_token",
    "password",
    "client_secret",
}

access_log = logging.getLogger("counterparty.access")


def redacted_query(query: str) -> str:
    """The query string with credential values replaced.

    >>> redacted_query("key=cpk_secret&page=2")
    'key=%2A%2A%2A&page=2'
    """
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [(name, "***" if name.lower() in _SECRET_PARAMETERS else value) for name, value in pairs]
    )


class RequestContextMiddleware:
    """Gives every request an id (the client's X-Request-Id when it is sane), returns it
    in the response, and logs one line per request when the access log is on."""

    def __init__(self, app: ASGIApp, *, log_requests: bool) -> None:
        self.app = app
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("ascii")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.log_requests:
                self._log(scope, status, request_id, time.perf_counter() - started)

    @staticmethod
    def _request_id(scope: Scope) -> str:
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                candidate: str = value.decode("latin-1")
                if _ACCEPTED_REQUEST_ID.match(candidate):
                    return candidate
        return new_id().hex

    @staticmethod
    def _log(scope: Scope, status: int, request_id: str, seconds: float) -> None:
        query = redacted_query(scope.get("query_string", b"").decode("latin-1"))
        client: Any = scope.get("client") or ("-", 0)
        access_log.info(
            '%s "%s %s%s" %d %.1fms %s',
            client[0],
            scope["method"],
            scope["path"],
            f"?{query}" if query else "",
            status,
            seconds * 1000,
            request_id,
        )
