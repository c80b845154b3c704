"""Fixtures of the API tests: a server of one's own with chosen rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, Protocol

import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server


class LimitedService:
    """A server with its own counters, and tenants made on it (closed with the test)."""

    def __init__(self, url: str, services: Services, stack: ExitStack) -> None:
        self.url, self._services, self._stack = url, services, stack

    def tenant(self) -> TenantClient:
        client = new_tenant_client(self._services, self.url)
        self._stack.callback(client.http.close)
        return client


class StartLimited(Protocol):
    def __call__(self, **limits: Any) -> LimitedService: ...


@pytest.fixture
def limited(settings: Settings, database: Database, services: Services) -> Iterator[StartLimited]:
    """Start a server with the given settings (rate limits): `limited(rate_limit_per_key=…)`."""
    with ExitStack() as stack:

        def start(**limits: Any) -> LimitedService:
            app = create_app(settings.model_copy(update=limits), database)
            url = stack.enter_context(running_server(app))
            return LimitedService(url, services, stack)

        yield start
