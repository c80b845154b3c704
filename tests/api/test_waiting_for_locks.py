"""A request that waits for a database lock never stalls the others of its process."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from counterparty.db import Database
from counterparty.services.registry import Services
from counterparty.web import waiting
from tests.conftest import POSTGRES_URL, TenantClient


@contextmanager
def lock_held_elsewhere(database: Database, tenant_slug: str) -> Iterator[None]:
    """Another process's transaction holding what a write of the tenant needs: SQLite's
    write lock, or the tenant's event counter row on PostgreSQL."""
    if database.engine.dialect.name == "sqlite":
        holder = sqlite3.connect(database.engine.url.database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    assert POSTGRES_URL is not None
    schema = dict(database.engine.url.query)["options"].split("=", 1)[1]
    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg", "postgresql")) as holder:
        holder.execute(f'SET search_path = "{schema}"')
        holder.execute(
            "SELECT value FROM tenant_counters t JOIN tenants n ON n.id = t.tenant_id "
            "WHERE n.slug = %s AND t.name = 'event' FOR UPDATE",
            (tenant_slug,),
        )
        yield
        holder.rollback()


def in_background(call: Any) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []
    thread = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    thread.start()
    return thread, outcome


def test_a_waiting_write_leaves_the_process_free(
    api: TenantClient, other_api: TenantClient, anonymous: httpx.Client, database: Database
) -> None:
    contact = api.create(name="Waiting")
    theirs = other_api.create(name="Unrelated")
    url = f"/v1/contacts/{contact['id']}"
    with lock_held_elsewhere(database, api.slug):
        writer, outcome = in_background(lambda: api.http.patch(url, json={"notes": "later"}))
        writer.join(timeout=0.5)
        assert writer.is_alive(), "the write should be waiting for the lock"
        # Answered while the write still waits: the event loop is not blocked by it. (The
        # generous timeout only tells "answered now" from "answered once the lock is free";
        # a blocked loop would hold these for the write's 5 s of waiting.)
        assert anonymous.get("/healthz", timeout=2).status_code == 200
        theirs_now = other_api.http.get(f"/v1/contacts/{theirs['id']}", timeout=2)
        assert theirs_now.status_code == 200
        assert api.http.get(url, timeout=2).json()["version"] == 1
        assert writer.is_alive()
    writer.join(timeout=30)
    assert outcome[0].status_code == 200 and outcome[0].json()["version"] == 2


def test_a_write_that_never_gets_its_lock_is_a_503_with_retry_after(
    api: TenantClient, database: Database, short_wait: None
) -> None:
    contact = api.create(name="Never")
    with lock_held_elsewhere(database, api.slug):
        response = api.http.patch(f"/v1/contacts/{contact['id']}", json={"notes": "x"})
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert api.http.get(f"/v1/contacts/{contact['id']}").json()["version"] == 1


def test_an_idempotent_write_that_waited_keeps_its_key(
    api: TenantClient, database: Database
) -> None:
    api.create(name="First")  # the tenant's counters exist from here on
    headers = {"Idempotency-Key": "waited-once"}
    with lock_held_elsewhere(database, api.slug):
        writer, outcome = in_background(
            lambda: api.http.post("/v1/contacts", json={"name": "Once"}, headers=headers)
        )
        writer.join(timeout=0.5)
        assert writer.is_alive()
    writer.join(timeout=30)
    assert outcome[0].status_code == 201
    again = api.http.post("/v1/contacts", json={"name": "Once"}, headers=headers)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    names = [c["name"] for c in api.http.get("/v1/contacts").json()["data"]]
    assert names == ["First", "Once"]


@contextmanager
def key_row_locked(database: Database, tenant_slug: str, key_id: UUID) -> Iterator[None]:
    """What noting a key's use (`api_keys.last_used_at`) needs, held by another process:
    SQLite's write lock, or the key's row on PostgreSQL."""
    if database.engine.dialect.name == "sqlite":
        with lock_held_elsewhere(database, tenant_slug):
            yield
        return
    assert POSTGRES_URL is not None
    schema = dict(database.engine.url.query)["options"].split("=", 1)[1]
    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg", "postgresql")) as holder:
        holder.execute(f'SET search_path = "{schema}"')
        holder.execute("SELECT 1 FROM api_keys WHERE id = %s FOR UPDATE", (key_id,))
        yield
        holder.rollback()


@pytest.fixture
def long_wait() -> Iterator[None]:
    """A request that waited for a lock would wait far longer than the test looks."""
    saved = waiting.MAX_WAIT_SECONDS
    waiting.MAX_WAIT_SECONDS = 60
    yield
    waiting.MAX_WAIT_SECONDS = saved


def test_noting_a_keys_use_never_makes_a_read_wait(
    api: TenantClient, services: Services, base_url: str, database: Database, long_wait: None
) -> None:
    contact = api.create(name="Read me")
    issued = services.tenancy.create_key(api.slug, "first use")  # never used: its first use
    headers = {"Authorization": f"Bearer {issued.secret}"}  # writes last_used_at
    url = f"{base_url}/v1/contacts/{contact['id']}"
    with key_row_locked(database, api.slug, issued.key.id):
        reader, outcome = in_background(lambda: httpx.get(url, headers=headers, timeout=30))
        reader.join(timeout=10)  # generous: a read that waited would wait for the lock (60 s)
        assert not reader.is_alive(), "the read waited for the lock that noting its use needs"
        assert outcome[0].status_code == 200, outcome[0].text
    # Noted once the lock is free (in the background, a minute's resolution).
    deadline = time.monotonic() + 30
    while not _last_used(services, api.slug, issued.key.id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _last_used(services, api.slug, issued.key.id) is not None


def _last_used(services: Services, slug: str, key_id: UUID) -> datetime | None:
    (key,) = [key for key in services.tenancy.list_keys(slug) if key.id == key_id]
    return key.last_used_at
