"""Odyssee: a contact and its embedded company are one transaction. When the contact's own
write fails, the company is neither created nor changed."""

from __future__ import annotations

from typing import Any

from tests.dialects.test_odyssee import (
    ROOT,
    Odyssee,
    minimal,
    odyssee_client,  # noqa: F401  (the `odyssee` fixture)
)
from tests.dialects.test_odyssee_errors import odata_error


def _by_reference(odyssee: Odyssee, code: str) -> list[dict[str, Any]]:
    listed = odyssee.native.get("/v1/contacts", params={"external_ref": code, "archived": "all"})
    assert listed.status_code == 200, listed.text
    found: list[dict[str, Any]] = listed.json()["data"]
    return found


def test_a_create_that_fails_writes_no_company(odyssee: Odyssee) -> None:
    taken = odyssee.http.post(f"{ROOT}/Contact", json=minimal(reference_back_office="P-1"))
    assert taken.status_code == 201, taken.text
    before = odyssee.count()
    clash = minimal("Janssens", "ERP-NEW", reference_back_office="P-1")
    odata_error(odyssee.http.post(f"{ROOT}/Contact", json=clash), 409, "duplicate_value")
    assert _by_reference(odyssee, "ERP-NEW") == []
    assert odyssee.count() == before


def test_an_update_that_fails_neither_creates_nor_changes_a_company(odyssee: Odyssee) -> None:
    odyssee.http.post(f"{ROOT}/Contact", json=minimal(reference_back_office="P-1"))
    second = odyssee.http.post(f"{ROOT}/Contact", json=minimal("Maes", "ERP-C-2")).json()
    before = odyssee.count()
    url = f"{ROOT}/Contact({second['id']})"
    new_company = {"reference_back_office": "P-1", "company": {"name": "Other", "code": "ERP-9"}}
    odata_error(odyssee.http.patch(url, json=new_company), 409, "duplicate_value")
    assert _by_reference(odyssee, "ERP-9") == []
    renamed = {"reference_back_office": "P-1", "company": {"code": "ERP-C-2", "name": "Renamed"}}
    odata_error(odyssee.http.patch(url, json=renamed), 409, "duplicate_value")
    [company] = _by_reference(odyssee, "ERP-C-2")
    assert company["name"] == "Company ERP-C-2" and company["version"] == 1
    whole = {**minimal("Maes", "ERP-C-2"), **renamed}
    odata_error(odyssee.http.put(url, json=whole), 409, "duplicate_value")
    assert odyssee.native_contact(company["id"])["name"] == "Company ERP-C-2"
    assert odyssee.count() == before
