"""Links never point at a host a client made up; every response carries the security
headers; the served hosts and the believed proxies are the operator's choice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.registry import Services
from tests.api.test_revocation_across_processes import server
from tests.conftest import TenantClient, new_tenant_client, running_server


@pytest.fixture
def configured(database_url: str, database: Database, services: Services) -> Iterator[TenantClient]:
    settings = Settings(
        database_url=database_url,
        access_log=False,
        public_url="https://contacts.example.com/",
        allowed_hosts="contacts.example.com, 127.0.0.1",
    )
    with running_server(create_app(settings, database)) as url:
        client = new_tenant_client(services, url)
        yield client
        client.http.close()


def test_next_links_are_relative_and_ignore_the_host_header(api: TenantClient) -> None:
    for index in range(3):
        api.create(name=f"Linked {index}")
    page = api.http.get("/v1/contacts", params={"limit": 1}, headers={"Host": "evil.example"})
    link = page.headers["link"]
    assert link.startswith("</v1/contacts?") and link.endswith('>; rel="next"')
    assert "evil" not in link


def test_with_a_public_url_links_start_with_it(configured: TenantClient) -> None:
    for index in range(2):
        configured.create(name=f"Linked {index}")
    page = configured.http.get("/v1/contacts", params={"limit": 1})
    assert page.headers["link"].startswith("<https://contacts.example.com/v1/contacts?")


def test_hosts_outside_the_allowed_ones_are_refused(configured: TenantClient) -> None:
    refused = configured.http.get("/v1/contacts", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "malformed_request"
    allowed = configured.http.get("/v1/contacts", headers={"Host": "contacts.example.com:443"})
    assert allowed.status_code == 200


def test_responses_carry_security_headers(api: TenantClient, anonymous: httpx.Client) -> None:
    private = api.http.get("/v1/contacts")
    assert private.headers["x-content-type-options"] == "nosniff"
    assert private.headers["cache-control"] == "no-store"
    refused = anonymous.get("/v1/contacts")
    assert refused.headers["x-content-type-options"] == "nosniff"
    public = anonymous.get("/openapi.json")
    assert "cache-control" not in public.headers
    page = anonymous.get("/docs")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_the_server_names_no_software_and_believes_only_named_proxies(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    forged = {"X-Forwarded-For": "203.0.113.9"}
    environment = {"COUNTERPARTY_ACCESS_LOG": "true", "COUNTERPARTY_LOG_LEVEL": "info"}
    for trusted, believed in (("", False), ("127.0.0.1", True)):
        log = tmp_path / f"log-{believed}.txt"
        with server(
            database_url, environment={**environment, "COUNTERPARTY_TRUSTED_PROXIES": trusted},
            log=log,
        ) as url:  # fmt: skip
            response = httpx.get(f"{url}/healthz", headers=forged)
            assert "server" not in response.headers
        assert ("203.0.113.9" in log.read_text()) is believed
