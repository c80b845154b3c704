"""No secret reaches a log: credentials in query strings under any spelling, and anything
shaped like an API key in any log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.registry import Services
from tests.conftest import new_tenant_client, running_server


@pytest.fixture
def logged_url(database_url: str, database: Database) -> Iterator[str]:
    settings = Settings(database_url=database_url, access_log=True)
    with running_server(create_app(settings, database)) as url:
        yield url


@pytest.mark.parametrize(
    "query",
    ["api-key={key}", "key%20={key}", "q={key}", "ApiKey={key}", "x={key}", "accessToken=t0k3n"],
)
def test_keys_in_query_strings_are_never_logged(
    services: Services, logged_url: str, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    client = new_tenant_client(services, logged_url)
    caplog.set_level(logging.INFO)
    httpx.get(f"{logged_url}/v1/contacts?{query.format(key=client.key)}")
    # The service's own lines (the test's HTTP client logs its requests too).
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("counterparty", "uvicorn"))
    )
    assert "/v1/contacts" in logged
    assert client.key not in logged and "t0k3n" not in logged
    client.http.close()


def test_a_key_in_any_log_line_is_cut_to_its_prefix(
    services: Services, logged_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = new_tenant_client(services, logged_url).key
    logging.getLogger("anything").warning("someone sent %s in a body", key)
    [record] = [r for r in caplog.records if r.name == "anything"]
    assert record.getMessage() == f"someone sent {key[:12]}… in a body"
