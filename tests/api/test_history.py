"""Every change is recorded: the history of a contact, its versions, and the change feed."""

from __future__ import annotations

import random
from typing import Any

from counterparty.services.registry import Services
from tests.conftest import TenantClient


def all_pages(
    client: TenantClient, url: str, params: dict[str, Any], cursor_param: str
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        body = client.http.get(url, params=params).json()
        found.extend(body["data"])
        if not body["has_more"]:
            return found
        params = {**params, cursor_param: body["next_cursor"]}


def test_history_lists_every_change_newest_first(services: Services, api: TenantClient) -> None:
    created = api.create(name="Acme", address={"city": "Gent"})
    url = f"/v1/contacts/{created['id']}"
    api.http.patch(
        url, json={"notes": "n", "address": {"city": "Brugge"}}, headers={"X-Request-Id": "req-42"}
    )
    api.http.post(f"{url}/archive")
    api.http.post(f"{url}/unarchive")
    api.http.patch(url, json={"notes": "n"})  # no change, no event
    events = api.http.get(f"{url}/history").json()["data"]
    assert [e["type"] for e in events] == ["unarchived", "archived", "updated", "created"]
    assert [e["version"] for e in events] == [4, 3, 2, 1]
    updated = events[2]
    assert updated["changes"] == [
        {"path": "address.city", "old": "Gent", "new": "Brugge"},
        {"path": "notes", "old": None, "new": "n"},
    ]
    assert updated["request_id"] == "req-42" and updated["entry_point"] == "api"
    key = services.tenancy.list_keys(api.slug)[0]
    assert updated["api_key_id"] == str(key.id)
    assert {"path": "name", "old": None, "new": "Acme"} in events[3]["changes"]
    assert {c["path"] for c in events[3]["changes"]} == {"name", "address.city"}


def test_versions_show_the_contact_as_it_was(api: TenantClient) -> None:
    created = api.create(name="Before")
    url = f"/v1/contacts/{created['id']}"
    after = api.http.patch(url, json={"name": "After"}).json()
    assert api.http.get(f"{url}/versions/1").json() == created
    assert api.http.get(f"{url}/versions/2").json() == after
    assert api.http.get(f"{url}/versions/3").status_code == 404


def test_history_pages_and_survives_deletion(api: TenantClient) -> None:
    created = api.create(name="V1")
    url = f"/v1/contacts/{created['id']}"
    for index in range(2, 6):
        api.http.patch(url, json={"name": f"V{index}"})
    api.http.delete(url)
    events = all_pages(api, f"{url}/history", {"limit": 2}, "cursor")
    assert [e["type"] for e in events] == ["deleted"] + ["updated"] * 4 + ["created"]
    assert events[0]["version"] == 6 and events[0]["changes"] == []


def test_history_is_per_tenant(api: TenantClient, other_api: TenantClient) -> None:
    created = api.create()
    assert other_api.http.get(f"/v1/contacts/{created['id']}/history").status_code == 404
    assert other_api.http.get(f"/v1/contacts/{created['id']}/versions/1").status_code == 404


def test_replaying_the_feed_rebuilds_the_current_contacts(
    api: TenantClient, other_api: TenantClient
) -> None:
    rng = random.Random(7)
    other_api.create(name="Not yours")
    alive: list[str] = []
    for step in range(60):
        action = rng.choice(["create", "create", "update", "archive", "unarchive", "delete"])
        if action == "create" or not alive:
            alive.append(api.create(name=f"C{step}", tags=["t"] if step % 2 else [])["id"])
        elif action == "update":
            api.http.patch(
                f"/v1/contacts/{rng.choice(alive)}",
                json={"notes": f"step {step}", "address": {"city": f"City {step}"}},
            )
        elif action in ("archive", "unarchive"):
            api.http.post(f"/v1/contacts/{rng.choice(alive)}/{action}")
        else:
            victim = alive.pop(rng.randrange(len(alive)))
            assert api.http.delete(f"/v1/contacts/{victim}").status_code == 204

    rebuilt: dict[str, dict[str, Any]] = {}
    sequences = []
    for event in all_pages(api, "/v1/events", {"limit": 7}, "after"):
        sequences.append(event["sequence"])
        if event["type"] == "deleted":
            assert event["contact"] is None
            rebuilt.pop(event["contact_id"])
        else:
            rebuilt[event["contact_id"]] = event["contact"]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    current = {
        c["id"]: c
        for c in all_pages(api, "/v1/contacts", {"archived": "all", "limit": 200}, "cursor")
    }
    assert rebuilt == current
    assert set(current) == set(alive)


def test_polling_the_feed_picks_up_new_changes(api: TenantClient) -> None:
    api.create(name="First")
    page = api.http.get("/v1/events").json()
    assert len(page["data"]) == 1 and page["has_more"] is False
    empty = api.http.get("/v1/events", params={"after": page["next_cursor"]}).json()
    assert empty["data"] == [] and empty["next_cursor"] == page["next_cursor"]
    api.create(name="Second")
    later = api.http.get("/v1/events", params={"after": page["next_cursor"]}).json()
    assert [e["contact"]["name"] for e in later["data"]] == ["Second"]


def test_feed_cursors_are_tenant_bound_and_tamper_proof(
    api: TenantClient, other_api: TenantClient
) -> None:
    api.create()
    cursor = api.http.get("/v1/events").json()["next_cursor"]
    assert other_api.http.get("/v1/events", params={"after": cursor}).status_code == 400
    assert api.http.get("/v1/events", params={"after": cursor + "x"}).status_code == 400
    assert api.http.get("/v1/events", params={"limit": 1001}).status_code == 422


def test_every_version_reads_back_across_periodic_snapshots(api: TenantClient) -> None:
    """History keeps differences with a full snapshot every 32 versions; any version is the
    contact exactly as a write answered it."""
    answered = [api.create(name="V1", custom_fields={"a": 1})]
    url = f"/v1/contacts/{answered[0]['id']}"
    for index in range(2, 71):
        patch: dict[str, Any] = {"notes": f"note {index}"}
        if index % 7 == 0:
            patch["custom_fields"] = {"a": None, f"k{index}": index}
        if index % 11 == 0:
            patch["extensions"] = {"demo": {"a.b": index, "nested": {"c": [index]}}}
        if index == 40:
            patch["archived"] = True
        answered.append(api.http.patch(url, json=patch).json())
    for version, contact in enumerate(answered, start=1):
        assert api.http.get(f"{url}/versions/{version}").json() == contact, version
    assert api.http.get(f"{url}/versions/71").status_code == 404
    assert api.http.get(f"{url}/versions/0").status_code == 404
