"""Keys are cached per server process; a revocation still reaches every process at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from counterparty.services.registry import Services
from tests.conftest import free_port

COUNTERPARTY = str(Path(sys.executable).with_name("counterparty"))


@contextmanager
def server(
    database_url: str,
    workers: int = 1,
    environment: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[str]:
    """`counterparty serve` as its own process tree, on a free port; its log goes to `log`."""
    port = free_port()
    environment = {
        **os.environ,
        "COUNTERPARTY_DATABASE_URL": database_url,
        "COUNTERPARTY_ACCESS_LOG": "false",
        "COUNTERPARTY_LOG_LEVEL": "warning",
        **(environment or {}),
    }
    output = log.open("w") if log else None
    process = subprocess.Popen(
        [COUNTERPARTY, "serve", "--no-migrate", "--port", str(port), "--workers", str(workers)],
        env=environment,
        start_new_session=True,
        stderr=output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if output:
            output.close()


def statuses(url: str, key: str, count: int) -> set[int]:
    """Status codes of `count` requests, each on a new connection (so that every server
    process gets its share)."""
    found = set()
    for _ in range(count):
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
            found.add(client.get("/v1/contacts").status_code)
    return found


def revoke_from_another_process(database_url: str, key: str) -> None:
    subprocess.run(
        [COUNTERPARTY, "keys", "revoke", key[:12]],
        env={**os.environ, "COUNTERPARTY_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


@pytest.fixture
def key(services: Services) -> str:
    slug = f"rev-{os.urandom(4).hex()}"
    services.tenancy.create_tenant(slug)
    return services.tenancy.create_key(slug, "revoked soon").secret


def test_revoking_a_key_stops_it_in_every_worker_at_once(
    database_url: str, key: str, services: Services
) -> None:
    with server(database_url, workers=2) as url:
        assert statuses(url, key, 30) == {200}
        revoke_from_another_process(database_url, key)
        assert statuses(url, key, 30) == {401}


def test_revoking_a_key_stops_it_in_each_of_two_servers(database_url: str, key: str) -> None:
    with server(database_url) as first, server(database_url) as second:
        for url in (first, second):
            assert statuses(url, key, 3) == {200}  # each process now holds the key
        revoke_from_another_process(database_url, key)
        for url in (first, second):
            assert statuses(url, key, 1) == {401}
