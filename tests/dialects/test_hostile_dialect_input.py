"""Input that once broke a tenant or a backend, sent through the vendor dialects: deeply nested
free JSON here (control characters and out-of-range integers: test_hostile_dialect_text.py).
Each is refused in the vendor's own error shape (never a 201, never a 500), the same on SQLite
and PostgreSQL, and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from counterparty.domain.extensions import MAX_BYTES
from tests.dialects.vendors import Tenant

SHAPES: dict[str, Callable[[Any], bool]] = {
    "muhasip": lambda body: body["status"] is False and bool(body["message"]),
    "wacs": lambda body: bool(body["Message"]),
    "faturaentegrator": lambda body: bool(body["message"]),
    "odyssee": lambda body: bool(body["error"]["message"]),
    "idoklad": lambda body: bool(body["Message"]),
}


def refused(response: httpx.Response, vendor: str, statuses: tuple[int, ...] = (400, 422)) -> Any:
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert SHAPES[vendor](body), body
    return body


def nothing_written(tenant: Tenant) -> None:
    listed = tenant.native("GET", "/v1/contacts", params={"archived": "all"})
    assert listed.json()["data"] == []
    assert tenant.native("GET", "/v1/events").json()["data"] == []


FATURA_COMPANY = {
    "type": "company", "tax_number": "1234567890", "tax_office": "NİLÜFER",
    "title": "DEMİR TEKSTİL A.Ş.", "country": "TÜRKİYE", "city": "BURSA",
    "district": "NİLÜFER",
    "address": "Organize Sanayi Bölgesi 3. Cadde No:5",
}  # fmt: skip


# --- 1. deeply nested free JSON ------------------------------------------------------------

# Odyssee keeps the embedded company's nested entities (sales_territory, feelist, company_type,
# db_payment_methods) as sent under extensions.odyssee: the dialect members that hold free JSON.
ODYSSEE_FREE_JSON = ("sales_territory", "feelist", "company_type", "db_payment_methods")


# Depths past what the feed's JSON encoders handle (250, 300) and just below what the body's
# parser reads (1024: deeper is a malformed body), where Python's own recursion gives out.
DEPTHS = [250, 300, 1000]
DEEP = "@deep@"  # where a body holds the nested arrays


def deep_body(body: Any, depth: int, objects: bool = False) -> str:
    """`body` as JSON text with `depth` nested arrays (or objects) in place of DEEP, deeper
    than Python's encoders go."""
    opening, closing = ('{"a": ', "}") if objects else ("[", "]")
    nested = opening * depth + '"leaf"' + closing * depth
    return json.dumps(body).replace(f'"{DEEP}"', nested)


def send(
    tenant: Tenant,
    vendor: str,
    method: str,
    path: str,
    body: Any,
    depth: int,
    objects: bool = False,
) -> Any:
    content = deep_body(body, depth, objects)
    headers = {"Content-Type": "application/json"}
    return getattr(tenant, vendor)(method, path, content=content, headers=headers)


def create(
    tenant: Tenant, vendor: str, body: Any, depth: int, objects: bool = False
) -> httpx.Response:
    path = "CreateContact" if vendor == "wacs" else ""
    response: httpx.Response = send(tenant, vendor, "POST", path, body, depth, objects)
    return response


NESTINGS = pytest.mark.parametrize("objects", [False, True], ids=["arrays", "objects"])


def _odyssee_problem(body: Any) -> tuple[str, str]:
    detail = body["error"]["details"][0]
    return detail["code"], detail["target"]


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("member", ODYSSEE_FREE_JSON)
@NESTINGS
def test_odyssee_pass_through_entities_nested_too_deep_are_refused(
    tenant: Tenant, member: str, depth: int, objects: bool
) -> None:
    company = {"name": "Diep NV", member: {"levels": DEEP}}
    response = create(tenant, "odyssee", {"lastname": "Diep", "company": company}, depth, objects)
    body = refused(response, "odyssee", (400,))  # an invalid value, not a missing reference
    assert _odyssee_problem(body) == ("too_deep", f"company.{member}")
    nothing_written(tenant)


def test_odyssee_pass_through_entity_too_large_is_refused(tenant: Tenant) -> None:
    company = {"name": "Groot NV", "feelist": {"blob": "x" * (MAX_BYTES + 1)}}
    response = tenant.odyssee("POST", json={"lastname": "Groot", "company": company})
    body = refused(response, "odyssee", (400,))
    assert _odyssee_problem(body)[0] == "too_large"
    nothing_written(tenant)


@NESTINGS
@pytest.mark.parametrize("depth", DEPTHS)
def test_an_odyssee_update_nested_too_deep_changes_nothing(
    tenant: Tenant, depth: int, objects: bool
) -> None:
    """An update merges the nested entity into the stored one first (a merge patch, which
    must not recurse through a client's nesting), then meets the limits."""
    body = {"lastname": "Peeters", "company": {"name": "Ondiep NV", "feelist": {"id": 1}}}
    created = tenant.odyssee("POST", json=body)
    assert created.status_code == 201, created.text
    person = created.json()
    events = tenant.native("GET", "/v1/events").json()["data"]
    deep = {**body, "company": {"id": person["company_id"], "feelist": {"l": DEEP}}}
    for method in ("PATCH", "PUT"):
        response = send(tenant, "odyssee", method, f"({person['id']})", deep, depth, objects)
        assert _odyssee_problem(refused(response, "odyssee", (400,)))[0] == "too_deep"
    assert tenant.native("GET", "/v1/events").json()["data"] == events
    company = tenant.native("GET", f"/v1/contacts/{person['company_id']}").json()
    assert company["extensions"]["odyssee"]["feelist"] == {"id": 1}


# Where the other dialects take a value of their own (a list, an object, a scalar) and a client
# may send nested JSON instead; and members the vendor does not have, which Muhasip and Odyssee
# refuse.
DEEP_VALUES = {
    "muhasip-variables": {"name": "Diep", "variables": [{"key": "diep", "value": DEEP}]},
    "muhasip-unknown": {"name": "Diep", "diep": DEEP},
    "wacs-list": {"Name": "Diep", "FunctionalTypes": DEEP},
    "wacs-text": {"Name": DEEP},
    "idoklad-object": {"CompanyName": "Diep", "CountryId": 2, "DefaultBankAccount": DEEP},
    "idoklad-text": {"CompanyName": DEEP, "CountryId": 2},
    "faturaentegrator-text": {**FATURA_COMPANY, "title": DEEP},
    "odyssee-text": {"lastname": DEEP},
    "odyssee-company": {"lastname": "Diep", "company": DEEP},
    "odyssee-unknown": {"lastname": "Diep", "diep": DEEP},
}


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("case", sorted(DEEP_VALUES))
@NESTINGS
def test_deep_json_in_any_dialects_members_is_refused(
    tenant: Tenant, case: str, depth: int, objects: bool
) -> None:
    vendor = case.split("-")[0]
    refused(create(tenant, vendor, DEEP_VALUES[case], depth, objects), vendor)
    nothing_written(tenant)


def test_an_asp_net_binding_error_repeats_a_long_value_cut_short(tenant: Tenant) -> None:
    body = {"Name": "Lang", "Company": "x" * 100_000}
    state = refused(create(tenant, "wacs", body, 0), "wacs", (400,))["ModelState"]
    assert state["contact.Company"] == [f"The value '{'x' * 100}…' is not valid for Company."]
    nothing_written(tenant)


IGNORED_MEMBERS = {
    "wacs": {"Name": "Diep", "Unknown": DEEP},
    "idoklad": {"CompanyName": "Diep", "CountryId": 2, "Unknown": DEEP},
    "idoklad-read-only": {
        "CompanyName": "Diep", "CountryId": 2,
        "DefaultBankAccount": {"CurrencyId": 1, "Bank": DEEP},
    },
    "faturaentegrator": {**FATURA_COMPANY, "unknown": DEEP},
}  # fmt: skip


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("case", sorted(IGNORED_MEMBERS))
@NESTINGS
def test_deep_json_in_a_member_a_vendor_ignores_is_stored_nowhere(
    tenant: Tenant, case: str, depth: int, objects: bool
) -> None:
    """ASP.NET's and Laravel's models drop the members they do not have (and ASP.NET the
    read-only ones); so do these dialects."""
    vendor = case.split("-")[0]
    response = create(tenant, vendor, IGNORED_MEMBERS[case], depth, objects)
    assert response.status_code in (200, 201), response.text
    assert "[[[" not in response.text and '{"a": {"a"' not in response.text
    (contact,) = tenant.native("GET", "/v1/contacts").json()["data"]
    assert "[[[" not in str(contact) and "{'a': {'a'" not in str(contact)
    assert tenant.native("GET", "/v1/events").status_code == 200
    assert tenant.native("GET", f"/v1/contacts/{contact['id']}/history").status_code == 200
