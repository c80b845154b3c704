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

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.rate_limits import REDIS_KEY_PREFIX
from counterparty.services.registry import Services
from tests.api.test_rate_limits import MISSING, limited_server, remaining, tenant_at
from tests.conftest import running_server

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
    settings: Settings, database: Database, services: Services, redis_url: str
) -> None:
    shared = {"rate_limit_per_key": "4/day", "rate_limit_url": redis_url}
    second_app = create_app(settings.model_copy(update=shared), database)
    with (
        limited_server(settings, database, **shared) as first,
        running_server(second_app) as second,
        tenant_at(services, first) as api,
    ):
        answers = []
        for url in (first, second, first, second):
            answers.append(api.http.get(f"{url}{MISSING}"))
        assert [answer.status_code for answer in answers] == [404] * 4
        assert [remaining(answer) for answer in answers] == [3, 2, 1, 0]
        refused = api.http.get(f"{second}{MISSING}")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        key_id = services.tenancy.list_keys(api.slug)[0].id.hex
        client = redis.Redis.from_url(redis_url)
        try:
            assert client.keys(f"{REDIS_KEY_PREFIX}*{key_id}*"), "the counter is not in Redis"
        finally:
            client.close()


def test_an_unreachable_redis_lets_requests_through_and_says_so(
    settings: Settings,
    database: Database,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    nowhere = {"rate_limit_per_key": "1/day", "rate_limit_url": "redis://127.0.0.1:1/0"}
    with (
        caplog.at_level(logging.WARNING, logger="counterparty"),
        limited_server(settings, database, **nowhere) as url,
        tenant_at(services, url) as api,
    ):
        answers = [api.http.get(MISSING) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [404] * 3
    assert all("RateLimit" not in answer.headers for answer in answers)
    assert any("rate limits not applied" in record.message for record in caplog.records)
