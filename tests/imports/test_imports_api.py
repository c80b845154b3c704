"""POST /v1/imports over real HTTP: raw and multipart uploads answered 202 and run by the
server's worker, options, problems for bad input (never a 500, nothing written or kept), the
upload limit and tenant isolation."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from openpyxl import Workbook

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.services.registry import Services
from tests.conftest import TenantClient, new_tenant_client, running_server
from tests.imports.helpers import accepted, contacts, csv_bytes, finished, import_over_http

IMPORTS = "/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = csv_bytes("external_ref,name,email", "R1,Acme,info@acme.example", "R2,,", "R3,Gamma,")


def post(client: TenantClient, body: bytes, media: str = "text/csv", **params: str) -> Any:
    return client.http.post(IMPORTS, content=body, params=params, headers={"Content-Type": media})


def test_a_raw_csv_body_is_imported_with_a_report_per_row(api: TenantClient) -> None:
    response = post(api, FILE, match_on="external_ref")
    job_id = accepted(response)
    assert response.json()["status"] in ("queued", "running", "succeeded")
    assert response.json()["rows_total"] == 4  # the header is row 1
    report = import_over_http(api, FILE, match_on="external_ref")
    first = finished(api, job_id)
    assert first["status"] == "succeeded" and first["finished_at"] is not None
    assert (first["rows_done"], first["created"], first["failed"]) == (3, 2, 1)
    assert first["eta_seconds"] is None  # only a running import has time left
    assert (report["unchanged"], report["created"]) == (2, 0)
    assert [(r["row"], r["action"]) for r in report["results"]] == [
        (2, "unchanged"),
        (3, "failed"),
        (4, "unchanged"),
    ]
    assert report["results"][1]["errors"] == [
        {"column": "name", "code": "required", "detail": "a company needs a name"}
    ]
    assert report["results"][0]["id"] == contacts(api)[0]["id"]


def test_a_multipart_upload_with_option_fields(api: TenantClient) -> None:
    mapping = orjson.dumps({"Firma": "name", "Kod": "external_ref"}).decode()
    response = api.http.post(
        IMPORTS,
        files={"file": ("firmalar.csv", b"Firma;Kod\r\nAcme;K1\r\n", "text/csv")},
        data={"mapping": mapping, "dry_run": "true"},
    )
    dry = finished(api, accepted(response))
    assert dry["dry_run"] is True and dry["created"] == 1 and dry["status"] == "succeeded"
    assert dry["options"] == {"mapping": mapping, "dry_run": "true", "format": "csv"}
    assert contacts(api) == []
    jsonl = b'{"name": "From lines"}\n'
    lines = api.http.post(IMPORTS, files={"file": ("contacts.jsonl", jsonl, "application/jsonl")})
    assert finished(api, accepted(lines))["created"] == 1
    assert [c["name"] for c in contacts(api)] == ["From lines"]


@pytest.mark.parametrize(
    ("params", "body", "code", "where"),
    [
        ({"match_on": "colour"}, FILE, "invalid_choice", "match_on"),
        ({"mapping": "{not json"}, FILE, "invalid_json", "mapping"),
        ({"mapping": '["name"]'}, FILE, "invalid_type", "mapping"),
        ({"dry_run": "maybe"}, FILE, "invalid_choice", "dry_run"),
        ({"encoding": "ebcdic"}, FILE, "invalid_choice", "encoding"),
        ({}, b"name,shoe_size\r\nAcme,44\r\n", "unknown_column", "shoe_size"),
        ({}, "name\r\nÇağrı\r\n".encode("windows-1254"), "invalid_encoding", "file"),
        ({"format": "xlsx"}, FILE, "unreadable_file", "file"),
        ({}, b"", "no_header", "file"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(
    api: TenantClient, params: dict[str, str], body: bytes, code: str, where: str
) -> None:
    response = post(api, body, **params)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["errors"][0]["code"], problem["errors"][0]["parameter"]) == (code, where)
    assert contacts(api) == []
    assert api.http.get(IMPORTS).json()["data"] == []  # no job, and no file kept


def test_a_multipart_body_without_a_file_part_is_a_problem(api: TenantClient) -> None:
    response = api.http.post(IMPORTS, data={"dry_run": "true"}, files={"other": ("x", b"y")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/file"


def test_an_import_matches_only_its_own_tenants_contacts(
    api: TenantClient, other_api: TenantClient
) -> None:
    theirs = other_api.create(name="Theirs", external_ref="R1")
    by_id = csv_bytes("id,notes", f"{theirs['id']},mine now")
    report = import_over_http(api, by_id, match_on="id")
    assert report["results"][0]["errors"][0]["code"] == "not_found"
    mine = csv_bytes("external_ref,name", "R1,Mine")
    assert import_over_http(api, mine, match_on="external_ref")["created"] == 1
    assert other_api.http.get(f"/v1/contacts/{theirs['id']}").json()["version"] == 1


@pytest.fixture(scope="module")
def small_limit_url(database_url: str, database: Database, settings: Settings) -> Iterator[str]:
    settings = settings.model_copy(update={"max_import_bytes": 2048})
    with running_server(create_app(settings, database)) as url:
        yield url


def test_an_upload_above_the_limit_is_413_before_it_is_stored(
    services: Services, small_limit_url: str
) -> None:
    client = new_tenant_client(services, small_limit_url)
    big = csv_bytes("name", *(f"Contact {index}" for index in range(400)))
    declared = client.http.post(IMPORTS, content=big, headers={"Content-Type": "text/csv"})
    assert declared.status_code == 413 and declared.json()["limit_bytes"] == 2048

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield big[:1000]
        yield big[1000:]

    streamed = client.http.post(IMPORTS, content=chunked(), headers={"Content-Type": "text/csv"})
    assert streamed.status_code == 413
    form = client.http.post(IMPORTS, files={"file": ("big.csv", big, "text/csv")})
    assert form.status_code == 413
    assert contacts(client) == []
    small = client.http.post(IMPORTS, content=big[:500], headers={"Content-Type": "text/csv"})
    assert finished(client, accepted(small))["status"] == "succeeded"
    client.http.close()


def test_the_openapi_document_describes_imports_and_exports(base_url: str) -> None:
    document = httpx.get(f"{base_url}/openapi.json").json()
    upload = document["paths"]["/v1/imports"]["post"]
    assert {"text/csv", "multipart/form-data"} <= set(upload["requestBody"]["content"])
    assert {"202", "413", "422"} <= set(upload["responses"])
    assert "Location" in upload["responses"]["202"]["headers"]
    for action in ("resume", "cancel"):
        operation = document["paths"][f"/v1/imports/{{import_id}}/{action}"]["post"]
        assert {"202", "404", "409"} <= set(operation["responses"])
    export = document["paths"]["/v1/contacts/export"]["get"]
    assert "text/vcard; charset=utf-8" in export["responses"]["200"]["content"]


def test_the_total_of_an_xlsx_import_is_the_size_its_sheet_declares(api: TenantClient) -> None:
    workbook = Workbook()  # not write-only: it declares its dimension, as Excel does
    sheet = workbook.active
    assert sheet is not None
    for row in (["name"], ["Acme"], ["Beta"]):
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    response = post(api, data.getvalue(), XLSX)
    assert response.json()["rows_total"] == 3
    assert finished(api, accepted(response))["created"] == 2
