"""The webhook HTTP client on its own, against small asyncio servers: TLS to the checked
address with the host's name for SNI and the certificate check, kept-alive connections (and
one the receiver closed meanwhile), and answers read up to their first 4 KB."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from counterparty.domain.webhooks import Endpoint
from counterparty.registries.webhook_http import RESPONSE_BYTES, HttpSender
from counterparty.services.webhook_ports import Response
from tests.webhooks.conftest import fixed_resolver, run_apart

HEADERS = {"content-type": "application/json", "webhook-id": "msg_test"}


def endpoint(url: str) -> Endpoint:
    moment = datetime.now(UTC)
    return Endpoint(
        tenant_id=uuid4(),
        id=uuid4(),
        url=url,
        description=None,
        events=("*",),
        enabled=True,
        secret="whsec_" + "A" * 43,
        previous_secret=None,
        previous_secret_until=None,
        starts_after=0,
        failing_since=None,
        disabled_reason=None,
        created_at=moment,
        updated_at=moment,
    )


@dataclass
class Seen:
    connections: int = 0
    hosts: list[str] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)


async def serve(
    seen: Seen, answer: bytes, tls: ssl.SSLContext | None = None
) -> tuple[asyncio.Server, int]:
    """A receiver that answers every request with `answer`, on kept-alive connections."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.connections += 1
        seen.writers.append(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode().lower().split("\r\n")
                fields = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
                seen.hosts.append(fields["host"])
                await reader.readexactly(int(fields["content-length"]))
                writer.write(answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    if tls is not None:
        tls.sni_callback = lambda _socket, name, _context: seen.server_names.append(name)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    return server, server.sockets[0].getsockname()[1]


async def stop(server: asyncio.Server, seen: Seen) -> None:
    for writer in seen.writers:
        writer.close()
    server.close()
    await server.wait_closed()


def run(work: Callable[[], Awaitable[None]]) -> None:
    async def whole() -> None:
        await work()

    run_apart(whole())


def certificates(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for `name` from a new authority, and a client
    context that trusts that authority alone."""
    now = datetime.now(UTC)
    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test authority")])
    authority = (
        x509.CertificateBuilder()
        .subject_name(authority_name)
        .issuer_name(authority_name)
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(authority_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(authority_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    chain = tmp_path / "server.pem"
    chain.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(chain)
    client = ssl.create_default_context(
        cadata=authority.public_bytes(serialization.Encoding.PEM).decode()
    )
    return server, client


def test_tls_goes_to_the_checked_address_in_the_hosts_name(tmp_path: Path) -> None:
    server_tls, client_tls = certificates(tmp_path, "hooks.internal")
    _, stranger_tls = certificates(tmp_path, "hooks.internal")

    async def work() -> None:
        seen = Seen()
        server, port = await serve(seen, b"HTTP/1.1 204 No Content\r\n\r\n", server_tls)
        resolver = fixed_resolver({"hooks.internal": "127.0.0.1"})
        sender = HttpSender("test", True, resolver, tls=client_tls)
        target = endpoint(f"https://hooks.internal:{port}/in")
        answered = await sender.send(target, HEADERS, b"{}", 5)
        assert (answered.status, answered.error) == (204, None)
        assert seen.hosts == [f"hooks.internal:{port}"]
        assert seen.server_names == ["hooks.internal"]
        # A certificate from an authority the client does not trust is refused.
        distrusting = HttpSender("test", True, resolver, tls=stranger_tls)
        refused = await distrusting.send(target, HEADERS, b"{}", 5)
        assert refused.status is None and "CERTIFICATE_VERIFY_FAILED" in (refused.error or "")
        # So is a certificate for another name, at the same address.
        other = endpoint(f"https://127.0.0.1:{port}/in")
        wrong_name = await sender.send(other, HEADERS, b"{}", 5)
        assert wrong_name.status is None and "ConnectError" in (wrong_name.error or "")
        await sender.close()
        await distrusting.close()
        await stop(server, seen)

    run(work)


def test_connections_are_kept_alive_and_replaced_when_the_receiver_closed_one() -> None:
    async def work() -> None:
        seen = Seen()
        server, port = await serve(seen, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        sender = HttpSender("test", True)
        target = endpoint(f"http://127.0.0.1:{port}/")
        for _ in range(3):
            sent = await sender.send(target, HEADERS, b"{}", 5)
            assert (sent.status, sent.body) == (200, b"ok")
        assert seen.connections == 1
        for writer in seen.writers:
            writer.close()
        await asyncio.sleep(0.05)
        again = await sender.send(target, HEADERS, b"{}", 5)
        assert (again.status, again.body, again.error) == (200, b"ok", None)
        assert seen.connections == 2
        await sender.close()
        await stop(server, seen)

    run(work)


def test_answers_are_read_up_to_their_first_4_kb() -> None:
    chunked = b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    long = b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n" + b"y" * 9000

    async def answered(answer: bytes) -> Response:
        seen = Seen()
        server, port = await serve(seen, answer)
        sender = HttpSender("test", True)
        found = await sender.send(endpoint(f"http://127.0.0.1:{port}/"), HEADERS, b"{}", 5)
        await sender.close()
        await stop(server, seen)
        return found

    async def work() -> None:
        assert (await answered(chunked)).body == b"hello"
        assert (await answered(chunked)).status == 500
        assert (await answered(long)).body == b"y" * RESPONSE_BYTES

    run(work)
