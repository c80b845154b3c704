"""Rate limits shared through a real Redis server: two service processes (here two apps, each
with its own counters otherwise) count one key together.

The Redis at 127.0.0.1:6379 is used when one answers there (CI's .ci/run starts one); otherwise
the tests start `redis-server` themselves on a free port, without persistence, and stop it by
its PID. They are skipped only when no redis-server is installed, except in CI
(COUNTERPARTY_TEST_REQUIRE_POSTGRES=1), where that fails the run."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from counterparty.services.rate_limits import REDIS_KEY_PREFIX
from counterparty.services.registry import Services
from tests.api.conftest import StartLimited
from tests.api.test_rate_limits import MISSING, remaining
from tests.conftest import free_port

DEFAULT_PORT = 6379


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@contextmanager
def _own_redis(binary: str, directory: Path) -> Iterator[str]:
    """A redis-server of this test module's own, on a free port; stopped by its PID."""
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(directory), "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if _answers(DEFAULT_PORT):
        yield f"redis://127.0.0.1:{DEFAULT_PORT}/0"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("COUNTERPARTY_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("Redis is required: none at 127.0.0.1:6379 and no redis-server to start")
        pytest.skip("no Redis at 127.0.0.1:6379 and no redis-server installed")
    with _own_redis(binary, tmp_path_factory.mktemp("redis")) as url:
        yield url


def test_processes_sharing_redis_count_a_key_together(
    limited: StartLimited, services: Services, redis_url: str
) -> None:
    shared = {"rate_limit_per_key": "4/day", "rate_limit_url": redis_url}
    first, second = limited(**shared), limited(**shared)
    api = first.tenant()
    answers = [api.http.get(f"{server.url}{MISSING}") for server in (first, second) * 2]
    assert [answer.status_code for answer in answers] == [404] * 4
    assert [remaining(answer) for answer in answers] == [3, 2, 1, 0]
    refused = api.http.get(f"{second.url}{MISSING}")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    key_id = services.tenancy.list_keys(api.slug)[0].id.hex
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.keys(f"{REDIS_KEY_PREFIX}*{key_id}*"), "the counter is not in Redis"
    finally:
        client.close()


def test_an_unreachable_redis_lets_requests_through_and_says_so(
    limited: StartLimited, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="counterparty"):
        api = limited(rate_limit_per_key="1/day", rate_limit_url="redis://127.0.0.1:1/0").tenant()
        answers = [api.http.get(MISSING) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [404] * 3
    assert all("RateLimit" not in answer.headers for answer in answers)
    assert any("rate limits not applied" in record.message for record in caplog.records)
