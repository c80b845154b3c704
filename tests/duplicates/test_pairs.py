"""GET /v1/duplicates: the tenant's pairs, each once, best first, paged with signed cursors;
and `counterparty duplicates`, which prints them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from counterparty.db import Database
from counterparty.db import duplicates as duplicate_queries
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import TenantClient


def pairs(client: TenantClient, **params: Any) -> dict[str, Any]:
    response = client.http.get("/v1/duplicates", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def numbers(pair: dict[str, Any]) -> list[int]:
    return [contact["number"] for contact in pair["contacts"]]


def book(client: TenantClient) -> dict[str, dict[str, Any]]:
    nl = {"country_code": "NL", "city": "Utrecht"}
    return {
        "vat_a": client.create(name="Klok A", vat_number="BE0403019261"),
        "vat_b": client.create(name="Klok B", vat_number="BE 0403 019 261"),
        "name_a": client.create(name="Jansen Bouw B.V.", address=nl),
        "name_b": client.create(name="JANSEN BOUW BV", address=nl),
        "email_a": client.create(name="Mail One", email="x@example.com"),
        "email_b": client.create(name="Mail Two", email="X@example.com"),
        "alone": client.create(name="Nobody Alike"),
    }


def test_each_pair_once_best_first_above_the_threshold(api: TenantClient) -> None:
    made = book(api)
    body = pairs(api)
    assert body["has_more"] is False and body["next_cursor"] is None
    found = [numbers(pair) for pair in body["data"]]
    assert found == [
        [made["vat_a"]["number"], made["vat_b"]["number"]],
        [made["name_a"]["number"], made["name_b"]["number"]],
    ]
    assert body["data"][0]["reasons"][0]["rule"] == "same_vat_number"
    assert body["data"][0]["contacts"][0]["id"] == made["vat_a"]["id"]
    assert body["data"][1]["score"] == 0.85
    everything = pairs(api, min_score=0)["data"]
    assert [numbers(pair) for pair in everything][-1] == [
        made["email_a"]["number"],
        made["email_b"]["number"],
    ]
    assert everything[-1]["score"] == 0.6


def test_the_scan_reads_the_keys_page_by_page(
    api: TenantClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(api)
    whole = pairs(api, min_score=0)["data"]
    monkeypatch.setattr(duplicate_queries, "SCAN_PAGE", 2)
    assert pairs(api, min_score=0)["data"] == whole and len(whole) == 3


def test_archived_contacts_are_never_in_a_pair(api: TenantClient) -> None:
    made = book(api)
    api.http.post(f"/v1/contacts/{made['vat_b']['id']}/archive")
    found = [numbers(pair) for pair in pairs(api)["data"]]
    assert found == [[made["name_a"]["number"], made["name_b"]["number"]]]


def test_pages_follow_cursors_and_cursors_are_checked(
    api: TenantClient, other_api: TenantClient
) -> None:
    book(api)
    first = pairs(api, min_score=0, limit=2)
    assert first["has_more"] is True and len(first["data"]) == 2
    linked = api.http.get("/v1/duplicates", params={"limit": 2, "min_score": 0})
    assert 'rel="next"' in linked.headers["link"]
    rest = pairs(api, min_score=0, limit=2, cursor=first["next_cursor"])
    assert rest["has_more"] is False
    assert [numbers(p) for p in first["data"] + rest["data"]] == [
        numbers(p) for p in pairs(api, min_score=0)["data"]
    ]
    cursor = first["next_cursor"]
    for client, params in (
        (api, {"min_score": "0.5", "cursor": cursor}),  # another threshold
        (api, {"min_score": "0", "cursor": cursor[:-2] + "AA"}),  # altered
        (other_api, {"min_score": "0", "cursor": cursor}),  # another tenant's
    ):
        response = client.http.get("/v1/duplicates", params=params)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def test_tenants_see_only_their_own_pairs(api: TenantClient, other_api: TenantClient) -> None:
    api.create(name="Twin", vat_number="BE0403019261")
    other_api.create(name="Twin", vat_number="BE0403019261")
    assert pairs(api)["data"] == [] and pairs(other_api)["data"] == []


def test_bad_parameters_are_problems(api: TenantClient) -> None:
    for params in ({"min_score": "-0.1"}, {"min_score": "inf"}, {"limit": "500"}, {"x": "1"}):
        response = api.http.get("/v1/duplicates", params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_the_command_prints_the_pairs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = Database(url)
    database.migrate()
    services = Services.over(database.unit_of_work)
    actor = Actor(services.tenancy.create_tenant("acme"), None, "test")
    for name in ("Jansen Bouw B.V.", "Jansen Bouw"):
        services.contacts.create(actor, {"name": name, "address": {"country_code": "NL"}})
    database.dispose()
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTERPARTY_")}
    env["COUNTERPARTY_DATABASE_URL"] = url

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "counterparty", "duplicates", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    shown = run("--tenant", "acme").stdout.splitlines()
    assert shown[0].split("\t")[:2] == ["score", "number"]
    assert shown[1].split("\t") == [
        "0.800",
        "1",
        "Jansen Bouw B.V.",
        "2",
        "Jansen Bouw",
        "similar_name",
    ]
    assert run("--tenant", "acme", "--min-score", "0.9").stdout.count("\n") == 1
    missing = run("--tenant", "nobody")
    assert missing.returncode == 1 and missing.stderr.startswith("error:")
    assert run("--tenant", "acme", "--min-score", "2").returncode == 2
    policy = ["tenants", "update", "acme", "--duplicate-policy", "refuse"]
    changed = subprocess.run(
        [sys.executable, "-m", "counterparty", *policy], env=env, capture_output=True, text=True
    )
    assert "duplicate_policy=refuse" in changed.stdout
    reopened = Database(url)
    again = Services.over(reopened.unit_of_work)
    assert again.tenancy.duplicate_policy(actor.tenant_id) == "refuse"
    reopened.dispose()
