"""POST /v1/contacts/batch: each item as its own request would be, one bad item never stops
the others, upserts by every match_on, safe retries, limits and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server

BATCH = "/v1/contacts/batch"
VAT = "BE0403019261"  # valid
OTHER_VAT = "NL004495445B01"  # valid


def send(client: TenantClient, items: list[Any], **extra: Any) -> dict[str, Any]:
    response = client.http.post(BATCH, json={"items": items, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def summary(body: dict[str, Any]) -> list[tuple[int, str]]:
    return [(result["status"], result["action"]) for result in body["results"]]


def events(client: TenantClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.http.get("/v1/events", params={"limit": 1000}).json()[
        "data"
    ]
    return data


def test_good_items_are_stored_and_bad_ones_report_what_their_own_request_would(
    api: TenantClient,
) -> None:
    api.create(name="Taken", external_ref="REF-1")
    body = send(
        api,
        [
            {"name": "Good One", "vat_number": "BE 0403.019.261"},
            {"name": "Bad VAT", "vat_number": "BE0403019262"},
            {"kind": "company"},
            "not an object",
            {"name": "Duplicate ref", "external_ref": "REF-1"},
            {"name": "Unknown member", "colour": "blue"},
            {"kind": "person", "first_name": "Eva", "last_name": "Novák"},
        ],
    )
    assert summary(body) == [
        (201, "created"),
        (422, "failed"),
        (422, "failed"),
        (422, "failed"),
        (409, "failed"),
        (422, "failed"),
        (201, "created"),
    ]
    assert (body["created"], body["updated"], body["unchanged"], body["failed"]) == (2, 0, 0, 5)
    results = body["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert results[1]["errors"] == [
        {
            "code": "checksum",
            "detail": "'BE0403019262' is not a valid BE VAT number: the check digits do not match",
            "pointer": "/vat_number",
        }
    ]
    assert results[2]["errors"][0]["pointer"] == "/name"
    assert results[3]["errors"][0]["code"] == "invalid_type"
    assert results[4]["errors"][0]["code"] == "duplicate_value"
    assert results[5]["errors"][0] == {
        "code": "unknown_field",
        "detail": "Extra inputs are not permitted",
        "pointer": "/colour",
    }
    good = api.http.get(f"/v1/contacts/{results[0]['id']}").json()
    assert good["vat_number"] == VAT and good["version"] == results[0]["version"] == 1
    assert api.http.get(f"/v1/contacts/{results[6]['id']}").json()["name"] == "Eva Novák"
    names = {c["name"] for c in api.http.get("/v1/contacts", params={"limit": 200}).json()["data"]}
    assert names == {"Taken", "Good One", "Eva Novák"}


def test_every_changed_contact_gets_one_history_event_from_the_batch(api: TenantClient) -> None:
    body = send(api, [{"name": "A"}, {"name": "B"}])
    ids = {result["id"] for result in body["results"]}
    created = [e for e in events(api) if e["contact_id"] in ids]
    assert [e["type"] for e in created] == ["created", "created"]
    assert {e["entry_point"] for e in created} == {"batch"}
    assert [e["contact"]["name"] for e in created] == ["A", "B"]
    assert {"path": "name", "old": None, "new": "A"} in created[0]["changes"]


@pytest.mark.parametrize(
    ("match_on", "existing", "item"),
    [
        ("external_ref", {"external_ref": "CRM-7"}, {"external_ref": "CRM-7"}),
        ("vat_number", {"vat_number": VAT}, {"vat_number": "be 0403.019.261"}),
        (
            "tax_id",
            {"tax_id": "4540536920", "address": {"country_code": "TR"}},
            {"tax_id": "454 053 6920", "address": {"country_code": "TR"}},
        ),
        (
            "registration_number",
            {"registration_number": "25596641", "address": {"country_code": "CZ"}},
            {"registration_number": "255 96 641", "address": {"country_code": "CZ"}},
        ),
    ],
)
def test_an_upsert_updates_the_matched_contact_and_creates_the_rest(
    api: TenantClient, match_on: str, existing: dict[str, Any], item: dict[str, Any]
) -> None:
    matched = api.create(name="Matched", notes="kept", **existing)
    body = send(
        api,
        [{**item, "phone": "+32 2 555 12 12"}, {"name": "Brand new", "phone": "+32 2 555 12 13"}],
        match_on=match_on,
    )
    assert summary(body) == [(200, "updated"), (201, "created")]
    assert body["results"][0]["id"] == matched["id"] and body["results"][0]["version"] == 2
    after = api.http.get(f"/v1/contacts/{matched['id']}").json()
    assert after["phone"] == "+3225551212"
    assert after["notes"] == "kept" and after["name"] == "Matched"  # merge semantics


@pytest.mark.parametrize("match_on", ["id", "number"])
def test_an_upsert_by_id_or_number_updates_and_never_invents_a_contact(
    api: TenantClient, match_on: str
) -> None:
    matched = api.create(name="By key")
    body = send(
        api,
        [
            {match_on: matched[match_on], "notes": "updated"},
            {match_on: "01a00000-0000-7000-8000-000000000000" if match_on == "id" else 999999},
            {match_on: "not-a-key", "notes": "x"},
        ],
        match_on=match_on,
    )
    assert summary(body) == [(200, "updated"), (404, "failed"), (422, "failed")]
    assert body["results"][1]["errors"][0]["code"] == "not_found"
    assert api.http.get(f"/v1/contacts/{matched['id']}").json()["notes"] == "updated"


def test_sending_the_same_upsert_again_changes_nothing(api: TenantClient) -> None:
    items = [
        {"external_ref": f"ROW-{n}", "name": f"Row {n}", "vat_number": VAT if n == 0 else None}
        for n in range(5)
    ]
    first = send(api, items, match_on="external_ref")
    assert body_actions(first) == ["created"] * 5
    before = events(api)
    again = send(api, items, match_on="external_ref")
    assert body_actions(again) == ["unchanged"] * 5
    assert [r["status"] for r in again["results"]] == [200] * 5
    assert [r["version"] for r in again["results"]] == [1] * 5
    assert events(api) == before


def body_actions(body: dict[str, Any]) -> list[str]:
    return [result["action"] for result in body["results"]]


def test_items_apply_in_order_within_a_batch(api: TenantClient) -> None:
    body = send(
        api,
        [
            {"external_ref": "SEQ", "name": "First"},
            {"external_ref": "SEQ", "notes": "then changed"},
            {"external_ref": "SEQ", "notes": "then changed"},
        ],
        match_on="external_ref",
    )
    assert summary(body) == [(201, "created"), (200, "updated"), (200, "unchanged")]
    assert len({result["id"] for result in body["results"]}) == 1
    contact = api.http.get(f"/v1/contacts/{body['results'][0]['id']}").json()
    assert (contact["name"], contact["notes"], contact["version"]) == ("First", "then changed", 2)


def test_an_ambiguous_match_is_a_conflict(api: TenantClient) -> None:
    api.http.patch("/v1/tenant", json={"validation_policy": "lenient"})
    api.create(name="Twin 1", vat_number=OTHER_VAT)
    api.create(name="Twin 2", vat_number=OTHER_VAT)
    body = send(api, [{"vat_number": OTHER_VAT, "notes": "which?"}], match_on="vat_number")
    assert summary(body) == [(409, "failed")]
    assert body["results"][0]["errors"][0]["code"] == "conflict"


def test_a_retry_with_the_same_idempotency_key_is_replayed(api: TenantClient) -> None:
    payload = {"items": [{"name": "Once"}, {"name": "Only once"}]}
    headers = {"Idempotency-Key": "batch-retry-1"}
    first = api.http.post(BATCH, json=payload, headers=headers)
    second = api.http.post(BATCH, json=payload, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    listed = api.http.get("/v1/contacts").json()["data"]
    assert sorted(c["name"] for c in listed) == ["Once", "Only once"]
    other = api.http.post(BATCH, json={"items": [{"name": "Else"}]}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({"items": [{"name": f"N{n}"} for n in range(1001)]}, "/items", "too_many_items"),
        ({"items": []}, "/items", "too_many_items"),
        ({}, "/items", "required"),
        ({"items": {"name": "x"}}, "/items", "invalid_type"),
        ({"items": [{"name": "x"}], "match_on": "name"}, "/match_on", "invalid_choice"),
        ({"items": [{"name": "x"}], "extra": 1}, "/extra", "unknown_field"),
    ],
)
def test_a_malformed_batch_is_refused_whole(
    api: TenantClient, body: dict[str, Any], pointer: str, code: str
) -> None:
    response = api.http.post(BATCH, json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["pointer"] == pointer and problem["errors"][0]["code"] == code
    assert api.http.get("/v1/contacts").json()["data"] == []


def test_a_batch_matches_only_its_own_tenant(api: TenantClient, other_api: TenantClient) -> None:
    theirs = other_api.create(name="Theirs", external_ref="SHARED")
    by_id = send(api, [{"id": theirs["id"], "notes": "mine?"}], match_on="id")
    assert summary(by_id) == [(404, "failed")]
    by_ref = send(api, [{"external_ref": "SHARED", "name": "Mine"}], match_on="external_ref")
    assert summary(by_ref) == [(201, "created")]
    assert other_api.http.get(f"/v1/contacts/{theirs['id']}").json()["version"] == 1
    assert [e["contact_id"] for e in events(other_api)] == [theirs["id"]]


def test_a_batch_body_above_its_limit_is_413(
    services: Services, database: Database, database_url: str
) -> None:
    settings = Settings(database_url=database_url, access_log=False, max_batch_body_bytes=2048)
    with running_server(create_app(settings, database)) as url:
        client = new_tenant_client(services, url)
        big = {"items": [{"name": "x" * 100, "notes": "y" * 100} for _ in range(20)]}
        response = client.http.post(BATCH, json=big)
        assert response.status_code == 413 and response.json()["limit_bytes"] == 2048
        small = client.http.post(BATCH, json={"items": [{"name": "fits"}]})
        assert small.status_code == 200
        client.http.close()
