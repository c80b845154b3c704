"""Listing contacts: filters, sorting and cursor paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import TenantClient


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [contact["name"] for contact in response.json()["data"]]


@pytest.fixture
def book(api: TenantClient) -> TenantClient:
    api.create(
        name="Çelik Yapı A.Ş.",
        email="info@celik.example.com",
        tax_id="1234567890",
        address={"city": "İstanbul", "country_code": "TR"},
        tags=["steel", "vip"],
    )
    api.create(
        name="Brouwerij De Klok",
        vat_number="BE0403019261",
        external_ref="ERP-2",
        is_supplier=True,
        is_customer=False,
        address={"city": "Gent", "country_code": "BE"},
    )
    api.create(
        kind="person",
        first_name="Jana",
        last_name="Nováková",
        registration_number="25596641",
        address={"city": "Praha", "country_code": "CZ"},
        tags=["vip"],
    )
    archived = api.create(
        name="Old Supplier GmbH", is_supplier=True, address={"country_code": "DE"}
    )
    api.http.post(f"/v1/contacts/{archived['id']}/archive")
    return api


class TestFilters:
    def test_default_lists_active_contacts_by_name(self, book: TenantClient) -> None:
        assert names(book.http.get("/v1/contacts")) == [
            "Brouwerij De Klok",
            "Çelik Yapı A.Ş.",
            "Jana Nováková",
        ]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"q": "celik"}, ["Çelik Yapı A.Ş."]),
            ({"q": "ISTANBUL"}, ["Çelik Yapı A.Ş."]),
            ({"q": "novakova"}, ["Jana Nováková"]),
            ({"q": "jana prah"}, ["Jana Nováková"]),
            ({"q": "jana gent"}, []),
            ({"q": "celik.example"}, ["Çelik Yapı A.Ş."]),
            ({"q": "0403.019.261"}, ["Brouwerij De Klok"]),
            ({"q": "be0403019261"}, ["Brouwerij De Klok"]),
            ({"q": "1234567890"}, ["Çelik Yapı A.Ş."]),
            ({"q": "25596641"}, ["Jana Nováková"]),
            ({"q": "erp-2"}, ["Brouwerij De Klok"]),
            ({"q": "100%"}, []),
            ({"kind": "person"}, ["Jana Nováková"]),
            ({"kind": "company"}, ["Brouwerij De Klok", "Çelik Yapı A.Ş."]),
            ({"is_customer": "false"}, ["Brouwerij De Klok"]),
            ({"is_supplier": "true"}, ["Brouwerij De Klok"]),
            ({"archived": "true"}, ["Old Supplier GmbH"]),
            (
                {"archived": "all", "is_supplier": "true"},
                ["Brouwerij De Klok", "Old Supplier GmbH"],
            ),
            ({"country_code": "tr"}, ["Çelik Yapı A.Ş."]),
            ({"tag": "vip"}, ["Çelik Yapı A.Ş.", "Jana Nováková"]),
            ({"tag": "steel"}, ["Çelik Yapı A.Ş."]),
            ({"tag": "VIP"}, []),
            ({"external_ref": "ERP-2"}, ["Brouwerij De Klok"]),
            ({"sort": "-name"}, ["Jana Nováková", "Çelik Yapı A.Ş.", "Brouwerij De Klok"]),
            ({"sort": "number"}, ["Çelik Yapı A.Ş.", "Brouwerij De Klok", "Jana Nováková"]),
            ({"sort": "-number"}, ["Jana Nováková", "Brouwerij De Klok", "Çelik Yapı A.Ş."]),
        ],
    )
    def test_filter(self, book: TenantClient, params: dict[str, str], expected: list[str]) -> None:
        assert names(book.http.get("/v1/contacts", params=params)) == expected

    def test_search_follows_renames_and_deletions(self, api: TenantClient) -> None:
        created = api.create(name="Kwaliteitsbakkerij Jansen")
        assert names(api.http.get("/v1/contacts", params={"q": "bakkerij"})) == [
            "Kwaliteitsbakkerij Jansen"
        ]
        api.http.patch(f"/v1/contacts/{created['id']}", json={"name": "Slagerij Jansen"})
        assert names(api.http.get("/v1/contacts", params={"q": "bakkerij"})) == []
        assert names(api.http.get("/v1/contacts", params={"q": "slager jans"})) == [
            "Slagerij Jansen"
        ]
        api.http.delete(f"/v1/contacts/{created['id']}")
        assert names(api.http.get("/v1/contacts", params={"q": "slager"})) == []

    def test_updated_since_and_sort_by_updated_at(self, book: TenantClient) -> None:
        everyone = book.http.get("/v1/contacts", params={"sort": "number"}).json()["data"]
        touched = everyone[0]
        after = book.http.patch(f"/v1/contacts/{touched['id']}", json={"notes": "n"}).json()
        since = datetime.fromisoformat(after["updated_at"]) - timedelta(microseconds=1)
        assert names(
            book.http.get("/v1/contacts", params={"updated_since": since.isoformat()})
        ) == [touched["name"]]
        assert (
            names(book.http.get("/v1/contacts", params={"sort": "-updated_at"}))[0]
            == (touched["name"])
        )
        future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        assert names(book.http.get("/v1/contacts", params={"updated_since": future})) == []

    @pytest.mark.parametrize(
        ("params", "parameter", "code"),
        [
            ({"limit": "0"}, "limit", "out_of_range"),
            ({"limit": "201"}, "limit", "out_of_range"),
            ({"limit": "ten"}, "limit", "out_of_range"),
            ({"kind": "robot"}, "kind", "invalid_choice"),
            ({"is_customer": "yes"}, "is_customer", "invalid_type"),
            ({"archived": "maybe"}, "archived", "invalid_choice"),
            ({"sort": "email"}, "sort", "invalid_choice"),
            ({"country_code": "XX"}, "country_code", "invalid_country"),
            ({"updated_since": "yesterday"}, "updated_since", "invalid_format"),
            ({"q": "x" * 201}, "q", "too_long"),
            ({"colour": "red"}, "colour", "unknown_parameter"),
        ],
    )
    def test_bad_parameters_are_422(
        self, api: TenantClient, params: dict[str, str], parameter: str, code: str
    ) -> None:
        response = api.http.get("/v1/contacts", params=params)
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "parameter": parameter,
            "code": code,
            "detail": response.json()["errors"][0]["detail"],
        }


class TestPaging:
    def test_pages_link_to_each_other_until_the_last(self, api: TenantClient) -> None:
        for index in range(5):
            api.create(name=f"Company {index}")
        first = api.http.get("/v1/contacts", params={"limit": 2})
        body = first.json()
        assert names(first) == ["Company 0", "Company 1"]
        assert body["has_more"] is True and body["next_cursor"]
        link = first.headers["link"]
        assert link.endswith('>; rel="next"') and "limit=2" in link
        second = api.http.get(link[1 : link.index(">")])
        assert names(second) == ["Company 2", "Company 3"]
        last = api.http.get(
            "/v1/contacts", params={"limit": 2, "cursor": second.json()["next_cursor"]}
        )
        assert names(last) == ["Company 4"]
        assert last.json()["has_more"] is False and last.json()["next_cursor"] is None
        assert "link" not in last.headers

    def test_default_page_size_is_50(self, api: TenantClient) -> None:
        for index in range(51):
            api.create(name=f"C{index:02}")
        body = api.http.get("/v1/contacts").json()
        assert len(body["data"]) == 50 and body["has_more"] is True

    @pytest.mark.parametrize(
        "sort", ["name", "-name", "number", "-number", "updated_at", "-updated_at"]
    )
    def test_every_preexisting_contact_appears_exactly_once_while_others_are_added(
        self, api: TenantClient, sort: str
    ) -> None:
        existing = {api.create(name=f"Existing {index:02}")["id"] for index in range(12)}
        seen: list[str] = []
        cursor = None
        added = 0
        while True:
            params: dict[str, Any] = {"limit": 5, "sort": sort}
            if cursor:
                params["cursor"] = cursor
            body = api.http.get("/v1/contacts", params=params).json()
            seen.extend(contact["id"] for contact in body["data"])
            for name in ("Aaa new", "Zzz new", "Existing 05b"):
                api.create(name=f"{name} {added}")
                added += 1
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert sorted(i for i in seen if i in existing) == sorted(existing)
        assert len(seen) == len(set(seen))

    def test_a_tampered_cursor_is_400(self, api: TenantClient) -> None:
        for index in range(3):
            api.create(name=f"P{index}")
        cursor = api.http.get("/v1/contacts", params={"limit": 1}).json()["next_cursor"]
        payload, signature = cursor.split(".")
        flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
        for bad in (f"{flipped}.{signature}", "garbage", f"{payload}.{signature[:-1]}"):
            response = api.http.get("/v1/contacts", params={"limit": 1, "cursor": bad})
            assert response.status_code == 400
            assert response.json()["code"] == "invalid_cursor"

    def test_a_cursor_only_continues_its_own_query(self, api: TenantClient) -> None:
        for index in range(3):
            api.create(name=f"P{index}")
        cursor = api.http.get("/v1/contacts", params={"limit": 1}).json()["next_cursor"]
        response = api.http.get("/v1/contacts", params={"cursor": cursor, "sort": "number"})
        assert response.status_code == 400
        with_limit = api.http.get("/v1/contacts", params={"cursor": cursor, "limit": 2})
        assert with_limit.status_code == 200

    def test_another_tenants_cursor_is_400(
        self, api: TenantClient, other_api: TenantClient
    ) -> None:
        for index in range(3):
            api.create(name=f"P{index}")
        cursor = api.http.get("/v1/contacts", params={"limit": 1}).json()["next_cursor"]
        response = other_api.http.get("/v1/contacts", params={"limit": 1, "cursor": cursor})
        assert response.status_code == 400
