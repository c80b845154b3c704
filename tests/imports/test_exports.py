"""GET /v1/contacts/export over real HTTP: CSV round trips byte for byte, XLSX and JSON
Lines come back in, vCards parse with an independent library, filters select, pages join."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
import vobject
from openpyxl import load_workbook

from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.imports.helpers import contacts, import_over_http

EXPORT = "/v1/contacts/export"


def export(client: TenantClient, export_format: str, **params: Any) -> bytes:
    response = client.http.get(EXPORT, params={"format": export_format, **params})
    assert response.status_code == 200, response.text
    return response.content


def import_file(client: TenantClient, body: bytes, media: str, **params: str) -> dict[str, Any]:
    return import_over_http(client, body, media, **params)


def fill(client: TenantClient) -> None:
    client.create(
        name="Acme; Sons, Ltd",
        external_ref="R1",
        vat_number="BE0403019261",
        email="info@acme.example",
        phone="+32 2 555 12 12",
        website="https://acme.example",
        notes='Line one\nline "two"',
        tags=["vip", "b2b"],
        custom_fields={"crm_id": "C-7", "segment": "retail"},
        address={"street": "Kerkstraat 1", "city": "Gent", "postal_code": "9000",
                 "country_code": "BE"},
        bank_accounts=[{"iban": "BE68539007547034", "is_default": True}, {"account_number": "42"}],
        contact_persons=[{"first_name": "Eva", "last_name": "Novák", "email": "eva@acme.example",
                          "role": "CFO"}],
        extensions={"wacs": {"Header1": "h"}},
        payment_terms_days=30,
        discount_percent=2.5,
    )  # fmt: skip
    client.create(kind="person", first_name="Jan", last_name="Peeters", is_supplier=True)
    client.create(name="Archived Co", archived=True)


def test_csv_export_import_into_an_empty_tenant_export_is_byte_identical(
    api: TenantClient, other_api: TenantClient
) -> None:
    fill(api)
    first = export(api, "csv", archived="all")
    assert first.startswith(b"kind,name,first_name,")
    report = import_file(other_api, first, "text/csv")
    assert (report["created"], report["failed"]) == (3, 0), report
    assert export(other_api, "csv", archived="all") == first
    again = import_file(other_api, first, "text/csv", match_on="external_ref")
    assert again["failed"] == 0


def test_xlsx_export_imports_back_unchanged(api: TenantClient) -> None:
    fill(api)
    data = export(api, "xlsx")
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("kind", "name") and len(rows) == 3  # the archived one is filtered
    report = import_file(
        api,
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        match_on="external_ref",
    )
    assert report["updated"] == 0 and report["failed"] == 0


def test_json_lines_are_the_stored_contacts(api: TenantClient) -> None:
    fill(api)
    lines = [orjson.loads(line) for line in export(api, "jsonl").splitlines()]
    assert lines == contacts(api)


def test_vcards_parse_with_an_independent_library(api: TenantClient) -> None:
    fill(api)
    cards = list(vobject.readComponents(export(api, "vcf").decode()))
    assert len(cards) == 3  # two contacts, one contact person
    company, person, individual = cards
    assert company.kind.value == "org"
    assert company.fn.value == "Acme; Sons, Ltd"
    assert company.org.value == ["Acme; Sons, Ltd"]
    assert company.email.value == "info@acme.example"
    assert company.note.value == 'Line one\nline "two"'
    assert company.adr.value.city == "Gent" and company.adr.value.code == "9000"
    assert company.url.value == "https://acme.example"
    assert person.fn.value == "Eva Novák" and person.n.value.family == "Novák"
    assert person.related.value == company.uid.value
    assert person.role.value == "CFO"
    assert individual.kind.value == "individual" and individual.n.value.given == "Jan"


def test_filters_select_and_pages_join(
    services: Services, api: TenantClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counterparty.services.exports.PAGE_SIZE", 2)
    for index in range(5):
        api.create(name=f"Supplier {index}", is_supplier=True)
    api.create(name="Customer only")
    lines = export(api, "jsonl", is_supplier="true").splitlines()
    assert [orjson.loads(line)["name"] for line in lines] == [f"Supplier {i}" for i in range(5)]


@pytest.mark.parametrize(
    ("params", "code", "parameter"),
    [
        ({"format": "pdf"}, "invalid_choice", "format"),
        ({}, "required", "format"),
        ({"format": "csv", "kind": "robot"}, "invalid_choice", "kind"),
        ({"format": "csv", "limit": "5"}, "unknown_parameter", "limit"),
    ],
)
def test_bad_parameters_are_problems(
    api: TenantClient, params: dict[str, str], code: str, parameter: str
) -> None:
    response = api.http.get(EXPORT, params=params)
    assert response.status_code == 422
    assert (response.json()["errors"][0]["code"], response.json()["errors"][0]["parameter"]) == (
        code,
        parameter,
    )


def test_an_export_holds_only_the_tenants_own_contacts(
    api: TenantClient, other_api: TenantClient
) -> None:
    api.create(name="Mine")
    other_api.create(name="Theirs")
    assert b"Theirs" not in export(api, "csv") and b"Mine" in export(api, "csv")
