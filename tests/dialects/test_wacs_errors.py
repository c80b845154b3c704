"""The WACS dialect's failures: ASP.NET HttpError bodies, and nothing changed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from counterparty.services.contacts import ContactService
from counterparty.services.registry import Services
from tests.dialects.test_wacs import Wacs, wacs_fixture  # noqa: F401  (the `wacs` fixture)
from tests.dialects.vendors import BASES, Client, open_tenant

INVALID = "The request is invalid."
DENIED = {"Message": "Authorization has been denied for this request."}


@pytest.fixture
def anonymous(vendor_pool: httpx.Client) -> Client:
    return Client(vendor_pool, BASES["wacs"])


def native_count(wacs: Wacs) -> int:
    response = wacs.native.get("/v1/contacts", params={"archived": "all"})
    assert response.status_code == 200
    return len(response.json()["data"])


def model_state(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"Message", "ModelState"} and body["Message"] == INVALID
    state: dict[str, list[str]] = body["ModelState"]
    assert all(
        isinstance(message, str) and message for messages in state.values() for message in messages
    )
    return state


# body members, the one ModelState key they must be reported under
INVALID_BODIES: list[tuple[dict[str, Any], str]] = [
    ({"Bic": "GEBABEBX1"}, "contact.Bic"),  # pattern
    ({"Bic": "gebabebb"}, "contact.Bic"),
    ({"Bic": "GEBABEBB1234"}, "contact.Bic"),  # over 11
    ({"Iban": "BE68" + "1" * 31}, "contact.Iban"),  # over 34
    ({"KvK": "123456789"}, "contact.KvK"),  # over 8
    ({"ContactCategory": "abc"}, "contact.ContactCategory"),
    ({"Language": 2**31}, "contact.Language"),
    ({"ParentID": 1.5}, "contact.ParentID"),
    ({"ParentID": 99}, "contact.ParentID"),  # no contact has that ID
    ({"Company": "yes"}, "contact.Company"),
    ({"FunctionalTypes": "1"}, "contact.FunctionalTypes"),
    ({"FunctionalTypes": [1, "x"]}, "contact.FunctionalTypes"),
    ({"DateOfBirth": "yesterday"}, "contact.DateOfBirth"),
    ({"GDPRConsentModifiedDate": 20250101}, "contact.GDPRConsentModifiedDate"),
    ({"Header1": {"text": "x"}}, "contact.Header1"),
    ({"Memo": True}, "contact.Memo"),
    # canonical rules, reported under the WACS name
    ({"Bus": "x" * 21}, "contact.Bus"),
    ({"Town": "x" * 201}, "contact.Town"),
    ({"ExternalID": "x" * 101}, "contact.ExternalID"),
    ({"Name": "x" * 201}, "contact.Name"),
    ({"Name": None}, "contact.Name"),
    ({"Name": "  ", "Company": False}, "contact.Name"),
]


def test_invalid_bodies_are_a_model_state_error_and_create_nothing(wacs: Wacs) -> None:
    for body, key in INVALID_BODIES:
        response = wacs.http.post("CreateContact", json={"Name": "Fout BV", **body})
        assert list(model_state(response)) == [key], body
    assert native_count(wacs) == 0


def test_every_vendor_rule_broken_is_reported_at_once(wacs: Wacs) -> None:
    body = {"Name": "Fout BV", "Bic": "x", "KvK": "123456789", "Company": 3}
    state = model_state(wacs.http.post("CreateContact", json=body))
    assert set(state) == {"contact.Bic", "contact.KvK", "contact.Company"}
    assert state["contact.KvK"] == ["The field KvK must be a string with a maximum length of 8."]


def test_an_invalid_update_changes_nothing(wacs: Wacs) -> None:
    created = wacs.create(Name="Blijft BV", Iban="BE71096123456769")
    number = created["ID"]
    before = wacs.canonical(number)
    for body in ({"Name": "Nieuw", "Bic": "bad"}, {"Name": "Nieuw", "Bus": "x" * 21}):
        response = wacs.http.put(f"UpdateContact/{number}", json=body)
        assert response.status_code == 400
    self_parent = {"Name": "Nieuw", "ParentID": number}
    assert list(model_state(wacs.http.put(f"UpdateContact/{number}", json=self_parent))) == [
        "contact.ParentID"
    ]
    assert wacs.canonical(number) == before
    assert wacs.http.get(f"GetContact/{number}").json() == created


def test_unreadable_bodies_are_model_state_errors_of_the_contact(wacs: Wacs) -> None:
    for body in (b"{not json", b"", b"[1, 2]", b'"text"', b"null"):
        response = wacs.http.post(
            "CreateContact", content=body, headers={"Content-Type": "application/json"}
        )
        assert list(model_state(response)) == ["contact"], body
    assert native_count(wacs) == 0


def test_other_media_types_are_415(wacs: Wacs) -> None:
    response = wacs.http.post(
        "CreateContact", content=b"Name=A", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {
        "Message": "The request entity's media type 'text/plain' is not supported for this "
        "resource; send application/json or text/json."
    }
    assert native_count(wacs) == 0


def test_a_body_over_the_limit_is_413(wacs: Wacs) -> None:
    big = b'{"Name": "A", "Memo": "' + b"x" * (1024 * 1024) + b'"}'
    response = wacs.http.post(
        "CreateContact", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"Message": "The request body may be at most 1048576 bytes."}
    assert native_count(wacs) == 0


def test_a_taken_external_id_is_409(wacs: Wacs) -> None:
    wacs.create(Name="Eerste", ExternalID="ERP-1")
    response = wacs.http.post("CreateContact", json={"Name": "Tweede", "ExternalID": "ERP-1"})
    assert response.status_code == 409
    assert response.json() == {
        "Message": "The value of ExternalID is already used by another contact."
    }
    assert native_count(wacs) == 1


def test_unknown_ids_are_404(wacs: Wacs) -> None:
    wacs.create(Name="Enige")
    for method, path in (
        ("GET", "GetContact/42"),
        ("PUT", "UpdateContact/42"),
        ("DELETE", "DeleteContact/42"),
    ):
        body = {"Name": "X"} if method == "PUT" else None
        response = wacs.http.request(method, path, json=body)
        assert response.status_code == 404, method
        assert response.json() == {"Message": "No contact with ID 42 was found."}
    assert native_count(wacs) == 1


def test_an_id_that_is_no_integer_is_400(wacs: Wacs) -> None:
    for raw in ("abc", "1.5", "99999999999"):
        assert list(model_state(wacs.http.get(f"GetContact/{raw}"))) == ["id"], raw


def test_bad_list_parameters_are_400(wacs: Wacs) -> None:
    for params, key in (
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"pageSize": "1001"}, "pageSize"),
        ({"pageSize": "-1"}, "pageSize"),
        ({"includeArchived": "maybe"}, "includeArchived"),
        ({"search": "x" * 201}, "search"),
    ):
        assert list(model_state(wacs.http.get("GetContacts", params=params))) == [key], params


def test_no_key_or_a_wrong_key_is_401_and_changes_nothing(wacs: Wacs, anonymous: Client) -> None:
    for params, headers in (
        ({}, {}),
        ({"key": "cpk_wrong"}, {}),
        ({}, {"Authorization": "Bearer cpk_wrong"}),
        ({}, {"Authorization": f"Basic {wacs.key}"}),
    ):
        response = anonymous.post(
            "CreateContact", json={"Name": "Indringer"}, params=params, headers=headers
        )
        assert response.status_code == 401
        assert response.json() == DENIED
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert anonymous.get("GetContacts", params=params, headers=headers).json() == DENIED
    assert native_count(wacs) == 0


def test_another_tenants_key_sees_none_of_its_contacts(
    wacs: Wacs, services: Services, vendor_pool: httpx.Client
) -> None:
    number = wacs.create(Name="Geheim BV")["ID"]
    other = Wacs.of(open_tenant(services, vendor_pool))
    assert other.http.get(f"GetContact/{number}").status_code == 404
    assert other.http.put(f"UpdateContact/{number}", json={"Name": "X"}).status_code == 404
    assert other.http.get("GetContacts").json() == []
    assert wacs.http.get(f"GetContact/{number}").json()["Name"] == "Geheim BV"


def test_unknown_paths_and_methods_answer_in_the_wacs_shape(anonymous: Client) -> None:
    response = anonymous.get("GetCustomers")
    assert response.status_code == 404
    assert response.json() == {  # ASP.NET names the request URI (relative: no public URL set)
        "Message": "No HTTP resource was found that matches the request URI "
        f"'{response.request.url.path}'."
    }
    response = anonymous.patch("UpdateContact/1", json={"Name": "X"})
    assert response.status_code == 405
    assert response.headers["allow"] == "PUT"
    assert response.json() == {
        "Message": "The requested resource does not support http method 'PATCH'."
    }


def test_an_unexpected_failure_is_500_in_the_wacs_shape(
    wacs: Wacs, monkeypatch: pytest.MonkeyPatch
) -> None:
    wacs.create(Name="Stuk BV")

    def broken(*_: object) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(ContactService, "get_by_number", broken)
    response = wacs.http.get("GetContact/1")
    assert response.status_code == 500
    assert response.json() == {"Message": "An error has occurred."}
