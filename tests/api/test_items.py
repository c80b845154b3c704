"""Bank accounts and contact persons, one at a time, without resending the list."""

from __future__ import annotations

import pytest

from tests.conftest import TenantClient


def test_add_change_and_remove_a_bank_account(api: TenantClient) -> None:
    created = api.create(bank_accounts=[{"iban": "BE68539007547034", "is_default": True}])
    base = f"/v1/contacts/{created['id']}/bank-accounts"
    added = api.http.post(
        base,
        json={"iban": "nl91 abna 0417 1643 00", "is_default": True},
        headers={"If-Match": '"1"'},
    )
    assert added.status_code == 201, added.text
    contact = added.json()
    new = contact["bank_accounts"][1]
    assert added.headers["location"] == f"{base}/{new['id']}"
    assert added.headers["etag"] == '"2"' and contact["version"] == 2
    assert new["iban"] == "NL91ABNA0417164300"
    assert [a["is_default"] for a in contact["bank_accounts"]] == [False, True], (
        "making one the default makes the others not"
    )

    changed = api.http.patch(
        f"{base}/{new['id']}", json={"bank_name": "ABN AMRO"}, headers={"If-Match": '"2"'}
    )
    assert changed.status_code == 200
    assert changed.json()["bank_accounts"][1]["bank_name"] == "ABN AMRO"
    assert changed.json()["bank_accounts"][1]["iban"] == "NL91ABNA0417164300"

    removed = api.http.delete(f"{base}/{new['id']}", headers={"If-Match": '"3"'})
    assert removed.status_code == 200 and removed.headers["etag"] == '"4"'
    assert [a["id"] for a in removed.json()["bank_accounts"]] == [created["bank_accounts"][0]["id"]]


def test_contact_persons_too(api: TenantClient) -> None:
    created = api.create()
    base = f"/v1/contacts/{created['id']}/contact-persons"
    added = api.http.post(base, json={"name": "Jan", "role": "Accounts payable"})
    person = added.json()["contact_persons"][0]
    changed = api.http.patch(
        f"{base}/{person['id']}", json={"role": None, "email": "jan@x.example"}
    )
    assert changed.json()["contact_persons"][0] == {
        **person,
        "role": None,
        "email": "jan@x.example",
    }
    assert api.http.delete(f"{base}/{person['id']}").json()["contact_persons"] == []


def test_a_stale_if_match_changes_nothing(api: TenantClient) -> None:
    created = api.create()
    response = api.http.post(
        f"/v1/contacts/{created['id']}/bank-accounts",
        json={"iban": "BE68539007547034"},
        headers={"If-Match": '"9"'},
    )
    assert response.status_code == 412
    assert api.http.get(f"/v1/contacts/{created['id']}").json()["bank_accounts"] == []


def test_errors_point_into_the_item(api: TenantClient) -> None:
    created = api.create()
    base = f"/v1/contacts/{created['id']}/bank-accounts"
    response = api.http.post(base, json={"iban": "X" * 50, "id": "abc"})
    assert response.status_code == 422
    assert {(e["pointer"], e["code"]) for e in response.json()["errors"]} == {
        ("/iban", "too_long"),
        ("/id", "read_only"),
    }


def test_the_list_limit_still_holds(api: TenantClient) -> None:
    created = api.create(bank_accounts=[{"account_number": str(i)} for i in range(20)])
    response = api.http.post(
        f"/v1/contacts/{created['id']}/bank-accounts", json={"account_number": "21"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/bank_accounts"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_unknown_items_are_404(api: TenantClient, method: str) -> None:
    created = api.create()
    response = api.http.request(
        method,
        f"/v1/contacts/{created['id']}/contact-persons/0190d3c6-1111-7000-8000-000000000001",
        json={"name": "x"} if method == "PATCH" else None,
    )
    assert response.status_code == 404


def test_another_tenants_contact_is_404(api: TenantClient, other_api: TenantClient) -> None:
    created = api.create()
    response = other_api.http.post(
        f"/v1/contacts/{created['id']}/bank-accounts", json={"iban": "BE68539007547034"}
    )
    assert response.status_code == 404
