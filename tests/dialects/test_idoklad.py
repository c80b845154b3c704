"""iDoklad API v2 dialect: the documented contact requests over real HTTP, read back through
the dialect and through the native API."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import pytest

from counterparty.services.registry import Services
from tests.dialects.vendors import Client, Tenant, bearer, ok

PREFIX = "/compat/idoklad"
TOKEN_URL = f"{PREFIX}/identity/server/connect/token"

# The seed page's sample body (ContactPatchApiModel; POST adds IsRegisteredForVatOnPay), its
# "sample string" placeholders replaced by a real Slovak company.
SAMPLE: dict[str, Any] = {
    "DefaultInvoiceMaturity": 14,
    "City": "Bratislava",
    "CompanyName": "Tatra Nábytok s.r.o.",
    "CountryId": 1,
    "DefaultBankAccount": {
        "AccountNumber": "1987426375/1200",
        "BankId": 41,
        "CurrencyId": 2,
        "Iban": "SK31 1200 0000 1987 4263 7541",
        "Name": "Bežný účet",
        "Swift": "SUBASKBX",
        "Id": 5,
    },
    "DiscountPercentage": 5.0,
    "Email": "fakturacia@tatra-nabytok.sk",
    "Fax": "+421 2 5443 1235",
    "Firstname": "Ján",
    "IdentificationNumber": "36421928",
    "IsSendReminder": True,
    "IsRegisteredForVatOnPay": True,
    "Mobile": "+421 905 123 456",
    "Phone": "02 5443 1234",
    "PostalCode": "811 06",
    "Street": "Obchodná 12",
    "Surname": "Kováč",
    "Title": "Ing.",
    "VatIdentificationNumber": "SK 2020317068",
    "VatIdentificationNumberSk": "2020317068",
    "Www": "www.tatra-nabytok.sk",
    "Id": 17,
}
NATIVE_VIEW = {  # SAMPLE as the native API shows it
    "name": "Tatra Nábytok s.r.o.",
    "title": "Ing.",
    "first_name": "Ján",
    "last_name": "Kováč",
    "registration_number": "36421928",
    "vat_number": "SK2020317068",
    "tax_id": "2020317068",
    "email": "fakturacia@tatra-nabytok.sk",
    "phone": "+421254431234",
    "mobile": "+421905123456",
    "fax": "+421254431235",
    "website": "www.tatra-nabytok.sk",
    "payment_terms_days": 14,
    "discount_percent": 5.0,
    "send_reminders": True,
}


def access_token(http: Client, key: str) -> str:
    """Exchange an API key for an access token, as iDoklad's SDKs do."""
    form = {"grant_type": "client_credentials", "client_id": "app", "client_secret": key}
    response = http.post(TOKEN_URL, data={**form, "scope": "idoklad_api"})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def with_token(tenant: Tenant, token: str) -> Client:
    """The tenant's iDoklad API with `token` as its Bearer token, paths below PREFIX."""
    return tenant.idoklad.at(PREFIX).sending(bearer(token))


def signed_in(tenant: Tenant) -> Client:
    """The tenant's iDoklad API as iDoklad's SDKs use it: with an access token for the key."""
    return with_token(tenant, access_token(tenant.native, tenant.key))


@pytest.fixture
def idoklad(tenant: Tenant) -> Client:
    return signed_in(tenant)


def written(body: dict[str, Any]) -> dict[str, Any]:
    """What a read must return for the fields a body wrote (read-only members left out)."""
    shown = {name: value for name, value in body.items() if name != "Id"}
    if isinstance(shown.get("DefaultBankAccount"), dict):
        shown["DefaultBankAccount"] = {
            name: value for name, value in shown["DefaultBankAccount"].items() if name != "Id"
        }
    return shown


def view_of(record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The members of a vendor record that `body` wrote."""
    found = {name: record[name] for name in written(body)}
    if isinstance(found.get("DefaultBankAccount"), dict):
        bank = written(body)["DefaultBankAccount"]
        found["DefaultBankAccount"] = {name: found["DefaultBankAccount"][name] for name in bank}
    return found


def create(idoklad: Client, **changes: Any) -> dict[str, Any]:
    return ok(idoklad.post("/v2.0/Contacts", json={**SAMPLE, **changes}))


def test_create_with_the_documented_sample_returns_every_field(
    idoklad: Client, tenant: Tenant
) -> None:
    created = create(idoklad)
    assert view_of(created, SAMPLE) == written(SAMPLE)
    native = tenant.native.get(f"/v1/contacts/by-number/{created['Id']}").json()
    assert created["Id"] == native["number"] == 1
    assert created["AddressIdg"] == native["id"]
    assert created["CreditCheck"] == 0
    assert datetime.fromisoformat(created["DateLastChange"]) == datetime.fromisoformat(
        native["updated_at"]
    )
    bank = created["DefaultBankAccount"]
    assert bank["IsDefault"] is True and bank["Bank"] is None  # no Slovak bank code 1200 known
    assert isinstance(bank["Id"], int) and bank["Id"] not in (0, created["Id"])  # its own
    assert bank["Currency"] == {"Code": "EUR", "Country": "Evropská unie", "Name": "euro",
                                "Priority": 2, "Symbol": "€", "Id": 2}  # fmt: skip
    assert bank["DateLastChange"] == created["DateLastChange"]
    assert set(created) == {*SAMPLE, "AddressIdg", "CreditCheck", "DateLastChange"}


def test_a_contact_reads_back_as_written_and_natively_in_canonical_form(
    idoklad: Client, tenant: Tenant
) -> None:
    created = create(idoklad)
    fetched = idoklad.get(f"/v2.0/Contacts/{created['Id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert {name: native[name] for name in NATIVE_VIEW} == NATIVE_VIEW
    assert native["address"] == {
        "street": "Obchodná 12",
        "street2": None,
        "box": None,
        "postal_code": "811 06",
        "city": "Bratislava",
        "district": None,
        "state": None,
        "country_code": "SK",
        "attention": None,
    }
    [account] = native["bank_accounts"]
    assert {name: account[name] for name in account if name != "id"} == {
        "iban": "SK3112000000198742637541",
        "bic": "SUBASKBX",
        "account_number": "1987426375/1200",
        "bank_name": None,
        "currency": "EUR",
        "is_default": True,
    }
    extension = native["extensions"]["idoklad"]
    assert extension["IsRegisteredForVatOnPay"] is True
    assert extension["DefaultBankAccount"] == {"BankId": 41, "Name": "Bežný účet"}
    assert native["kind"] == "company" and native["is_customer"] is True


def test_native_changes_show_in_the_vendor_view(idoklad: Client, tenant: Tenant) -> None:
    created = create(idoklad)
    changed = tenant.native.patch(
        f"/v1/contacts/{created['AddressIdg']}",
        json={
            "phone": "+420 601 111 222",
            "address": {"country_code": "CZ"},
            "name": "Tatra",
            "tax_id": None,  # a Slovak DIČ; the native API is strict about identifiers
        },
    )
    assert changed.status_code == 200, changed.text
    record = idoklad.get(f"/v2.0/Contacts/{created['Id']}").json()
    assert record["Phone"] == "+420601111222"  # no longer what the dialect wrote
    assert record["CountryId"] == 2 and record["CompanyName"] == "Tatra"
    assert record["Mobile"] == "+421 905 123 456"  # unchanged, still as written
    assert record["VatIdentificationNumberSk"] is None
    assert record["DateLastChange"] != created["DateLastChange"]


def test_patch_with_the_documented_sample_changes_every_field(
    idoklad: Client, tenant: Tenant
) -> None:
    created = create(idoklad, CompanyName="Old Name a.s.", CountryId=2)
    body = copy.deepcopy(SAMPLE)
    del body["IsRegisteredForVatOnPay"]  # not in ContactPatchApiModel
    response = idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json=body)
    assert response.status_code == 200, response.text
    assert view_of(response.json(), body) == written(body)
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").json() == response.json()
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert native["name"] == "Tatra Nábytok s.r.o." and native["address"]["country_code"] == "SK"


def test_patch_changes_only_what_it_sends(idoklad: Client) -> None:
    created = create(idoklad)
    body = {"City": "Košice", "Fax": None, "DefaultBankAccount": {"Name": "Účet 2"}}
    response = idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json=body)
    assert response.status_code == 200, response.text
    expected = copy.deepcopy(created)
    expected.update(City="Košice", Fax=None, DateLastChange=response.json()["DateLastChange"])
    expected["DefaultBankAccount"].update(
        Name="Účet 2", DateLastChange=response.json()["DateLastChange"]
    )
    assert response.json() == expected


def test_put_resets_the_vendor_fields_it_leaves_out_and_keeps_the_rest(
    idoklad: Client, tenant: Tenant
) -> None:
    created = create(idoklad)
    contact_id = created["AddressIdg"]
    native = tenant.native.patch(
        f"/v1/contacts/{contact_id}",
        json={
            "tags": ["vip"],
            "notes": "Pays early",
            "bank_accounts": [
                *tenant.native.get(f"/v1/contacts/{contact_id}").json()["bank_accounts"],
                {"iban": "CZ6508000000192000145399", "is_default": False},
            ],
        },
    )
    assert native.status_code == 200, native.text
    body = {"CompanyName": "Tatra Nábytok a.s.", "City": "Žilina", "CountryId": 1}
    response = idoklad.put(f"/v2.0/Contacts/{created['Id']}", json=body)
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["CompanyName"] == "Tatra Nábytok a.s." and record["City"] == "Žilina"
    for name in ("Title", "Firstname", "Email", "Phone", "Street", "VatIdentificationNumber"):
        assert record[name] is None, name
    assert record["DiscountPercentage"] == 0 and record["IsSendReminder"] is False
    # Not in ContactPutModelV2: a PUT that leaves them out keeps them.
    assert record["DefaultInvoiceMaturity"] == 14 and record["IsRegisteredForVatOnPay"] is True
    # The default account went with DefaultBankAccount; the other one is now shown.
    assert record["DefaultBankAccount"]["Iban"] == "CZ6508000000192000145399"
    after = tenant.native.get(f"/v1/contacts/{contact_id}").json()
    assert after["tags"] == ["vip"] and after["notes"] == "Pays early"
    assert [account["iban"] for account in after["bank_accounts"]] == ["CZ6508000000192000145399"]


def test_a_fetched_record_can_be_put_back_unchanged(idoklad: Client) -> None:
    created = create(idoklad)
    response = idoklad.put(f"/v2.0/Contacts/{created['Id']}", json=created)
    assert response.status_code == 200, response.text
    assert response.json() == created  # nothing changed, so not even DateLastChange


def test_countries_and_currencies_without_an_iso_code_round_trip(
    idoklad: Client, tenant: Tenant
) -> None:
    bank = {**SAMPLE["DefaultBankAccount"], "CurrencyId": 3}  # BGN, no longer ISO 4217
    created = create(idoklad, CountryId=32, DefaultBankAccount=bank)  # 32: Kosovo
    assert created["CountryId"] == 32 and created["DefaultBankAccount"]["CurrencyId"] == 3
    assert created["DefaultBankAccount"]["Currency"] is None
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert native["address"]["country_code"] is None
    assert native["extensions"]["idoklad"]["CountryId"] == 32
    moved = idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json={"CountryId": 225})
    assert moved.json()["CountryId"] == 225
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert native["address"]["country_code"] == "TR"
    assert "CountryId" not in native["extensions"]["idoklad"]


def test_member_names_and_paths_match_without_regard_to_case(idoklad: Client) -> None:
    response = idoklad.post(
        "/v2.0/contacts", json={"companyName": "Malá firma", "countryid": 2, "EMAIL": "a@b.cz"}
    )
    assert response.status_code == 200, response.text
    record = response.json()
    assert (record["CompanyName"], record["CountryId"], record["Email"]) == (
        "Malá firma",
        2,
        "a@b.cz",
    )
    assert idoklad.get(f"/V2.0/CONTACTS/{record['Id']}").json() == record


def test_the_default_template(idoklad: Client) -> None:
    response = idoklad.get("/v2.0/Contacts/Default")
    assert response.status_code == 200
    template = response.json()
    assert template["Id"] == 0 and template["CountryId"] == 2
    assert template["CompanyName"] is None and template["DefaultBankAccount"] is None
    assert set(template) == {*SAMPLE, "AddressIdg", "CreditCheck", "DateLastChange"}
    filled = {**template, "CompanyName": "Z šablony s.r.o."}
    created = idoklad.post("/v2.0/Contacts", json=filled)
    assert created.status_code == 200, created.text
    assert created.json()["CompanyName"] == "Z šablony s.r.o."


def test_delete(idoklad: Client, tenant: Tenant) -> None:
    created = create(idoklad)
    response = idoklad.delete(f"/v2.0/Contacts/{created['Id']}")
    assert response.status_code == 204 and response.content == b""
    assert idoklad.get(f"/v2.0/Contacts/{created['Id']}").status_code == 404
    assert tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").status_code == 404


def test_writes_are_recorded_as_the_dialect_with_the_key(
    idoklad: Client, tenant: Tenant, services: Services
) -> None:
    created = create(idoklad)
    idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json={"City": "Nitra"})
    history = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}/history").json()["data"]
    assert [event["entry_point"] for event in history] == ["dialect:idoklad"] * 2
    [key] = services.tenancy.list_keys(tenant.slug)
    assert {event["api_key_id"] for event in history} == {str(key.id)}


def test_identifiers_the_core_finds_invalid_are_kept_as_written(
    idoklad: Client, tenant: Tenant
) -> None:
    created = create(
        idoklad,
        CountryId=2,
        IdentificationNumber="12345678",
        VatIdentificationNumber="CZ 1234 5678",
    )
    assert created["IdentificationNumber"] == "12345678"  # checksum fails: the vendor took it
    assert created["VatIdentificationNumber"] == "CZ 1234 5678"
    native = tenant.native.get(f"/v1/contacts/{created['AddressIdg']}").json()
    assert native["vat_number"] == "CZ12345678"
    statuses = {check["field"]: check["status"] for check in native["checks"]}
    assert statuses["registration_number"] == statuses["vat_number"] == "invalid"


def test_numbers_are_never_null_and_the_bank_account_is_whole(idoklad: Client) -> None:
    """The page types DefaultInvoiceMaturity, DiscountPercentage and ids as numbers: 0 when
    unset. DefaultBankAccount has its own Id, the Bank its Czech bank code names and the full
    Currency; Swift has no length on the page."""
    bank_account = {"CurrencyId": 1, "Swift": "GIBACZPXXXXX", "Iban": "CZ6508000000192000145399"}
    created = create(idoklad, DefaultInvoiceMaturity=None, DiscountPercentage=None, CountryId=2,
                     DefaultBankAccount=bank_account)  # fmt: skip
    assert (created["DefaultInvoiceMaturity"], created["DiscountPercentage"]) == (0, 0)
    account = created["DefaultBankAccount"]
    assert account["BankId"] == 0 and account["Id"] not in (0, created["Id"])
    assert account["Swift"] == "GIBACZPXXXXX"
    assert account["Currency"] == {"Code": "CZK", "Country": "Česko", "Name": "česká koruna",
                                   "Priority": 1, "Symbol": "Kč", "Id": 1}  # fmt: skip
    bank = account["Bank"]
    assert (bank["NumberCode"], bank["Swift"], bank["CountryId"]) == ("0800", "GIBACZPX", 2)
    assert bank["Name"] == "Česká spořitelna, a.s."
    assert bank["Country"]["Code"] == "CZ" and bank["Country"]["IsEuMember"] is True
    assert bank["Country"]["NameEnglish"] == "Czechia" and bank["Country"]["CurrencyId"] == 1
    again = idoklad.get(f"/v2.0/Contacts/{created['Id']}").json()
    assert again["DefaultBankAccount"]["Id"] == account["Id"]
    zero = idoklad.patch(f"/v2.0/Contacts/{created['Id']}", json={"DefaultInvoiceMaturity": 0})
    assert zero.status_code == 200 and zero.json()["DefaultInvoiceMaturity"] == 0


# The page's ContactPatchApiModel XML sample, its placeholders replaced by real values
# (INSTANCE, MODELS and BASE stand for its namespaces, to keep the lines short).
XML_TEMPLATE = """<ContactPatchApiModel xmlns:i="INSTANCE" xmlns="MODELS.PatchModels">
<Id xmlns="BASE">17</Id>
<Links xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns="BASE">
<d2p1:KeyValueOfstringstring><d2p1:Key>self</d2p1:Key><d2p1:Value>x</d2p1:Value></d2p1:KeyValueOfstringstring>
</Links>
<City xmlns="MODELS">Brno</City>
<CompanyName xmlns="MODELS">Moravia s.r.o.</CompanyName>
<CountryId xmlns="MODELS">2</CountryId>
<DefaultBankAccount xmlns="MODELS">
<Id xmlns="BASE">5</Id>
<AccountNumber>19-2000145399/0800</AccountNumber><BankId>1</BankId><CurrencyId>1</CurrencyId>
<Iban>CZ6508000000192000145399</Iban><Name>Hlavní</Name><Swift>GIBACZPX</Swift>
</DefaultBankAccount>
<DiscountPercentage xmlns="MODELS">1</DiscountPercentage>
<Email xmlns="MODELS">info@moravia.example</Email>
<Fax xmlns="MODELS" i:nil="true"/>
<IsSendReminder xmlns="MODELS">true</IsSendReminder>
<Phone xmlns="MODELS">+420 541 123 456</Phone>
<DefaultInvoiceMaturity>14</DefaultInvoiceMaturity>
</ContactPatchApiModel>"""
NAMESPACES = {
    "INSTANCE": "http://www.w3.org/2001/XMLSchema-instance",
    "BASE": "MODELS.BaseModels",
    "MODELS": "http://schemas.datacontract.org/2004/07/Doklad.Api.ApiModels",
}
XML_SAMPLE = XML_TEMPLATE
for placeholder, namespace in NAMESPACES.items():
    XML_SAMPLE = XML_SAMPLE.replace(placeholder, namespace)


def test_the_pages_xml_sample_is_accepted_and_answered_in_xml(idoklad: Client) -> None:
    """DataContract XML in (application/xml or text/xml), XML out when Accept asks for it."""
    headers = {"Content-Type": "application/xml", "Accept": "application/xml"}
    created = idoklad.post("/v2.0/Contacts", content=XML_SAMPLE.encode(), headers=headers)
    assert created.status_code == 200, created.text
    assert created.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(created.content)
    models = "{http://schemas.datacontract.org/2004/07/Doklad.Api.ApiModels}"
    base = "{http://schemas.datacontract.org/2004/07/Doklad.Api.ApiModels.BaseModels}"
    assert root.tag == f"{models}ContactApiModel"
    number = int(root.findtext(f"{base}Id") or 0)
    assert root.findtext(f"{models}CompanyName") == "Moravia s.r.o."
    assert root.findtext(f"{models}DefaultInvoiceMaturity") == "14"
    assert root.find(f"{models}Fax").get(  # type: ignore[union-attr]
        "{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"  # fmt: skip
    record = idoklad.get(f"/v2.0/Contacts/{number}").json()
    assert (record["City"], record["CountryId"], record["IsSendReminder"]) == ("Brno", 2, True)
    assert record["DefaultBankAccount"]["Iban"] == "CZ6508000000192000145399"
    patched = idoklad.patch(f"/v2.0/Contacts/{number}", headers={"Content-Type": "text/xml"},
                            content=b'<ContactPatchApiModel xmlns="http://schemas.datacontract.org'
                            b'/2004/07/Doklad.Api.ApiModels"><City>Olomouc</City>'
                            b"</ContactPatchApiModel>")  # fmt: skip
    assert patched.status_code == 200 and patched.json()["City"] == "Olomouc"
    entity = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><ContactPatchApiModel><City>&a;</City>'
    refused = idoklad.patch(f"/v2.0/Contacts/{number}", headers={"Content-Type": "text/xml"},
                            content=entity + b"</ContactPatchApiModel>")  # fmt: skip
    assert refused.status_code == 400  # no entity is ever expanded
    assert idoklad.get(f"/v2.0/Contacts/{number}").json()["City"] == "Olomouc"
