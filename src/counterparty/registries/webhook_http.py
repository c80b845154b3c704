"""Webhooks over HTTP, to addresses that were checked (domain/addresses.py).

The receiver's host is resolved once per attempt (answers are kept for a few seconds), every
address checked, and the connection made to the first checked address: the URL given to the
HTTP client names that address, the `Host` header and TLS (SNI and the certificate check) the
host. A resolver that answers differently a moment later therefore changes nothing. Redirects
are not followed, proxies from the environment are not used, and only the first 4 KB of the
answer are read.

httpx is used for its connection pools, timeouts and TLS handling; it also serves the tests.
Each endpoint has its own client, so that a TLS connection verified for one host name is never
reused for another host at the same address.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from uuid import UUID

import httpx

from counterparty.domain.addresses import (
    IPAddress,
    Target,
    UnsafeUrl,
    checked,
    literal_address,
    target,
)
from counterparty.domain.webhooks import Endpoint
from counterparty.services.webhook_ports import Resolver, Response

RESPONSE_BYTES = 4096
RESOLVED_SECONDS = 10.0
MAX_CLIENTS = 256


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address the system's resolver gives for `host` (IPv4 and IPv6)."""
    found = []
    for *_, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        parsed = literal_address(str(address[0]).split("%", 1)[0])
        if parsed is not None and parsed not in found:
            found.append(parsed)
    return found


class HttpSender:
    def __init__(
        self,
        user_agent: str,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._user_agent = user_agent
        self._allow_private = allow_private
        self._resolve = resolver
        self._clock = clock
        self._resolved: dict[str, tuple[float, list[IPAddress]]] = {}
        self._clients: dict[tuple[UUID, str], httpx.Client] = {}
        self._lock = threading.Lock()

    def _addresses(self, where: Target) -> list[IPAddress]:
        literal = literal_address(where.host)
        if literal is not None:
            return checked([literal], self._allow_private)
        known = self._resolved.get(where.host)
        if known is not None and self._clock() - known[0] < RESOLVED_SECONDS:
            return known[1]
        try:
            addresses = checked(self._resolve(where.host, where.port), self._allow_private)
        except OSError as error:
            raise UnsafeUrl(f"names a host that does not resolve ({error})") from None
        self._resolved[where.host] = (self._clock(), addresses)
        return addresses

    def _client(self, endpoint: Endpoint, connect_to: str) -> httpx.Client:
        key = (endpoint.id, connect_to)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                if len(self._clients) >= MAX_CLIENTS:
                    self._clients.pop(next(iter(self._clients))).close()
                client = httpx.Client(follow_redirects=False, trust_env=False)
                self._clients[key] = client
            return client

    def send(
        self, endpoint: Endpoint, headers: dict[str, str], body: bytes, timeout: float
    ) -> Response:
        started = self._clock()
        try:
            where = target(endpoint.url, self._allow_private)
            address = self._addresses(where)[0]
        except UnsafeUrl as error:
            return Response(None, b"", f"refused: the URL {error}", 0)
        shown = f"[{address}]" if address.version == 6 else str(address)
        default_port = 443 if where.scheme == "https" else 80
        host = f"[{where.host}]" if ":" in where.host else where.host
        host_header = host if where.port == default_port else f"{host}:{where.port}"
        url = f"{where.scheme}://{shown}:{where.port}{where.path}"
        client = self._client(endpoint, url.split("/", 3)[2])
        try:
            with client.stream(
                "POST",
                url,
                content=body,
                headers={**headers, "host": host_header},
                timeout=timeout,
                extensions={"sni_hostname": where.host},
            ) as answer:
                # httpx's timeout is per step (connect, send, each read): the whole answer
                # must have begun within `timeout`.
                answered = self._clock() - started <= timeout
                received = bytearray()
                for chunk in answer.iter_raw():
                    received += chunk
                    if len(received) >= RESPONSE_BYTES or self._clock() - started > timeout:
                        break
        except httpx.TimeoutException:
            answered = False
        except httpx.HTTPError as error:
            return Response(None, b"", f"{type(error).__name__}: {error}"[:500], self._ms(started))
        if not answered:
            return Response(None, b"", f"no answer within {timeout:g} s", self._ms(started))
        return Response(
            answer.status_code, bytes(received[:RESPONSE_BYTES]), None, self._ms(started)
        )

    def _ms(self, started: float) -> int:
        return int((self._clock() - started) * 1000)

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()
