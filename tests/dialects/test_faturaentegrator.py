"""The Fatura Entegratör dialect over real HTTP: the documented requests, round trips, the
native view of the same contacts, and errors in the vendor's (Laravel's) shape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from counterparty.services.registry import Services
from tests.dialects.vendors import Client, Tenant, ok, open_tenant

PREFIX = "/compat/faturaentegrator"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

# The documented PATCH body (seed page), verbatim.
DOCUMENTED_PATCH = {
    "name": "Mehmet",
    "surname": "DEMİR",
    "phone": "5321234567",
    "email": "musteri@example.com",
    "country": "TÜRKİYE",
    "postcode": "16010",
    "city": "BURSA",
    "district": "YENİŞEHİR",
    "address": "Cumhuriyet Mh. No:12",
    "tax_number": "",
    "tax_office": "",
}
PERSON = {
    "type": "person",
    "tax_number": "10000000146",
    "tax_office": "ULUDAĞ",
    "title": "Demir Danışmanlık",
    "name": "Ayşe",
    "surname": "KAYA",
    "phone": "5441112233",
    "email": "ayse@example.com",
    "country": "TÜRKİYE",
    "postcode": "16050",
    "city": "BURSA",
    "district": "OSMANGAZİ",
    "address": "Atatürk Cd. No:3",
    "iban": "TR330006100519786457841326",
}
COMPANY = {
    "type": "company",
    "tax_number": "1234567890",
    "tax_office": "NİLÜFER",
    "title": "DEMİR TEKSTİL SANAYİ VE TİCARET A.Ş.",
    "name": "Mehmet",
    "surname": "DEMİR",
    "phone": "2242345678",
    "email": "muhasebe@demirtekstil.com.tr",
    "country": "TÜRKİYE",
    "postcode": "16140",
    "city": "BURSA",
    "district": "NİLÜFER",
    "address": "Organize Sanayi Bölgesi 3. Cadde No:5",
    "iban": "TR330006100519786457841326",
}
VENDOR_FIELDS = list(COMPANY)


@dataclass
class Clients:
    fe: Client  # the dialect, Bearer key, below PREFIX
    native: Client  # /v1, same tenant
    key: str

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = ok(self.fe.post("/api/customers", json=body), 201)["data"]
        return data

    def canonical(self, number: int) -> dict[str, Any]:
        return ok(self.native.get(f"/v1/contacts/by-number/{number}"))


@pytest.fixture
def clients(tenant: Tenant) -> Clients:
    fe = tenant.faturaentegrator.at(PREFIX).sending({"Accept": "application/json"})
    return Clients(fe, tenant.native, tenant.key)


def vendor_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in VENDOR_FIELDS}


def test_create_company_returns_the_resource_with_every_field(clients: Clients) -> None:
    response = clients.fe.post("/api/customers", json=COMPANY)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["data"]
    data = body["data"]
    assert set(data) == {"id", *VENDOR_FIELDS, "created_at", "updated_at"}
    assert data["id"] == 1
    assert vendor_fields(data) == COMPANY
    assert TIMESTAMP.match(data["created_at"]) and data["updated_at"] == data["created_at"]


@pytest.mark.parametrize("body", [PERSON, COMPANY], ids=["person", "company"])
def test_round_trip_through_the_dialect(clients: Clients, body: dict[str, Any]) -> None:
    created = clients.create(body)
    fetched = clients.fe.get(f"/api/customers/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == {"data": created}
    assert vendor_fields(created) == body


def test_a_company_through_the_native_api(clients: Clients) -> None:
    created = clients.create(COMPANY)
    contact = clients.canonical(created["id"])
    assert contact["kind"] == "company"
    assert contact["name"] == COMPANY["title"]
    assert (contact["first_name"], contact["last_name"]) == ("Mehmet", "DEMİR")
    assert (contact["tax_id"], contact["tax_office"]) == ("1234567890", "NİLÜFER")
    assert contact["address"] == {
        "street": "Organize Sanayi Bölgesi 3. Cadde No:5",
        "street2": None,
        "box": None,
        "postal_code": "16140",
        "city": "NİLÜFER",  # ilçe
        "district": None,
        "state": "BURSA",  # il
        "country_code": "TR",
        "attention": None,
    }
    assert contact["phone"] == "+902242345678"
    assert contact["email"] == "muhasebe@demirtekstil.com.tr"
    assert [(a["iban"], a["is_default"]) for a in contact["bank_accounts"]] == [
        ("TR330006100519786457841326", True)
    ]
    assert contact["is_customer"] is True
    assert contact["extensions"] == {"faturaentegrator": {"country": "TÜRKİYE"}}
    assert contact["created_at"].startswith(created["created_at"][:19])


def test_a_person_through_the_native_api(clients: Clients) -> None:
    created = clients.create(PERSON)
    contact = clients.canonical(created["id"])
    assert contact["kind"] == "person"
    assert contact["name"] == "Ayşe KAYA"
    assert (contact["first_name"], contact["last_name"]) == ("Ayşe", "KAYA")
    assert contact["tax_id"] == "10000000146"
    assert contact["phone"] == "+905441112233"
    assert contact["extensions"] == {
        "faturaentegrator": {"title": "Demir Danışmanlık", "country": "TÜRKİYE"}
    }


def test_the_documented_patch_is_accepted_and_clears_the_tax_number(clients: Clients) -> None:
    """The page's own PATCH sample: every field is optional, "" clears one."""
    created = clients.create(COMPANY)
    response = clients.fe.patch(f"/api/customers/{created['id']}", json=DOCUMENTED_PATCH)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert vendor_fields(data) == {**COMPANY, **DOCUMENTED_PATCH, "tax_number": None,
                                   "tax_office": None}  # fmt: skip
    contact = clients.canonical(created["id"])
    assert (contact["tax_id"], contact["tax_office"], contact["kind"]) == (None, None, "company")
    assert contact["name"] == COMPANY["title"] and contact["version"] == 2


def test_the_documented_patch_without_clearing_the_tax_number(clients: Clients) -> None:
    created = clients.create(PERSON)
    body = {key: value for key, value in DOCUMENTED_PATCH.items() if key != "tax_number"}
    response = clients.fe.patch(f"/api/customers/{created['id']}", json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    expected = {**PERSON, **body, "tax_office": None}
    assert vendor_fields(data) == expected
    assert data["id"] == created["id"] and data["created_at"] == created["created_at"]
    assert clients.fe.get(f"/api/customers/{created['id']}").json()["data"] == data
    contact = clients.canonical(created["id"])
    assert contact["name"] == "Mehmet DEMİR"  # re-derived from name + surname
    assert contact["tax_office"] is None and contact["address"]["city"] == "YENİŞEHİR"
    assert contact["phone"] == "+905321234567" and contact["version"] == 2


def test_patch_changes_only_what_it_sends(clients: Clients) -> None:
    created = clients.create(COMPANY)
    response = clients.fe.patch(
        f"/api/customers/{created['id']}", json={"email": "fatura@demir.com.tr", "postcode": ""}
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert vendor_fields(data) == {**COMPANY, "email": "fatura@demir.com.tr", "postcode": None}
    contact = clients.canonical(created["id"])
    assert contact["address"]["postal_code"] is None and contact["address"]["state"] == "BURSA"


def test_patch_checks_what_it_sends_not_the_create_rules(clients: Clients) -> None:
    person = {key: value for key, value in PERSON.items() if key not in ("title", "tax_office")}
    created = clients.create(person)
    url = f"/api/customers/{created['id']}"
    refused = clients.fe.patch(url, json={"type": "business", "email": "not an address"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "type": ["The selected type is invalid."],
        "email": ["The email field must be a valid email address."],
    }
    assert clients.canonical(created["id"])["kind"] == "person"

    changed = clients.fe.patch(url, json={"type": "company", "title": "KAYA GIDA LTD. ŞTİ."})
    assert changed.status_code == 200, changed.text
    assert vendor_fields(changed.json()["data"]) == {
        **person,
        "type": "company",
        "title": "KAYA GIDA LTD. ŞTİ.",
        "tax_office": None,  # required on create only
    }
    contact = clients.canonical(created["id"])
    assert (contact["kind"], contact["name"]) == ("company", "KAYA GIDA LTD. ŞTİ.")


def test_put_replaces_the_vendor_view_and_keeps_the_rest(clients: Clients) -> None:
    created = clients.create(COMPANY)
    number = created["id"]
    contact = clients.canonical(number)
    second = {"iban": "NL91ABNA0417164300", "is_default": False}
    native = clients.native.patch(
        f"/v1/contacts/{contact['id']}",
        json={
            "tags": ["vip"],
            "notes": "pays early",
            "bank_accounts": [*contact["bank_accounts"], second],
        },
    )
    assert native.status_code == 200, native.text
    body = {key: value for key, value in COMPANY.items() if key not in ("phone", "iban", "name")}
    response = clients.fe.put(f"/api/customers/{number}", json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert vendor_fields(data) == {
        **COMPANY,
        "phone": None,
        "iban": "NL91ABNA0417164300",
        "name": None,
    }
    after = clients.canonical(number)
    assert after["tags"] == ["vip"] and after["notes"] == "pays early"
    assert after["phone"] is None and after["first_name"] is None
    assert [account["iban"] for account in after["bank_accounts"]] == ["NL91ABNA0417164300"]


def test_put_follows_create_rules(clients: Clients) -> None:
    created = clients.create(COMPANY)
    response = clients.fe.put(f"/api/customers/{created['id']}", json={"email": "a@b.com.tr"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [
        "type",
        "tax_number",
        "country",
        "city",
        "district",
        "address",
    ]
    assert clients.fe.get(f"/api/customers/{created['id']}").json()["data"] == created


def test_create_requires_the_documented_fields(clients: Clients) -> None:
    response = clients.fe.post("/api/customers", json={})
    assert response.status_code == 422
    assert response.json() == {
        "message": "The type field is required. (and 5 more errors)",
        "errors": {
            "type": ["The type field is required."],
            "tax_number": ["The tax number field is required."],
            "country": ["The country field is required."],
            "city": ["The city field is required."],
            "district": ["The district field is required."],
            "address": ["The address field is required."],
        },
    }
    person = {**PERSON, "name": "", "surname": None}
    errors = clients.fe.post("/api/customers", json=person).json()["errors"]
    assert errors == {
        "name": ["The name field is required when type is person."],
        "surname": ["The surname field is required when type is person."],
    }
    assert clients.fe.get("/api/customers").json()["meta"]["total"] == 0
    assert clients.native.get("/v1/contacts").json()["data"] == []


VENDOR_RULES = [
    ("type", "firma", "The selected type is invalid."),
    ("tax_number", "12345", "The tax number field must be between 10 and 11 digits."),
    ("tax_number", 1234567890, "The tax number field must be a string."),
    ("email", "not-an-email", "The email field must be a valid email address."),
    ("country", "Atlantis", "The selected country is invalid."),
    ("title", "x" * 201, "The title field must not be greater than 200 characters."),
    ("postcode", "1" * 21, "The postcode field must not be greater than 20 characters."),
]


def test_vendor_validation(clients: Clients) -> None:
    for field, value, message in VENDOR_RULES:
        response = clients.fe.post("/api/customers", json={**COMPANY, field: value})
        assert response.status_code == 422, (field, value)
        assert response.json() == {"message": message, "errors": {field: [message]}}
    assert clients.native.get("/v1/contacts").json()["data"] == []


def test_a_core_validation_error_is_reported_under_the_vendor_field(clients: Clients) -> None:
    too_long = "TR33 0006 1005 1978 6457 8413 2612 3456 7890 1234 56"  # over 42 as typed
    response = clients.fe.post("/api/customers", json={**COMPANY, "iban": too_long})
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["iban"]
    assert body["errors"]["iban"][0] == "The iban field must not be greater than 42 characters."
    assert body["message"] == body["errors"]["iban"][0]
    assert clients.native.get("/v1/contacts").json()["data"] == []


def test_values_are_trimmed_and_unknown_members_ignored(clients: Clients) -> None:
    body = {**COMPANY, "city": "  BURSA ", "id": 99, "created_at": "x", "foo": "bar"}
    data = clients.create(body)
    assert data["id"] == 1 and data["city"] == "BURSA" and "foo" not in data
    assert data["created_at"] != "x"


def test_phone_and_country_read_back_in_the_vendors_form(clients: Clients) -> None:
    data = clients.create({**COMPANY, "phone": "+90 (224) 234 56 78", "country": "Türkiye"})
    assert (data["phone"], data["country"]) == ("2242345678", "Türkiye")
    contact = clients.canonical(data["id"])
    moved = clients.native.patch(
        f"/v1/contacts/{contact['id']}", json={"address": {"country_code": "DE"}}
    )
    assert moved.status_code == 200, moved.text
    again = clients.fe.get(f"/api/customers/{data['id']}").json()["data"]
    assert again["country"] == "ALMANYA"
    assert again["phone"] == "+902242345678"  # no longer a Turkish address: E.164 as stored


def test_list_pages_like_laravel(clients: Clients) -> None:
    for index in range(4):
        clients.create({**COMPANY, "tax_number": f"123456789{index}", "title": f"Firma {index}"})
    first = clients.fe.get("/api/customers", params={"per_page": 3})
    assert first.status_code == 200
    body = first.json()
    assert [item["id"] for item in body["data"]] == [1, 2, 3]
    assert body["data"][0]["title"] == "Firma 0"
    meta = body["meta"]
    assert {key: meta[key] for key in ("current_page", "from", "last_page", "per_page", "to")} == {
        "current_page": 1,
        "from": 1,
        "last_page": 2,
        "per_page": 3,
        "to": 3,
    }
    assert meta["total"] == 4 and meta["path"].endswith(f"{PREFIX}/api/customers")
    links = body["links"]
    assert links["prev"] is None and links["first"].endswith("page=1")
    assert "page=2" in links["next"] and "per_page=3" in links["next"]
    assert links["last"] == links["next"]

    second = clients.fe.get(links["next"].removeprefix(PREFIX)).json()  # links are relative
    assert [item["id"] for item in second["data"]] == [4]
    assert (second["meta"]["from"], second["meta"]["to"]) == (4, 4)
    assert second["links"]["next"] is None and "page=1" in second["links"]["prev"]

    beyond = clients.fe.get("/api/customers", params={"page": 9}).json()
    assert beyond["data"] == [] and beyond["meta"]["from"] is None
    assert beyond["meta"]["total"] == 4 and beyond["meta"]["per_page"] == 15
    assert clients.fe.get("/api/customers?page=abc").json()["meta"]["current_page"] == 1


def test_list_search_and_type(clients: Clients) -> None:
    clients.create(COMPANY)
    person = clients.create({**PERSON, "district": "YENİŞEHİR"})
    found = clients.fe.get("/api/customers", params={"search": "yenisehir"}).json()
    assert [item["id"] for item in found["data"]] == [person["id"]]
    assert found["meta"]["total"] == 1
    companies = clients.fe.get("/api/customers", params={"type": "company"}).json()
    assert [item["type"] for item in companies["data"]] == ["company"]


def test_bad_list_parameters_are_422(clients: Clients) -> None:
    for params, field in (({"per_page": "0"}, "per_page"), ({"type": "firma"}, "type")):
        response = clients.fe.get("/api/customers", params=params)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == [field]


def test_delete(clients: Clients) -> None:
    created = clients.create(COMPANY)
    contact = clients.canonical(created["id"])
    response = clients.fe.delete(f"/api/customers/{created['id']}")
    assert response.status_code == 204 and response.content == b""
    assert clients.fe.get(f"/api/customers/{created['id']}").status_code == 404
    assert clients.native.get(f"/v1/contacts/{contact['id']}").status_code == 404


def test_unknown_customer_is_404(clients: Clients) -> None:
    clients.create(COMPANY)
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        for number in ("999", "abc", "0", "27201799818"):  # beyond a stored number: 404
            response = clients.fe.request(method, f"/api/customers/{number}", json=COMPANY)
            assert response.status_code == 404, (method, number)
            assert response.json() == {
                "message": f"No query results for model [App\\Models\\Customer] {number}"
            }
    assert clients.fe.get("/api/customers/1").status_code == 200


def test_authentication_failures(clients: Clients, vendor_pool: httpx.Client) -> None:
    for authorization in (
        None,
        "Bearer cpk_not_a_real_key",
        f"Basic {clients.key}",
        f"Token {clients.key}",
    ):
        headers = {"Accept": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        anonymous = Client(vendor_pool, PREFIX, headers)
        for response in (
            anonymous.get("/api/customers"),
            anonymous.post("/api/customers", json=COMPANY),
            anonymous.patch("/api/customers/1", json={"email": "x@example.com"}),
        ):
            assert response.status_code == 401, authorization
            assert response.json() == {"message": "Unauthenticated."}
    assert clients.native.get("/v1/contacts").json()["data"] == []


def test_other_tenants_customers_are_not_found(
    clients: Clients, services: Services, vendor_pool: httpx.Client
) -> None:
    created = clients.create(COMPANY)
    stranger = open_tenant(services, vendor_pool).faturaentegrator.at(PREFIX)
    assert stranger.get(f"/api/customers/{created['id']}").status_code == 404
    assert stranger.get("/api/customers").json()["meta"]["total"] == 0


UNREADABLE = [
    (b"{not json", "application/json", 400),
    (b"", "application/json", 400),
    (b"name=x", "application/x-www-form-urlencoded", 415),
    (b"[1, 2]", "application/json", 422),
    (b'{"notes": "' + b"x" * (1024 * 1024) + b'"}', "application/json", 413),
]


def test_unreadable_bodies_answer_in_the_vendors_shape(clients: Clients) -> None:
    for content, content_type, status in UNREADABLE:
        response = clients.fe.post(
            "/api/customers", content=content, headers={"Content-Type": content_type}
        )
        assert response.status_code == status, content[:20]
        assert response.headers["content-type"] == "application/json"
        message = response.json()["message"]
        assert isinstance(message, str) and message
    assert clients.native.get("/v1/contacts").json()["data"] == []


def test_unknown_routes_and_methods_answer_in_the_vendors_shape(clients: Clients) -> None:
    missing = clients.fe.get("/api/customer")
    assert missing.status_code == 404
    assert missing.json() == {"message": "The route api/customer could not be found."}
    wrong = clients.fe.post("/api/customers/1", json=COMPANY)
    assert wrong.status_code == 405
    assert wrong.json() == {
        "message": "The POST method is not supported for route api/customers/1. "
        "Supported methods: GET, HEAD, PUT, PATCH, DELETE."
    }
    assert wrong.headers["allow"] == "GET, HEAD, PUT, PATCH, DELETE"
    assert clients.fe.delete("/api/customers").status_code == 405


def test_a_customer_number_of_non_ascii_digits_is_not_found(clients: Clients) -> None:
    # "²" and "٣" are digits to str.isdigit() but no number to int(): this was a 500.
    for raw in ("%C2%B2", "%D9%A3"):
        response = clients.fe.get(f"/api/customers/{raw}")
        assert response.status_code == 404, raw
        assert response.json()["message"].startswith("No query results for model")
