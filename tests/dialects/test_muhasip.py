"""The Muhasip dialect over real HTTP: the seed's documented request, round trips, the native
view of the same contacts, paging, and errors in Muhasip's {"status": false} shape."""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from counterparty.dialects.muhasip import routes
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.dialects.vendors import BASES, Client, Tenant, ok, open_tenant

PREFIX = BASES["muhasip"]
MONGO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

# The seed's Update request body; only the contact person's placeholders ("Telefon Numarası",
# "Mail Adresi"...) are replaced by realistic values.
SEED_BODY: dict[str, Any] = {
    "name": "Murat Duran",
    "phone": "+905453493838",
    "email": "murat@muhasip.com.tr",
    "taxId": "11111111111",
    "taxOffice": "Urla",
    "countries": "Türkiye",
    "states": "İzmir",
    "cities": "Urla",
    "address": "Açık Adres",
    "isCustomer": True,
    "person": False,
    "archived": False,
    "ibans": ["TR99999999", "TR123123213"],
    "contactPeoples": [
        {
            "name": "Ayşe Yılmaz",
            "phone": "+905321234567",
            "email": "ayse@muhasip.com.tr",
            "info": "Muhasebe Müdürü",
        }
    ],
    "variables": [{"key": "acenta", "value": "Acenta Adı"}, {"key": "crmID", "value": "CRM IDM"}],
}
# Identifiers that pass their checks: a contact that carries the seed's own (invalid) ones can
# be stored through the dialect (lenient) but not changed through the strict native API.
VALID_IDS: dict[str, Any] = {
    "taxId": "10000000146",
    "ibans": ["TR330006100519786457841326", "TR850001000000000012345678"],
}
# The members of the seed's 200 response, in its order.
RESULT_MEMBERS = [
    "_id", "companiesId", "name", "employees", "contactsType", "phone", "email", "taxId",
    "taxOffice", "countriesCode", "statesCode", "countries", "states", "cities", "address",
    "isAbroad", "isCustomer", "person", "default", "archived", "ibans", "contactPeoples",
    "createdDate", "variables", "__v",
]  # fmt: skip
PAGINATE_MEMBERS = {
    "docs", "totalDocs", "limit", "page", "totalPages", "pagingCounter",
    "hasPrevPage", "hasNextPage", "prevPage", "nextPage",
}  # fmt: skip


@dataclass
class Clients:
    muhasip: Client  # the dialect, HTTP Basic with the key as password; paths from the root
    native: Client  # /v1, same tenant
    tenant_id: str
    key: str
    tenant_slug: str

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = ok(self.muhasip.post(PREFIX, json=body))
        assert answer["status"] is True
        result: dict[str, Any] = answer["result"]
        return result

    def native_count(self) -> int:
        response = self.native.get("/v1/contacts", params={"archived": "all"})
        assert response.status_code == 200
        return len(response.json()["data"])


def clients_of(tenant: Tenant, services: Services) -> Clients:
    tenant_id = str(services.tenancy.get_tenant(tenant.slug).id)
    return Clients(tenant.muhasip.at(""), tenant.native, tenant_id, tenant.key, tenant.slug)


@pytest.fixture
def clients(tenant: Tenant, services: Services) -> Clients:
    return clients_of(tenant, services)


def body(**changes: Any) -> dict[str, Any]:
    found = copy.deepcopy(SEED_BODY)
    found.update(changes)
    return found


def valid_body(**changes: Any) -> dict[str, Any]:
    return body(**{**copy.deepcopy(VALID_IDS), **changes})


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()
    assert error["status"] is False
    assert isinstance(error["message"], str) and error["message"]
    if field is not None:
        assert field in [item["field"] for item in error["errors"]], error
        assert error["message"].startswith(field)
    return error


# --- the documented request -------------------------------------------------------------


def test_create_answers_in_the_seed_shape_with_every_member(clients: Clients) -> None:
    result = clients.create(SEED_BODY)
    assert list(result) == RESULT_MEMBERS
    UUID(result["_id"])
    person = result["contactPeoples"][0]
    UUID(person.pop("_id"))
    assert MONGO_DATE.match(result.pop("createdDate"))
    assert {key: value for key, value in result.items() if key != "_id"} == {
        "companiesId": clients.tenant_id,
        "name": "Murat Duran",
        "employees": False,
        "contactsType": "company",
        "phone": "+905453493838",
        "email": "murat@muhasip.com.tr",
        "taxId": "11111111111",
        "taxOffice": "Urla",
        "countriesCode": "TR",
        "statesCode": None,
        "countries": "Türkiye",
        "states": "İzmir",
        "cities": "Urla",
        "address": "Açık Adres",
        "isAbroad": False,
        "isCustomer": True,
        "person": False,
        "default": False,
        "archived": False,
        "ibans": ["TR99999999", "TR123123213"],
        "contactPeoples": [{**SEED_BODY["contactPeoples"][0], "variables": []}],
        "variables": SEED_BODY["variables"],
        "__v": 1,
    }


def test_the_documented_update_replaces_the_view(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    edited = body(name="Murat Duran Edit", address="Açık Adres Edit", ibans=["TR99999999"])
    del edited["variables"]
    response = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=edited)
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True
    result = response.json()["result"]
    assert (result["_id"], result["createdDate"]) == (created["_id"], created["createdDate"])
    assert result["name"] == "Murat Duran Edit" and result["address"] == "Açık Adres Edit"
    assert result["ibans"] == ["TR99999999"]
    assert result["variables"] == []  # left out: reset
    assert result["__v"] == 2
    assert clients.muhasip.get(f"{PREFIX}/{created['_id']}").json()["result"] == result


def test_round_trip_through_the_dialect(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    fetched = clients.muhasip.get(f"{PREFIX}/{created['_id']}")
    assert fetched.status_code == 200
    assert fetched.json() == {"status": True, "result": created}
    # A fetched result sent back as it is (server members included) changes nothing.
    again = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=created)
    assert again.status_code == 200, again.text
    assert again.json()["result"] == created


def test_the_same_contact_through_the_native_api(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert native["kind"] == "company" and native["name"] == "Murat Duran"
    assert (native["phone"], native["email"]) == ("+905453493838", "murat@muhasip.com.tr")
    assert (native["tax_id"], native["tax_office"]) == ("11111111111", "Urla")
    assert {k: native["address"][k] for k in ("street", "city", "state", "country_code")} == {
        "street": "Açık Adres",
        "city": "Urla",
        "state": "İzmir",
        "country_code": "TR",
    }
    assert native["is_customer"] is True and native["is_supplier"] is False
    assert native["archived"] is False and native["version"] == created["__v"]
    assert [account["iban"] for account in native["bank_accounts"]] == SEED_BODY["ibans"]
    person = native["contact_persons"][0]
    assert person["id"] == created["contactPeoples"][0]["_id"]
    assert (person["name"], person["phone"], person["email"], person["role"]) == (
        "Ayşe Yılmaz",
        "+905321234567",
        "ayse@muhasip.com.tr",
        "Muhasebe Müdürü",
    )
    assert native["custom_fields"] == {"acenta": "Acenta Adı", "crm_id": "CRM IDM"}
    assert native["extensions"]["muhasip"]["variables"][1] == {"key": "crmID", "field": "crm_id"}


def test_identifiers_muhasip_accepts_are_stored_and_reported_not_rejected(
    clients: Clients,
) -> None:
    # The seed's TCKN fails its check digit and its IBANs are too short; Muhasip takes them.
    sent = body(email="murat at muhasip")
    sent["contactPeoples"][0]["email"] = "Mail Adresi"
    created = clients.create(sent)
    assert (created["email"], created["taxId"]) == ("murat at muhasip", "11111111111")
    assert created["ibans"] == SEED_BODY["ibans"]
    assert created["contactPeoples"][0]["email"] == "Mail Adresi"
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    statuses = {check["field"]: check["status"] for check in native["checks"]}
    for field in ("email", "tax_id", "bank_accounts/0/iban", "contact_persons/0/email"):
        assert statuses[field] == "invalid", (field, native["checks"])
    assert statuses["phone"] == "valid"


def test_a_person_contact(clients: Clients) -> None:
    created = clients.create(body(person=True, isCustomer=False, countries="Germany"))
    assert (created["person"], created["contactsType"]) == (True, "person")
    assert (created["countries"], created["countriesCode"], created["isAbroad"]) == (
        "Germany",
        "DE",
        True,
    )
    assert created["isCustomer"] is False
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert (native["kind"], native["is_customer"], native["is_supplier"]) == (
        "person",
        False,
        False,
    )


@pytest.mark.parametrize(
    ("name", "code"), [("TÜRKİYE", "TR"), ("Almanya", "DE"), ("Česká republika", "CZ")]
)
def test_country_names_in_any_spelling(clients: Clients, name: str, code: str) -> None:
    created = clients.create(body(countries=name))
    assert (created["countries"], created["countriesCode"]) == (name, code)
    assert created["isAbroad"] is (code != "TR")
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert native["address"]["country_code"] == code


def test_no_country_is_not_abroad(clients: Clients) -> None:
    created = clients.create(body(countries=None, states=None))
    assert (created["countries"], created["countriesCode"], created["isAbroad"]) == (
        None,
        None,
        False,
    )
    assert created["states"] is None


def test_spellings_read_back_as_sent_until_changed_elsewhere(clients: Clients) -> None:
    sent = body(
        phone="0532 123 45 67",
        email="Murat@Muhasip.COM.TR",
        taxId="100 000 001 46",
        countries="TÜRKİYE",
        ibans=["TR33 0006 1005 1978 6457 8413 26", "MT84 MALT 0110 0001 2345 MTLC AST0 01S"],
        address="",
    )
    sent["contactPeoples"][0]["phone"] = "0 (212) 555 12 12"
    created = clients.create(sent)
    for member in ("phone", "email", "taxId", "countries", "ibans", "address"):
        assert created[member] == sent[member], member
    assert created["contactPeoples"][0]["phone"] == "0 (212) 555 12 12"
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert (native["phone"], native["tax_id"]) == ("+905321234567", "10000000146")
    assert native["email"] == "Murat@muhasip.com.tr" and native["address"]["street"] is None
    assert [account["iban"] for account in native["bank_accounts"]] == [
        "TR330006100519786457841326",
        "MT84MALT011000012345MTLCAST001S",  # 38 characters as typed, 31 compact
    ]
    assert native["contact_persons"][0]["phone"] == "+902125551212"
    assert native["address"]["country_code"] == "TR"
    changed = clients.native.patch(
        f"/v1/contacts/{created['_id']}",
        json={"phone": "+905559876543", "address": {"country_code": "JP"}},
    )
    assert changed.status_code == 200, changed.text
    shown = clients.muhasip.get(f"{PREFIX}/{created['_id']}").json()["result"]
    assert shown["phone"] == "+905559876543" and shown["email"] == "Murat@Muhasip.COM.TR"
    assert (shown["countries"], shown["countriesCode"], shown["isAbroad"]) == (
        "Japan",
        "JP",
        True,
    )


def test_variables_keep_titles_nulls_and_order(clients: Clients) -> None:
    variables = [
        {"key": "zeta", "title": "Son", "value": 3},
        {"key": "acenta", "value": None},
        {"key": "Şube Kodu", "title": "Şube", "value": True},
    ]
    people = [{**SEED_BODY["contactPeoples"][0], "variables": [{"key": "dahili", "value": "12"}]}]
    created = clients.create(valid_body(variables=variables, contactPeoples=people))
    assert created["variables"] == variables
    assert created["contactPeoples"][0]["variables"] == [{"key": "dahili", "value": "12"}]
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert native["custom_fields"] == {"zeta": 3, "acenta": None, "sube_kodu": True}
    assert native["contact_persons"][0]["custom_fields"] == {"dahili": "12"}
    # A PUT stores the null through a merge patch, and still reads it back.
    replaced = clients.muhasip.put(
        f"{PREFIX}/{created['_id']}", json=valid_body(variables=variables)
    )
    assert replaced.json()["result"]["variables"] == variables
    # A field set natively shows up after Muhasip's own, under its canonical key.
    clients.native.patch(f"/v1/contacts/{created['_id']}", json={"custom_fields": {"extra": 1}})
    shown = clients.muhasip.get(f"{PREFIX}/{created['_id']}").json()["result"]
    assert shown["variables"] == [*variables, {"key": "extra", "value": 1}]


def test_put_leaves_fields_outside_the_muhasip_view_alone(clients: Clients) -> None:
    created = clients.create(valid_body())
    person_id = created["contactPeoples"][0]["_id"]
    native = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    accounts = native["bank_accounts"]
    accounts[0] |= {"is_default": False}  # Muhasip made its first IBAN the default
    accounts[1] |= {"bic": "TGBATRIS", "is_default": True}
    persons = native["contact_persons"]
    persons[0] |= {"first_name": "Ayşe", "mobile": "+905551112233"}
    prepared = clients.native.patch(
        f"/v1/contacts/{created['_id']}",
        json={
            "tags": ["toptan"],
            "notes": "Yıllık sözleşme",
            "is_supplier": True,
            "extensions": {"wacs": {"Header1": "x"}},
            "address": {"postal_code": "35430"},
            "bank_accounts": [*accounts, {"account_number": "12345", "bank_name": "Ziraat"}],
            "contact_persons": persons,
        },
    )
    assert prepared.status_code == 200, prepared.text
    kept_iban = VALID_IDS["ibans"][1]
    sent = body(phone=None, ibans=[kept_iban, "TR55"], name="Murat Duran Ltd")
    del sent["email"], sent["archived"]
    sent["contactPeoples"][0]["_id"] = person_id
    response = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=sent)
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert (result["phone"], result["email"]) == (None, None)
    assert result["ibans"] == [kept_iban, "TR55"]
    after = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert after["tags"] == ["toptan"] and after["notes"] == "Yıllık sözleşme"
    assert after["is_supplier"] is True and after["extensions"]["wacs"] == {"Header1": "x"}
    assert after["address"]["postal_code"] == "35430"
    kept = after["bank_accounts"][0]
    assert (kept["id"], kept["bic"], kept["is_default"]) == (accounts[1]["id"], "TGBATRIS", True)
    assert after["bank_accounts"][1]["iban"] == "TR55"
    assert after["bank_accounts"][2]["account_number"] == "12345"
    assert len(after["bank_accounts"]) == 3
    person = after["contact_persons"][0]
    assert (person["id"], person["first_name"]) == (person_id, "Ayşe")
    assert person["mobile"] == "+905551112233"


def test_a_change_between_read_and_write_waits_and_is_not_lost(
    clients: Clients, services: Services, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """Another client's change that arrives while a PUT rebuilds the contact waits for it
    (the PUT holds the row; SQLite's writers are one at a time anyway) and lands after it."""
    created = clients.create(valid_body())
    tenant = services.tenancy.get_tenant(clients.tenant_slug)
    actor = Actor(tenant, None, "api")
    original = routes.translate
    calls: list[int] = []
    racers: list[threading.Thread] = []

    def other_client() -> None:
        contact = services.contacts.get(actor, UUID(created["_id"]))
        accounts = [a.model_dump(mode="json") for a in contact.bank_accounts]
        accounts[0]["bic"] = "TGBATRIS"
        services.contacts.patch(actor, contact.id, {"bank_accounts": accounts})

    def translate_racing(body: Any, current: Any) -> Any:
        calls.append(current.version)
        if len(calls) == 1:  # another client changes the contact right after the PUT read it
            racers.append(threading.Thread(target=other_client))
            racers[0].start()
        return original(body, current)

    monkeypatch.setattr(routes, "translate", translate_racing)
    response = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=valid_body(name="Yeni"))
    racers[0].join(timeout=30)
    assert response.status_code == 200, response.text
    assert calls == [1]  # one read
    after = clients.native.get(f"/v1/contacts/{created['_id']}").json()
    assert after["name"] == "Yeni" and after["bank_accounts"][0]["bic"] == "TGBATRIS"
    assert after["version"] == 3


def test_put_without_person_ids_makes_new_persons(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    response = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=SEED_BODY)
    new_id = response.json()["result"]["contactPeoples"][0]["_id"]
    assert new_id != created["contactPeoples"][0]["_id"]


def test_archived_left_out_of_a_put_keeps_its_state(clients: Clients) -> None:
    created = clients.create(body(archived=True))
    assert created["archived"] is True
    sent = body(name="Renamed")
    del sent["archived"]
    result = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=sent).json()["result"]
    assert result["archived"] is True and result["name"] == "Renamed"
    result = clients.muhasip.put(f"{PREFIX}/{created['_id']}", json=body()).json()["result"]
    assert result["archived"] is False


# --- archive, delete, not found ---------------------------------------------------------


def test_archive_and_unarchive(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    archived = clients.muhasip.patch(f"{PREFIX}/{created['_id']}/archive")
    assert archived.status_code == 200, archived.text
    assert archived.json()["result"]["archived"] is True
    assert archived.json()["result"]["__v"] == 2
    assert clients.native.get(f"/v1/contacts/{created['_id']}").json()["archived"] is True
    assert clients.muhasip.get(PREFIX).json()["result"]["totalDocs"] == 0
    listed = clients.muhasip.get(PREFIX, params={"archived": "true"}).json()["result"]
    assert [doc["_id"] for doc in listed["docs"]] == [created["_id"]]
    restored = clients.muhasip.patch(f"{PREFIX}/{created['_id']}/unArchive")
    assert restored.status_code == 200 and restored.json()["result"]["archived"] is False
    assert clients.muhasip.get(PREFIX).json()["result"]["totalDocs"] == 1


def test_delete_answers_the_deleted_contact(clients: Clients) -> None:
    created = clients.create(SEED_BODY)
    deleted = clients.muhasip.delete(f"{PREFIX}/{created['_id']}")
    assert deleted.status_code == 200
    assert deleted.json() == {"status": True, "result": created}
    assert_error(clients.muhasip.get(f"{PREFIX}/{created['_id']}"), 404)
    assert clients.native.get(f"/v1/contacts/{created['_id']}").status_code == 404
    assert_error(clients.muhasip.delete(f"{PREFIX}/{created['_id']}"), 404)


def test_deleting_a_parent_is_a_conflict_in_muhasip_shape(clients: Clients) -> None:
    parent = clients.create(SEED_BODY)
    child = clients.native.post("/v1/contacts", json={"name": "Şube", "parent_id": parent["_id"]})
    assert child.status_code == 201
    error = assert_error(clients.muhasip.delete(f"{PREFIX}/{parent['_id']}"), 409)
    assert error["code"] == "contact_in_use"
    assert clients.muhasip.get(f"{PREFIX}/{parent['_id']}").status_code == 200


@pytest.mark.parametrize(
    "contact_id", ["658309df10b0341e34941f02", "0190b6a4-7c3e-7000-8000-000000000001"]
)
def test_unknown_ids_are_404_in_muhasip_shape(clients: Clients, contact_id: str) -> None:
    for response in (
        clients.muhasip.get(f"{PREFIX}/{contact_id}"),
        clients.muhasip.put(f"{PREFIX}/{contact_id}", json=SEED_BODY),
        clients.muhasip.delete(f"{PREFIX}/{contact_id}"),
        clients.muhasip.patch(f"{PREFIX}/{contact_id}/archive"),
        clients.muhasip.patch(f"{PREFIX}/{contact_id}/unArchive"),
    ):
        assert assert_error(response, 404)["code"] == "not_found"
    assert clients.native_count() == 0


def test_another_tenants_contact_is_not_found(
    clients: Clients, services: Services, vendor_pool: httpx.Client
) -> None:
    created = clients.create(SEED_BODY)
    other = clients_of(open_tenant(services, vendor_pool), services)
    assert_error(other.muhasip.get(f"{PREFIX}/{created['_id']}"), 404)
    assert_error(other.muhasip.put(f"{PREFIX}/{created['_id']}", json=SEED_BODY), 404)
    assert_error(other.muhasip.delete(f"{PREFIX}/{created['_id']}"), 404)
    assert other.muhasip.get(PREFIX).json()["result"]["totalDocs"] == 0
    assert clients.muhasip.get(f"{PREFIX}/{created['_id']}").json()["result"] == created
