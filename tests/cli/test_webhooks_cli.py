"""`counterparty webhooks …` and `counterparty worker`, run as a user runs them: real
processes on a real database file, with the signing key generated into its directory."""

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

from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import free_port

COMMAND = [sys.executable, "-m", "counterparty"]


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTERPARTY_")}
    env["COUNTERPARTY_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env["COUNTERPARTY_WEBHOOK_ALLOW_PRIVATE"] = "true"
    env["COUNTERPARTY_WEBHOOK_POLL_SECONDS"] = "0.05"
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@contextmanager
def started(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*COMMAND, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=60)


def line_with(process: subprocess.Popen[str], text: str) -> str:
    """The first line of the process's output holding `text` (bounded by the process)."""
    assert process.stdout is not None
    for line in process.stdout:
        if text in line:
            return line
    raise AssertionError(f"the process ended without printing {text!r}")


def test_endpoints_deliveries_and_a_listening_receiver(
    environment: dict[str, str], tmp_path: Path
) -> None:
    assert run(environment, "db", "upgrade").returncode == 0
    assert run(environment, "tenants", "create", "acme").returncode == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks"
    created = run(
        environment, "webhooks", "create", "--tenant", "acme", url, "--events", "contact.created"
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert created.stdout == secret + "\n" and secret.startswith("whsec_")
    endpoint_id = created.stderr.split()[-1]
    key_file = tmp_path / "secret.key"  # generated beside the database on first use
    assert key_file.exists() and key_file.stat().st_mode & 0o777 == 0o600
    listed = run(environment, "webhooks", "list", "--tenant", "acme").stdout
    assert endpoint_id in listed and url in listed and secret not in listed
    bad = run(environment, "webhooks", "create", "--tenant", "acme", url, "--events", "nope")
    assert bad.returncode == 1 and "event type" in bad.stderr

    with (
        started(
            environment, "webhooks", "listen", "--port", str(port), "--secret", secret
        ) as listener,
        started(environment, "worker"),
    ):
        assert "listening" in listener.stderr.readline()  # type: ignore[union-attr]
        refused = httpx.post(url, content=b"{}", headers={"webhook-id": "msg_x"})
        assert refused.status_code == 400
        database = Database(environment["COUNTERPARTY_DATABASE_URL"])
        try:
            services = Services.over(database.unit_of_work)
            tenant = services.tenancy.get_tenant("acme")
            services.contacts.create(Actor(tenant, None, "test"), {"name": "Heard"})
        finally:
            database.dispose()
        assert "contact.created" in line_with(listener, "contact.created")
        assert '"name": "Heard"' in line_with(listener, '"name": "Heard"')

    deadline = time.monotonic() + 30
    shown = ""
    while "delivered" not in shown and time.monotonic() < deadline:
        shown = run(environment, "webhooks", "deliveries", "--tenant", "acme", endpoint_id).stdout
    assert "contact.created\tdelivered\t1\t204" in shown
    deleted = run(environment, "webhooks", "delete", "--tenant", "acme", endpoint_id)
    assert deleted.returncode == 0
    assert endpoint_id not in run(environment, "webhooks", "list", "--tenant", "acme").stdout
    missing = run(environment, "webhooks", "delete", "--tenant", "acme", endpoint_id)
    assert missing.returncode == 1 and "no webhook endpoint" in missing.stderr


def test_a_secret_key_is_printed_and_a_bad_one_refused(environment: dict[str, str]) -> None:
    printed = run(environment, "webhooks", "secret-key").stdout.strip()
    assert len(printed) == 44
    assert run(environment, "db", "upgrade").returncode == 0
    assert run(environment, "tenants", "create", "acme").returncode == 0
    broken = {**environment, "COUNTERPARTY_SECRET_KEY": "too-short"}
    refused = run(broken, "webhooks", "list", "--tenant", "acme")
    assert refused.returncode != 0 and "32 bytes" in refused.stderr
