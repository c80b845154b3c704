"""Rate limits shared through a real Redis server at 127.0.0.1:6379: two service processes
(here two apps, each with its own counters otherwise) count one key together.

Skipped when no Redis answers there, except in CI (COUNTERPARTY_TEST_REQUIRE_POSTGRES=1, whose
.ci/run starts one), where an unreachable Redis fails the run."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator

import pytest
import redis

from counterparty.services.rate_limits import REDIS_KEY_PREFIX
from counterparty.services.registry import Services
from tests.api.conftest import StartLimited
from tests.api.test_rate_limits import MISSING, remaining

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_url() -> Iterator[str]:
    if not _redis_reachable():
        if os.environ.get("COUNTERPARTY_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("Redis is required at 127.0.0.1:6379 (CI starts redis-server)")
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield REDIS_URL


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
