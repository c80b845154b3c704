"""Webhook endpoints over the native API: created with a secret shown once, listed, changed,
deleted, refused when unsafe or invalid, and never seen by another tenant."""

from __future__ import annotations

import secrets

import pytest
from standardwebhooks import Webhook

from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from counterparty.webhook_setup import webhook_service
from tests.conftest import TenantClient
from tests.webhooks.conftest import SECRET_KEY, Receiver, add_endpoint, fixed_resolver


def test_an_endpoint_is_created_with_a_secret_shown_once(
    hooks: TenantClient, receiver: Receiver
) -> None:
    created = add_endpoint(hooks, receiver.url, events=["contact.created"], description="ERP")
    assert created["secret"].startswith("whsec_")
    assert len(Webhook(created["secret"])._whsecret) >= 24
    assert created["events"] == ["contact.created"] and created["enabled"] is True
    shown = hooks.http.get(f"/v1/webhooks/{created['id']}").json()
    assert "secret" not in shown and shown["description"] == "ERP"
    listed = hooks.http.get("/v1/webhooks").json()["data"]
    assert [item["id"] for item in listed] == [created["id"]] and "secret" not in listed[0]


def test_an_endpoint_is_changed_and_deleted(hooks: TenantClient, receiver: Receiver) -> None:
    created = add_endpoint(hooks, receiver.url)
    path = f"/v1/webhooks/{created['id']}"
    changed = hooks.http.patch(path, json={"events": ["contact.deleted"], "enabled": False})
    assert changed.status_code == 200, changed.text
    assert changed.json()["events"] == ["contact.deleted"] and changed.json()["enabled"] is False
    assert hooks.http.patch(path, json={"url": None}).status_code == 422
    assert hooks.http.delete(path).status_code == 204
    assert hooks.http.get(path).status_code == 404


def test_rotation_shows_a_new_secret(hooks: TenantClient, receiver: Receiver) -> None:
    created = add_endpoint(hooks, receiver.url)
    rotated = hooks.http.post(f"/v1/webhooks/{created['id']}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": "https://hooks.example.com/", "events": ["contact.exploded"]}, "/events/0"),
        ({"url": "https://hooks.example.com/", "events": []}, "/events"),
        ({"url": "https://hooks.example.com/" + "a" * 2000}, "/url"),
        ({"url": "https://hooks.example.com/", "colour": "red"}, "/colour"),
        ({"events": ["*"]}, "/url"),
    ],
)
def test_invalid_endpoints_are_refused(
    hooks: TenantClient, body: dict[str, object], pointer: str
) -> None:
    response = hooks.http.post("/v1/webhooks", json=body)
    assert response.status_code == 422, response.text
    assert pointer in [error["pointer"] for error in response.json()["errors"]]
    assert hooks.http.get("/v1/webhooks").json()["data"] == []


def test_a_tenant_has_at_most_twenty_endpoints(hooks: TenantClient, receiver: Receiver) -> None:
    for _ in range(20):
        add_endpoint(hooks, receiver.url)
    refused = hooks.http.post("/v1/webhooks", json={"url": receiver.url})
    assert refused.status_code == 409
    assert len(hooks.http.get("/v1/webhooks").json()["data"]) == 20


def test_another_tenants_endpoints_and_deliveries_are_404(
    hooks: TenantClient, other_hooks: TenantClient, receiver: Receiver
) -> None:
    created = add_endpoint(hooks, receiver.url)
    test = hooks.http.post(f"/v1/webhooks/{created['id']}/test").json()
    path = f"/v1/webhooks/{created['id']}"
    for method, suffix in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/rotate-secret"),
        ("POST", "/test"),
        ("GET", "/deliveries"),
        ("GET", f"/deliveries/{test['id']}"),
        ("POST", f"/deliveries/{test['id']}/retry"),
    ]:
        body = {"enabled": False} if method == "PATCH" else None
        response = other_hooks.http.request(method, path + suffix, json=body)
        assert response.status_code == 404, (method, suffix, response.text)
    assert other_hooks.http.get("/v1/webhooks").json()["data"] == []
    assert hooks.http.get(path).json()["enabled"] is True


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00:ec2::254]/hook",
        "https://224.0.0.1/hook",
        "https://loopback.example/hook",  # a DNS name that resolves to 127.0.0.1
        "http://hooks.example.com/hook",  # not https
        "https://user:password@hooks.example.com/hook",
        "https://nowhere.example/hook",  # does not resolve
    ],
)
def test_unsafe_urls_are_refused_at_creation(
    database_url: str, database: Database, services: Services, url: str
) -> None:
    names = {"loopback.example": "127.0.0.1", "hooks.example.com": "93.184.216.34"}
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY)
    service = webhook_service(settings, database, fixed_resolver(names))
    tenant = services.tenancy.create_tenant(f"ssrf-{secrets.token_hex(5)}")
    actor = Actor(tenant, None, "test")
    with pytest.raises(Exception) as refused:
        service.create(actor, {"url": url})
    assert getattr(refused.value, "code", None) == "validation_failed"
    assert refused.value.errors[0].pointer == "/url"  # type: ignore[attr-defined]
    assert service.list(actor) == []
    accepted = service.create(actor, {"url": "https://hooks.example.com/hook"})
    assert accepted.url == "https://hooks.example.com/hook"
