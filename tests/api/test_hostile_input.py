"""Input that once broke a tenant or a backend: deep nesting, control characters. Each is a
clear 4xx naming the place, identical on SQLite and PostgreSQL, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.domain.extensions import MAX_BYTES, MAX_DEPTH
from tests.conftest import TenantClient


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def stored_nothing(api: TenantClient) -> None:
    assert api.http.get("/v1/contacts", params={"archived": "all"}).json()["data"] == []
    assert api.http.get("/v1/events").json()["data"] == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 250, 300])
def test_extensions_nested_too_deep_are_refused_at_the_place(api: TenantClient, depth: int) -> None:
    response = api.http.post(
        "/v1/contacts", json={"name": "Deep", "extensions": {"vendor": {"a": nested(depth)}}}
    )
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "too_deep"
    assert error["pointer"] == "/extensions/vendor/a" + "/0" * (MAX_DEPTH - 1)
    stored_nothing(api)


def test_nesting_beyond_what_json_parsers_read_is_a_malformed_body(api: TenantClient) -> None:
    body = '{"name": "Deeper", "extensions": {"v": {"a": ' + "[" * 1100 + "]" * 1100 + "}}}"
    response = api.http.post(
        "/v1/contacts", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["code"] == "malformed_request"
    stored_nothing(api)


@pytest.mark.parametrize("member", ["extensions", "custom_fields", "address"])
def test_a_patch_nested_a_thousand_objects_deep_is_refused(api: TenantClient, member: str) -> None:
    """The merge patch does not recurse through a client's nesting (the body parser reads up
    to 1024 levels; Python's recursion stops near 1000)."""
    created = api.create(name="Patched", extensions={"v": {"kept": 1}})
    url = f"/v1/contacts/{created['id']}"
    deep = '{"a": ' * 1000 + '"leaf"' + "}" * 1000
    body = '{"%s": {"v": %s}}' % (member, deep)  # noqa: UP031  (JSON, not Python, braces)
    response = api.http.patch(
        url, content=body, headers={"Content-Type": "application/merge-patch+json"}
    )
    assert response.status_code == 422, response.text
    assert api.http.get(url).json()["version"] == 1


def test_extensions_at_the_limits_are_stored_and_the_history_reads_them(
    api: TenantClient,
) -> None:
    deepest = {"a": nested(MAX_DEPTH - 1)}
    created = api.create(name="At the limit", extensions={"vendor": deepest})
    url = f"/v1/contacts/{created['id']}"
    patched = api.http.patch(url, json={"extensions": {"vendor": {"b": nested(MAX_DEPTH - 1)}}})
    assert patched.status_code == 200
    assert api.http.get(f"{url}/history").status_code == 200
    feed = api.http.get("/v1/events", params={"limit": 1}).json()
    assert feed["data"][0]["contact"]["extensions"] == {"vendor": deepest}


def test_an_extension_larger_than_its_limit_is_refused(api: TenantClient) -> None:
    big = {"blob": "x" * MAX_BYTES}
    response = api.http.post("/v1/contacts", json={"name": "Big", "extensions": {"v": big}})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "code": "too_large",
        "detail": f"one namespace's extensions take at most {MAX_BYTES} bytes",
        "pointer": "/extensions/v",
    }
    stored_nothing(api)


CONTROL_CASES = [
    ({"name": "Acme\x00Ltd"}, "/name"),
    ({"name": "Acme", "notes": "bell\x07"}, "/notes"),
    ({"name": "Acme", "address": {"city": "Gent\x1b"}}, "/address/city"),
    ({"name": "Acme", "tags": ["ok", "bad\x00"]}, "/tags/1"),
    ({"name": "Acme", "custom_fields": {"crm": "x\x00"}}, "/custom_fields/crm"),
    ({"name": "Acme", "contact_persons": [{"last_name": "E\x00"}]}, "/contact_persons/0/last_name"),
    ({"name": "Acme", "extensions": {"v": {"k": ["\x00"]}}}, "/extensions/v/k/0"),
    ({"name": "Acme", "extensions": {"v": {"k\x00": 1}}}, "/extensions/v/k\x00"),
    ({"name": "Acme", "vat_number": "BE0403\x00019261"}, "/vat_number"),
    ({"name": "Ac\x85me"}, "/name"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "pointer"), CONTROL_CASES)
def test_control_characters_in_text_are_refused_on_every_backend(
    api: TenantClient, document: dict[str, Any], pointer: str
) -> None:
    response = api.http.post("/v1/contacts", json=document)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["code"], e["pointer"]) for e in errors] == [("control_character", pointer)]
    stored_nothing(api)
    created = api.create(name="Plain")
    url = f"/v1/contacts/{created['id']}"
    assert api.http.patch(url, json=document).status_code == 422
    assert api.http.put(url, json=document).status_code == 422
    assert api.http.get(url).json()["version"] == 1


def test_tabs_and_line_breaks_are_text(api: TenantClient) -> None:
    created = api.create(name="Acme\tTrading", notes="line one\r\nline two\nthree")
    assert created["notes"] == "line one\r\nline two\nthree"


def test_a_tenant_name_with_a_control_character_is_refused(api: TenantClient) -> None:
    response = api.http.patch("/v1/tenant", json={"name": "Evil\x00Corp"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "control_character"
    assert "\x00" not in api.http.get("/v1/tenant").json()["name"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ab\x00cd"},
        {"q": "\x00"},
        {"external_ref": "x\x00"},
        {"tag": "\x1f"},
        {"cursor": "a\x00b"},
        {"country_code": "B\x00E"},
        {"\x00": "1"},
    ],
)
def test_control_characters_in_query_parameters_are_400(
    api: TenantClient, params: dict[str, str]
) -> None:
    api.create(name="Present")
    response = api.http.get("/v1/contacts", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "malformed_request"
