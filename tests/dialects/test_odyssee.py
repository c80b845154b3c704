"""Odyssee Mobile dialect: the seed's sample contact through real HTTP, read back through the
dialect and through the native API; PUT, PATCH, DELETE and Prefer: return=minimal."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.dialects.vendors import Client, Tenant, ok

ROOT = "/compat/odyssee/api"
CONTACT_ID = "93498506-9dde-4593-b844-e3c51c0e2bc2"
COMPANY_ID = "b2f64bc6-ec41-48d0-814f-e2e71de0ad85"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PASSWORD = "Brouwerij#2024"


@dataclass
class Odyssee:
    slug: str
    key: str
    http: Client  # the vendor's API, authenticated as user:key@TENANT; paths from the root
    native: Client  # /v1, same tenant

    def count(self) -> int:
        listed = self.native.get("/v1/contacts", params={"archived": "all", "limit": 200})
        return len(listed.json()["data"])

    def native_contact(self, contact_id: str) -> dict[str, Any]:
        return ok(self.native.get(f"/v1/contacts/{contact_id}"))


@pytest.fixture(name="odyssee")
def odyssee_client(tenant: Tenant) -> Odyssee:
    return Odyssee(tenant.slug, tenant.key, tenant.odyssee.at(""), tenant.native)


def company_sample(group_id: str) -> dict[str, Any]:
    """The seed's embedded `company`, placeholders replaced by realistic values."""
    return {
        "id": COMPANY_ID,
        "is_client": True,
        "is_supplier": True,
        "archived": True,
        "name": "Brouwerij De Koninck NV",
        "notes": "Key account since 2019",
        "create_date": "2019-04-24T10:59:50.6554761+00:00",
        "sales_territory_id": "7f118ae3-b999-4b85-ac75-31cf86f139ea",
        "sales_territory_code": "ANTW",
        "sales_territory": {
            "id": "129de401-a30f-4cda-8cf1-5a76dda2455d",
            "code": "ANTW",
            "description": "Antwerp region",
            "sales_organization_id": "15d829fb-bf97-46f3-a8ac-7db8686ac9fd",
            "sales_organization_code": "BE-SALES",
            "sales_organization": {"id": "d8fc40fc-cd9e-4a3c-b6fa-8dc672d955a1", "zip": "2018"},
            "modified_dateutc": "2026-04-24T10:59:50.6554761+00:00",
        },
        "marketing_segment_id": "4e4efafc-74d2-4979-8fe6-53579cb6fb40",
        "marketing_segment_code": "HORECA",
        "sales_organization_id": "ac6556a5-4d96-4cca-ba9a-9b180a3fdabe",
        "sales_organization_code": "BE-SALES",
        "company_sales_status_code": "ACTIVE",
        "vat_reg_code": "BE 0403.019.261",
        "is_working_address": True,
        "parent_id": group_id,
        "parent_company_code": "GRP-1",
        "phone": "+32 3 218 50 50",
        "fax": "+32 3 218 50 51",
        "url": "https://dekoninck.example.be",
        "email": "info@DeKoninck.example.be",
        "street": "Mechelsesteenweg",
        "street_number": "291",
        "city": "Antwerpen",
        "zip": "2018",
        "db_country_id": "d9685efc-fa75-4bc5-87f9-a307515d8afe",
        "db_country_code": "Belgium",
        "feelist_id": "7d87017c-eadc-4da8-a7e7-4df000154194",
        "feelist_reference_back_office": "FL-STD",
        "feelist": {"id": "135903a1-8f58-40f7-aaea-1ae5e00bfd8b", "default_price": 1.5},
        "company_type_id": "bc013352-7811-4c35-9413-66279ec9864e",
        "company_type_name": "Customer",
        "company_type": {"id": "aec76613-0798-46cf-86ff-fd4c0b9ac84c", "name": "Customer"},
        "db_language_id": "b2e924a7-416d-463f-af37-ddde5ba1ce0c",
        "db_language_code": "nl",
        "code": "ERP-C-1001",
        "article_price_label_id": "91ac5205-7631-44fa-8b61-bb15b4d148a7",
        "article_price_label_code": "PL-A",
        "db_payment_method_id": "f6af3863-c004-4621-85ec-b5df5dc15191",
        "db_payment_method_reference_back_office": "PM-30",
        "db_payment_methods": {"id": "4e219e91-7db7-4f9c-add3-e03c0a242da3", "activated": True},
        "company_sector_id": "94f6f932-680b-48e0-a8c1-7c8a214f1fe3",
        "company_sector_code": "BREW",
        "is_lead": True,
        "is_subcontractor": True,
        "latitude": 51.1925,
        "longitude": 4.4107,
        "street2": "Gebouw B",
        "bic_code": "GEBABEBB",
        "specialities": "Beer, events",
        "register_number": "0403.019.261",
        "register_city": "Antwerpen",
        "bankaccount": "BE68 5390 0754 7034",
        "mobile": "+32 475 99 88 77",
        "service_manager_user_id": "45c9813c-44a8-4e54-bcd6-acd00c2a2712",
        "service_manager_user_code": "U-SM",
        "finance_manager_user_id": "8df1237f-4d63-4847-8961-8d394d3b76f7",
        "finance_manager_user_code": "U-FM",
        "account_manager_user_id": "476f1d38-d344-498b-9864-606a769cb68a",
        "account_manager_user_code": "U-AM",
        "company_status_id": "efaa04b0-b63c-4f49-8cf6-9152113bdb80",
        "invoice_email_to": "invoices@dekoninck.example.be",
        "modified_dateutc": "2026-04-24T10:59:50.6554761+00:00",
        "id2": 60,
    }


def contact_sample(group_id: str) -> dict[str, Any]:
    """The seed's sample `contact` body, placeholders replaced by realistic values."""
    return {
        "id": CONTACT_ID,
        "firstname": "Jan",
        "lastname": "Peeters",
        "company_id": COMPANY_ID,
        "company_code": "ERP-C-1001",
        "company": company_sample(group_id),
        "db_language_id": "79360b29-fb5a-4e28-84c4-ede0e9cc6549",
        "db_language_code": "nl-BE",
        "db_title_id": "635608bc-d8e9-44eb-af29-df6d57e8786d",
        "archived": True,
        "functions": "ServiceManager",
        "e_login": "jan.peeters",
        "e_password": PASSWORD,
        "notes": "Prefers morning visits",
        "birthdate": "1984-06-02T00:00:00.0000000+00:00",
        "create_date": "2026-04-24T10:59:50.6554761+00:00",
        "phone": "+32 3 218 50 52",
        "mobile": "+32 475 12 34 56",
        "email": "Jan.Peeters@DeKoninck.example.be",
        "skype": "live:jan.peeters",
        "private_phone": "+32 3 123 45 67",
        "private_mobile": "+32 486 11 22 33",
        "private_email": "jan.peeters@example.org",
        "reference_back_office": "ERP-P-2001",
        "modified_dateutc": "2026-04-24T10:59:50.6554761+00:00",
    }


def as_read(sample: dict[str, Any], returned: dict[str, Any]) -> dict[str, Any]:
    """What a read must show for `sample`: itself, but the password blank and the
    server-managed fields (checked separately) as the server set them."""
    expected = copy.deepcopy(sample)
    expected["e_password"] = ""
    expected["modified_dateutc"] = returned["modified_dateutc"]
    if "company" in expected:
        expected["company"]["modified_dateutc"] = returned["company"]["modified_dateutc"]
        expected["company"]["id2"] = returned["company"]["id2"]
    return expected


def minimal(lastname: str = "Peeters", code: str = "ERP-C-1", **more: Any) -> dict[str, Any]:
    return {"lastname": lastname, "company": {"name": f"Company {code}", "code": code}, **more}


def actor_for(services: Services, key: str) -> Actor:
    principal = services.tenancy.authenticate(key)
    return Actor(principal.tenant, principal.api_key_id, "test")


def test_the_documented_sample_creates_a_person_and_its_company(odyssee: Odyssee) -> None:
    group = odyssee.native.post("/v1/contacts", json={"name": "De Koninck Group"}).json()
    sample = contact_sample(group["id"])
    response = odyssee.http.post(f"{ROOT}/Contact", json=sample)
    assert response.status_code == 201, response.text
    body = response.json()
    # Relative: without COUNTERPARTY_PUBLIC_URL no link is built from the Host header.
    assert response.headers["location"] == f"{ROOT}/Contact({CONTACT_ID})"
    assert response.headers["odata-version"] == "4.0"
    assert body.pop("@odata.context") == f"{ROOT}/$metadata#Contact(company())/$entity"
    assert TIMESTAMP.match(body["modified_dateutc"])
    assert TIMESTAMP.match(body["company"]["modified_dateutc"])
    assert body["company"]["id2"] == 2  # the company's canonical number
    assert body == as_read(sample, body)

    fetched = odyssee.http.get(f"{ROOT}/Contact({CONTACT_ID})", params={"$expand": "company"})
    assert fetched.status_code == 200, fetched.text
    read = fetched.json()
    read.pop("@odata.context")
    assert read == body  # the round trip is lossless
    plain = odyssee.http.get(f"{ROOT}/Contact(guid'{CONTACT_ID}')").json()
    assert "company" not in plain
    assert plain["company_code"] == "ERP-C-1001" and plain["e_password"] == ""


def test_the_sample_is_mapped_onto_canonical_contacts(odyssee: Odyssee, services: Services) -> None:
    group = odyssee.native.post("/v1/contacts", json={"name": "De Koninck Group"}).json()
    sample = contact_sample(group["id"])
    assert odyssee.http.post(f"{ROOT}/Contact", json=sample).status_code == 201
    person = odyssee.native_contact(CONTACT_ID)
    assert PASSWORD not in str(person) and "e_password" not in str(person)
    assert {name: person[name] for name in ("kind", "name", "first_name", "last_name")} == {
        "kind": "person",
        "name": "Jan Peeters",
        "first_name": "Jan",
        "last_name": "Peeters",
    }
    assert person["parent_id"] == COMPANY_ID
    assert person["external_ref"] == "ERP-P-2001"
    assert person["language"] == "nl"
    assert person["archived"] is True
    assert person["notes"] == "Prefers morning visits"
    assert person["birth_date"] == "1984-06-02"
    assert person["email"] == "Jan.Peeters@dekoninck.example.be"
    assert (person["phone"], person["mobile"]) == ("+3232185052", "+32475123456")
    ext = person["extensions"]["odyssee"]
    assert {name: ext[name] for name in ("functions", "e_login", "skype", "db_title_id")} == {
        "functions": "ServiceManager",
        "e_login": "jan.peeters",
        "skype": "live:jan.peeters",
        "db_title_id": sample["db_title_id"],
    }
    assert ext["private_email"] == "jan.peeters@example.org"
    assert ext["create_date"] == sample["create_date"]

    company = odyssee.native_contact(COMPANY_ID)
    assert company["kind"] == "company" and company["name"] == "Brouwerij De Koninck NV"
    assert company["external_ref"] == "ERP-C-1001" and company["parent_id"] == group["id"]
    assert (company["is_customer"], company["is_supplier"], company["archived"]) == (
        True,
        True,
        True,
    )
    assert company["vat_number"] == "BE0403019261"
    assert company["registration_number"] == "0403019261"
    assert company["address"] | {"box": None} == {
        "street": "Mechelsesteenweg 291",
        "street2": "Gebouw B",
        "box": None,
        "postal_code": "2018",
        "city": "Antwerpen",
        "district": None,
        "state": None,
        "country_code": "BE",
        "attention": None,
    }
    assert (company["phone"], company["fax"]) == ("+3232185050", "+3232185051")
    assert company["website"] == "https://dekoninck.example.be"
    assert company["language"] == "nl"
    assert (
        company["extensions"]["odyssee"]["sales_territory"] == sample["company"]["sales_territory"]
    )
    history = odyssee.native.get(f"/v1/contacts/{CONTACT_ID}/history").json()["data"]
    assert [event["entry_point"] for event in history] == ["dialect:odyssee"]
    actor = actor_for(services, odyssee.key)
    contact_id = UUID(person["id"])
    assert services.contacts.verify_secret(actor, contact_id, "e_password", PASSWORD)
    assert not services.contacts.verify_secret(actor, contact_id, "e_password", "guess")


def test_company_code_links_an_existing_company_by_its_external_ref(odyssee: Odyssee) -> None:
    company = odyssee.native.post(
        "/v1/contacts", json={"name": "Acme NV", "external_ref": "ERP-77"}
    ).json()
    body = {"firstname": "An", "lastname": "Claes", "company_code": "ERP-77"}
    response = odyssee.http.post(f"{ROOT}/Contact", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["company_id"] == company["id"] and created["company_code"] == "ERP-77"
    assert odyssee.native_contact(created["id"])["parent_id"] == company["id"]
    by_id = odyssee.http.post(
        f"{ROOT}/Contact", json={"lastname": "Wouters", "company_id": company["id"]}
    )
    assert by_id.status_code == 201 and by_id.json()["company_code"] == "ERP-77"


def test_put_replaces_the_vendor_view_and_keeps_what_it_does_not_map(
    odyssee: Odyssee, services: Services
) -> None:
    created = odyssee.http.post(
        f"{ROOT}/Contact",
        json=minimal(firstname="Jan", notes="old", functions="Dispatcher", e_password=PASSWORD),
    ).json()
    contact_id = created["id"]
    native = odyssee.native.patch(
        f"/v1/contacts/{contact_id}",
        json={
            "tags": ["vip"],
            "title": "Dr.",
            "address": {"city": "Gent", "country_code": "BE"},
            "extensions": {"wacs": {"Header1": "x"}},
        },
    )
    assert native.status_code == 200, native.text
    body = {
        "id": contact_id,
        "firstname": "Johan",
        "lastname": "Peeters",
        "company_code": "ERP-C-1",
        "mobile": "0475 12 34 56",
        "e_password": "",
    }
    response = odyssee.http.put(f"{ROOT}/Contact({contact_id})", json=body)
    assert response.status_code == 200, response.text
    replaced = response.json()
    assert replaced["firstname"] == "Johan" and replaced["mobile"] == "0475 12 34 56"
    assert (replaced["notes"], replaced["functions"], replaced["archived"]) == ("", "", False)
    assert replaced["company_id"] == created["company_id"]
    assert replaced["birthdate"] is None and replaced["db_title_id"] == ZERO_GUID
    read = odyssee.http.get(f"{ROOT}/Contact({contact_id})").json()
    assert read == replaced
    stored = odyssee.native_contact(contact_id)
    assert stored["tags"] == ["vip"] and stored["title"] == "Dr."
    assert stored["extensions"]["wacs"] == {"Header1": "x"}
    assert stored["address"]["city"] == "Gent"
    assert stored["name"] == "Johan Peeters" and stored["notes"] is None
    assert stored["mobile"] == "+32475123456"  # Belgian number: the address country is BE
    assert "functions" not in stored["extensions"].get("odyssee", {})
    actor = actor_for(services, odyssee.key)
    assert services.contacts.verify_secret(actor, UUID(contact_id), "e_password", PASSWORD)


def test_patch_changes_only_the_members_sent(odyssee: Odyssee, services: Services) -> None:
    created = odyssee.http.post(
        f"{ROOT}/Contact", json=minimal(firstname="Jan", skype="jan.p", phone="+32 3 218 50 52")
    ).json()
    url = f"{ROOT}/Contact({created['id']})"
    response = odyssee.http.patch(url, json={"mobile": "+32 475 00 00 01", "e_password": "n3w"})
    assert response.status_code == 200, response.text
    patched = response.json()
    for entity in (created, patched):
        entity.pop("@odata.context")
    created.pop("company")  # the create embedded it; the patch did not
    assert patched == created | {
        "mobile": "+32 475 00 00 01",
        "modified_dateutc": patched["modified_dateutc"],
    }
    cleared = odyssee.http.patch(url, json={"skype": "", "firstname": None}).json()
    assert (cleared["skype"], cleared["firstname"], cleared["phone"]) == ("", "", "+32 3 218 50 52")
    assert odyssee.native_contact(created["id"])["name"] == "Peeters"
    actor = actor_for(services, odyssee.key)
    assert services.contacts.verify_secret(actor, UUID(created["id"]), "e_password", "n3w")


def test_a_company_embedded_in_an_update_is_merged_into_the_existing_one(
    odyssee: Odyssee,
) -> None:
    created = odyssee.http.post(f"{ROOT}/Contact", json=minimal(code="ERP-9")).json()
    company_id = created["company_id"]
    odyssee.native.patch(f"/v1/contacts/{company_id}", json={"tags": ["key-account"]})
    embedded = {"code": "ERP-9", "city": "Leuven", "is_supplier": True}
    response = odyssee.http.patch(f"{ROOT}/Contact({created['id']})", json={"company": embedded})
    assert response.status_code == 200, response.text
    company = response.json()["company"]
    assert (company["id"], company["name"], company["city"]) == (
        company_id,
        "Company ERP-9",
        "Leuven",
    )
    stored = odyssee.native_contact(company_id)
    assert stored["tags"] == ["key-account"] and stored["is_supplier"] is True


def test_delete_removes_the_contact(odyssee: Odyssee) -> None:
    created = odyssee.http.post(f"{ROOT}/Contact", json=minimal()).json()
    url = f"{ROOT}/Contact({created['id']})"
    response = odyssee.http.delete(url)
    assert response.status_code == 204 and response.content == b""
    gone = odyssee.http.get(url)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found"
    assert odyssee.native.get(f"/v1/contacts/{created['id']}").status_code == 404
    assert odyssee.native.get(f"/v1/contacts/{created['company_id']}").status_code == 200


def test_prefer_return_minimal_answers_204(odyssee: Odyssee) -> None:
    response = odyssee.http.post(
        f"{ROOT}/Contact", json=minimal(), headers={"Prefer": "return=minimal"}
    )
    assert response.status_code == 204 and response.content == b""
    assert response.headers["preference-applied"] == "return=minimal"
    entity = response.headers["odata-entityid"]
    assert entity == response.headers["location"]
    assert odyssee.http.get(entity).json()["lastname"] == "Peeters"


def test_text_json_is_accepted_and_keys_can_be_quoted(odyssee: Odyssee) -> None:
    response = odyssee.http.post(
        f"{ROOT}/Contact",
        content=b'{"lastname": "Maes", "company": {"name": "Maes BV"}}',
        headers={"Content-Type": "text/json"},
    )
    assert response.status_code == 201, response.text
    contact_id = response.json()["id"]
    for key in (contact_id, f"guid'{contact_id}'", f"'{contact_id.upper()}'"):
        found = odyssee.http.get(f"{ROOT}/Contact({key})")
        assert found.status_code == 200 and found.json()["id"] == contact_id


def test_native_changes_show_through_the_dialect(odyssee: Odyssee) -> None:
    created = odyssee.http.post(
        f"{ROOT}/Contact", json=minimal(phone="+32 3 218 50 52", db_language_code="nl-BE")
    ).json()
    url = f"{ROOT}/Contact({created['id']})"
    assert odyssee.http.get(url).json()["phone"] == "+32 3 218 50 52"
    changed = odyssee.native.patch(
        f"/v1/contacts/{created['id']}",
        json={"phone": "+3211223344", "language": "fr", "last_name": "Dupont"},
    )
    assert changed.status_code == 200, changed.text
    read = odyssee.http.get(url).json()
    assert (read["phone"], read["db_language_code"]) == ("+3211223344", "fr")
    assert read["lastname"] == "Dupont"


def test_a_contact_without_a_birth_date_reads_back_null(odyssee: Odyssee) -> None:
    """Never invent data: /v1 says birth_date null, so does the dialect (1980-01-01, the
    vendor's "no value", is still read as no value when sent)."""
    created = odyssee.http.post(f"{ROOT}/Contact", json=minimal(birthdate="1980-01-01"))
    assert created.status_code == 201 and created.json()["birthdate"] is None
    contact_id = created.json()["id"]
    assert odyssee.native_contact(contact_id)["birth_date"] is None
    assert odyssee.http.get(f"{ROOT}/Contact({contact_id})").json()["birthdate"] is None
    dated = odyssee.http.patch(f"{ROOT}/Contact({contact_id})", json={"birthdate": "1990-05-17"})
    assert dated.json()["birthdate"] == "1990-05-17"
    assert odyssee.native_contact(contact_id)["birth_date"] == "1990-05-17"
