"""Merging contacts into a survivor and undoing it, over real HTTP (docs/duplicates.md, "Merge")."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select, update

from counterparty.db import Database
from counterparty.db.merge_tables import contact_merges
from counterparty.services.registry import Services
from tests.api.test_erasure import traces
from tests.conftest import TenantClient

BE_IBAN = "BE68539007547034"
NL_IBAN = "NL91ABNA0417164300"


def merge(
    api: TenantClient, survivor: dict[str, Any], body: dict[str, Any], **headers: str
) -> httpx.Response:
    return api.http.post(f"/v1/contacts/{survivor['id']}/merge", json=body, headers=headers)


def unmerge(
    api: TenantClient, survivor: dict[str, Any], body: dict[str, Any] | None = None
) -> httpx.Response:
    return api.http.post(f"/v1/contacts/{survivor['id']}/unmerge", json=body)


def get(api: TenantClient, contact: dict[str, Any]) -> dict[str, Any]:
    response = api.http.get(f"/v1/contacts/{contact['id']}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


@pytest.fixture
def trio(api: TenantClient) -> Iterator[dict[str, dict[str, Any]]]:
    """A survivor, two duplicates of it with other data, and a child of one of them."""
    survivor = api.create(
        name="Demir Tekstil A.Ş.",
        phone="+90 224 234 56 78",
        tags=["tr", "textile"],
        custom_fields={"segment": "b2b"},
        bank_accounts=[{"iban": BE_IBAN, "is_default": True}],
        contact_persons=[{"name": "Ayşe Kaya", "email": "ayse@demir.example"}],
    )
    first = api.create(
        name="DEMİR TEKSTİL ANONİM ŞİRKETİ",
        email="info@demir.example",
        website="https://demir.example",
        notes="from the first",
        tags=["textile", "supplier"],
        custom_fields={"segment": "retail", "erp": "A-7"},
        bank_accounts=[{"iban": "be68 5390 0754 7034", "is_default": True}, {"iban": NL_IBAN}],
        contact_persons=[
            {"name": "AYŞE KAYA", "email": "Ayse@demir.example"},
            {"name": "Mehmet Demir"},
        ],
    )
    second = api.create(name="Demir Tekstil", email="sales@demir.example", notes="second")
    child = api.create(name="Demir Tekstil Bursa", parent_id=first["id"])
    yield {"survivor": survivor, "first": first, "second": second, "child": child}


def test_merge_chooses_fields_unites_lists_and_moves_children(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second, child = (trio[k] for k in ("survivor", "first", "second", "child"))
    body = {"from": [first["id"], second["id"]], "fields": {"notes": second["id"]}}
    response = merge(api, survivor, body)
    assert response.status_code == 200, response.text
    merged = response.json()
    assert response.headers["ETag"] == f'"{merged["version"]}"' and merged["version"] == 2
    assert merged["id"] == survivor["id"] and merged["number"] == survivor["number"]
    assert merged["name"] == "Demir Tekstil A.Ş."  # the survivor's own
    assert merged["phone"] == survivor["phone"]
    assert merged["email"] == "info@demir.example"  # the first non-empty of `from`
    assert merged["website"] == "https://demir.example"
    assert merged["notes"] == "second"  # named in `fields`
    assert merged["tags"] == ["tr", "textile", "supplier"]
    assert merged["custom_fields"] == {"segment": "b2b", "erp": "A-7"}
    assert [a["iban"] for a in merged["bank_accounts"]] == [BE_IBAN, NL_IBAN]
    assert [a["is_default"] for a in merged["bank_accounts"]] == [True, False]
    assert [p["name"] for p in merged["contact_persons"]] == ["Ayşe Kaya", "Mehmet Demir"]
    assert get(api, child)["parent_id"] == survivor["id"]
    assert get(api, child)["version"] == 2


def test_a_merged_contact_is_an_alias_on_every_read(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    before = api.http.get(f"/v1/contacts/{survivor['id']}/duplicates").json()["data"]
    assert first["id"] in {candidate["id"] for candidate in before}
    merged = merge(api, survivor, {"from": [first["id"]]}).json()
    for url in (f"/v1/contacts/{first['id']}", f"/v1/contacts/by-number/{first['number']}"):
        response = api.http.get(url)
        assert response.status_code == 200, response.text
        assert response.json() == merged
        assert response.headers["Content-Location"] == f"/v1/contacts/{survivor['id']}"
        assert response.headers["ETag"] == f'"{merged["version"]}"'
    own = api.http.get(f"/v1/contacts/{survivor['id']}")
    assert "Content-Location" not in own.headers
    listed = api.http.get("/v1/contacts", params={"limit": 100}).json()["data"]
    assert first["id"] not in {contact["id"] for contact in listed}
    searched = api.http.get("/v1/contacts", params={"q": "anonim"}).json()["data"]
    assert first["id"] not in {contact["id"] for contact in searched}
    for pair in api.http.get("/v1/duplicates", params={"min_score": 0}).json()["data"]:
        assert first["id"] not in {contact["id"] for contact in pair["contacts"]}
    for contact in (survivor, trio["second"]):
        candidates = api.http.get(f"/v1/contacts/{contact['id']}/duplicates").json()["data"]
        assert first["id"] not in {candidate["id"] for candidate in candidates}


def test_writes_to_an_alias_are_409_naming_the_survivor(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second = trio["survivor"], trio["first"], trio["second"]
    assert merge(api, survivor, {"from": [first["id"]]}).status_code == 200
    url = f"/v1/contacts/{first['id']}"
    attempts = [
        api.http.patch(url, json={"notes": "x"}),
        api.http.put(url, json={"name": "X"}),
        api.http.delete(url),
        api.http.post(f"{url}/archive"),
        api.http.post(f"{url}/erase"),
        api.http.post(f"{url}/bank-accounts", json={"iban": NL_IBAN}),
        merge(api, first, {"from": [second["id"]]}),  # as a survivor
        merge(api, second, {"from": [first["id"]]}),  # merged again
    ]
    for response in attempts:
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["code"] == "contact_merged"
        assert problem["survivor_id"] == survivor["id"]
        assert survivor["id"] in problem["detail"]
    assert get(api, second)["version"] == 1


@pytest.mark.parametrize("match_on", ["id", "number"])
def test_a_batch_upsert_matching_a_merged_contact_is_409_naming_the_survivor(
    api: TenantClient, trio: dict[str, dict[str, Any]], match_on: str
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    assert merge(api, survivor, {"from": [first["id"]]}).status_code == 200
    items = [{match_on: first[match_on], "notes": "via batch"}]
    response = api.http.post("/v1/contacts/batch", json={"items": items, "match_on": match_on})
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert (result["status"], result["action"]) == (409, "failed")
    assert result["errors"][0]["code"] == "contact_merged"
    assert survivor["id"] in result["errors"][0]["detail"]
    assert get(api, survivor)["notes"] != "via batch"


def test_bad_merges_are_problems_that_change_nothing(
    api: TenantClient, other_api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    foreign = other_api.create(name="Elsewhere")
    unknown = "0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b"
    itself = merge(api, survivor, {"from": [survivor["id"]]})
    assert itself.status_code == 422
    error = itself.json()["errors"][0]
    assert (error["code"], error["pointer"]) == ("same_as_survivor", "/from/0")
    for missing in (unknown, foreign["id"]):
        response = merge(api, survivor, {"from": [first["id"], missing]})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert missing in response.json()["detail"] and "/from/1" in response.json()["detail"]
    assert merge(api, survivor, {"from": []}).status_code == 422
    assert merge(api, survivor, {"from": [unknown] * 21}).status_code == 422
    twice = merge(api, survivor, {"from": [first["id"], first["id"]]})
    assert twice.status_code == 422 and twice.json()["errors"][0]["pointer"] == "/from/1"
    for fields in ({"tags": first["id"]}, {"email": unknown}, {"archived": first["id"]}):
        response = merge(api, survivor, {"from": [first["id"]], "fields": fields})
        assert response.status_code == 422, response.text
    assert merge(api, survivor, {"into": [first["id"]]}).status_code == 422
    assert get(api, survivor)["version"] == 1 and get(api, first)["version"] == 1
    assert (
        api.http.post(f"/v1/contacts/{unknown}/merge", json={"from": [first["id"]]}).status_code
        == 404
    )


def test_if_match_and_idempotent_retry(api: TenantClient, trio: dict[str, dict[str, Any]]) -> None:
    survivor, first = trio["survivor"], trio["first"]
    api.http.patch(f"/v1/contacts/{survivor['id']}", json={"notes": "since"})
    stale = merge(api, survivor, {"from": [first["id"]]}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["changed_fields"] == ["notes"]
    assert get(api, first)["version"] == 1
    headers = {"If-Match": '"2"', "Idempotency-Key": "merge-demir-1"}
    done = merge(api, survivor, {"from": [first["id"]]}, **headers)
    assert done.status_code == 200, done.text
    again = merge(api, survivor, {"from": [first["id"]]}, **headers)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == done.json() and again.headers["ETag"] == done.headers["ETag"]
    assert get(api, survivor)["version"] == 3
    history = api.http.get(f"/v1/contacts/{survivor['id']}/history").json()["data"]
    assert [event["type"] for event in history].count("merged") == 1


def test_history_and_change_feed_carry_both_events(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second = trio["survivor"], trio["first"], trio["second"]
    merge(api, survivor, {"from": [first["id"], second["id"]], "fields": {"notes": second["id"]}})
    merged_event = api.http.get(f"/v1/contacts/{survivor['id']}/history").json()["data"][0]
    assert merged_event["type"] == "merged" and merged_event["version"] == 2
    note = next(change for change in merged_event["changes"] if change["path"] == "merged")
    assert note["new"]["contacts"] == [first["id"], second["id"]]
    assert note["new"]["fields"]["notes"] == second["id"]
    assert note["new"]["fields"]["email"] == first["id"]
    assert {"path": "email", "old": None, "new": "info@demir.example"} in merged_event["changes"]
    for contact in (first, second):
        into = api.http.get(f"/v1/contacts/{contact['id']}/history").json()["data"][0]
        assert into["type"] == "merged_into" and into["version"] == 1
        assert into["changes"] == [{"path": "merged_into", "old": None, "new": survivor["id"]}]
    feed = api.http.get("/v1/events", params={"limit": 1000}).json()["data"]
    last = {event["contact_id"]: event for event in feed}
    assert last[survivor["id"]]["type"] == "merged"
    assert last[survivor["id"]]["contact"]["email"] == "info@demir.example"
    assert last[first["id"]]["type"] == "merged_into" and last[first["id"]]["contact"] is None
    assert last[second["id"]]["type"] == "merged_into"
    assert last[trio["child"]["id"]]["contact"]["parent_id"] == survivor["id"]


def test_unmerge_inside_the_window_restores_and_keeps_later_changes(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second, child = (trio[k] for k in ("survivor", "first", "second", "child"))
    merge(api, survivor, {"from": [first["id"], second["id"]]})
    changed = api.http.patch(
        f"/v1/contacts/{survivor['id']}", json={"website": "https://own.example"}
    )
    assert changed.status_code == 200
    response = unmerge(api, survivor)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["kept_fields"] == ["website"]
    assert result["children_kept"] == []
    back = {contact["id"]: contact for contact in result["restored"]}
    for original in (first, second):
        restored = back[original["id"]]
        assert restored["version"] == original["version"] + 1
        assert {k: v for k, v in restored.items() if k not in ("version", "updated_at")} == {
            k: v for k, v in original.items() if k not in ("version", "updated_at")
        }
        assert get(api, original) == restored
        fetched = api.http.get(f"/v1/contacts/by-number/{original['number']}")
        assert "Content-Location" not in fetched.headers and fetched.json() == restored
    now = result["contact"]
    assert response.headers["ETag"] == f'"{now["version"]}"' and now["version"] == 4
    assert now["website"] == "https://own.example"  # changed since: kept
    for name in ("email", "notes", "tags", "custom_fields", "bank_accounts", "contact_persons"):
        assert now[name] == survivor[name], name  # as before the merge
    assert get(api, child)["parent_id"] == first["id"]
    listed = {c["id"] for c in api.http.get("/v1/contacts", params={"limit": 100}).json()["data"]}
    assert {first["id"], second["id"]} <= listed
    history = api.http.get(f"/v1/contacts/{first['id']}/history").json()["data"]
    assert [event["type"] for event in history[:2]] == ["unmerged", "merged_into"]
    assert api.http.get(f"/v1/contacts/{first['id']}/versions/2").json() == back[first["id"]]
    assert api.http.patch(f"/v1/contacts/{first['id']}", json={"notes": "ok"}).status_code == 200
    assert unmerge(api, survivor).status_code == 422  # nothing merged any more


def test_unmerge_honours_if_match_and_replays_a_retry(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    merge(api, survivor, {"from": [first["id"]]})
    url = f"/v1/contacts/{survivor['id']}/unmerge"
    stale = api.http.post(url, json={}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert api.http.get(f"/v1/contacts/{first['id']}").headers["Content-Location"]
    headers = {"If-Match": '"2"', "Idempotency-Key": "unmerge-1"}
    done = api.http.post(url, json={"contacts": [first["id"]]}, headers=headers)
    assert done.status_code == 200, done.text
    again = api.http.post(url, json={"contacts": [first["id"]]}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == done.json()
    assert get(api, first)["version"] == 2 and get(api, survivor)["version"] == 3


def test_unmerge_of_some_contacts_keeps_the_others_merged(
    api: TenantClient, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second = trio["survivor"], trio["first"], trio["second"]
    merge(api, survivor, {"from": [first["id"], second["id"]], "fields": {"notes": second["id"]}})
    response = unmerge(api, survivor, {"contacts": [second["id"]]})
    assert response.status_code == 200, response.text
    now = response.json()["contact"]
    assert now["notes"] == "from the first"  # second's choice undone, the first's value next
    assert now["email"] == "info@demir.example"
    assert [contact["id"] for contact in response.json()["restored"]] == [second["id"]]
    alias = api.http.get(f"/v1/contacts/{first['id']}")
    assert alias.headers["Content-Location"] == f"/v1/contacts/{survivor['id']}"
    stranger = unmerge(api, survivor, {"contacts": [second["id"]]})
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["pointer"] == "/contacts/0"


def test_unmerge_after_the_window_is_a_409_naming_when_it_closed(
    api: TenantClient, database: Database, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    merge(api, survivor, {"from": [first["id"]]})
    merged_at = datetime.now(UTC) - timedelta(days=31)
    with database.engine.begin() as connection:
        connection.execute(
            update(contact_merges)
            .where(contact_merges.c.survivor_id == UUID(survivor["id"]))
            .values(merged_at=merged_at)
        )
    response = unmerge(api, survivor)
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["code"] == "unmerge_window_closed"
    closed = datetime.fromisoformat(problem["window_closed_at"])
    assert abs(closed - (merged_at + timedelta(days=30))) < timedelta(seconds=1)
    assert problem["window_closed_at"] in problem["detail"]
    assert api.http.get(f"/v1/contacts/{first['id']}").headers["Content-Location"]


def _records(database: Database, survivor: dict[str, Any]) -> list[Any]:
    with database.engine.connect() as connection:
        return [
            row.record
            for row in connection.execute(
                select(contact_merges).where(contact_merges.c.survivor_id == UUID(survivor["id"]))
            )
        ]


def test_records_of_merges_past_their_window_are_emptied_on_the_next_merge(
    api: TenantClient, database: Database, services: Services, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first, second = trio["survivor"], trio["first"], trio["second"]
    merge(api, survivor, {"from": [first["id"]]})
    with database.engine.begin() as connection:
        connection.execute(
            update(contact_merges)
            .where(contact_merges.c.survivor_id == UUID(survivor["id"]))
            .values(merged_at=datetime.now(UTC) - timedelta(days=31))
        )
    assert "DEMİR TEKSTİL ANONİM ŞİRKETİ" in str(_records(database, survivor))
    merge(api, second, {"from": [trio["child"]["id"]]})
    assert _records(database, survivor) == [{"erased": True}]
    assert _records(database, second) != [{"erased": True}]  # within its window
    assert get(api, first)["id"] == survivor["id"]  # the alias stays
    refused = unmerge(api, survivor)
    assert refused.status_code == 409 and refused.json()["code"] == "unmerge_window_closed"
    later = datetime.now(UTC) + timedelta(days=31)
    assert services.merges.forget_closed(later) >= 1  # every tenant's, by the command
    assert _records(database, second) == [{"erased": True}]
    assert services.merges.forget_closed(later) == 0  # emptied records are not written again


def test_a_dialect_reads_the_survivor_and_refuses_writes(
    api: TenantClient, base_url: str, trio: dict[str, dict[str, Any]]
) -> None:
    survivor, first = trio["survivor"], trio["first"]
    merge(api, survivor, {"from": [first["id"]]})
    headers = {"Authorization": f"Bearer {api.key}", "Accept": "application/json"}
    prefix = f"{base_url}/compat/faturaentegrator/api/customers"
    with httpx.Client(headers=headers, timeout=30) as vendor:
        read = vendor.get(f"{prefix}/{first['number']}")
        assert read.status_code == 200, read.text
        assert read.json()["data"]["id"] == survivor["number"]
        written = vendor.patch(f"{prefix}/{first['number']}", json={"email": "x@demir.example"})
        assert written.status_code == 409, written.text


def test_openapi_describes_merge_and_unmerge(api: TenantClient) -> None:
    paths = api.http.get("/openapi.json").json()["paths"]
    merge_operation = paths["/v1/contacts/{contact_id}/merge"]["post"]
    assert merge_operation["operationId"] == "mergeContacts"
    assert "409" in merge_operation["responses"] and "412" in merge_operation["responses"]
    unmerge_operation = paths["/v1/contacts/{contact_id}/unmerge"]["post"]
    assert unmerge_operation["operationId"] == "unmergeContacts"
    assert unmerge_operation["requestBody"]["required"] is False  # no body: unmerge all
    assert merge_operation["requestBody"]["required"] is True
    read = paths["/v1/contacts/{contact_id}"]["get"]["responses"]["200"]
    assert "Content-Location" in read["headers"]


def test_merging_the_survivors_own_parents_and_taking_an_external_ref(api: TenantClient) -> None:
    grandparent = api.create(name="Holding")
    parent = api.create(name="Group", parent_id=grandparent["id"], external_ref="M-1")
    survivor = api.create(name="Group", parent_id=parent["id"], external_ref="S-1")
    body = {"from": [grandparent["id"], parent["id"]], "fields": {"external_ref": parent["id"]}}
    response = merge(api, survivor, body)
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["parent_id"] is None  # its parent is itself now
    assert merged["external_ref"] == "M-1"
    response = unmerge(api, survivor)
    assert response.status_code == 200, response.text
    assert get(api, survivor)["parent_id"] == parent["id"]
    assert get(api, survivor)["external_ref"] == "S-1"
    assert get(api, parent)["external_ref"] == "M-1"
    assert get(api, parent)["parent_id"] == grandparent["id"]
    assert get(api, grandparent)["version"] == 2


def test_erasing_the_survivor_erases_what_its_merges_kept(
    api: TenantClient, database: Database
) -> None:
    # The merged contacts' documents live on in their histories and merge records: a GDPR
    # erasure of the survivor must not leave them there, also for a contact merged into one
    # that was merged into the survivor later (the unmerge that would need them is refused).
    marker, earlier_marker = (f"qzmerged{secrets.token_hex(6)}" for _ in range(2))
    survivor = api.create(kind="person", name="Kept Survivor", email="kept@example.org")
    merged = api.create(kind="person", name="Merged Person", notes=marker)
    earlier = api.create(kind="person", name="Earlier Person", notes=earlier_marker)
    assert merge(api, merged, {"from": [earlier["id"]]}).status_code == 200
    assert merge(api, survivor, {"from": [merged["id"]]}).status_code == 200
    assert traces(database, [marker, earlier_marker]) == {marker, earlier_marker}

    erased = api.http.post(f"/v1/contacts/{survivor['id']}/erase")
    assert erased.status_code == 200, erased.text

    assert traces(database, [marker, earlier_marker]) == set()
    refused = unmerge(api, survivor)
    assert refused.status_code == 409, refused.text
    assert "erased" in refused.json()["detail"]
    assert get(api, merged)["id"] == survivor["id"]  # still aliases of the survivor
    assert get(api, earlier)["id"] == survivor["id"]
