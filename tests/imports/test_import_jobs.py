"""Import jobs over real HTTP: each import is recorded with its counts and per-row results,
listed per tenant, and another tenant's import is a 404; a resume needs an interrupted job."""

from __future__ import annotations

import csv
import io
from uuid import UUID

import orjson
import pytest

from counterparty.errors import Conflict, NotFound
from counterparty.services.imports import BATCH_ROWS, ImportOptions, ImportSummary
from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.imports.helpers import accepted, actor_of, csv_bytes, finished, run_import

FILE = csv_bytes("external_ref,name,email", "R1,Acme,", "R2,,", "R3,Gamma,not-mail")


def start(client: TenantClient) -> str:
    response = client.http.post(
        "/v1/imports",
        files={"file": ("crm.csv", FILE, "text/csv")},
        data={"match_on": "external_ref"},
    )
    job_id = accepted(response)
    finished(client, job_id)
    return job_id


def test_an_import_is_recorded_with_its_counts_and_options(api: TenantClient) -> None:
    job_id = start(api)
    job = api.http.get(f"/v1/imports/{job_id}").json()
    assert job["status"] == "succeeded" and job["file_name"] == "crm.csv"
    assert (job["rows_done"], job["last_row"]) == (3, 4)
    assert (job["created"], job["failed"], job["unchanged"]) == (1, 2, 0)
    assert job["options"] == {"match_on": "external_ref", "format": "csv"}
    assert job["finished_at"] is not None
    listed = api.http.get("/v1/imports").json()["data"]
    assert [entry["id"] for entry in listed] == [job_id]


def test_the_results_of_an_import_stream_as_json_lines_or_csv(api: TenantClient) -> None:
    job_id = start(api)
    lines = api.http.get(f"/v1/imports/{job_id}/results").text.splitlines()
    rows = [orjson.loads(line) for line in lines]
    assert [(row["row"], row["action"]) for row in rows] == [
        (2, "created"),
        (3, "failed"),
        (4, "failed"),
    ]
    assert rows[1]["errors"] == [
        {"column": "name", "code": "required", "detail": "a company needs a name"}
    ]
    response = api.http.get(
        f"/v1/imports/{job_id}/results", params={"format": "csv", "only": "failed"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["row"], r["column"], r["code"]) for r in table] == [
        ("3", "name", "required"),
        ("4", "email", "format"),
    ]
    bad = api.http.get(f"/v1/imports/{job_id}/results", params={"format": "xml"})
    assert bad.status_code == 422


def test_another_tenants_import_is_not_found(api: TenantClient, other_api: TenantClient) -> None:
    job_id = start(api)
    for path in (f"/v1/imports/{job_id}", f"/v1/imports/{job_id}/results"):
        response = other_api.http.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert other_api.http.get("/v1/imports").json()["data"] == []
    assert api.http.get("/v1/imports/not-a-uuid").status_code == 404


def test_only_an_interrupted_import_resumes(services: Services, api: TenantClient) -> None:
    finished = run_import(services, api, FILE, match_on="external_ref")
    with pytest.raises(Conflict):
        run_import(services, api, FILE, match_on="external_ref", resume=finished.summary.id)
    with pytest.raises(NotFound):
        run_import(services, api, FILE, resume=UUID(int=7))
    jobs = services.imports.jobs.list(actor_of(services, api))
    assert [job.id for job in jobs] == [finished.summary.id]


def test_an_import_run_here_stops_after_its_batch_when_cancelled_elsewhere(
    services: Services, api: TenantClient
) -> None:
    """The command line's import sees a cancel asked over HTTP (or by another process)."""
    actor = actor_of(services, api)
    lines = [f"R{index},Company {index}" for index in range(2 * BATCH_ROWS + 1)]
    asked: list[str] = []

    def after_batch(summary: ImportSummary) -> None:
        if not asked:
            job = services.imports.jobs.cancel(actor, summary.id)
            asked.append(job.status)

    summary = services.imports.run(
        actor,
        io.BytesIO(csv_bytes("external_ref,name", *lines)),
        ImportOptions(match_on="external_ref"),
        on_batch=after_batch,
    )
    assert asked == ["cancelling"]
    assert (summary.status, summary.rows) == ("cancelled", BATCH_ROWS)
    job = api.http.get(f"/v1/imports/{summary.id}").json()
    assert (job["status"], job["rows_done"], job["cancel_requested"]) == ("cancelled", 1000, False)
