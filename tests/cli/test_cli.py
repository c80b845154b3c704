"""The command line, run as a user runs it: a real process on a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from counterparty.db import Database
from counterparty.domain.api_keys import has_valid_checksum
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import free_port

COMMAND = [sys.executable, "-m", "counterparty"]


def environment_for(database_url: str) -> dict[str, str]:
    """This process's environment without its COUNTERPARTY_ settings, on `database_url`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTERPARTY_")}
    env["COUNTERPARTY_DATABASE_URL"] = database_url
    return env


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return environment_for(f"sqlite:///{tmp_path / 'cli.db'}")


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@contextmanager
def acme(env: dict[str, str]) -> Iterator[tuple[Services, Actor]]:
    """The database upgraded by the command line with the tenant `acme`, and this process's
    services over it, to arrange data and to look at what a command did."""
    assert run(env, "db", "upgrade").returncode == 0
    assert run(env, "tenants", "create", "acme").returncode == 0
    database = Database(env["COUNTERPARTY_DATABASE_URL"])
    try:
        services = Services.over(database.unit_of_work)
        yield services, Actor(services.tenancy.get_tenant("acme"), None, "test")
    finally:
        database.dispose()


def test_tenants_and_keys(environment: dict[str, str]) -> None:
    assert run(environment, "db", "upgrade").returncode == 0
    assert run(environment, "db", "rebuild-search").returncode == 0
    created = run(environment, "tenants", "create", "acme", "--name", "Acme")
    assert created.returncode == 0 and "acme" in created.stdout
    duplicate = run(environment, "tenants", "create", "acme")
    assert duplicate.returncode == 1 and "exists" in duplicate.stderr
    bad = run(environment, "tenants", "create", "Not A Slug")
    assert bad.returncode == 1 and "slug" in bad.stderr

    issued = run(environment, "keys", "create", "acme", "--name", "erp")
    key = issued.stdout.strip()
    assert issued.stdout == key + "\n", "the key is printed alone"
    assert has_valid_checksum(key)

    listed = run(environment, "keys", "list", "acme").stdout
    assert key[:12] in listed and key not in listed and "erp" in listed

    revoked = run(environment, "keys", "revoke", key[:12])
    assert revoked.returncode == 0
    again = run(environment, "keys", "revoke", key[:12])
    assert again.returncode == 1 and "no active key" in again.stderr
    assert run(environment, "keys", "create", "nobody").returncode == 1


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {**env, "COUNTERPARTY_PORT": str(port)}
    process = subprocess.Popen(
        [*COMMAND, "serve"], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # generous: CI machines can be busy
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("counterparty serve did not come up")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=10)
    return output


def test_first_start_creates_the_default_tenant_and_prints_its_key_once(
    environment: dict[str, str],
) -> None:
    process, base = start_server(environment)
    try:
        response = httpx.get(f"{base}/v1/contacts", timeout=5)
        assert response.status_code == 401
    finally:
        output = stop(process)
    key = output.strip()
    assert has_valid_checksum(key), output

    process, base = start_server(environment)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        created = httpx.post(f"{base}/v1/contacts", json={"name": "Acme"}, headers=headers)
        assert created.status_code == 201
        fetched = httpx.get(f"{base}{created.headers['location']}", headers=headers)
        assert fetched.json()["name"] == "Acme"
    finally:
        assert stop(process).strip() == "", "the key is printed on the first start only"


def test_a_configured_bootstrap_key_becomes_the_default_tenants_key(
    environment: dict[str, str],
) -> None:
    generated = run(environment, "keys", "generate")
    key = generated.stdout.strip()
    assert generated.returncode == 0 and has_valid_checksum(key)
    environment["COUNTERPARTY_BOOTSTRAP_KEY"] = key
    process, base = start_server(environment)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{base}/v1/contacts", headers=headers).status_code == 200
    finally:
        output = stop(process)
    assert key not in output
    listed = run(environment, "keys", "list", "default").stdout
    assert "bootstrap" in listed and key not in listed


@pytest.mark.parametrize("weak", ["abc", "local-dev-key-0123456789", "cpk_" + "A" * 38])
def test_a_bootstrap_key_that_is_not_a_key_stops_the_start(
    environment: dict[str, str], weak: str
) -> None:
    environment["COUNTERPARTY_BOOTSTRAP_KEY"] = weak
    refused = subprocess.run(
        [*COMMAND, "serve"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
    assert "counterparty keys generate" in refused.stderr and weak not in refused.stderr
    assert "default" not in run(environment, "tenants", "list").stdout


def test_validate_prints_the_normalised_forms_and_fails_on_invalid(
    environment: dict[str, str],
) -> None:
    valid = run(environment, "validate", "--country", "BE", "--vat", "BE 0403.019.261")
    assert valid.returncode == 0, valid.stderr
    fields = valid.stdout.splitlines()[1].split("\t")
    assert (fields[0], fields[1], fields[3]) == ("vat_number", "BE0403019261", "valid")
    assert "suggestion\tpeppol_id\t0208:0403019261" in valid.stdout
    invalid = run(environment, "validate", "--country", "BE", "--vat", "BE 0403.019.262", "--json")
    assert invalid.returncode == 1
    assert '"reason": "checksum"' in invalid.stdout


def test_tenants_update_sets_the_validation_policy(environment: dict[str, str]) -> None:
    run(environment, "db", "upgrade")
    run(environment, "tenants", "create", "acme")
    updated = run(environment, "tenants", "update", "acme", "--validation-policy", "lenient")
    assert updated.returncode == 0 and "validation_policy=lenient" in updated.stdout
    bad = run(environment, "tenants", "update", "acme", "--validation-policy", "loose")
    assert bad.returncode == 2
