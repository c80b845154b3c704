"""Create, read, replace, patch, archive and delete contacts over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TenantClient

FULL = {
    "kind": "company",
    "name": "Acme Trading BV",
    "is_customer": True,
    "is_supplier": True,
    "external_ref": "ERP-1001",
    "email": "Invoices@Acme.example.com",
    "phone": "020 123 4567",
    "website": "https://acme.example.com",
    "tax_office": "Amsterdam",
    "vat_number": "nl 0044.95.445B01",
    "einvoice_enabled": True,
    "address": {
        "street": "Damrak 1",
        "postal_code": "1012 LG",
        "city": "Amsterdam",
        "country_code": "nl",
    },
    "bank_accounts": [{"iban": "NL91 ABNA 0417 1643 00", "bic": "ABNANL2A", "is_default": True}],
    "contact_persons": [
        {"name": "Jan de Vries", "role": "Accounts payable", "email": "jan@acme.example.com"}
    ],
    "language": "NL",
    "currency": "eur",
    "payment_terms_days": 30,
    "discount_percent": 2.5,
    "send_reminders": True,
    "notes": "Prefers e-invoices",
    "tags": ["wholesale", "vip"],
    "custom_fields": {"crm_id": "A-77", "credit_ok": True, "score": 7.5},
    "gdpr": {"consent": "given", "reason": "contract"},
    "extensions": {"wacs": {"Header1": "x"}},
}


def test_create_returns_the_stored_contact_with_location_and_etag(api: TenantClient) -> None:
    response = api.http.post("/v1/contacts", json=FULL)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/contacts/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert body["version"] == 1 and body["number"] == 1
    assert body["email"] == "Invoices@acme.example.com"  # domain part normalised
    assert body["phone"] == "+31201234567"
    assert body["vat_number"] == "NL004495445B01"
    assert body["address"]["country_code"] == "NL"
    assert body["language"] == "nl" and body["currency"] == "EUR"
    assert body["bank_accounts"][0]["iban"] == "NL91ABNA0417164300"
    assert body["bank_accounts"][0]["id"]
    assert body["contact_persons"][0]["id"]
    assert body["discount_percent"] == 2.5
    assert body["custom_fields"] == {"crm_id": "A-77", "credit_ok": True, "score": 7.5}
    assert body["extensions"] == {"wacs": {"Header1": "x"}}
    fetched = api.http.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_numbers_run_per_tenant_and_are_never_reused(
    api: TenantClient, other_api: TenantClient
) -> None:
    first, second = api.create(), api.create()
    assert (first["number"], second["number"]) == (1, 2)
    assert other_api.create()["number"] == 1
    assert api.http.delete(f"/v1/contacts/{second['id']}").status_code == 204
    assert api.create()["number"] == 3


def test_fetch_by_number(api: TenantClient) -> None:
    created = api.create(name="By Number Ltd")
    response = api.http.get(f"/v1/contacts/by-number/{created['number']}")
    assert response.status_code == 200 and response.json()["id"] == created["id"]
    assert api.http.get("/v1/contacts/by-number/999").status_code == 404
    assert api.http.get("/v1/contacts/by-number/abc").status_code == 404


def test_the_service_assigns_ids(api: TenantClient) -> None:
    chosen = "0190d3c6-1111-7000-8000-000000000001"
    for path, body in (
        ("/v1/contacts", {"id": chosen, "name": "Chosen"}),
        ("/v1/contacts/batch", {"items": [{"id": chosen, "name": "Chosen"}]}),
    ):
        response = api.http.post(path, json=body)
        errors = (
            response.json()["errors"]
            if path.endswith("contacts")
            else (response.json()["results"][0]["errors"])
        )
        assert [(e["code"], e["pointer"]) for e in errors] == [("read_only", "/id")]
    assert api.http.get(f"/v1/contacts/{chosen}").status_code == 404
    assert api.http.get("/v1/contacts").json()["data"] == []


@pytest.mark.parametrize(("name", "longest"), [("tag", 50), ("external_ref", 100)])
def test_filters_are_as_long_as_the_fields_they_filter(
    api: TenantClient, name: str, longest: int
) -> None:
    assert api.http.get("/v1/contacts", params={name: "x" * longest}).status_code == 200
    response = api.http.get("/v1/contacts", params={name: "x" * (longest + 1)})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"code": "too_long", "detail": f"at most {longest} characters", "parameter": name}
    ]


def test_person_name_defaults_to_first_and_last_name(api: TenantClient) -> None:
    response = api.http.post(
        "/v1/contacts", json={"kind": "person", "first_name": "Ayşe", "last_name": "Yılmaz"}
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Ayşe Yılmaz"


def test_defaults_of_a_minimal_contact(api: TenantClient) -> None:
    body = api.create(name="Minimal")
    assert body["kind"] == "company"
    assert body["is_customer"] is True and body["is_supplier"] is False
    assert body["bank_accounts"] == [] and body["tags"] == [] and body["custom_fields"] == {}
    assert body["address"]["city"] is None
    assert body["gdpr"]["consent"] == "unknown"
    assert body["archived"] is False and body["archived_at"] is None


class TestPutReplaces:
    def test_fields_left_out_return_to_their_defaults(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        response = api.http.put(f"/v1/contacts/{created['id']}", json={"name": "Renamed"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["name"] == "Renamed"
        assert body["email"] is None and body["tags"] == [] and body["bank_accounts"] == []
        assert body["address"]["city"] is None and body["is_supplier"] is False
        assert body["version"] == 2 and response.headers["etag"] == '"2"'
        assert body["number"] == created["number"] and body["created_at"] == created["created_at"]

    def test_a_full_body_round_trips(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        writable = {
            k: v
            for k, v in created.items()
            if k
            not in {"id", "number", "version", "checks", "created_at", "updated_at", "archived_at"}
        }
        response = api.http.put(f"/v1/contacts/{created['id']}", json=writable)
        assert response.status_code == 200
        assert response.json()["version"] == created["version"], "nothing changed, no new version"

    def test_missing_contact_is_404(self, api: TenantClient) -> None:
        response = api.http.put(
            "/v1/contacts/0190d3c6-1111-7000-8000-00000000ffff", json={"name": "Ghost"}
        )
        assert response.status_code == 404


class TestPatchMerges:
    def test_absent_members_stay(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        body = api.http.patch(f"/v1/contacts/{created['id']}", json={"notes": "New"}).json()
        assert body["notes"] == "New"
        assert body["email"] == created["email"] and body["tags"] == created["tags"]
        assert body["version"] == 2

    def test_null_clears_a_member(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        body = api.http.patch(
            f"/v1/contacts/{created['id']}", json={"email": None, "payment_terms_days": None}
        ).json()
        assert body["email"] is None and body["payment_terms_days"] is None

    def test_null_returns_a_defaulted_member_to_its_default(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        body = api.http.patch(f"/v1/contacts/{created['id']}", json={"is_supplier": None}).json()
        assert body["is_supplier"] is False

    def test_null_on_a_required_member_is_422(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        response = api.http.patch(f"/v1/contacts/{created['id']}", json={"name": None})
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/name"
        assert api.http.get(f"/v1/contacts/{created['id']}").json()["version"] == 1

    def test_nested_objects_merge_member_by_member(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        body = api.http.patch(
            f"/v1/contacts/{created['id']}",
            json={
                "address": {"city": "Rotterdam", "postal_code": None},
                "custom_fields": {"score": None, "tier": "gold"},
            },
        ).json()
        assert body["address"]["city"] == "Rotterdam"
        assert body["address"]["postal_code"] is None
        assert body["address"]["street"] == "Damrak 1"
        assert body["custom_fields"] == {"crm_id": "A-77", "credit_ok": True, "tier": "gold"}

    def test_lists_are_replaced_whole(self, api: TenantClient) -> None:
        created = api.create(**FULL)
        body = api.http.patch(
            f"/v1/contacts/{created['id']}", json={"tags": ["retail"], "bank_accounts": []}
        ).json()
        assert body["tags"] == ["retail"] and body["bank_accounts"] == []

    def test_merge_patch_media_type_is_accepted(self, api: TenantClient) -> None:
        created = api.create()
        response = api.http.patch(
            f"/v1/contacts/{created['id']}",
            content=b'{"notes": "x"}',
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert response.status_code == 200 and response.json()["notes"] == "x"

    def test_a_patch_that_changes_nothing_keeps_the_version(self, api: TenantClient) -> None:
        created = api.create(name="Same")
        body = api.http.patch(f"/v1/contacts/{created['id']}", json={"name": "Same"}).json()
        assert body["version"] == 1 and body["updated_at"] == created["updated_at"]


class TestArchive:
    def test_archive_and_unarchive(self, api: TenantClient) -> None:
        created = api.create()
        archived = api.http.post(f"/v1/contacts/{created['id']}/archive")
        assert archived.status_code == 200
        assert archived.json()["archived"] is True and archived.json()["archived_at"]
        again = api.http.post(f"/v1/contacts/{created['id']}/archive").json()
        assert again["archived_at"] == archived.json()["archived_at"]
        restored = api.http.post(f"/v1/contacts/{created['id']}/unarchive").json()
        assert restored["archived"] is False and restored["archived_at"] is None

    def test_archived_through_patch_too(self, api: TenantClient) -> None:
        created = api.create()
        body = api.http.patch(f"/v1/contacts/{created['id']}", json={"archived": True}).json()
        assert body["archived"] is True and body["archived_at"] is not None


class TestDelete:
    def test_deleted_contact_is_gone(self, api: TenantClient) -> None:
        created = api.create()
        assert api.http.delete(f"/v1/contacts/{created['id']}").status_code == 204
        assert api.http.get(f"/v1/contacts/{created['id']}").status_code == 404
        assert api.http.delete(f"/v1/contacts/{created['id']}").status_code == 404

    def test_a_parent_cannot_be_deleted_and_the_409_names_its_children(
        self, api: TenantClient
    ) -> None:
        parent = api.create(name="Holding")
        children = [api.create(name=f"Branch {i}", parent_id=parent["id"]) for i in range(2)]
        response = api.http.delete(f"/v1/contacts/{parent['id']}")
        assert response.status_code == 409
        problem = response.json()
        assert problem["code"] == "contact_in_use"
        assert problem["referenced_by"] == [child["id"] for child in children]
        assert children[0]["id"] in problem["detail"]
        assert api.http.get(f"/v1/contacts/{parent['id']}").status_code == 200


class TestReferences:
    def test_parent_must_exist_in_the_same_tenant(
        self, api: TenantClient, other_api: TenantClient
    ) -> None:
        foreign = other_api.create()
        response = api.http.post("/v1/contacts", json={"name": "X", "parent_id": foreign["id"]})
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "pointer": "/parent_id",
                "code": "unknown_contact",
                "detail": f"no contact with id {foreign['id']}",
            }
        ]

    def test_hierarchies_have_no_cycles(self, api: TenantClient) -> None:
        top = api.create(name="Top")
        middle = api.create(name="Middle", parent_id=top["id"])
        response = api.http.patch(f"/v1/contacts/{top['id']}", json={"parent_id": middle["id"]})
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "cycle"
        itself = api.http.patch(f"/v1/contacts/{top['id']}", json={"parent_id": top["id"]})
        assert itself.status_code == 422

    def test_external_ref_is_unique_per_tenant(
        self, api: TenantClient, other_api: TenantClient
    ) -> None:
        first = api.create(external_ref="ERP-9")
        response = api.http.post("/v1/contacts", json={"name": "Dup", "external_ref": "ERP-9"})
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]
        assert response.json()["pointer"] == "/external_ref"
        assert other_api.create(external_ref="ERP-9")["external_ref"] == "ERP-9"


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({"name": "x" * 201}, "/name", "too_long"),
        ({"name": "A", "kind": "robot"}, "/kind", "invalid_choice"),
        ({"name": "A", "is_customer": "yes"}, "/is_customer", "invalid_type"),
        ({"name": "A", "email": "not-an-email"}, "/email", "format"),
        (
            {"name": "A", "address": {"country_code": "XX"}},
            "/address/country_code",
            "invalid_country",
        ),
        ({"name": "A", "address": {"floor": 3}}, "/address/floor", "unknown_field"),
        ({"name": "A", "language": "xx"}, "/language", "invalid_language"),
        ({"name": "A", "currency": "ABC"}, "/currency", "invalid_currency"),
        ({"name": "A", "payment_terms_days": 3651}, "/payment_terms_days", "out_of_range"),
        ({"name": "A", "discount_percent": 100.5}, "/discount_percent", "out_of_range"),
        ({"name": "A", "discount_percent": 1.234}, "/discount_percent", "too_many_decimals"),
        ({"name": "A", "tags": ["t"] * 51}, "/tags", "too_many_items"),
        ({"name": "A", "tags": ["x" * 51]}, "/tags/0", "too_long"),
        ({"name": "A", "bank_accounts": [{}] * 21}, "/bank_accounts", "too_many_items"),
        ({"name": "A", "contact_persons": [{}] * 101}, "/contact_persons", "too_many_items"),
        (
            {"name": "A", "custom_fields": {f"k{i}": i for i in range(51)}},
            "/custom_fields",
            "too_many_items",
        ),
        (
            {"name": "A", "custom_fields": {"Bad-Key": 1}},
            "/custom_fields/Bad-Key",
            "invalid_format",
        ),
        (
            {"name": "A", "custom_fields": {"k": "v" * 501}},
            "/custom_fields/k",
            "invalid_custom_value",
        ),
        ({"name": "A", "custom_fields": {"k": [1]}}, "/custom_fields/k", "invalid_custom_value"),
        ({"name": "A", "gdpr": {"consent": "maybe"}}, "/gdpr/consent", "invalid_choice"),
        (
            {"name": "A", "bank_accounts": [{"is_default": True}, {"is_default": True}]},
            "/bank_accounts",
            "multiple_defaults",
        ),
        ({"name": "A", "notes": "n" * 10001}, "/notes", "too_long"),
        ({"name": "A", "birth_date": "31-12-2000"}, "/birth_date", "invalid_format"),
        ({"name": "A", "tenant_id": "x"}, "/tenant_id", "unknown_field"),
        ({"name": "A", "version": 3}, "/version", "read_only"),
        ({"name": "A", "number": 3}, "/number", "read_only"),
        ({"name": "A", "created_at": "2020-01-01T00:00:00Z"}, "/created_at", "read_only"),
        ({"name": "A", "checks": []}, "/checks", "read_only"),
        ({"kind": "company"}, "/name", "required"),
        ({"kind": "person"}, "/name", "required"),
    ],
)
def test_invalid_fields_are_422_with_a_pointer_and_change_nothing(
    api: TenantClient, body: dict[str, Any], pointer: str, code: str
) -> None:
    response = api.http.post("/v1/contacts", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["type"] == "/problems/validation-failed"
    assert {"pointer": pointer, "code": code} in [
        {"pointer": e["pointer"], "code": e["code"]} for e in problem["errors"]
    ]
    assert all(e["detail"] for e in problem["errors"])
    assert api.http.get("/v1/contacts").json()["data"] == []


def test_every_problem_is_reported_at_once(api: TenantClient) -> None:
    response = api.http.post(
        "/v1/contacts", json={"name": "x" * 300, "email": "bad", "id": "also-bad", "foo": 1}
    )
    assert {error["pointer"] for error in response.json()["errors"]} == {"/name", "/id", "/foo"}
    identifiers = api.http.post(
        "/v1/contacts",
        json={
            "name": "A",
            "email": "bad",
            "vat_number": "BE0403019262",
            "bank_accounts": [{"iban": "BE68539007547035"}],
        },
    )
    assert {error["pointer"] for error in identifiers.json()["errors"]} == {
        "/email",
        "/vat_number",
        "/bank_accounts/0/iban",
    }


def test_read_only_fields_in_put_and_patch_are_422(api: TenantClient) -> None:
    created = api.create()
    for method in ("PUT", "PATCH"):
        response = api.http.request(
            method, f"/v1/contacts/{created['id']}", json={"name": "N", "id": created["id"]}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "pointer": "/id",
            "code": "read_only",
            "detail": "'id' is set by the service and cannot be written",
        }
    assert api.http.get(f"/v1/contacts/{created['id']}").json()["version"] == 1
