"""Reading files: CSV encodings and delimiters, JSON Lines and XLSX, and files that cannot be
read at all (refused whole, nothing written), on both backends."""

from __future__ import annotations

import io
from datetime import date

import orjson
import pytest
from openpyxl import Workbook

from counterparty.errors import ValidationFailed
from counterparty.services.import_files import sniff_delimiter
from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.imports.helpers import contacts, run_import

TURKISH = "name,address.city\r\nÇağrı Ltd. Şti.,İzmir\r\n"
CZECH = "name,address.city\r\nŽluťoučký kůň s.r.o.,Ústí nad Labem\r\n"


@pytest.mark.parametrize(
    ("text", "encoding", "declared"),
    [
        (TURKISH, "utf-8", None),
        (TURKISH, "utf-8-sig", None),  # with a BOM
        (TURKISH, "windows-1254", "windows-1254"),
        (CZECH, "windows-1250", "windows-1250"),
        ("name,address.city\r\nCafé Müller,Köln\r\n", "windows-1252", "windows-1252"),
    ],
)
def test_encodings(
    services: Services, api: TenantClient, text: str, encoding: str, declared: str | None
) -> None:
    outcome = run_import(services, api, text.encode(encoding), encoding=declared)
    assert outcome.actions() == [(2, "created")]
    name, city = text.splitlines()[1].split(",")
    stored = contacts(api)[0]
    assert (stored["name"], stored["address"]["city"]) == (name, city)


def test_a_file_not_in_its_encoding_is_refused_whole(services: Services, api: TenantClient) -> None:
    data = "name\r\nAcme\r\nÇağrı\r\n".encode("windows-1254")
    with pytest.raises(ValidationFailed) as refused:
        run_import(services, api, data)
    assert refused.value.errors[0].code == "invalid_encoding"
    assert "near line 3" in refused.value.detail
    assert contacts(api) == []
    with pytest.raises(ValidationFailed) as unknown:
        run_import(services, api, b"name\r\nAcme\r\n", encoding="klingon")
    assert unknown.value.errors[0].parameter == "encoding"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected_from_the_header(
    services: Services, api: TenantClient, delimiter: str
) -> None:
    data = delimiter.join(["name", "address.city", "notes"]) + "\r\n"
    data += delimiter.join(["Acme", "Gent", '"a, b; c"']) + "\r\n"
    outcome = run_import(services, api, data.encode())
    assert outcome.actions() == [(2, "created")]
    assert contacts(api)[0]["notes"] == "a, b; c"


def test_sniffing_prefers_the_delimiter_the_header_uses_most() -> None:
    assert sniff_delimiter("name;address.city;notes") == ";"
    assert sniff_delimiter("name\taddress.city") == "\t"
    assert sniff_delimiter("name") == ","


def test_multi_line_cells_and_blank_rows_keep_spreadsheet_row_numbers(
    services: Services, api: TenantClient
) -> None:
    data = b'name,notes\r\nAcme,"two\r\nlines"\r\n,\r\n\r\nBeta,x\r\n,bad\r\n'
    outcome = run_import(services, api, data)
    assert outcome.actions() == [(2, "created"), (5, "created"), (6, "failed")]
    assert contacts(api)[0]["notes"] == "two\r\nlines"  # as the file has it


def test_a_file_without_a_header_is_refused(services: Services, api: TenantClient) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run_import(services, api, b"\r\n")
    assert refused.value.errors[0].code == "no_header"


def test_json_lines(services: Services, api: TenantClient) -> None:
    lines = [
        orjson.dumps({"name": "Acme", "address": {"city": "Gent"}, "external_ref": "R1"}),
        b"",
        b"{not json",
        orjson.dumps(["not", "an", "object"]),
        orjson.dumps({"name": "Bad", "email": "nope"}),
        orjson.dumps({"name": "Beta", "custom_fields": {"crm_id": 7}}),
    ]
    outcome = run_import(services, api, b"\n".join(lines) + b"\n", format="jsonl")
    assert outcome.actions() == [
        (1, "created"),
        (3, "failed"),
        (4, "failed"),
        (5, "failed"),
        (6, "created"),
    ]
    assert outcome.errors() == [
        (3, None, "invalid_json"),
        (4, None, "invalid_type"),
        (5, "email", "format"),
    ]
    assert contacts(api)[1]["custom_fields"] == {"crm_id": 7}


def test_json_lines_of_an_export_import_with_their_service_members_left_out(
    services: Services, api: TenantClient
) -> None:
    api.create(name="Acme", external_ref="R1", tags=["x"])
    exported = api.http.get("/v1/contacts/export", params={"format": "jsonl"}).content
    again = run_import(services, api, exported, format="jsonl", match_on="external_ref")
    assert again.actions() == [(1, "unchanged")]


def _workbook(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    workbook = Workbook()
    workbook.active.title = "Cover"
    target = workbook.create_sheet(sheet)
    for row in rows:
        target.append(row)
    workbook.active.append(["not the contacts"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_and_typed_cells(services: Services, api: TenantClient) -> None:
    data = _workbook(
        [
            ["name", "payment_terms_days", "is_supplier", "birth_date", "tax_id"],
            ["Acme", 30, True, None, 4540536920],
            [None, None, None, None, None],
            ["Eva", None, False, date(1990, 5, 17), None],
            [None, 10, None, None, None],
        ],
        sheet="Contacts",
    )
    outcome = run_import(services, api, data, format="xlsx", sheet="Contacts")
    assert outcome.actions() == [(2, "created"), (4, "created"), (5, "failed")]
    assert outcome.errors() == [(5, "name", "required")]
    acme, eva = contacts(api)
    assert (acme["payment_terms_days"], acme["is_supplier"], acme["tax_id"]) == (
        30,
        True,
        "4540536920",
    )
    assert eva["birth_date"] == "1990-05-17"


def test_xlsx_without_the_sheet_or_not_a_workbook_is_refused(
    services: Services, api: TenantClient
) -> None:
    data = _workbook([["name"], ["Acme"]])
    with pytest.raises(ValidationFailed) as missing:
        run_import(services, api, data, format="xlsx", sheet="Nope")
    assert missing.value.errors[0].parameter == "sheet"
    with pytest.raises(ValidationFailed) as broken:
        run_import(services, api, b"name\r\nAcme\r\n", format="xlsx")
    assert broken.value.errors[0].code == "unreadable_file"
    assert contacts(api) == []


def test_an_encoding_the_service_cannot_read_is_refused_whatever_the_format(
    api: TenantClient,
) -> None:
    # JSON Lines are always UTF-8: a named encoding is still checked, never silently ignored.
    line = orjson.dumps({"name": "Acme"}) + b"\n"
    answer = api.http.post(
        "/v1/imports",
        params={"format": "jsonl", "encoding": "klingon"},
        content=line,
        headers={"Content-Type": "application/jsonl"},
    )
    assert answer.status_code == 422, answer.text
    assert [error["parameter"] for error in answer.json()["errors"]] == ["encoding"]
    assert contacts(api) == []
