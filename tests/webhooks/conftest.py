"""Webhook fixtures: a real receiving HTTP server on 127.0.0.1, the service with private
addresses allowed (the receiver is on loopback) and a shortened retry schedule, and a
deliverer the test runs round by round."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import httpx
import pytest
from standardwebhooks import Webhook

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.domain.addresses import IPAddress, literal_address
from counterparty.registries.webhook_http import system_resolver
from counterparty.services.deliverer import Deliverer
from counterparty.services.registry import Services
from counterparty.webhook_setup import deliverer
from tests.conftest import TenantClient, new_tenant_client, running_server

SECRET_KEY = "cPyoLdSUVKJWpkmJbbBdqdxgtOtjVUzzcv9ihr4Vlww="
Answer = Callable[[dict[str, str], bytes], tuple[int, bytes]]


T = TypeVar("T")


def run_apart(work: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(work)` in a thread of its own: a test worker's main thread may be running
    another loop (the browser tests' Playwright keeps one running), where none can start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def verified(self, secret: str) -> dict[str, Any]:
        """The body, after the `standardwebhooks` package verified its signature."""
        found: dict[str, Any] = Webhook(secret).verify(self.body, self.headers)
        return found


@dataclass
class Receiver:
    """Records every request; `answer` decides each response (200 by default)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answer: Answer = lambda _headers, _body: (200, b"thanks")

    def bodies(self, secret: str) -> list[dict[str, Any]]:
        return [request.verified(secret) for request in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.received.append(Received(headers, body))
            status, answer = state.answer(headers, body)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", state.url + "elsewhere")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/"
    yield state
    server.shutdown()
    server.server_close()


def hook_settings(database_url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "access_log": False,
        "secret_key": SECRET_KEY,
        "webhook_allow_private": True,
        "webhook_retry_schedule": "0,0",
        "webhook_timeout_seconds": 2,
        "webhook_disable_after_hours": 1000,
    }
    return Settings(**{**values, **changes})


@pytest.fixture(scope="session")
def hooks_url(database_url: str, database: Database) -> Iterator[str]:
    """The service, with webhooks to private addresses allowed."""
    with running_server(create_app(hook_settings(database_url), database)) as url:
        yield url


def _tenant(services: Services, hooks_url: str) -> Iterator[TenantClient]:
    client = new_tenant_client(services, hooks_url)
    yield client
    # Its endpoints (and their deliveries) go, so that later tests' deliverers skip them.
    for endpoint in client.http.get("/v1/webhooks").json()["data"]:
        client.http.delete(f"/v1/webhooks/{endpoint['id']}")
    client.http.close()


@pytest.fixture
def hooks(services: Services, hooks_url: str) -> Iterator[TenantClient]:
    yield from _tenant(services, hooks_url)


@pytest.fixture
def other_hooks(services: Services, hooks_url: str) -> Iterator[TenantClient]:
    yield from _tenant(services, hooks_url)


def fixed_resolver(names: dict[str, str]) -> Callable[[str, int], list[IPAddress]]:
    def resolve(host: str, _port: int) -> list[IPAddress]:
        if host not in names:
            raise OSError(f"{host} does not resolve")
        address = literal_address(names[host])
        assert address is not None
        return [address]

    return resolve


@pytest.fixture
def make_deliverer(database_url: str, database: Database) -> Iterator[Callable[..., Deliverer]]:
    made: list[Deliverer] = []

    def make(**changes: Any) -> Deliverer:
        resolver = changes.pop("resolver", system_resolver)
        built = deliverer(hook_settings(database_url, **changes), database, resolver)
        made.append(built)
        return built

    yield make
    for built in made:
        built.close()


def drain(deliverer: Deliverer, rounds: int = 20) -> int:
    """Run rounds until one makes no attempt; the attempts made."""
    made = 0
    for _ in range(rounds):
        now = deliverer.run_once()
        if not now:
            return made
        made += now
    raise AssertionError("the deliverer kept attempting")


def add_endpoint(client: TenantClient, url: str, **fields: Any) -> dict[str, Any]:
    response = client.http.post("/v1/webhooks", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def deliveries(client: TenantClient, endpoint_id: str, **params: Any) -> list[dict[str, Any]]:
    response = client.http.get(f"/v1/webhooks/{endpoint_id}/deliveries", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


__all__ = ["Received", "Receiver", "httpx"]
