"""Muhasip dialect: authentication, validation and request errors come back in Muhasip's
{"status": false, "message"} shape, name Muhasip's fields, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from counterparty import errors
from counterparty.dialects.muhasip import errors as muhasip_errors
from tests.dialects.test_muhasip import PREFIX, SEED_BODY, Clients, assert_error, body, clients
from tests.dialects.vendors import Client, basic

__all__ = ["clients"]  # the fixture, shared with test_muhasip.py


# --- authentication ---------------------------------------------------------------------


def bad_credentials(key: str) -> list[dict[str, str]]:
    return [
        {},
        {"Authorization": f"Bearer {key}"},  # the native scheme is not Muhasip's
        basic("anything", key + "x"),
        basic(key, ""),  # the key as user name, no password
        {"Authorization": "Basic Og=="},  # the seed's blank placeholder
        {"Authorization": "Basic %%%not-base64"},
    ]


@pytest.mark.parametrize("case", range(6))
def test_bad_credentials_are_401_in_muhasip_shape_and_change_nothing(
    clients: Clients, case: int
) -> None:
    existing = clients.create(SEED_BODY)
    at = f"{PREFIX}/{existing['_id']}"
    anonymous = Client(clients.muhasip.http, headers=bad_credentials(clients.key)[case])
    for response in (  # only the headers given here
        anonymous.get(PREFIX),
        anonymous.post(PREFIX, json=SEED_BODY),
        anonymous.put(at, json=body(name="X")),
        anonymous.patch(f"{at}/archive"),
        anonymous.delete(at),
    ):
        error = assert_error(response, 401)
        assert error["code"] == "unauthenticated"
        assert response.headers["www-authenticate"].startswith("Basic ")
    assert clients.native_count() == 1
    assert clients.muhasip.get(f"{PREFIX}/{existing['_id']}").json()["result"] == existing


def test_any_user_name_works_with_the_key_as_password(clients: Clients) -> None:
    for user in ("", "tenant", "muhasip@example.com"):
        response = clients.muhasip.get(PREFIX, headers=basic(user, clients.key))
        assert response.status_code == 200, response.text
        assert response.json()["status"] is True


# --- validation: in Muhasip's names ---------------------------------------------------------

PERSON = SEED_BODY["contactPeoples"][0]
INVALID: list[tuple[dict[str, Any], str, str]] = [
    # body changes, the field reported, its code
    ({"name": None}, "name", "required"),
    ({"name": "   "}, "name", "required"),
    ({"name": "x" * 201}, "name", "too_long"),
    ({"phone": 905453493838}, "phone", "invalid_type"),
    ({"taxId": "1" * 33}, "taxId", "too_long"),
    ({"isCustomer": "true"}, "isCustomer", "invalid_type"),
    ({"isCustomer": ""}, "isCustomer", "invalid_type"),  # no coercion: "" is not "no value"
    ({"ibans": ""}, "ibans", "invalid_type"),
    ({"person": 0}, "person", "invalid_type"),
    ({"countries": "Atlantis"}, "countries", "invalid_country"),
    ({"ibans": "TR99999999"}, "ibans", "invalid_type"),
    ({"ibans": ["TR99999999", ""]}, "ibans.1", "invalid_type"),
    ({"ibans": ["TR99999999", 5]}, "ibans.1", "invalid_type"),
    ({"ibans": ["TR99"] * 21}, "ibans", "too_many_items"),
    ({"ibans": ["TR99999999", "TR" + "1" * 48]}, "ibans.1", "too_long"),  # canonical: 42 typed
    ({"contactPeoples": [PERSON, {**PERSON, "phone": 5}]},
     "contactPeoples.1.phone", "invalid_type"),
    ({"contactPeoples": [{**PERSON, "title": "Bay"}]}, "contactPeoples.0.title", "unknown_field"),
    ({"contactPeoples": [{**PERSON, "info": "x" * 101}]}, "contactPeoples.0.info", "too_long"),
    ({"contactPeoples": ["Ayşe"]}, "contactPeoples.0", "invalid_type"),
    ({"contactPeoples": [{**PERSON, "_id": 5}]}, "contactPeoples.0._id", "invalid_type"),
    ({"contactPeoples": [PERSON] * 101}, "contactPeoples", "too_many_items"),
    ({"variables": [{"key": "crmID", "value": 1}, {"key": "crm_id", "value": 2}]},
     "variables.1.key", "duplicate_key"),
    ({"variables": [{"value": "x"}]}, "variables.0.key", "required"),
    ({"variables": [{"key": 5, "value": "x"}]}, "variables.0.key", "required"),
    ({"variables": [{"key": "a", "title": 5}]}, "variables.0.title", "invalid_type"),
    ({"variables": [{"key": "a", "title": "x" * 201}]}, "variables.0.title", "invalid_type"),
    ({"variables": [{"key": "a", "value": {"nested": 1}}]}, "variables.0.value", "invalid_type"),
    ({"variables": [{"key": "a", "value": "x" * 501}]}, "variables.0.value", "too_long"),
    ({"variables": [{"key": "a", "value": 1, "name": "?"}]}, "variables.0.name", "unknown_field"),
    ({"country": "Türkiye"}, "country", "unknown_field"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "code"), INVALID)
def test_invalid_bodies_are_400_naming_muhasip_fields(
    clients: Clients, changes: dict[str, Any], field: str, code: str
) -> None:
    existing = clients.create(SEED_BODY)
    sent = body(**changes)
    for response in (
        clients.muhasip.post(PREFIX, json=sent),
        clients.muhasip.put(f"{PREFIX}/{existing['_id']}", json=sent),
    ):
        error = assert_error(response, 400, field)
        assert error["code"] == "validation_failed"
        assert {"field": field, "code": code} in [
            {"field": item["field"], "code": item["code"]} for item in error["errors"]
        ]
    assert clients.native_count() == 1
    assert clients.muhasip.get(f"{PREFIX}/{existing['_id']}").json()["result"] == existing


def test_every_problem_is_reported_at_once(clients: Clients) -> None:
    error = assert_error(clients.muhasip.post(PREFIX, json={"phone": 1, "extra": True}), 400)
    assert sorted(item["field"] for item in error["errors"]) == ["extra", "name", "phone"]
    assert error["message"].endswith("(and 2 more)")


def test_problems_come_in_the_tables_order_unknown_members_first(clients: Clients) -> None:
    sent = {
        "variables": [{"key": "a", "value": []}], "countries": "Atlantis", "phone": 1,
        "contactPeoples": [{"variables": "x", "bogus": 1, "name": 2}], "extra": True,
    }  # fmt: skip
    error = assert_error(clients.muhasip.post(PREFIX, json=sent), 400)
    assert [item["field"] for item in error["errors"]] == [
        "extra", "name", "phone", "countries", "contactPeoples.0.bogus",
        "contactPeoples.0.name", "contactPeoples.0.variables", "variables.0.value",
    ]  # fmt: skip
    assert error["message"] == "extra: 'extra' is not a member here (and 7 more)"


def test_a_list_too_long_is_not_looked_into(clients: Clients) -> None:
    sent = body(variables=[{"key": "a", "bogus": 1}] * 51)
    error = assert_error(clients.muhasip.post(PREFIX, json=sent), 400, "variables")
    assert [(item["field"], item["code"]) for item in error["errors"]] == [
        ("variables", "too_many_items")
    ]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b'{"name": ', "application/json", 400, "malformed_request"),
        (b"", "application/json", 400, "malformed_request"),
        (b"[1, 2]", "application/json", 400, "validation_failed"),
        (b'{"name": "X"}', "text/plain", 415, "unsupported_media_type"),
        (b'{"name": "' + b"x" * 1_100_000 + b'"}', "application/json", 413, "payload_too_large"),
    ],
)
def test_unreadable_bodies_in_muhasip_shape(
    clients: Clients, content: bytes, content_type: str, status: int, code: str
) -> None:
    existing = clients.create(SEED_BODY)
    headers = {"Content-Type": content_type}
    for response in (
        clients.muhasip.post(PREFIX, content=content, headers=headers),
        clients.muhasip.put(f"{PREFIX}/{existing['_id']}", content=content, headers=headers),
    ):
        assert assert_error(response, status)["code"] == code
    assert clients.native_count() == 1


# --- the error renderer on its own -----------------------------------------------------------


def request() -> Request:
    return Request({"type": "http", "method": "GET", "headers": [], "state": {"request_id": "r1"}})


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotFound("gone"), 404),
        (errors.Conflict("busy"), 409),
        (errors.DuplicateValue("taken", pointer="/external_ref"), 409),
        (errors.PayloadTooLarge("big", limit_bytes=10), 413),
        (errors.TransientFailure("later"), 503),
        (errors.CounterpartyError("something else"), 400),
    ],
)
def test_domain_errors_map_to_statuses(error: errors.CounterpartyError, status: int) -> None:
    response = muhasip_errors.render_error(error, request())
    assert response.status_code == status
    assert response.body.startswith(b'{"status":false,"message":"')


def test_an_unexpected_failure_is_a_500_without_internals() -> None:
    response = muhasip_errors.render_error(RuntimeError("secret database detail"), request())
    assert response.status_code == 500
    assert b"secret" not in response.body
    assert response.body == (
        b'{"status":false,"message":"internal error; request id r1","code":"internal_error"}'
    )
