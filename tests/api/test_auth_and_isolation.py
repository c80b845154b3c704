"""API keys and tenant isolation: a tenant never sees another tenant's contacts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from counterparty.services.context import Actor
from counterparty.services.listing import ContactQuery
from counterparty.services.registry import Services
from tests.conftest import TenantClient

CONTACT_ENDPOINTS = [
    ("GET", "/v1/contacts/{id}", None),
    ("PUT", "/v1/contacts/{id}", {"name": "Hijacked"}),
    ("PATCH", "/v1/contacts/{id}", {"name": "Hijacked"}),
    ("DELETE", "/v1/contacts/{id}", None),
    ("POST", "/v1/contacts/{id}/archive", None),
    ("POST", "/v1/contacts/{id}/unarchive", None),
    ("GET", "/v1/contacts/by-number/{number}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), CONTACT_ENDPOINTS)
def test_another_tenants_contact_is_404_on_every_endpoint(
    api: TenantClient, other_api: TenantClient, method: str, path: str, body: Any
) -> None:
    mine = api.create(name="Mine", external_ref="SECRET-1")
    url = path.format(id=mine["id"], number=mine["number"])
    if path.endswith("{number}"):
        other_api.create(name="Theirs")  # the other tenant's number 1 exists too
        url = path.format(number=mine["number"] + 1)
    response = other_api.http.request(method, url, json=body)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    unchanged = api.http.get(f"/v1/contacts/{mine['id']}").json()
    assert unchanged == mine


def test_lists_and_searches_never_show_another_tenant(
    api: TenantClient, other_api: TenantClient
) -> None:
    api.create(name="Shared Name", external_ref="R1", tags=["t"])
    theirs = other_api.create(name="Shared Name", external_ref="R1", tags=["t"])
    for params in ({}, {"q": "shared"}, {"external_ref": "R1"}, {"tag": "t"}, {"archived": "all"}):
        data = other_api.http.get("/v1/contacts", params=params).json()["data"]
        assert [contact["id"] for contact in data] == [theirs["id"]]


def test_another_tenant_cannot_be_named_as_parent(
    api: TenantClient, other_api: TenantClient
) -> None:
    theirs = other_api.create()
    response = api.http.post("/v1/contacts", json={"name": "X", "parent_id": theirs["id"]})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer cpk_doesnotexist"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer " + "x" * 300},
    ],
)
def test_missing_or_unknown_keys_are_401(anonymous: httpx.Client, headers: dict[str, str]) -> None:
    for method, path in (
        ("GET", "/v1/contacts"),
        ("POST", "/v1/contacts"),
        ("GET", "/v1/contacts/0190d3c6-1111-7000-8000-000000000001"),
    ):
        response = anonymous.request(method, path, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unauthenticated"


def test_authentication_comes_before_body_checks(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/v1/contacts", content=b"not json", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/contacts", None),
        ("GET", "/v1/contacts/{id}", None),  # the key's epoch is read with the contact
        ("GET", "/v1/contacts/by-number/{number}", None),
        ("PATCH", "/v1/contacts/{id}", {"notes": "after"}),
        ("POST", "/v1/contacts", {"name": "After"}),
        ("POST", "/v1/contacts", {"kind": "robot"}),  # refused before any database access
        ("GET", "/v1/tenant", None),
    ],
)
def test_a_revoked_key_is_refused_at_once(
    services: Services, api: TenantClient, method: str, path: str, body: Any
) -> None:
    contact = api.create(name="Before")
    url = path.format(id=contact["id"], number=contact["number"])
    assert api.http.request(method, url, json=body).status_code in (200, 201, 422)
    services.tenancy.revoke_key(api.key[:12])
    response = api.http.request(method, url, json=body)
    assert response.status_code == 401, response.text
    trusted = Actor(services.tenancy.get_tenant(api.slug), None, "test")
    before_revocation = 2 if method == "PATCH" else 1
    stored = services.contacts.list(trusted, ContactQuery(limit=10)).contacts
    assert [c.version for c in stored if c.id == UUID(contact["id"])] == [before_revocation]
    created = 1 if (method, body) == ("POST", {"name": "After"}) else 0
    assert len(stored) == 1 + created  # the refused request stored nothing


def test_keys_are_stored_only_as_hashes(services: Services, api: TenantClient) -> None:
    keys = services.tenancy.list_keys(api.slug)
    assert [key.display_prefix for key in keys] == [api.key[:12]]
    assert all(api.key not in repr(key) for key in keys)


def test_the_key_of_one_tenant_never_reaches_another(
    api: TenantClient, other_api: TenantClient
) -> None:
    created = api.create()
    assert api.http.get(f"/v1/contacts/{created['id']}").status_code == 200
    assert other_api.http.get(f"/v1/contacts/{created['id']}").status_code == 404
