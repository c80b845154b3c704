"""Identifiers through the API: strict and lenient policies, the report, the endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TenantClient

VALID = {
    "name": "Brouwerij De Klok NV",
    "address": {"country_code": "België"},
    "vat_number": "be 0403.019.261",
    "registration_number": "0403 019 261",
    "phone": "012 34 56 78",
    "email": "Boekhouding@DeKlok.example",
    "bank_accounts": [{"iban": "be68 5390 0754 7034", "bic": "gkccbebb"}],
}
INVALID = {
    "vat_number": ("BE0403019262", "checksum"),
    "registration_number": ("04030192", "length"),
    "phone": ("12", "length"),
    "email": ("boekhouding@", "format"),
    "peppol_id": ("1234:0403019261", "unknown_scheme"),
}


def checks_by_field(contact: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["field"]: check for check in contact["checks"]}


def set_policy(api: TenantClient, policy: str) -> None:
    response = api.http.patch("/v1/tenant", json={"validation_policy": policy})
    assert response.status_code == 200 and response.json()["validation_policy"] == policy


def test_identifiers_are_stored_compact_and_reported(api: TenantClient) -> None:
    contact = api.create(**VALID)
    assert contact["address"]["country_code"] == "BE"
    assert contact["vat_number"] == "BE0403019261"
    assert contact["registration_number"] == "0403019261"
    assert contact["phone"] == "+3212345678"
    assert contact["bank_accounts"][0]["iban"] == "BE68539007547034"
    assert contact["bank_accounts"][0]["bic"] == "GKCCBEBB"
    checks = checks_by_field(contact)
    assert checks["vat_number"] == {
        "field": "vat_number",
        "status": "valid",
        "scheme": "eu.vat",
        "reason": None,
        "evidence": None,
    }
    assert checks["registration_number"]["status"] == "valid"
    assert checks["bank_accounts/0/iban"]["status"] == "valid"
    assert checks["phone"]["scheme"] == "e164"


@pytest.mark.parametrize(("field", "bad"), INVALID.items())
def test_strict_refuses_an_invalid_identifier_on_create_put_and_patch(
    api: TenantClient, field: str, bad: tuple[str, str]
) -> None:
    value, reason = bad
    body = {**VALID, field: value}
    created = api.http.post("/v1/contacts", json=body)
    assert created.status_code == 422
    assert created.json()["errors"][0]["pointer"] == f"/{field}"
    assert created.json()["errors"][0]["code"] == reason
    stored = api.create(**VALID)
    url = f"/v1/contacts/{stored['id']}"
    assert api.http.put(url, json=body).status_code == 422
    assert api.http.patch(url, json={field: value}).status_code == 422
    assert api.http.get(url).json()["version"] == 1


@pytest.mark.parametrize(("field", "bad"), INVALID.items())
def test_lenient_stores_and_reports_invalid(
    api: TenantClient, field: str, bad: tuple[str, str]
) -> None:
    set_policy(api, "lenient")
    value, reason = bad
    created = api.http.post("/v1/contacts", json={**VALID, field: value})
    assert created.status_code == 201, created.text
    check = checks_by_field(created.json())[field]
    assert (check["status"], check["reason"]) == ("invalid", reason)
    url = f"/v1/contacts/{created.json()['id']}"
    fixed = api.http.patch(url, json={field: VALID.get(field)})
    assert field not in checks_by_field(fixed.json()) or (
        checks_by_field(fixed.json())[field]["status"] == "valid"
    )
    again = api.http.put(url, json={**VALID, field: value})
    assert again.status_code == 200
    assert checks_by_field(again.json())[field]["status"] == "invalid"


def test_codes_are_checked_whatever_the_policy(api: TenantClient) -> None:
    set_policy(api, "lenient")
    response = api.http.post(
        "/v1/contacts", json={"name": "A", "address": {"country_code": "Narnia"}}
    )
    assert response.status_code == 422


def test_no_rule_means_unverified_never_invalid(api: TenantClient) -> None:
    contact = api.create(
        name="Acme Inc", address={"country_code": "US"}, registration_number="C1234567"
    )
    assert checks_by_field(contact)["registration_number"]["status"] == "unverified"


def test_bic_must_match_the_iban_country(api: TenantClient) -> None:
    response = api.http.post(
        "/v1/contacts",
        json={"name": "A", "bank_accounts": [{"iban": "BE68539007547034", "bic": "ABNANL2A"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "pointer": "/bank_accounts/0/bic",
        "code": "country_mismatch",
        "detail": response.json()["errors"][0]["detail"],
    }


def test_check_status_lists_the_contacts_to_fix(api: TenantClient) -> None:
    set_policy(api, "lenient")
    good = api.create(**VALID)
    bad = api.create(**{**VALID, "vat_number": "BE0403019262"})
    response = api.http.get("/v1/contacts", params={"check_status": "invalid"})
    assert response.status_code == 200, response.text
    listed = response.json()["data"]
    assert [c["id"] for c in listed] == [bad["id"]]
    valid = api.http.get("/v1/contacts", params={"check_status": "valid"}).json()["data"]
    assert [c["id"] for c in valid] == [good["id"]]


def test_tenant_settings(api: TenantClient, other_api: TenantClient) -> None:
    tenant = api.http.get("/v1/tenant").json()
    assert tenant["slug"] == api.slug and tenant["validation_policy"] == "strict"
    renamed = api.http.patch("/v1/tenant", json={"name": "Acme Books"}).json()
    assert renamed["name"] == "Acme Books" and renamed["validation_policy"] == "strict"
    bad = api.http.patch("/v1/tenant", json={"validation_policy": "loose", "slug": "x"})
    assert bad.status_code == 422
    assert {e["pointer"] for e in bad.json()["errors"]} == {"/validation_policy", "/slug"}
    assert other_api.http.get("/v1/tenant").json()["slug"] == other_api.slug


def test_the_validation_endpoint_stores_nothing(api: TenantClient) -> None:
    response = api.http.post(
        "/v1/validate",
        json={
            "country_code": "BE",
            "vat_number": "BE 0403.019.261",
            "registration_number": "0403019261",
            "iban": "BE68539007547034",
            "email": "x@",
        },
    )
    assert response.status_code == 200
    report = response.json()
    assert report["values"]["vat_number"] == "BE0403019261"
    assert report["values"]["registration_number"] == "0403019261"
    assert report["formatted"]["registration_number"] == "0403.019.261"
    statuses = {c["field"]: c["status"] for c in report["checks"]}
    assert statuses == {
        "address/country_code": "valid",
        "vat_number": "valid",
        "registration_number": "valid",
        "bank_accounts/0/iban": "valid",
        "email": "invalid",
    }
    assert {"field": "peppol_id", "value": "0208:0403019261"}.items() <= (
        next(s for s in report["suggestions"] if s["field"] == "peppol_id").items()
    )
    assert api.http.get("/v1/contacts").json()["data"] == []
    unknown = api.http.post("/v1/validate", json={"colour": "red"})
    assert unknown.status_code == 422


def test_strict_does_not_block_unrelated_changes_to_a_leniently_stored_contact(
    api: TenantClient,
) -> None:
    set_policy(api, "lenient")
    stored = api.create(**{**VALID, "vat_number": "BE0403019262"})
    set_policy(api, "strict")
    url = f"/v1/contacts/{stored['id']}"
    changed = api.http.patch(url, json={"tags": ["to-fix"]})
    assert changed.status_code == 200, changed.text
    assert checks_by_field(changed.json())["vat_number"]["status"] == "invalid"
    assert api.http.patch(url, json={"vat_number": "BE0403019263"}).status_code == 422
