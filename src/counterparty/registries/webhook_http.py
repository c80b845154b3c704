"""Webhooks over HTTP, to addresses that were checked (domain/addresses.py).

The receiver's host is resolved once per attempt (answers are kept for a few seconds), every
address checked, and the connection made to the first checked address: the socket connects to
that address, the `Host` header and TLS (SNI and the certificate check) name the host. A
resolver that answers differently a moment later therefore changes nothing. Redirects are not
followed, proxies from the environment are not used, and only the first 4 KB of the answer are
read.

The client is asynchronous: asyncio's streams carry the bytes (and TLS), h11 speaks HTTP/1.1.
One deliverer sends `concurrency` webhooks at once from one thread; httpx from a pool of
threads cost four times the CPU per webhook, and its asynchronous client more again.
Connections are kept alive per endpoint and address, so that a TLS connection verified for
one host name is never reused for another host at the same address.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections.abc import Callable
from uuid import UUID

import certifi
import h11

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
MAX_POOLS = 256  # endpoint and address pairs with connections kept alive
READ_BYTES = 65536

PoolKey = tuple[UUID, str, int]


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address the system's resolver gives for `host` (IPv4 and IPv6)."""
    found = []
    for *_, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        parsed = literal_address(str(address[0]).split("%", 1)[0])
        if parsed is not None and parsed not in found:
            found.append(parsed)
    return found


class ConnectFailed(Exception):
    """No connection to the receiver's address (refused, unreachable, TLS refused)."""


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.http = h11.Connection(h11.CLIENT)

    def usable(self) -> bool:
        """Idle, and not closed by the receiver meanwhile."""
        return (
            self.http.our_state is h11.IDLE
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


class HttpSender:
    def __init__(
        self,
        user_agent: str,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._user_agent = user_agent
        self._allow_private = allow_private
        self._resolve = resolver
        self._clock = clock
        # Mozilla's CA bundle, as httpx trusted before (not the system's, which a slim
        # image may lack).
        self._tls = tls or ssl.create_default_context(cafile=certifi.where())
        self._resolved: dict[str, tuple[float, list[IPAddress]]] = {}
        self._idle: dict[PoolKey, list[_Connection]] = {}

    async def _addresses(self, where: Target) -> list[IPAddress]:
        literal = literal_address(where.host)
        if literal is not None:
            return checked([literal], self._allow_private)
        known = self._resolved.get(where.host)
        if known is not None and self._clock() - known[0] < RESOLVED_SECONDS:
            return known[1]
        try:
            # The system's resolver blocks: in a thread, so the other sends go on meanwhile.
            found = await asyncio.to_thread(self._resolve, where.host, where.port)
            addresses = checked(found, self._allow_private)
        except OSError as error:
            raise UnsafeUrl(f"names a host that does not resolve ({error})") from None
        self._resolved[where.host] = (self._clock(), addresses)
        return addresses

    async def send(
        self, endpoint: Endpoint, headers: dict[str, str], body: bytes, timeout: float
    ) -> Response:
        started = self._clock()
        try:
            where = target(endpoint.url, self._allow_private)
            address = (await self._addresses(where))[0]
        except UnsafeUrl as error:
            return Response(None, b"", f"refused: the URL {error}", 0)
        default_port = 443 if where.scheme == "https" else 80
        host = f"[{where.host}]" if ":" in where.host else where.host
        host_header = host if where.port == default_port else f"{host}:{where.port}"
        request = h11.Request(
            method="POST",
            target=where.path,
            headers=[*headers.items(), ("host", host_header), ("content-length", str(len(body)))],
        )
        key = (endpoint.id, str(address), where.port)
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            # The whole answer must have begun within `timeout`: connecting, sending and
            # the status line and headers.
            async with asyncio.timeout_at(deadline):
                connection, status = await self._exchange(key, where, request, body)
        except TimeoutError:
            return Response(None, b"", f"no answer within {timeout:g} s", self._ms(started))
        except ConnectFailed as error:
            return Response(None, b"", f"ConnectError: {error}"[:500], self._ms(started))
        except (OSError, h11.ProtocolError, ssl.SSLError) as error:
            return Response(None, b"", f"{type(error).__name__}: {error}"[:500], self._ms(started))
        received = await self._body(connection, deadline)
        if connection.usable():
            self._keep(key, connection)
        else:
            connection.close()
        return Response(status, received[:RESPONSE_BYTES], None, self._ms(started))

    async def _exchange(
        self, key: PoolKey, where: Target, request: h11.Request, body: bytes
    ) -> tuple[_Connection, int]:
        """The request sent and the answer's status read, on a kept-alive connection or a
        new one; a kept one the receiver had closed meanwhile is replaced once."""
        kept = self._take(key)
        if kept is not None:
            try:
                return kept, await self._request(kept, request, body)
            except (OSError, h11.ProtocolError):
                kept.close()
            except BaseException:  # out of time: the connection is in mid-exchange
                kept.close()
                raise
        connection = await self._connect(key, where)
        try:
            return connection, await self._request(connection, request, body)
        except BaseException:
            connection.close()
            raise

    async def _connect(self, key: PoolKey, where: Target) -> _Connection:
        tls = self._tls if where.scheme == "https" else None
        try:
            reader, writer = await asyncio.open_connection(
                key[1],
                key[2],
                ssl=tls,
                server_hostname=where.host if tls is not None else None,
                limit=READ_BYTES,
            )
        except (OSError, ssl.SSLError) as error:
            raise ConnectFailed(str(error) or type(error).__name__) from None
        return _Connection(reader, writer)

    async def _request(self, connection: _Connection, request: h11.Request, body: bytes) -> int:
        http = connection.http
        connection.writer.write(
            http.send(request) + http.send(h11.Data(data=body)) + http.send(h11.EndOfMessage())
        )
        await connection.writer.drain()
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                http.receive_data(await connection.reader.read(READ_BYTES))
            elif isinstance(event, h11.InformationalResponse):
                continue
            elif isinstance(event, h11.Response):
                return int(event.status_code)
            else:
                raise h11.RemoteProtocolError(f"unexpected {type(event).__name__}")

    async def _body(self, connection: _Connection, deadline: float) -> bytes:
        """The answer's first 4 KB, as much of them as came before the deadline; the whole
        answer is read when it is no longer, so that the connection can serve again."""
        http = connection.http
        received = bytearray()
        try:
            async with asyncio.timeout_at(deadline):
                while len(received) < RESPONSE_BYTES:
                    event = http.next_event()
                    if event is h11.NEED_DATA:
                        http.receive_data(await connection.reader.read(READ_BYTES))
                    elif isinstance(event, h11.Data):
                        received += event.data
                    elif isinstance(event, h11.EndOfMessage):
                        if http.our_state is h11.DONE and http.their_state is h11.DONE:
                            http.start_next_cycle()
                        break
                    else:  # the receiver closed the connection
                        break
        except (TimeoutError, OSError, h11.ProtocolError):
            connection.close()
        return bytes(received)

    def _take(self, key: PoolKey) -> _Connection | None:
        idle = self._idle.get(key, [])
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    def _keep(self, key: PoolKey, connection: _Connection) -> None:
        if key not in self._idle and len(self._idle) >= MAX_POOLS:
            for dropped in self._idle.pop(next(iter(self._idle))):
                dropped.close()
        self._idle.setdefault(key, []).append(connection)

    def _ms(self, started: float) -> int:
        return int((self._clock() - started) * 1000)

    async def close(self) -> None:
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()
                with contextlib.suppress(OSError):
                    await connection.writer.wait_closed()
