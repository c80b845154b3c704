"""What every response carries (a request id, security headers), which hosts are served, and
the access log. Query values that carry credentials never reach a log."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counterparty.domain.ids import new_id
from counterparty.web.redaction import redacted_query

REQUEST_ID_HEADER = "x-request-id"
# Pages of ours load nothing from elsewhere and run no inline script.
CONTENT_SECURITY_POLICY = (
    b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    b"connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    b"frame-ancestors 'none'"
)
_CREDENTIAL_PARAMETER = re.compile(rb"(?i)(?:^|&)[^=&]*(?:key|token|secret|passw|auth)[^=&]*=")
_ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("counterparty.access")


def _carries_credentials(scope: Scope) -> bool:
    if any(name == b"authorization" for name, _ in scope.get("headers", ())):
        return True
    return bool(_CREDENTIAL_PARAMETER.search(scope.get("query_string", b"")))


def _secured(headers: list[tuple[bytes, bytes]], private: bool) -> list[tuple[bytes, bytes]]:
    """Security headers the response does not set itself."""
    present = {name.lower() for name, _ in headers}
    added = []
    if b"x-content-type-options" not in present:
        added.append((b"x-content-type-options", b"nosniff"))
    if private and b"cache-control" not in present:
        added.append((b"cache-control", b"no-store"))  # a response for one credential only
    html = any(name.lower() == b"content-type" and value.startswith(b"text/html")
               for name, value in headers)  # fmt: skip
    if html and b"content-security-policy" not in present:
        added.append((b"content-security-policy", CONTENT_SECURITY_POLICY))
    return [*headers, *added]


class RequestContextMiddleware:
    """Gives every request an id (the client's X-Request-Id when it is sane), returns it with
    the security headers, refuses hosts outside `allowed_hosts` (when given), and logs one
    line per request when the access log is on."""

    def __init__(
        self, app: ASGIApp, *, log_requests: bool, allowed_hosts: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.log_requests = log_requests
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        private = _carries_credentials(scope)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = _secured(
                    [*message.get("headers", []), (b"x-request-id", request_id.encode("ascii"))],
                    private,
                )
            await send(message)

        if self.allowed_hosts and _host(scope) not in self.allowed_hosts:
            await _refuse_host(scope, send_with_id)
            if self.log_requests:
                self._log(scope, 400, request_id, time.perf_counter() - started)
            return

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


def _host(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            host: str = value.decode("latin-1").lower()
            return host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return ""


async def _refuse_host(scope: Scope, send: Send) -> None:
    body = orjson.dumps(
        {
            "type": "/problems/malformed-request",
            "title": "Malformed request",
            "status": 400,
            "detail": "this service does not answer for that Host; see COUNTERPARTY_ALLOWED_HOSTS",
            "code": "malformed_request",
            "instance": scope.get("path"),
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
