"""No lost updates (ETag, If-Match, 412/428) and safe retries (Idempotency-Key)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.domain.idempotency import StoredResponse
from counterparty.services.context import Actor
from counterparty.services.idempotency import Claimed
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server


def actor_of(services: Services, client: TenantClient) -> Actor:
    principal = services.tenancy.authenticate(client.key)
    return Actor(principal.tenant, principal.api_key_id, "api")


class TestConditionalRequests:
    def test_reads_carry_a_strong_etag_and_answer_304_when_unchanged(
        self, api: TenantClient
    ) -> None:
        created = api.create()
        url = f"/v1/contacts/{created['id']}"
        first = api.http.get(url)
        assert first.headers["etag"] == '"1"'
        for held in ('"1"', 'W/"1"', '"0", "1"', "*"):
            cached = api.http.get(url, headers={"If-None-Match": held})
            assert cached.status_code == 304 and cached.content == b""
            assert cached.headers["etag"] == '"1"'
        assert api.http.get(url, headers={"If-None-Match": '"2"'}).status_code == 200
        by_number = api.http.get(
            f"/v1/contacts/by-number/{created['number']}", headers={"If-None-Match": '"1"'}
        )
        assert by_number.status_code == 304

    def test_a_stale_if_match_is_412_naming_the_version_and_what_changed(
        self, api: TenantClient
    ) -> None:
        created = api.create(name="Original")
        url = f"/v1/contacts/{created['id']}"
        first = api.http.patch(
            url, json={"notes": "mine", "address": {"city": "Gent"}}, headers={"If-Match": '"1"'}
        )
        assert first.status_code == 200 and first.headers["etag"] == '"2"'
        stale = api.http.patch(url, json={"name": "Theirs"}, headers={"If-Match": '"1"'})
        assert stale.status_code == 412
        problem = stale.json()
        assert problem["code"] == "precondition_failed"
        assert problem["current_version"] == 2
        assert problem["changed_fields"] == ["address.city", "notes"]
        assert api.http.get(url).json()["name"] == "Original"

    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("PUT", "", {"name": "X"}),
            ("PATCH", "", {"name": "X"}),
            ("DELETE", "", None),
            ("POST", "/archive", None),
            ("POST", "/unarchive", None),
        ],
    )
    def test_every_write_honours_if_match(
        self, api: TenantClient, method: str, path: str, body: object
    ) -> None:
        created = api.create(name="Kept")
        url = f"/v1/contacts/{created['id']}{path}"
        for tag in ('"7"', 'W/"1"', '"garbage"'):
            response = api.http.request(method, url, json=body, headers={"If-Match": tag})
            assert response.status_code == 412, (tag, response.text)
        assert api.http.get(f"/v1/contacts/{created['id']}").json() == created
        ok = api.http.request(method, url, json=body, headers={"If-Match": '"1"'})
        assert ok.status_code in (200, 204)

    def test_if_match_star_matches_any_version(self, api: TenantClient) -> None:
        created = api.create()
        response = api.http.patch(
            f"/v1/contacts/{created['id']}", json={"notes": "x"}, headers={"If-Match": "*"}
        )
        assert response.status_code == 200


@pytest.fixture(scope="module")
def strict_url(database_url: str, database: Database) -> Iterator[str]:
    settings = Settings(database_url=database_url, access_log=False, require_if_match=True)
    with running_server(create_app(settings, database)) as url:
        yield url


def test_writes_without_if_match_are_428_when_required(services: Services, strict_url: str) -> None:
    client = new_tenant_client(services, strict_url)
    with client.http:
        _check_428(client)


def _check_428(client: TenantClient) -> None:
    created = client.create()
    url = f"/v1/contacts/{created['id']}"
    for method, path, body in (
        ("PATCH", "", {"notes": "x"}),
        ("PUT", "", {"name": "X"}),
        ("DELETE", "", None),
        ("POST", "/archive", None),
    ):
        response = client.http.request(method, url + path, json=body)
        assert response.status_code == 428
        assert response.json()["code"] == "precondition_required"
    assert client.http.get(url).json()["version"] == 1
    response = client.http.patch(url, json={"notes": "x"}, headers={"If-Match": '"1"'})
    assert response.status_code == 200


class TestIdempotency:
    def test_a_retried_create_is_replayed_not_repeated(self, api: TenantClient) -> None:
        headers = {"Idempotency-Key": "order-7f3a"}
        first = api.http.post("/v1/contacts", json={"name": "Once"}, headers=headers)
        second = api.http.post("/v1/contacts", json={"name": "Once"}, headers=headers)
        assert first.status_code == second.status_code == 201
        assert second.content == first.content
        assert second.headers["location"] == first.headers["location"]
        assert second.headers["etag"] == first.headers["etag"]
        assert second.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert len(api.http.get("/v1/contacts").json()["data"]) == 1

    def test_quoted_and_bare_keys_are_the_same_key(self, api: TenantClient) -> None:
        api.http.post("/v1/contacts", json={"name": "Q"}, headers={"Idempotency-Key": "k-1"})
        again = api.http.post(
            "/v1/contacts", json={"name": "Q"}, headers={"Idempotency-Key": '"k-1"'}
        )
        assert again.headers["idempotent-replayed"] == "true"

    def test_the_same_key_with_another_body_is_422(self, api: TenantClient) -> None:
        headers = {"Idempotency-Key": "k-2"}
        api.http.post("/v1/contacts", json={"name": "First"}, headers=headers)
        other = api.http.post("/v1/contacts", json={"name": "Second"}, headers=headers)
        assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
        assert [c["name"] for c in api.http.get("/v1/contacts").json()["data"]] == ["First"]

    def test_the_same_key_while_the_first_request_runs_is_409(
        self, services: Services, api: TenantClient
    ) -> None:
        import hashlib

        body = b'{"name": "Slow"}'
        fingerprint = hashlib.sha256(b"\0".join([b"POST", b"/v1/contacts", body])).hexdigest()
        claim = services.idempotency.begin(actor_of(services, api), "k-3", fingerprint)
        assert isinstance(claim, Claimed)
        response = api.http.post(
            "/v1/contacts",
            content=body,
            headers={"Idempotency-Key": "k-3", "Content-Type": "application/json"},
        )
        assert response.status_code == 409 and response.json()["code"] == "request_in_progress"
        assert api.http.get("/v1/contacts").json()["data"] == []

    def test_keys_belong_to_one_api_key_of_one_tenant(
        self, services: Services, api: TenantClient, other_api: TenantClient
    ) -> None:
        headers = {"Idempotency-Key": "shared"}
        mine = api.http.post("/v1/contacts", json={"name": "Mine"}, headers=headers)
        theirs = other_api.http.post("/v1/contacts", json={"name": "Mine"}, headers=headers)
        assert theirs.status_code == 201 and theirs.json()["id"] != mine.json()["id"]
        second_key = services.tenancy.create_key(api.slug).secret
        again = api.http.post(
            "/v1/contacts",
            json={"name": "Mine"},
            headers={**headers, "Authorization": f"Bearer {second_key}"},
        )
        assert again.status_code == 201 and "idempotent-replayed" not in again.headers
        assert again.json()["id"] != mine.json()["id"]

    def test_invalid_requests_are_not_kept(self, api: TenantClient) -> None:
        headers = {"Idempotency-Key": "k-4"}
        for _ in range(2):
            bad = api.http.post("/v1/contacts", json={"name": "x" * 300}, headers=headers)
            assert bad.status_code == 422 and "idempotent-replayed" not in bad.headers
        fixed = api.http.post("/v1/contacts", json={"name": "Fixed"}, headers=headers)
        assert fixed.status_code == 201

    def test_final_errors_are_replayed(self, api: TenantClient) -> None:
        holder = api.create(external_ref="ERP-1")
        headers = {"Idempotency-Key": "k-5"}
        body = {"name": "Dup", "external_ref": "ERP-1"}
        first = api.http.post("/v1/contacts", json=body, headers=headers)
        assert first.status_code == 409
        api.http.delete(f"/v1/contacts/{holder['id']}")
        second = api.http.post("/v1/contacts", json=body, headers=headers)
        assert second.status_code == 409 and second.headers["idempotent-replayed"] == "true"

    def test_actions_are_idempotent_too(self, api: TenantClient) -> None:
        created = api.create()
        url = f"/v1/contacts/{created['id']}/archive"
        first = api.http.post(url, headers={"Idempotency-Key": "a-1"})
        api.http.post(f"/v1/contacts/{created['id']}/unarchive")
        replay = api.http.post(url, headers={"Idempotency-Key": "a-1"})
        assert replay.content == first.content and replay.headers["idempotent-replayed"]
        assert api.http.get(f"/v1/contacts/{created['id']}").json()["archived"] is False

    @pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "é"])
    def test_malformed_keys_are_400(self, api: TenantClient, key: str) -> None:
        response = api.http.post(
            "/v1/contacts", json={"name": "A"}, headers={"Idempotency-Key": key.encode("utf-8")}
        )
        assert response.status_code == 400

    def test_expired_keys_start_over(self, database: Database, api: TenantClient) -> None:
        short = Services.over(database.unit_of_work, idempotency_retention=timedelta(0))
        actor = actor_of(short, api)
        claim = short.idempotency.begin(actor, "k-6", "f")
        assert isinstance(claim, Claimed)
        short.idempotency.finish_alone(actor, claim, StoredResponse(201, {}, b"{}"))
        assert isinstance(short.idempotency.begin(actor, "k-6", "f"), Claimed)
        kept = Services.over(database.unit_of_work)
        claim = kept.idempotency.begin(actor, "k-7", "f")
        assert isinstance(claim, Claimed)
        kept.idempotency.finish_alone(actor, claim, StoredResponse(201, {}, b"{}"))
        assert kept.idempotency.begin(actor, "k-7", "f") == StoredResponse(201, {}, b"{}")


def test_the_openapi_document_describes_the_headers(base_url: str) -> None:
    document = httpx.get(f"{base_url}/openapi.json").json()
    patch = document["paths"]["/v1/contacts/{contact_id}"]["patch"]
    assert {"412", "415", "428"} <= set(patch["responses"])
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    create = document["paths"]["/v1/contacts"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    get = document["paths"]["/v1/contacts/{contact_id}"]["get"]
    assert "304" in get["responses"]
