"""The tenant's duplicate policy: `warn` (a Counterparty-Duplicates header) or `refuse` (a 409
problem naming the other contacts), for the VAT number, tax id and registration number."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from counterparty.errors import DuplicateContact
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.conftest import TenantClient

HEADER = "Counterparty-Duplicates"
VAT = "BE0403019261"


def refuse(client: TenantClient) -> None:
    response = client.http.patch("/v1/tenant", json={"duplicate_policy": "refuse"})
    assert response.status_code == 200 and response.json()["duplicate_policy"] == "refuse"


def count(client: TenantClient) -> int:
    return len(client.http.get("/v1/contacts", params={"limit": 200}).json()["data"])


def test_warn_is_the_default_and_names_the_others(api: TenantClient) -> None:
    assert api.http.get("/v1/tenant").json()["duplicate_policy"] == "warn"
    first = api.create(name="One", vat_number=VAT)
    second = api.http.post("/v1/contacts", json={"name": "Two", "vat_number": "BE 0403.019.261"})
    assert second.status_code == 201 and second.headers[HEADER] == first["id"]
    third = api.http.post("/v1/contacts", json={"name": "Three", "vat_number": VAT})
    assert third.headers[HEADER] == f"{first['id']}, {second.json()['id']}"
    alone = api.http.post("/v1/contacts", json={"name": "Four", "vat_number": "BE0417497106"})
    assert HEADER not in alone.headers


def test_only_what_a_write_sets_or_changes_is_looked_up(api: TenantClient) -> None:
    api.create(name="Holder", vat_number=VAT)
    other = api.create(name="Other")
    url = f"/v1/contacts/{other['id']}"
    changed = api.http.patch(url, json={"vat_number": VAT})
    assert changed.status_code == 200 and HEADER in changed.headers
    unrelated = api.http.patch(url, json={"notes": "n"})
    assert unrelated.status_code == 200 and HEADER not in unrelated.headers
    replaced = api.http.put(url, json={"name": "Other", "vat_number": VAT, "notes": "m"})
    assert replaced.status_code == 200 and HEADER not in replaced.headers


def test_national_numbers_count_in_the_same_country_and_archived_never(
    api: TenantClient,
) -> None:
    holder = api.create(name="Holder", tax_id="1234567890", address={"country_code": "TR"})
    elsewhere = api.http.post(
        "/v1/contacts",
        json={"name": "X", "tax_id": "1234567890", "address": {"country_code": "DE"}},
    )
    assert elsewhere.status_code == 201 and HEADER not in elsewhere.headers
    same = api.http.post(
        "/v1/contacts",
        json={"name": "Y", "tax_id": "1234567890", "address": {"country_code": "TR"}},
    )
    assert same.headers[HEADER] == holder["id"]
    api.http.post(f"/v1/contacts/{holder['id']}/archive")
    api.http.post(f"/v1/contacts/{same.json()['id']}/archive")
    again = api.http.post(
        "/v1/contacts",
        json={"name": "Z", "tax_id": "1234567890", "address": {"country_code": "TR"}},
    )
    assert HEADER not in again.headers


def test_refuse_is_a_409_naming_the_others_and_changes_nothing(api: TenantClient) -> None:
    first = api.create(name="One", vat_number=VAT, registration_number="0403019261")
    refuse(api)
    response = api.http.post("/v1/contacts", json={"name": "Two", "vat_number": VAT})
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "duplicate_contact"
    assert problem["duplicates"] == [
        {
            "id": first["id"],
            "number": first["number"],
            "field": "vat_number",
            "rule": "same_vat_number",
        }
    ]
    assert count(api) == 1
    other = api.create(name="Other")
    patched = api.http.patch(f"/v1/contacts/{other['id']}", json={"vat_number": VAT})
    assert patched.status_code == 409
    assert api.http.get(f"/v1/contacts/{other['id']}").json()["vat_number"] is None


def test_refuse_never_blocks_an_unrelated_change(api: TenantClient) -> None:
    api.create(name="One", vat_number=VAT)
    twin = api.create(name="Two", vat_number=VAT)  # stored under warn
    refuse(api)
    assert api.http.patch(f"/v1/contacts/{twin['id']}", json={"notes": "x"}).status_code == 200


def test_a_replayed_create_keeps_the_header(api: TenantClient) -> None:
    first = api.create(name="One", vat_number=VAT)
    headers = {"Idempotency-Key": secrets.token_hex(8)}
    body: dict[str, Any] = {"name": "Two", "vat_number": VAT}
    sent = api.http.post("/v1/contacts", json=body, headers=headers)
    replayed = api.http.post("/v1/contacts", json=body, headers=headers)
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert sent.headers[HEADER] == replayed.headers[HEADER] == first["id"]


def test_a_bad_policy_is_refused(api: TenantClient) -> None:
    response = api.http.patch("/v1/tenant", json={"duplicate_policy": "block"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.http.get("/v1/tenant").json()["duplicate_policy"] == "warn"


def test_dialects_always_warn(services: Services, api: TenantClient) -> None:
    api.create(name="One", vat_number=VAT)
    refuse(api)
    tenant = services.tenancy.get_tenant(api.slug)
    native = Actor(tenant, None, "cli")
    dialect = Actor(tenant, None, "dialect:wacs")
    with pytest.raises(DuplicateContact) as refused:
        services.contacts.create(native, {"name": "Two", "vat_number": VAT})
    assert refused.value.duplicates[0]["rule"] == "same_vat_number"
    created = services.contacts.create(dialect, {"name": "Two", "vat_number": VAT})
    assert created.vat_number == VAT
