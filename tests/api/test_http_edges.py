"""Body limits, media types, malformed input, unknown routes: clear errors, never a 500."""

from __future__ import annotations

import socket
import sqlite3
from typing import Any

import httpx
import orjson
import psycopg
import pytest

from counterparty.db import Database
from tests.api.test_revocation_across_processes import server
from tests.conftest import TenantClient


def test_a_body_over_one_mebibyte_is_413(api: TenantClient) -> None:
    big = b'{"name": "A", "notes": "' + b"x" * (1024 * 1024) + b'"}'
    response = api.http.post(
        "/v1/contacts", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == 1024 * 1024
    assert api.http.get("/v1/contacts").json()["data"] == []


def test_a_streamed_body_over_the_limit_is_413_without_content_length(
    api: TenantClient,
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"name": "A", "notes": "'
        for _ in range(70):
            yield b"x" * 16384
        yield b'"}'

    response = api.http.post(
        "/v1/contacts", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_request"),
        (b"", 400, "malformed_request"),
        (b"[1, 2]", 422, "validation_failed"),
        (b'"text"', 422, "validation_failed"),
        (b"[" * 5000 + b"]" * 5000, 400, "malformed_request"),
    ],
)
def test_malformed_bodies(api: TenantClient, body: bytes, status: int, code: str) -> None:
    response = api.http.post(
        "/v1/contacts", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    assert response.json()["code"] == code


def test_a_non_json_content_type_is_415(api: TenantClient) -> None:
    response = api.http.post(
        "/v1/contacts",
        content=b"name=A",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["accepted"] == ["application/json"]


def test_patch_with_another_media_type_is_415_with_accept_patch(api: TenantClient) -> None:
    created = api.create()
    response = api.http.patch(
        f"/v1/contacts/{created['id']}",
        content=b'[{"op": "remove", "path": "/notes"}]',
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert response.status_code == 415
    assert response.headers["accept-patch"] == "application/merge-patch+json, application/json"


def test_a_malformed_contact_id_is_404(api: TenantClient) -> None:
    assert api.http.get("/v1/contacts/not-a-uuid").status_code == 404


def test_unknown_paths_and_methods_answer_in_problem_details(api: TenantClient) -> None:
    missing = api.http.get("/v2/whatever")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = api.http.request("TRACE", "/v1/contacts")
    assert wrong.status_code == 405
    assert "GET" in wrong.headers["allow"]


def test_every_response_carries_a_request_id(api: TenantClient) -> None:
    response = api.http.get("/v1/contacts", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = api.http.get("/v1/contacts", headers={"X-Request-Id": "bad id!"})
    assert generated.headers["x-request-id"] != "bad id!"
    problem = api.http.get("/v1/contacts/missing", headers={"X-Request-Id": "req-9"}).json()
    assert problem["request_id"] == "req-9"


def test_health(anonymous: httpx.Client) -> None:
    response = anonymous.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_problem_types_are_documented(anonymous: httpx.Client, api: TenantClient) -> None:
    problem = api.http.get("/v1/contacts/missing").json()
    described = anonymous.get(problem["type"])
    assert described.status_code == 200
    assert described.json()["status"] == 404 and described.json()["code"] == "not_found"
    listed = {entry["code"] for entry in anonymous.get("/problems/").json()}
    assert {"validation_failed", "invalid_cursor", "contact_in_use"} <= listed


def test_a_write_that_stays_busy_is_a_503_that_says_when_to_retry(
    api: TenantClient, database: Database, short_wait: None
) -> None:
    contact = api.create(name="Busy")

    def always_busy(statement: str, _: Any) -> None:
        if statement.startswith("UPDATE contacts"):
            if database.engine.dialect.name == "postgresql":
                raise psycopg.errors.SerializationFailure("injected")
            busy = sqlite3.OperationalError("database is locked")
            busy.sqlite_errorcode = 5  # type: ignore[attr-defined]
            raise busy

    database.observers.append(always_busy)
    try:
        response = api.http.patch(f"/v1/contacts/{contact['id']}", json={"notes": "x"})
    finally:
        database.observers.remove(always_busy)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "transient_failure"
    assert api.http.get(f"/v1/contacts/{contact['id']}").json()["version"] == 1


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "9" * 40])
def test_numbers_beyond_the_storage_range_are_answers_never_errors(
    api: TenantClient, value: str
) -> None:
    contact = api.create(name="Bounded")
    url = f"/v1/contacts/{contact['id']}"
    stale = api.http.patch(url, json={"notes": "x"}, headers={"If-Match": f'"{value}"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 1
    assert api.http.get(url, headers={"If-None-Match": f'"{value}"'}).status_code == 200
    assert api.http.get(f"/v1/contacts/by-number/{value}").status_code == 404
    assert api.http.get(url).json()["version"] == 1


def test_a_request_the_server_cannot_read_is_a_problem_too(
    database_url: str, database: Database
) -> None:
    with server(database_url) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(
                f"GET /v1/contacts?q={'a' * 100_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
            )
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"content-type: application/problem+json" in head.lower()
    assert orjson.loads(body)["code"] == "malformed_request"
