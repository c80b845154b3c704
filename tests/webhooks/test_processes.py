"""The deliverer as real processes: inside `counterparty serve`, as `counterparty worker`,
two workers on one database, and a worker killed with SIGKILL in the middle of a delivery."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from counterparty.db import Database
from counterparty.domain.webhooks import Endpoint
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.webhook_setup import webhook_service
from tests.api.test_revocation_across_processes import COUNTERPARTY, server
from tests.webhooks.conftest import SECRET_KEY, Receiver, hook_settings

ENVIRONMENT = {
    "COUNTERPARTY_SECRET_KEY": SECRET_KEY,
    "COUNTERPARTY_WEBHOOK_ALLOW_PRIVATE": "true",
    "COUNTERPARTY_WEBHOOK_POLL_SECONDS": "0.05",
    "COUNTERPARTY_LOG_LEVEL": "warning",
}


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Wait (bounded) for something another process does; fails the test if it never does."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


@contextmanager
def worker(database_url: str, **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    environment = {
        **os.environ,
        **ENVIRONMENT,
        "COUNTERPARTY_DATABASE_URL": database_url,
        **{f"COUNTERPARTY_{name.upper()}": value for name, value in settings.items()},
    }
    process = subprocess.Popen(
        [COUNTERPARTY, "worker"], env=environment, start_new_session=True, stderr=subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture
def tenant_with_endpoint(
    services: Services, database: Database, database_url: str, receiver: Receiver
) -> Iterator[tuple[Actor, Endpoint]]:
    tenant = services.tenancy.create_tenant(f"proc-{os.urandom(4).hex()}")
    actor = Actor(tenant, None, "test")
    hooks = webhook_service(hook_settings(database_url), database)
    endpoint = hooks.create(actor, {"url": receiver.url})
    yield actor, endpoint
    hooks.delete(actor, endpoint.id)


def states(database: Database, database_url: str, actor: Actor, endpoint: Endpoint) -> list[str]:
    hooks = webhook_service(hook_settings(database_url), database)
    return [d.state for d in hooks.deliveries(actor, endpoint.id, None, 200).deliveries]


def test_a_worker_killed_mid_delivery_leaves_it_to_be_sent_again(
    services: Services,
    database: Database,
    database_url: str,
    receiver: Receiver,
    tenant_with_endpoint: tuple[Actor, Endpoint],
) -> None:
    actor, endpoint = tenant_with_endpoint
    first_arrived, release = threading.Event(), threading.Event()

    def answer(_headers: dict[str, str], _body: bytes) -> tuple[int, bytes]:
        if not first_arrived.is_set():
            first_arrived.set()
            release.wait(60)  # the worker is killed while it waits for this answer
        return 200, b""

    receiver.answer = answer
    services.contacts.create(actor, {"name": "Survivor"})
    settings = {"webhook_lease_seconds": "3", "webhook_timeout_seconds": "1"}
    with worker(database_url, **settings) as doomed:
        wait_for(first_arrived.is_set, "the first worker sent the event")
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=30)
        assert doomed.returncode == -signal.SIGKILL
    release.set()
    assert states(database, database_url, actor, endpoint) == ["pending"]
    with worker(database_url, **settings) as second:
        wait_for(
            lambda: states(database, database_url, actor, endpoint) == ["delivered"],
            "the second worker delivered the event again",
        )
        os.killpg(second.pid, signal.SIGTERM)
        assert second.wait(timeout=60) == 0  # stopped cleanly
    ids = [request.headers["webhook-id"] for request in receiver.received]
    assert len(ids) == 2 and len(set(ids)) == 1  # the same event, sent again
    receiver.received[-1].verified(endpoint.secret)


def test_two_workers_never_send_an_event_twice(
    services: Services,
    database: Database,
    database_url: str,
    receiver: Receiver,
    tenant_with_endpoint: tuple[Actor, Endpoint],
) -> None:
    actor, endpoint = tenant_with_endpoint
    services.batch.apply(actor, [{"name": f"Contact {n}"} for n in range(60)])
    with worker(database_url), worker(database_url):
        wait_for(
            lambda: states(database, database_url, actor, endpoint) == ["delivered"] * 60,
            "every event was delivered",
        )
    counted = Counter(request.headers["webhook-id"] for request in receiver.received)
    assert len(counted) == 60 and set(counted.values()) == {1}


def test_serve_delivers_webhooks_and_stops_cleanly(
    services: Services, database_url: str, receiver: Receiver
) -> None:
    slug = f"serve-{os.urandom(4).hex()}"
    services.tenancy.create_tenant(slug)
    key = services.tenancy.create_key(slug).secret
    headers = {"Authorization": f"Bearer {key}"}
    with server(database_url, environment=ENVIRONMENT) as url:
        created = httpx.post(f"{url}/v1/webhooks", json={"url": receiver.url}, headers=headers)
        assert created.status_code == 201, created.text
        made = httpx.post(f"{url}/v1/contacts", json={"name": "Served"}, headers=headers)
        assert made.status_code == 201
        wait_for(lambda: len(receiver.received) == 1, "serve delivered the event")
        httpx.delete(f"{url}/v1/webhooks/{created.json()['id']}", headers=headers)
    body = receiver.received[0].verified(created.json()["secret"])
    assert body["type"] == "contact.created" and body["data"]["contact"]["name"] == "Served"
