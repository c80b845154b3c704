"""iDoklad dialect errors: ASP.NET Web API bodies, vendor field names, and nothing changed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.requests import Request

from counterparty.dialects.idoklad.errors import render_error
from counterparty.services.registry import Services
from tests.dialects.test_idoklad import PREFIX, SAMPLE, create, idoklad, signed_in
from tests.dialects.vendors import Client, Tenant, open_tenant

INVALID = "The request is invalid."


__all__ = ["idoklad"]  # the fixture, shared with test_idoklad.py


@pytest.fixture(scope="module")
def empty(services: Services, vendor_pool: httpx.Client) -> Client:
    """One tenant for the tests in this module that must leave it without contacts."""
    return signed_in(open_tenant(services, vendor_pool))


def model_state(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"Message", "ModelState"} and body["Message"] == INVALID
    state: dict[str, list[str]] = body["ModelState"]
    return state


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"CompanyName": None, "CountryId": None}, {"CompanyName", "CountryId"}),
        ({"CompanyName": "   ", "CountryId": 0}, {"CompanyName", "CountryId"}),
        (
            {"City": "x" * 51, "PostalCode": "1" * 12, "Www": "w" * 51},
            {"City", "PostalCode", "Www"},
        ),
        ({"Email": "e" * 250 + "@b.cz"}, {"Email"}),
        ({"Phone": 420777123456, "IsSendReminder": "yes"}, {"Phone", "IsSendReminder"}),
        (
            {"DefaultInvoiceMaturity": 14.5, "DiscountPercentage": "5"},
            {
                "DefaultInvoiceMaturity",
                "DiscountPercentage",
            },
        ),
        ({"CountryId": 999}, {"CountryId"}),
        ({"DefaultBankAccount": "CZ65"}, {"DefaultBankAccount"}),
        ({"DefaultBankAccount": {"Iban": "SK31"}}, {"DefaultBankAccount.CurrencyId"}),
        # The page states no length for Swift: only the currency id is refused.
        (
            {"DefaultBankAccount": {"CurrencyId": 99, "Swift": "X" * 12}},
            {"DefaultBankAccount.CurrencyId"},
        ),
        ({"Email": "not an address", "Phone": "call me"}, {"Email", "Phone"}),  # Data type
        # Checked by the canonical model, reported under the vendor's names (an IBAN of 48
        # characters is within the vendor's 50, over the canonical 42):
        ({"DiscountPercentage": 150}, {"DiscountPercentage"}),
        ({"DefaultInvoiceMaturity": -1}, {"DefaultInvoiceMaturity"}),
        (
            {"DefaultBankAccount": {**SAMPLE["DefaultBankAccount"], "Iban": "SK31" * 12}},
            {"DefaultBankAccount.Iban"},
        ),
    ],
)
def test_invalid_creates_are_400_with_the_vendor_field_names(
    empty: Client, changes: dict[str, Any], fields: set[str]
) -> None:
    state = model_state(empty.post("/v2.0/Contacts", json={**SAMPLE, **changes}))
    assert set(state) == fields
    assert all(
        messages and all(isinstance(m, str) for m in messages) for messages in state.values()
    )
    listed = empty.get("/v2.0/Contacts").json()
    assert listed["TotalItems"] == 0  # nothing was created


def test_required_messages_read_like_the_vendor(empty: Client) -> None:
    state = model_state(empty.post("/v2.0/Contacts", json={"City": "Brno"}))
    assert state == {
        "CompanyName": ["The CompanyName field is required."],
        "CountryId": ["The CountryId field is required."],
    }


@pytest.mark.parametrize(
    ("method", "body", "fields"),
    [
        ("PATCH", {"CompanyName": ""}, {"CompanyName"}),
        ("PATCH", {"Title": "T" * 51}, {"Title"}),
        ("PATCH", {"Email": "@"}, {"Email"}),
        ("PUT", {"City": "Brno"}, {"CompanyName"}),
        ("PUT", {"CompanyName": "X", "DiscountPercentage": 12.345}, {"DiscountPercentage"}),
    ],
)
def test_invalid_updates_are_400_and_change_nothing(
    idoklad: Client, method: str, body: dict[str, Any], fields: set[str]
) -> None:
    created = create(idoklad)
    response = idoklad.request(method, f"/v2.0/Contacts/{created['Id']}", json=body)
    assert set(model_state(response)) == fields
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").json() == created


def test_patch_may_clear_the_country(idoklad: Client, tenant: Tenant) -> None:
    created = create(idoklad)
    response = idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json={"CountryId": 0})
    assert response.status_code == 200 and response.json()["CountryId"] == 0
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert native["address"]["country_code"] is None


@pytest.mark.parametrize("contact", ["999", "9999999999", "abc", "-1", "1.0"])
def test_unknown_contacts_are_404(idoklad: Client, contact: str) -> None:
    created = create(idoklad)  # Id 1 exists
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        body = {"CompanyName": "X"} if method in ("PUT", "PATCH") else None
        response = idoklad.request(method, f"/v2.0/Contacts/{contact}", json=body)
        assert response.status_code == 404, (method, response.text)
        if contact.isdigit():
            assert response.json() == {"Message": f"Contact with Id '{contact}' was not found."}
        else:  # the {id:int} route constraint does not match: ASP.NET's route 404
            assert response.json()["Message"].startswith("No HTTP resource was found")
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").json() == created


def test_another_tenants_contact_is_404(
    idoklad: Client, services: Services, vendor_pool: httpx.Client
) -> None:
    created = create(idoklad)
    theirs = signed_in(open_tenant(services, vendor_pool))
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        body = {"CompanyName": "Hijacked"} if method in ("PUT", "PATCH") else None
        response = theirs.request(method, f"/v2.0/Contacts/{created['Id']}", json=body)
        assert response.status_code == 404
    assert theirs.get("/v2.0/Contacts").json()["TotalItems"] == 0
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").json() == created


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"CompanyName": ', "application/json", 400),
        (b"", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"<Contact/>", "application/xml", 400),  # XML is read: an empty model lacks its name
        (b"<Contact", "text/xml", 400),  # not readable XML
        (b'{"CompanyName": "X", "CountryId": 2}', "text/plain", 415),
    ],
)
def test_unreadable_bodies(empty: Client, content: bytes, content_type: str, status: int) -> None:
    headers = {"Content-Type": content_type}
    response = empty.post("/v2.0/Contacts", content=content, headers=headers)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["Message"], str)
    assert "type" not in response.json()  # not a native problem body
    assert empty.get("/v2.0/Contacts").json()["TotalItems"] == 0


def test_text_json_is_accepted(idoklad: Client) -> None:
    content = b'{"CompanyName": "Text JSON s.r.o.", "CountryId": 2}'
    response = idoklad.post(
        "/v2.0/Contacts", content=content, headers={"Content-Type": "text/json"}
    )
    assert response.status_code == 200, response.text


def test_a_body_over_the_limit_is_413(empty: Client) -> None:
    content = b'{"CompanyName": "' + b"x" * 1_100_000 + b'"}'
    response = empty.post(
        "/v2.0/Contacts", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert set(response.json()) == {"Message"}


def test_unknown_paths_and_methods_answer_in_the_vendor_shape(idoklad: Client) -> None:
    missing = idoklad.get("/v2.0/Invoices")
    assert missing.status_code == 404
    assert missing.json()["Message"].startswith("No HTTP resource was found")
    for method, path in (("DELETE", "/v2.0/Contacts"), ("POST", "/v2.0/Contacts/1")):
        response = idoklad.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.json() == {
            "Message": f"The requested resource does not support http method '{method}'."
        }


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer cpk_nonsense"}, {"Authorization": "Basic YTpi"}],
)
def test_unauthenticated_requests_are_401_and_change_nothing(
    idoklad: Client, vendor_pool: httpx.Client, headers: dict[str, str]
) -> None:
    created = create(idoklad)
    anon = Client(vendor_pool, PREFIX, headers)
    for method, path in (
        ("GET", "/v2.0/Contacts"),
        ("POST", "/v2.0/Contacts"),
        ("PATCH", f"/v2.0/Contacts/{created['Id']}"),
        ("DELETE", f"/v2.0/Contacts/{created['Id']}"),
        ("GET", "/v2.0/Nothing"),
    ):
        body = {"CompanyName": "Hijacked", "CountryId": 2} if method != "GET" else None
        response = anon.request(method, path, json=body)
        assert response.status_code == 401, (method, path)
        assert response.json() == {"Message": "Authorization has been denied for this request."}
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert idoklad.get("/v2.0/Contacts").json()["Data"] == [created]


def test_an_unexpected_failure_is_500_in_the_vendor_shape() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    response = render_error(RuntimeError("database on fire"), request)
    assert response.status_code == 500
    assert bytes(response.body) == b'{"Message":"An error has occurred."}'
