"""iDoklad dialect list: {"Data", "TotalItems", "TotalPages"}, page/pagesize, filter and sort."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from counterparty.services.registry import Services
from tests.dialects.test_idoklad import signed_in
from tests.dialects.vendors import Client, Tenant, open_tenant

CONTACTS: list[dict[str, Any]] = [  # Ids 1 to 5, in this order
    {"CompanyName": "Novák Stavby s.r.o.", "CountryId": 2, "Email": "info@novak.cz"},
    {"CompanyName": "Alfa Obchod a.s.", "CountryId": 2, "IdentificationNumber": "25596641"},
    {"CompanyName": "Zeleň Bratislava s.r.o.", "CountryId": 1, "Email": "zelen@firma.sk"},
    {"CompanyName": "Beta Novak GmbH", "CountryId": 86, "Email": "office@beta.de"},
    {"CompanyName": "Omega Trade", "CountryId": 2, "Email": "sales@firma.cz"},
]


def _with_contacts(tenant: Tenant) -> Client:
    client = signed_in(tenant)
    for contact in CONTACTS:
        assert client.post("/v2.0/Contacts", json=contact).status_code == 200
    return client


@pytest.fixture
def idoklad(tenant: Tenant) -> Client:
    """A tenant of its own with CONTACTS, for tests that change it."""
    return _with_contacts(tenant)


@pytest.fixture(scope="module")
def shared(services: Services, vendor_pool: httpx.Client) -> Client:
    """One tenant with CONTACTS for the tests in this module that only read."""
    return _with_contacts(open_tenant(services, vendor_pool))


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [record["Id"] for record in response.json()["Data"]]


def test_pages_with_totals(shared: Client) -> None:
    first = shared.get("/v2.0/Contacts", params={"pagesize": 2})
    assert set(first.json()) == {"Data", "TotalItems", "TotalPages"}
    assert ids(first) == [1, 2]
    assert (first.json()["TotalItems"], first.json()["TotalPages"]) == (5, 3)
    assert ids(shared.get("/v2.0/Contacts", params={"pagesize": 2, "page": 3})) == [5]
    beyond = shared.get("/v2.0/Contacts", params={"pagesize": 2, "page": 4})
    assert ids(beyond) == [] and beyond.json()["TotalItems"] == 5
    every = shared.get("/v2.0/Contacts").json()
    assert len(every["Data"]) == 5 and every["TotalPages"] == 1
    assert every["Data"][0] == shared.get("/v2.0/Contacts/1").json()


def test_pages_default_to_twenty(idoklad: Client) -> None:
    for number in range(16):
        idoklad.post("/v2.0/Contacts", json={"CompanyName": f"Firma {number}", "CountryId": 2})
    listed = idoklad.get("/v2.0/Contacts")
    assert len(ids(listed)) == 20 and listed.json()["TotalPages"] == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("Id~desc", [5, 4, 3, 2, 1]),
        ("CompanyName~asc", [2, 4, 1, 5, 3]),
        ("CompanyName~desc|Id~asc", [3, 5, 1, 4, 2]),
        ("DateLastChange~asc", [1, 2, 3, 4, 5]),
    ],
)
def test_sort(shared: Client, sort: str, expected: list[int]) -> None:
    assert ids(shared.get("/v2.0/Contacts", params={"sort": sort})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filter": "CompanyName~ct~novak"}, [1, 4]),  # accents and case ignored
        ({"filter": "CompanyName~ct~Novák s"}, [1]),
        ({"filter": "CompanyName~eq~omega trade"}, [5]),
        ({"filter": "CompanyName~!ct~novak"}, [2, 3, 5]),
        ({"filter": "Id~eq~3"}, [3]),
        ({"filter": "Id~gte~4"}, [4, 5]),
        ({"filter": "Id~!eq~1|Id~lt~4"}, [2, 3]),
        ({"filter": "Email~ct~@firma"}, [3, 5]),  # "firma" is in no company name
        ({"filter": "Email~ct~@firma.cz|CountryId~eq~2"}, [5]),
        ({"filter": "CountryId~eq~2"}, [1, 2, 5]),
        ({"filter": "IdentificationNumber~eq~255 966 41"}, [2]),
        ({"filter": "CompanyName~ct~alfa|CompanyName~ct~omega", "filtertype": "or"}, [2, 5]),
        ({"filter": "CompanyName~ct~alfa|CompanyName~ct~omega", "filtertype": "and"}, []),
        ({"filter": "DateLastChange~gte~2000-01-01 00:00"}, [1, 2, 3, 4, 5]),
        ({"filter": "DateLastChange~lt~2000-01-01T00:00:00+01:00"}, []),
        ({"filter": "CompanyName~ct~novak", "sort": "Id~desc"}, [4, 1]),
    ],
)
def test_filters(shared: Client, params: dict[str, str], expected: list[int]) -> None:
    response = shared.get("/v2.0/Contacts", params=params)
    assert ids(response) == expected
    assert response.json()["TotalItems"] == len(expected)


def test_filtered_pages_count_only_what_matches(shared: Client) -> None:
    params = {"filter": "CountryId~eq~2", "pagesize": 2, "page": 2}
    response = shared.get("/v2.0/Contacts", params=params)
    assert ids(response) == [5]
    assert (response.json()["TotalItems"], response.json()["TotalPages"]) == (3, 2)


def test_archived_contacts_are_left_out_of_the_list_but_can_be_read(
    idoklad: Client, tenant: Tenant
) -> None:
    record = idoklad.get("/v2.0/Contacts/2").json()
    archived = tenant.native.post(f"/v1/contacts/{record['AddressIdg']}/archive")
    assert archived.status_code == 200
    assert ids(idoklad.get("/v2.0/Contacts")) == [1, 3, 4, 5]
    assert ids(idoklad.get("/v2.0/Contacts", params={"filter": "Id~eq~2"})) == []
    assert idoklad.get("/v2.0/Contacts/2").status_code == 200


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"pagesize": "0"}, "pagesize"),
        ({"pagesize": "201"}, "pagesize"),
        ({"page": "zero"}, "page"),
        ({"filter": "Street~eq~x"}, "filter"),
        ({"filter": "CompanyName~gt~a"}, "filter"),
        ({"filter": "Id~eq~one"}, "filter"),
        ({"filter": "CompanyName"}, "filter"),
        ({"filter": "DateLastChange~gt~yesterday"}, "filter"),
        ({"filtertype": "xor"}, "filtertype"),
        ({"sort": "Street~asc"}, "sort"),
        ({"sort": "Id~up"}, "sort"),
    ],
)
def test_bad_list_parameters_are_400(
    shared: Client, params: dict[str, str], parameter: str
) -> None:
    response = shared.get("/v2.0/Contacts", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["Message"] == "The request is invalid." and list(body["ModelState"]) == [parameter]


def test_a_filter_that_leaves_too_many_candidates_is_refused(
    shared: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counterparty.dialects.idoklad.listing.MAX_SCAN", 4)
    narrowed = shared.get("/v2.0/Contacts", params={"filter": "CompanyName~ct~novak"})
    assert ids(narrowed) == [1, 4]  # the search leaves 2 candidates to check
    response = shared.get("/v2.0/Contacts", params={"filter": "CompanyName~!ct~novak"})
    assert response.status_code == 400, response.text
    assert list(response.json()["ModelState"]) == ["filter"]
