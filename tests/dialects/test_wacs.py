"""The WACS dialect: the seed page's ContactInDTO sample over real HTTP, mapping, PUT, list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.dialects.vendors import BASES, Client, Tenant, bearer, ok

PREFIX = BASES["wacs"]

# The seed page's request sample, "sample string N" replaced by realistic values.
SAMPLE: dict[str, Any] = {
    "AutomaticUbl": True,
    "Bic": "ABNANL2A",
    "Bus": "3B",
    "CellNr": "+31612345678",
    "Company": True,
    "ContactCategory": 1,
    "CountryISO": "NL",
    "DateOfBirth": "1978-04-12T00:00:00",
    "Email": "administratie@devries.example.nl",
    "ExternalID": "ERP-4711",
    "FunctionalTypes": [1, 2],
    "GroupBilling": True,
    "Header1": "De Vries & Zonen BV",
    "Header2": "Afdeling administratie",
    "Header3": "Gebouw C",
    "Iban": "NL91ABNA0417164300",
    "Language": 1,
    "Memo": "Alleen 's ochtends leveren",
    "Name": "De Vries & Zonen",
    "NonGDPR": True,
    "GDPRConsentModifiedDate": "2025-12-19T10:59:06.4905739+01:00",
    "GDPRConsentModifiedReason": "Zakelijke relatie",
    "GDPRConsentModifiedBy": "Anne Jansen",
    "ParentID": 1,
    "PaymentCondition": 1,
    "Postalcode": "1012 LG",
    "Street": "Damrak 12",
    "TAV": "Dhr. De Vries",
    "Telnr": "+31201234567",
    "Town": "Amsterdam",
    "Type": "K",
    "VatCode": "NORMAL",
    "VATCountryISO": "NL",
    "VATNr": "000099998B57",
    "KvK": "69599084",
}
# What reads back differently, by design: dates in UTC / as ASP.NET writes a date.
SAMPLE_READ = {**SAMPLE, "GDPRConsentModifiedDate": "2025-12-19T09:59:06.490573Z"}
EMPTY_VIEW: dict[str, Any] = {
    **dict.fromkeys(SAMPLE),
    "AutomaticUbl": False,
    "Company": True,
    "FunctionalTypes": [1],
    "GroupBilling": False,
    "NonGDPR": False,
}


@dataclass(frozen=True)
class Wacs:
    """A fresh tenant's WACS API (its key in `?key=`, as documented) and its native API."""

    key: str
    http: Client  # relative paths are below PREFIX
    native: Client  # /v1, same tenant

    @classmethod
    def of(cls, tenant: Tenant) -> Wacs:
        return cls(tenant.key, tenant.wacs, tenant.native)

    def create(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("Name", "Contact")
        return ok(self.http.post("CreateContact", json=fields), 201)

    def canonical(self, number: int) -> dict[str, Any]:
        return ok(self.native.get(f"/v1/contacts/by-number/{number}"))


@pytest.fixture(name="wacs")
def wacs_fixture(tenant: Tenant) -> Wacs:
    return Wacs.of(tenant)


def test_create_with_the_documented_sample_returns_every_field(wacs: Wacs) -> None:
    parent = wacs.create(Name="De Vries Holding")
    response = wacs.http.post("CreateContact", json={**SAMPLE, "ParentID": parent["ID"]})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {"ID": 2, **SAMPLE_READ, "ParentID": 1}
    assert list(body) == ["ID", *SAMPLE]  # the vendor's member order
    assert response.headers["location"] == PREFIX + "GetContact/2"
    assert wacs.http.get("GetContact/2").json() == body


def test_the_same_contact_is_visible_through_the_native_api(wacs: Wacs) -> None:
    parent = wacs.create(Name="De Vries Holding")
    wacs.http.post("CreateContact", json={**SAMPLE, "ParentID": parent["ID"]})
    contact = wacs.canonical(2)
    assert contact["parent_id"] == wacs.canonical(1)["id"]
    expected = {
        "kind": "company",
        "name": "De Vries & Zonen",
        "is_customer": True,
        "is_supplier": True,
        "external_ref": "ERP-4711",
        "email": "administratie@devries.example.nl",
        "phone": "+31201234567",
        "mobile": "+31612345678",
        "vat_number": "NL000099998B57",
        "registration_number": "69599084",
        "einvoice_enabled": True,
        "language": "nl",
        "birth_date": "1978-04-12",
        "notes": "Alleen 's ochtends leveren",
        "payment_terms_days": None,
        "address": {
            "street": "Damrak 12",
            "street2": None,
            "box": "3B",
            "postal_code": "1012 LG",
            "city": "Amsterdam",
            "district": None,
            "state": None,
            "country_code": "NL",
            "attention": "Dhr. De Vries",
        },
        "gdpr": {
            "consent": "not_required",
            "changed_at": "2025-12-19T09:59:06.490573Z",
            "changed_by": "Anne Jansen",
            "reason": "Zakelijke relatie",
        },
        "extensions": {
            "wacs": {
                "ContactCategory": 1,
                "GroupBilling": True,
                "Header1": "De Vries & Zonen BV",
                "Header2": "Afdeling administratie",
                "Header3": "Gebouw C",
                "PaymentCondition": 1,
                "Type": "K",
                "VatCode": "NORMAL",
            }
        },
    }
    assert {name: contact[name] for name in expected} == expected
    [account] = contact["bank_accounts"]
    assert (account["iban"], account["bic"], account["is_default"]) == (
        "NL91ABNA0417164300",
        "ABNANL2A",
        True,
    )


def test_update_round_trips_and_returns_the_contact(wacs: Wacs) -> None:
    wacs.create(Name="Parent A")
    wacs.create(Name="Parent B")
    created = wacs.create(**{**SAMPLE, "ParentID": 1})
    changed = {
        **SAMPLE,
        "Name": "De Vries & Dochters",
        "Company": False,
        "FunctionalTypes": [2],
        "Language": 2,
        "NonGDPR": False,
        "ParentID": 2,
        "Iban": "BE71096123456769",
        "Bic": "GKCCBEBB",
        "CountryISO": "BE",
        "VATCountryISO": "BE",
        "VATNr": "0403019261",
        "Telnr": "+3292231234",
        "CellNr": None,
        "KvK": None,
        "Header2": None,
        "GroupBilling": False,
    }
    response = wacs.http.put(f"UpdateContact/{created['ID']}", json=changed)
    assert response.status_code == 200, response.text
    expected = {
        "ID": created["ID"],
        **changed,
        "GDPRConsentModifiedDate": SAMPLE_READ["GDPRConsentModifiedDate"],
    }
    assert response.json() == expected
    assert wacs.http.get(f"GetContact/{created['ID']}").json() == expected
    contact = wacs.canonical(created["ID"])
    assert (contact["kind"], contact["is_customer"], contact["is_supplier"]) == (
        "person",
        False,
        True,
    )
    assert (contact["language"], contact["gdpr"]["consent"]) == ("fr", "unknown")
    assert contact["vat_number"] == "BE0403019261"
    assert contact["parent_id"] == wacs.canonical(2)["id"]
    assert [account["iban"] for account in contact["bank_accounts"]] == ["BE71096123456769"]


def test_put_clears_what_it_leaves_out_and_keeps_what_wacs_cannot_see(wacs: Wacs) -> None:
    created = wacs.create(**{**SAMPLE, "ParentID": None})
    number = created["ID"]
    contact = wacs.canonical(number)
    wacs_account = contact["bank_accounts"][0]
    native_patch = {
        "tags": ["vip"],
        "website": "https://devries.example.nl",
        "payment_terms_days": 30,
        "address": {"street2": "Achterhuis"},
        "bank_accounts": [
            wacs_account,
            {"iban": "BE43068999999501", "is_default": False},
        ],
        "extensions": {"odyssee": {"skype": "janssens"}},
    }
    response = wacs.native.patch(f"/v1/contacts/{contact['id']}", json=native_patch)
    assert response.status_code == 200, response.text

    response = wacs.http.put(f"UpdateContact/{number}", json={"Name": "Alleen Naam"})
    assert response.status_code == 200, response.text
    assert response.json() == {**EMPTY_VIEW, "ID": number, "Name": "Alleen Naam"}

    after = wacs.canonical(number)
    assert after["tags"] == ["vip"]
    assert after["website"] == "https://devries.example.nl"
    assert after["payment_terms_days"] == 30
    assert after["address"]["street2"] == "Achterhuis"
    assert after["address"]["city"] is None and after["address"]["box"] is None
    assert [account["iban"] for account in after["bank_accounts"]] == ["BE43068999999501"]
    assert after["extensions"] == {"odyssee": {"skype": "janssens"}}
    assert (after["is_customer"], after["is_supplier"]) == (True, False)
    assert after["gdpr"] == {
        "consent": "unknown",
        "changed_at": None,
        "changed_by": None,
        "reason": None,
    }
    assert after["vat_number"] is None and after["registration_number"] is None


def test_put_keeps_values_the_wacs_view_cannot_show(wacs: Wacs) -> None:
    number = wacs.create(Name="Talen BV")["ID"]
    contact_id = wacs.canonical(number)["id"]
    native = {
        "language": "es",
        "gdpr": {"consent": "given"},
        "bank_accounts": [
            {
                "account_number": "123-456",
                "bank_name": "Belfius",
                "is_default": True,
                "iban": "BE43068999999501",
            }
        ],
    }
    assert wacs.native.patch(f"/v1/contacts/{contact_id}", json=native).status_code == 200
    view = wacs.http.get(f"GetContact/{number}").json()
    assert (view["Language"], view["NonGDPR"], view["Iban"]) == (None, False, "BE43068999999501")

    assert wacs.http.put(f"UpdateContact/{number}", json={"Name": "Talen BV"}).status_code == 200
    after = wacs.canonical(number)
    assert (after["language"], after["gdpr"]["consent"]) == ("es", "given")
    [account] = after["bank_accounts"]
    assert (account["iban"], account["account_number"], account["bank_name"]) == (
        None,
        "123-456",
        "Belfius",
    )

    body = {"Name": "Talen BV", "Language": 3, "NonGDPR": True}
    assert wacs.http.put(f"UpdateContact/{number}", json=body).status_code == 200
    after = wacs.canonical(number)
    assert (after["language"], after["gdpr"]["consent"]) == ("en", "not_required")
    assert wacs.http.put(f"UpdateContact/{number}", json={"Name": "Talen BV"}).status_code == 200
    assert wacs.canonical(number)["gdpr"]["consent"] == "unknown"
    assert wacs.canonical(number)["language"] is None


# FunctionalTypes, is_customer, is_supplier, extensions.wacs.FunctionalTypes
ROLE_CASES = [
    ([1], True, False, None),
    ([2], False, True, None),
    ([], False, False, None),
    ([2, 1], True, True, [2, 1]),
    ([1, 5, 2], True, True, [1, 5, 2]),
    ([7], False, False, [7]),
]


def test_functional_types_map_to_roles_and_round_trip(wacs: Wacs) -> None:
    for types, customer, supplier, stored in ROLE_CASES:
        created = wacs.create(FunctionalTypes=types)
        assert created["FunctionalTypes"] == types
        contact = wacs.canonical(created["ID"])
        assert (contact["is_customer"], contact["is_supplier"]) == (customer, supplier), types
        assert contact["extensions"].get("wacs", {}).get("FunctionalTypes") == stored, types


def test_functional_types_follow_roles_changed_elsewhere(wacs: Wacs) -> None:
    number = wacs.create(FunctionalTypes=[1, 5])["ID"]
    contact_id = wacs.canonical(number)["id"]
    roles = {"is_customer": False, "is_supplier": True}
    assert wacs.native.patch(f"/v1/contacts/{contact_id}", json=roles).status_code == 200
    assert wacs.http.get(f"GetContact/{number}").json()["FunctionalTypes"] == [2, 5]


def test_language_codes(wacs: Wacs) -> None:
    cases = [(1, "nl", None), (2, "fr", None), (3, "en", None), (4, "de", None), (9, None, 9)]
    for language, iso, stored in cases:
        created = wacs.create(Language=language)
        assert created["Language"] == language
        contact = wacs.canonical(created["ID"])
        assert contact["language"] == iso, language
        assert contact["extensions"].get("wacs", {}).get("Language") == stored, language


# body, canonical vat_number, (VATCountryISO, VATNr) read back
VAT_CASES: list[tuple[dict[str, Any], str | None, tuple[str | None, str | None]]] = [
    ({"VATCountryISO": "BE", "VATNr": "BE 0403.019.261"}, "BE0403019261", ("BE", "0403019261")),
    ({"CountryISO": "BE", "VATNr": "0403019261"}, "BE0403019261", ("BE", "0403019261")),
    ({"VATNr": "NL000099998B57"}, "NL000099998B57", ("NL", "000099998B57")),
    ({"VATCountryISO": "GR", "VATNr": "094014201"}, "EL094014201", ("GR", "094014201")),
    ({"VATCountryISO": "NL"}, None, ("NL", None)),
]


def test_vat_number_is_country_prefix_and_number(wacs: Wacs) -> None:
    for body, vat_number, read_back in VAT_CASES:
        created = wacs.create(**body)
        assert (created["VATCountryISO"], created["VATNr"]) == read_back, body
        assert wacs.canonical(created["ID"])["vat_number"] == vat_number, body


def test_values_come_back_in_canonical_form(wacs: Wacs) -> None:
    created = wacs.create(
        CountryISO="Belgium",
        Telnr="09 223 12 34",
        Iban="BE71 0961 2345 6769",
        Email="Boekhouding@Janssens.example.be",
        KvK=" 69599084 ",
        DateOfBirth="1978-04-12T23:30:00+02:00",
        Postalcode=9000,
        Memo="  trimmed  ",
        Header1="",
    )
    assert (created["CountryISO"], created["Telnr"], created["Iban"]) == (
        "BE",
        "+3292231234",
        "BE71096123456769",
    )
    assert (created["Email"], created["KvK"], created["DateOfBirth"]) == (
        "Boekhouding@janssens.example.be",
        "69599084",
        "1978-04-12T00:00:00",
    )
    assert (created["Postalcode"], created["Memo"], created["Header1"]) == ("9000", "trimmed", None)


def test_member_names_ignore_case_and_unknown_members_are_ignored(wacs: Wacs) -> None:
    response = wacs.http.post(
        "CreateContact", json={"name": "Klein BV", "COMPANY": False, "ID": 77, "Extra": 1}
    )
    assert response.status_code == 201, response.text
    assert (response.json()["ID"], response.json()["Name"]) == (1, "Klein BV")
    assert wacs.canonical(1)["kind"] == "person"


def test_parent_by_id_and_deleting_a_referenced_parent_is_refused(wacs: Wacs) -> None:
    parent = wacs.create(Name="Groep")
    child = wacs.create(Name="Dochter", ParentID=parent["ID"])
    assert child["ParentID"] == parent["ID"]
    response = wacs.http.delete(f"DeleteContact/{parent['ID']}")
    assert response.status_code == 409
    assert response.json() == {
        "Message": "Contact 1 cannot be deleted: it is the ParentID of contact(s) 2; "
        "change or delete those first."
    }
    assert wacs.http.get(f"GetContact/{parent['ID']}").status_code == 200
    assert (
        wacs.http.put(
            f"UpdateContact/{child['ID']}", json={"Name": "Dochter", "ParentID": 0}
        ).json()["ParentID"]
        is None
    )
    assert wacs.http.delete(f"DeleteContact/{parent['ID']}").status_code == 204
    assert wacs.http.get(f"GetContact/{parent['ID']}").status_code == 404


def test_get_contacts_pages_by_id_with_totals(wacs: Wacs) -> None:
    for name in ("Echo", "Delta", "Charlie", "Bravo", "Alfa"):
        wacs.create(Name=name)
    response = wacs.http.get("GetContacts", params={"page": 2, "pageSize": 2})
    assert response.status_code == 200, response.text
    assert [item["ID"] for item in response.json()] == [3, 4]
    assert response.json()[0] == {**EMPTY_VIEW, "ID": 3, "Name": "Charlie"}
    assert (response.headers["x-total-count"], response.headers["x-total-pages"]) == ("5", "3")
    everything = wacs.http.get("GetContacts").json()
    assert [item["Name"] for item in everything] == ["Echo", "Delta", "Charlie", "Bravo", "Alfa"]
    assert wacs.http.get("GetContacts", params={"page": 4, "pageSize": 2}).json() == []


def test_get_contacts_search_external_id_and_archived(wacs: Wacs) -> None:
    wacs.create(Name="Brouwerij Het Anker", ExternalID="ERP-1")
    wacs.create(Name="Bakkerij Peeters", ExternalID="ERP-2")
    archived = wacs.create(Name="Brouwerij De Koninck")
    contact_id = wacs.canonical(archived["ID"])["id"]
    assert wacs.native.post(f"/v1/contacts/{contact_id}/archive").status_code == 200

    def names(**params: Any) -> list[str]:
        response = wacs.http.get("GetContacts", params=params)
        assert response.status_code == 200, response.text
        return [item["Name"] for item in response.json()]

    assert names(search="brouwerij") == ["Brouwerij Het Anker"]
    assert names(search="BROUWERIJ", includeArchived="true") == [
        "Brouwerij Het Anker",
        "Brouwerij De Koninck",
    ]
    assert names(externalId="ERP-2") == ["Bakkerij Peeters"]
    assert names(PAGESIZE="1") == ["Brouwerij Het Anker"]  # query names ignore case
    assert wacs.http.get(f"GetContact/{archived['ID']}").status_code == 200


def test_bearer_token_and_text_json_are_accepted(wacs: Wacs) -> None:
    bearer_client = Client(wacs.http.http, PREFIX, bearer(wacs.key))
    response = bearer_client.post(
        "CreateContact",
        content=b'{"Name": "Header Auth BV"}',
        headers={"Content-Type": "text/json; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    assert bearer_client.get("GetContact/1").json()["Name"] == "Header Auth BV"


def test_paths_match_without_regard_to_case(wacs: Wacs) -> None:
    wacs.create(Name="Hoofdletters BV")
    response = wacs.http.at("").get("/compat/wacs/api/v2/contacts/getcontact/1/")
    assert response.status_code == 200, response.text
    assert response.json()["Name"] == "Hoofdletters BV"


def test_writes_are_recorded_as_the_wacs_entry_point(wacs: Wacs, services: Services) -> None:
    number = wacs.create(Name="Historie BV")["ID"]
    wacs.http.put(f"UpdateContact/{number}", json={"Name": "Historie NV"})
    principal = services.tenancy.authenticate(wacs.key)
    actor = Actor(principal.tenant, principal.api_key_id, "test")
    contact_id = services.contacts.get_by_number(actor, number).id
    events = services.history.history(actor, contact_id, None, 10).events
    assert [event.entry_point for event in events] == ["dialect:wacs", "dialect:wacs"]
    assert [event.version for event in events] == [2, 1]


def test_countries_the_page_leaves_unconstrained_are_accepted_and_reported(wacs: Wacs) -> None:
    """CountryISO and VATCountryISO are "None." on the page: any text is accepted. What no
    country code can hold is kept in extensions.wacs and reported `invalid` in `checks`."""
    created = wacs.create(Name="Atlantis BV", CountryISO="Atlantis", VATCountryISO="XX",
                          VATNr="123456")  # fmt: skip
    assert (created["CountryISO"], created["VATCountryISO"], created["VATNr"]) == (
        "Atlantis",
        "XX",
        "123456",
    )
    assert wacs.http.get(f"GetContact/{created['ID']}").json() == created
    contact = wacs.canonical(created["ID"])
    assert contact["address"]["country_code"] is None and contact["vat_number"] == "123456"
    assert contact["extensions"]["wacs"]["unheld"] == {"address/country_code": "Atlantis"}
    country_check = {"field": "address/country_code", "status": "invalid",
                     "scheme": "iso3166-1", "reason": "unknown_code", "evidence": None}  # fmt: skip
    assert country_check in contact["checks"]
    changed = wacs.http.put(
        f"UpdateContact/{created['ID']}", json={"Name": "Atlantis BV", "CountryISO": "NL"}
    )
    assert changed.status_code == 200 and changed.json()["CountryISO"] == "NL"
    contact = wacs.canonical(created["ID"])
    assert contact["address"]["country_code"] == "NL" and "wacs" not in contact["extensions"]
    assert all(check["field"] != "address/country_code" or check["status"] == "valid"
               for check in contact["checks"])  # fmt: skip
