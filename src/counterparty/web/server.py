"""The HTTP server's own answers in problem details too.

A request the HTTP parser cannot read (a request line of 100,000 characters, say) never
reaches the application; uvicorn answers it with a plain-text 400. This protocol answers it
with an RFC 9457 problem body instead, like every other error of the service.
"""

from __future__ import annotations

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def problem_400(detail: str) -> bytes:
    return orjson.dumps(
        {
            "type": "/problems/malformed-request",
            "title": "Malformed request",
            "status": 400,
            "detail": detail,
            "code": "malformed_request",
        }
    )


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = problem_400(
            "the request could not be read (for example a request line or header over "
            f"64 KB): {msg}"
        )
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head += [
            b"content-type: application/problem+json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"x-content-type-options: nosniff\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
