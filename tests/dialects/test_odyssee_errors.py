"""Odyssee dialect: authentication, validation, conflicts and not-found, all in the OData
error shape, and never a change."""

from __future__ import annotations

from typing import Any

import httpx

from counterparty.services.registry import Services
from tests.dialects.test_odyssee import (
    ROOT,
    ZERO_GUID,
    Odyssee,
    minimal,
    odyssee_client,  # noqa: F401  (the `odyssee` fixture)
)
from tests.dialects.vendors import Client, basic, open_tenant

UNKNOWN = "0190d3c6-0000-7000-8000-000000000000"


def odata_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def targets(error: dict[str, Any], loose: frozenset[str] = frozenset()) -> dict[str, Any]:
    """target -> code; None for the targets in `loose` (codes the canonical model decides)."""
    return {
        detail["target"]: None if detail["target"] in loose else detail["code"]
        for detail in error["details"]
    }


def test_bad_credentials_are_401_and_change_nothing(
    odyssee: Odyssee, services: Services, vendor_pool: httpx.Client
) -> None:
    other = open_tenant(services, vendor_pool)
    for credentials, headers in {
        "none": {},
        "bearer": {"Authorization": f"Bearer {odyssee.key}"},
        "no tenant": basic("api", odyssee.key),
        "another tenant": basic("api", f"{odyssee.key}@{other.slug}"),
        "wrong key": basic("api", f"cpk_{'x' * 38}@{odyssee.slug}"),
        "not base64": {"Authorization": "Basic ???"},
    }.items():
        anonymous = Client(vendor_pool, headers=headers)
        response = anonymous.post(f"{ROOT}/Contact", json=minimal())
        listed = anonymous.get(f"{ROOT}/Contact")
        for answer in (response, listed):
            assert answer.status_code == 401, credentials
            odata_error(answer, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == 'Basic realm="odyssee"', credentials
    assert odyssee.count() == 0


def test_a_key_is_only_valid_with_its_own_tenant(odyssee: Odyssee) -> None:
    client = odyssee.http.sending(basic("any user", f"{odyssee.key}@{odyssee.slug}"))
    assert client.get(f"{ROOT}/Contact").status_code == 200


INVALID_BODIES: list[tuple[Any, int, dict[str, str | None]]] = [
    (minimal(lastname="x" * 51), 400, {"lastname": "too_long"}),
    (
        minimal(firstname=7, archived="yes"),
        400,
        {"firstname": "invalid_type", "archived": "invalid_type"},
    ),
    (
        minimal(functions="f" * 65, skype="s" * 251),
        400,
        {"functions": "too_long", "skype": "too_long"},
    ),
    (minimal(birthdate="12/03/1984"), 400, {"birthdate": "invalid_format"}),
    (minimal(db_title_id="Mr"), 400, {"db_title_id": "invalid_format"}),
    (minimal(db_title_id=""), 400, {"db_title_id": "invalid_format"}),  # "" is no GUID
    (minimal(birthdate=" "), 400, {"birthdate": "invalid_format"}),
    (minimal(company={"name": "A", "latitude": "51.2"}), 400, {"company.latitude": "invalid_type"}),
    (minimal(company={"name": "A", "feelist": []}), 400, {"company.feelist": "invalid_type"}),
    # the server's members are ignored, but only when they have the right type
    (minimal(modified_dateutc=5), 400, {"modified_dateutc": "invalid_format"}),
    (minimal(Header1="x"), 400, {"Header1": "unknown_field"}),
    (minimal(notes="n" * 10_001), 400, {"notes": "too_long"}),
    (minimal(db_language_code="xx"), 400, {"db_language_code": None}),
    ({"firstname": "Jan"}, 422, {"lastname": "required", "company_id": "required"}),
    (
        {"lastname": "", "company_id": ZERO_GUID},
        422,
        {"lastname": "required", "company_id": "required"},
    ),
    (
        {"lastname": "P", "company_id": "0190d3c6-0000-7000-8000-000000000000"},
        422,
        {"company_id": "unknown_company"},
    ),
    ({"lastname": "P", "company_code": "NOPE"}, 422, {"company_code": "unknown_company"}),
    ({"lastname": "P", "company": {"code": "NEW"}}, 422, {"company.name": "required"}),
    (
        {"lastname": "P", "company": {"name": "A" * 201}},
        400,
        {"company.name": "too_long"},
    ),
    (
        {"lastname": "P", "company": {"name": "A", "db_country_code": "Atlantis"}},
        400,
        {"company.db_country_code": "invalid_country"},
    ),
    (
        {"lastname": "P", "company": {"name": "A", "colour": "red"}},
        400,
        {"company.colour": "unknown_field"},
    ),
    (
        {"lastname": "P", "company": {"name": "A", "parent_id": UNKNOWN}},
        422,
        {"company.parent_id": "unknown_contact"},
    ),
    ([1, 2], 400, {"contact": "invalid_type"}),
]


def test_invalid_bodies_are_reported_with_vendor_names_and_change_nothing(
    odyssee: Odyssee,
) -> None:
    for body, status, expected in INVALID_BODIES:
        response = odyssee.http.post(f"{ROOT}/Contact", json=body)
        assert response.status_code == status, (body, response.text)
        error = odata_error(response, status, "validation_failed")
        loose = frozenset(target for target, code in expected.items() if code is None)
        assert targets(error, loose) == expected, body
    assert odyssee.count() == 0


def test_canonical_errors_of_an_update_use_vendor_names(odyssee: Odyssee) -> None:
    created = odyssee.http.post(f"{ROOT}/Contact", json=minimal(notes="kept")).json()
    url = f"{ROOT}/Contact({created['id']})"
    too_long = odyssee.http.patch(url, json={"notes": "n" * 10_001, "db_language_code": "xx"})
    error = odata_error(too_long, 400, "validation_failed")
    assert targets(error, frozenset({"db_language_code"})) == {
        "notes": "too_long",
        "db_language_code": None,
    }
    cycle = odyssee.http.patch(url, json={"company_id": created["id"]})
    assert targets(odata_error(cycle, 422, "validation_failed")) == {"company_id": "not_a_company"}
    mismatch = odyssee.http.put(url, json={**minimal(), "id": ZERO_GUID[:-1] + "1"})
    assert targets(odata_error(mismatch, 400, "validation_failed")) == {"id": "key_mismatch"}
    unchanged = odyssee.http.get(url).json()
    assert unchanged["notes"] == "kept"
    assert unchanged["modified_dateutc"] == created["modified_dateutc"]


def test_a_person_is_not_a_company(odyssee: Odyssee) -> None:
    person = odyssee.native.post(
        "/v1/contacts", json={"kind": "person", "last_name": "Solo"}
    ).json()
    response = odyssee.http.post(
        f"{ROOT}/Contact", json={"lastname": "P", "company_id": person["id"]}
    )
    assert targets(odata_error(response, 422, "validation_failed")) == {
        "company_id": "not_a_company"
    }
    mixed = odyssee.http.post(
        f"{ROOT}/Contact",
        json={"lastname": "P", "company_code": "A", "company": {"name": "B", "code": "B"}},
    )
    assert targets(odata_error(mixed, 422, "validation_failed")) == {
        "company_code": "unknown_company"
    }
    assert odyssee.count() == 1


def test_conflicts_are_409(odyssee: Odyssee) -> None:
    first = odyssee.http.post(f"{ROOT}/Contact", json=minimal(reference_back_office="P-1")).json()
    again = odyssee.http.post(f"{ROOT}/Contact", json=minimal(reference_back_office="P-1"))
    assert targets(odata_error(again, 409, "duplicate_value")) == {
        "reference_back_office": "duplicate_value"
    }
    same_id = odyssee.http.post(f"{ROOT}/Contact", json={**minimal(), "id": first["id"]})
    assert targets(odata_error(same_id, 409, "duplicate_value")) == {"id": "duplicate_value"}
    child = odyssee.native.post(
        "/v1/contacts", json={"kind": "person", "last_name": "Kid", "parent_id": first["id"]}
    )
    assert child.status_code == 201
    in_use = odyssee.http.delete(f"{ROOT}/Contact({first['id']})")
    odata_error(in_use, 409, "contact_in_use")
    assert odyssee.count() == 3  # first, its company, the child


def test_not_found_in_the_vendor_shape(odyssee: Odyssee) -> None:
    company = odyssee.native.post("/v1/contacts", json={"name": "Not a Contact NV"}).json()
    for key in (UNKNOWN, "not-a-guid", company["id"]):
        for method in ("GET", "PUT", "PATCH", "DELETE"):
            body = minimal() if method in ("PUT", "PATCH") else None
            response = odyssee.http.request(method, f"{ROOT}/Contact({key})", json=body)
            odata_error(response, 404, "not_found")
    assert odyssee.count() == 1


def test_unreadable_bodies(odyssee: Odyssee) -> None:
    url = f"{ROOT}/Contact"
    broken = odyssee.http.post(
        url, content=b'{"lastname":', headers={"content-type": "application/json"}
    )
    odata_error(broken, 400, "malformed_request")
    xml = odyssee.http.post(url, content=b"<contact/>", headers={"content-type": "application/xml"})
    odata_error(xml, 415, "unsupported_media_type")
    huge = odyssee.http.post(url, json=minimal(notes="x" * 1_100_000))
    odata_error(huge, 413, "payload_too_large")
    assert odyssee.count() == 0


def test_a_texts_length_is_counted_once_trimmed(odyssee: Odyssee) -> None:
    response = odyssee.http.post(f"{ROOT}/Contact", json=minimal(lastname=" " + "x" * 50 + " "))
    assert response.status_code == 201, response.text
    assert response.json()["lastname"] == "x" * 50
