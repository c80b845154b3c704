"""Test fixtures: every database test runs on SQLite, and on PostgreSQL when it is reachable.

PostgreSQL is used when COUNTERPARTY_TEST_DATABASE_URL is set or a server answers at
127.0.0.1:5432 (user postgres, database test). With COUNTERPARTY_TEST_REQUIRE_POSTGRES=1
(as in CI) an unreachable PostgreSQL fails the run instead of being skipped. Each test
session works in its own schema (PostgreSQL) or file (SQLite), and each test in its own
tenant, so tests never see each other's contacts.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import uvicorn
from alembic import command
from sqlalchemy import create_engine, text

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database, alembic_config
from counterparty.services.registry import Services
from counterparty.web import waiting
from counterparty.web.server import ProblemHttpToolsProtocol

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str | None:
    configured = os.environ.get("COUNTERPARTY_TEST_DATABASE_URL")
    url = configured or DEFAULT_POSTGRES_URL
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return url
    except Exception as error:
        if configured or os.environ.get("COUNTERPARTY_TEST_REQUIRE_POSTGRES") == "1":
            raise pytest.UsageError(f"PostgreSQL at {url} is required: {error}") from None
        return None
    finally:
        engine.dispose()


POSTGRES_URL = _postgres_url()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def pytest_report_header() -> str:
    return f"counterparty database backends: {', '.join(BACKENDS)}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"database backends that ran: {', '.join(BACKENDS)}")


@contextmanager
def empty_database(database_url: str, tmp_path: Path, name: str) -> Iterator[str]:
    """A new, empty database on `database_url`'s backend ("sqlite…" or PostgreSQL): a file,
    or a schema of its own (what a migration test upgrades step by step)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    assert POSTGRES_URL is not None
    schema = f"counterparty_{name}_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def downgrade(database: Database, revision: str) -> None:
    """Take `database` back to `revision`: what a test of a migration does after writing through
    today's services, so that the migration then runs on rows an earlier version stored."""
    with database.engine.begin() as connection:
        config = alembic_config(database.url)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with empty_database(request.param, tmp_path_factory.mktemp("sqlite"), "test") as url:
        yield url


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def services(database: Database) -> Services:
    return Services.over(database.unit_of_work)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # The session's server hears every test from one address, schemathesis's checks of wrong
    # credentials included: the limit of failed authentications per address is set apart
    # (none), as the benchmark sets its own; the tests of rate limits set theirs. Uploads
    # of imports wait in the session's own directory.
    return Settings(
        database_url=database_url,
        access_log=False,
        rate_limit_failed_auth_per_address="",
        import_dir=str(tmp_path_factory.mktemp("imports")),
    )


@contextmanager
def running_server(app: Any, **uvicorn_options: Any) -> Iterator[str]:
    """Serve an ASGI app over real HTTP from a thread of the test process."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        http=ProblemHttpToolsProtocol,
        **uvicorn_options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(settings: Settings, database: Database) -> Iterator[str]:
    """The real service over real HTTP."""
    with running_server(create_app(settings, database)) as url:
        yield url


@dataclass
class TenantClient:
    """An HTTP client that authenticates as one freshly created tenant."""

    slug: str
    key: str
    http: httpx.Client

    def create(self, **fields: Any) -> dict[str, Any]:
        if fields.get("kind") != "person":
            fields.setdefault("name", f"Contact {secrets.token_hex(3)}")
        response = self.http.post("/v1/contacts", json=fields)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


def new_tenant_client(services: Services, base_url: str) -> TenantClient:
    slug = f"t-{secrets.token_hex(5)}"
    services.tenancy.create_tenant(slug)
    key = services.tenancy.create_key(slug, "tests").secret
    http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    return TenantClient(slug, key, http)


@pytest.fixture
def api(services: Services, base_url: str) -> Iterator[TenantClient]:
    client = new_tenant_client(services, base_url)
    yield client
    client.http.close()


@pytest.fixture
def other_api(services: Services, base_url: str) -> Iterator[TenantClient]:
    """A second tenant, for isolation tests."""
    client = new_tenant_client(services, base_url)
    yield client
    client.http.close()


@pytest.fixture
def anonymous(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def short_wait() -> Iterator[None]:
    """Requests of the in-process test servers give up waiting for a lock after 0.3 s."""
    saved = waiting.MAX_WAIT_SECONDS
    waiting.MAX_WAIT_SECONDS = 0.3
    yield
    waiting.MAX_WAIT_SECONDS = saved
