"""Input that once broke a tenant or a backend, sent through the vendor dialects: deeply nested
free JSON, control characters in text and in search parameters, ids beyond the storage's
integers. Each is refused in the vendor's own error shape (never a 201, never a 500), the same
on SQLite and PostgreSQL, and writes nothing."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from counterparty.domain.extensions import MAX_BYTES
from counterparty.services.registry import Services
from tests.conftest import new_tenant_client
from tests.dialects.test_cross_dialect import FATURA, IDOKLAD, MUHASIP, ODYSSEE, WACS

SHAPES: dict[str, Callable[[Any], bool]] = {
    "muhasip": lambda body: body["status"] is False and bool(body["message"]),
    "wacs": lambda body: bool(body["Message"]),
    "faturaentegrator": lambda body: bool(body["message"]),
    "odyssee": lambda body: bool(body["error"]["message"]),
    "idoklad": lambda body: bool(body["Message"]),
}


@dataclass
class Tenant:
    """One tenant through the native API and each dialect, with its vendor's credentials."""

    slug: str
    key: str
    http: httpx.Client

    def _send(self, method: str, url: str, auth: dict[str, str], **options: Any) -> httpx.Response:
        headers = {**auth, **options.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **options)

    def _basic(self, user: str, password: str) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def native(self, method: str, path: str, **options: Any) -> httpx.Response:
        return self._send(method, path, self._bearer(), **options)

    def muhasip(self, method: str, path: str = "", **options: Any) -> httpx.Response:
        return self._send(method, MUHASIP + path, self._basic(self.slug, self.key), **options)

    def wacs(self, method: str, path: str = "", **options: Any) -> httpx.Response:
        return self._send(method, f"{WACS}/{path}", self._bearer(), **options)

    def faturaentegrator(self, method: str, path: str = "", **options: Any) -> httpx.Response:
        return self._send(method, FATURA + path, self._bearer(), **options)

    def idoklad(self, method: str, path: str = "", **options: Any) -> httpx.Response:
        return self._send(method, IDOKLAD + path, self._bearer(), **options)

    def odyssee(self, method: str, path: str = "", **options: Any) -> httpx.Response:
        auth = self._basic("ERPSync", f"{self.key}@{self.slug}")
        return self._send(method, ODYSSEE + path, auth, **options)


@pytest.fixture(name="tenant")
def tenant_fixture(services: Services, base_url: str) -> Iterator[Tenant]:
    client = new_tenant_client(services, base_url)
    client.http.close()
    with httpx.Client(base_url=base_url, timeout=30) as http:
        yield Tenant(client.slug, client.key, http)


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


# --- 2. control characters in text and in search parameters --------------------------------


def _create(tenant: Tenant, vendor: str, text: str) -> httpx.Response:
    """A create through the vendor's API whose one free text (name or address) is `text`;
    with a plain text it is accepted."""
    if vendor == "muhasip":
        return tenant.muhasip("POST", json={"name": "Anadolu Gıda", "address": text})
    if vendor == "wacs":
        return tenant.wacs("POST", "CreateContact", json={"Name": "Brouwerij", "Street": text})
    if vendor == "faturaentegrator":
        return tenant.faturaentegrator("POST", json={**FATURA_COMPANY, "address": text})
    if vendor == "idoklad":
        body = {"CompanyName": "Tatra s.r.o.", "CountryId": 2, "Street": text}
        return tenant.idoklad("POST", json=body)
    company = tenant.native("POST", "/v1/contacts", json={"name": "Parent NV"}).json()
    body = {"lastname": "Peeters", "company_id": company["id"], "notes": text}
    return tenant.odyssee("POST", json=body)


CREATED = {"muhasip": 200, "wacs": 201, "faturaentegrator": 201, "idoklad": 200, "odyssee": 201}


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
@pytest.mark.parametrize("vendor", sorted(SHAPES))
def test_a_control_character_in_a_create_is_refused_in_the_vendors_shape(
    tenant: Tenant, vendor: str, control: str
) -> None:
    body = refused(_create(tenant, vendor, f"Kerk{control}straat 1"), vendor)
    assert f"control characters (U+{ord(control):04X})" in str(body), body
    contacts = tenant.native("GET", "/v1/contacts", params={"archived": "all"}).json()["data"]
    assert [contact["name"] for contact in contacts] in ([], ["Parent NV"])
    assert all(control not in str(contact) for contact in contacts)


@pytest.mark.parametrize("vendor", sorted(SHAPES))
def test_tabs_and_line_breaks_are_text_in_every_dialect(tenant: Tenant, vendor: str) -> None:
    response = _create(tenant, vendor, "Kerkstraat\t1\r\nachter")
    assert response.status_code == CREATED[vendor], response.text


# Odyssee texts that are never stored as text: a company looked up by its code (the body's
# `company_code`, the embedded company's `code`) and the hashed `e_password`. On PostgreSQL a
# NUL in the lookup was a 500; on SQLite "no such company"; a NUL in a password was hashed.
ODYSSEE_UNSTORED_TEXTS = {
    "company_code": {"company_code": "ERP\x001"},
    "company.code": {"company": {"code": "ERP\x001", "name": "Nieuw NV"}},
    "e_password": {"e_password": "geheim\x07"},
}


@pytest.mark.parametrize("target", sorted(ODYSSEE_UNSTORED_TEXTS))
def test_odyssee_texts_never_stored_as_text_refuse_control_characters(
    tenant: Tenant, target: str
) -> None:
    company = tenant.native("POST", "/v1/contacts", json={"name": "Parent NV"}).json()
    body = {"lastname": "Peeters", "company_id": company["id"], **ODYSSEE_UNSTORED_TEXTS[target]}
    if target == "company.code":
        del body["company_id"]
    response = tenant.odyssee("POST", json=body)
    assert _odyssee_problem(refused(response, "odyssee", (400,))) == ("control_character", target)
    person = tenant.odyssee("POST", json={"lastname": "Peeters", "company_id": company["id"]})
    url = f"({person.json()['id']})"
    change = {k: v for k, v in body.items() if k not in ("lastname", "company_id")}
    response = tenant.odyssee("PATCH", url, json=change)
    assert _odyssee_problem(refused(response, "odyssee", (400,))) == ("control_character", target)
    assert tenant.native("GET", f"/v1/contacts/{person.json()['id']}").json()["version"] == 1


UPDATES: dict[str, Callable[[Tenant, dict[str, Any], str], httpx.Response]] = {
    "muhasip-put": lambda t, c, text: t.muhasip("PUT", f"/{c['id']}", json={"name": text}),
    "wacs-put": lambda t, c, text: t.wacs(
        "PUT", f"UpdateContact/{c['number']}", json={"Name": text}
    ),
    "faturaentegrator-patch": lambda t, c, text: t.faturaentegrator(
        "PATCH", f"/{c['number']}", json={"title": text}
    ),
    "faturaentegrator-put": lambda t, c, text: t.faturaentegrator(
        "PUT", f"/{c['number']}", json={**FATURA_COMPANY, "title": text}
    ),
    "idoklad-patch": lambda t, c, text: t.idoklad(
        "PATCH", f"/{c['number']}", json={"CompanyName": text}
    ),
    "idoklad-put": lambda t, c, text: t.idoklad(
        "PUT", f"/{c['number']}", json={"CompanyName": text, "CountryId": 2}
    ),
    "odyssee-patch": lambda t, c, text: t.odyssee("PATCH", f"({c['id']})", json={"lastname": text}),
}


@pytest.mark.parametrize("update", sorted(UPDATES))
def test_a_control_character_in_an_update_is_refused_and_changes_nothing(
    tenant: Tenant, update: str
) -> None:
    parent = tenant.native("POST", "/v1/contacts", json={"name": "Parent NV"}).json()
    if update.startswith("odyssee"):
        fields = {"kind": "person", "last_name": "Peeters", "parent_id": parent["id"]}
    else:
        fields = {"name": "Acme", "address": {"country_code": "TR"}}
    contact = tenant.native("POST", "/v1/contacts", json=fields).json()
    vendor = update.split("-")[0]
    body = refused(UPDATES[update](tenant, contact, "Ac\x00me"), vendor)
    assert "control characters (U+0000)" in str(body), body
    assert tenant.native("GET", f"/v1/contacts/{contact['id']}").json()["version"] == 1


SEARCHES: dict[str, Callable[[Tenant, str], httpx.Response]] = {
    "muhasip-query": lambda tenant, text: tenant.muhasip("GET", params={"query": text}),
    "wacs-search": lambda tenant, text: tenant.wacs("GET", "GetContacts", params={"search": text}),
    "wacs-externalId": lambda tenant, text: tenant.wacs(
        "GET", "GetContacts", params={"externalId": text}
    ),
    "faturaentegrator-search": lambda tenant, text: tenant.faturaentegrator(
        "GET", params={"search": text}
    ),
    "idoklad-filter": lambda tenant, text: tenant.idoklad(
        "GET", params={"filter": f"CompanyName~ct~{text}"}
    ),
    "idoklad-filter-name": lambda tenant, text: tenant.idoklad(
        "GET", params={"filter": f"Name~ct~{text}"}
    ),
    "odyssee-filter": lambda tenant, text: tenant.odyssee(
        "GET", params={"$filter": f"contains(lastname,'{text}')"}
    ),
}
# Query parameters are a 400 where the vendor's framework says so; Fatura Entegratör is a
# Laravel API, whose validation of a query parameter (as of `per_page`) is a 422.
SEARCH_STATUS = {"faturaentegrator": 422}


@pytest.mark.parametrize("text", ["\x00", "ab\x00cd", "\x1f", "a\x85"])
@pytest.mark.parametrize("search", sorted(SEARCHES))
def test_a_control_character_in_a_search_parameter_is_refused(
    tenant: Tenant, search: str, text: str
) -> None:
    tenant.native("POST", "/v1/contacts", json={"name": "Abcd BV"})
    vendor = search.split("-")[0]
    response = SEARCHES[search](tenant, text)
    body = refused(response, vendor, (SEARCH_STATUS.get(vendor, 400),))
    assert "control character" in str(body)


# --- 3. integers beyond the storage's range ------------------------------------------------


@pytest.mark.parametrize("operator", ["eq", "!eq", "gt", "lte"])
@pytest.mark.parametrize("value", [2**31, 2**31 + 1, 2**63, 10**30, -(2**31) - 1])
def test_idoklad_id_filters_beyond_int32_are_a_400(
    tenant: Tenant, operator: str, value: int
) -> None:
    tenant.native("POST", "/v1/contacts", json={"name": "Abcd BV"})
    response = tenant.idoklad("GET", params={"filter": f"Id~{operator}~{value}"})
    body = refused(response, "idoklad", (400,))
    assert body["ModelState"] == {
        "filter": ["Id is a whole number from -2147483648 to 2147483647."]
    }


def test_idoklad_id_filters_within_int32_still_filter(tenant: Tenant) -> None:
    created = tenant.native("POST", "/v1/contacts", json={"name": "Abcd BV"}).json()
    for value, found in [(created["number"], 1), (2**31 - 1, 0), (-(2**31), 0)]:
        response = tenant.idoklad("GET", params={"filter": f"Id~eq~{value}"})
        assert response.status_code == 200, response.text
        assert response.json()["TotalItems"] == found
