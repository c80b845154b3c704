"""Running imports in tests: through the service (formats, options) or over HTTP."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

from counterparty.services.context import Actor
from counterparty.services.imports import ImportOptions, ImportSummary, RowResult
from counterparty.services.registry import Services
from tests.conftest import TenantClient


@dataclass
class Outcome:
    summary: ImportSummary
    rows: list[RowResult] = field(default_factory=list)

    def actions(self) -> list[tuple[int, str]]:
        return [(row.row, row.action) for row in self.rows]

    def errors(self) -> list[tuple[int, str | None, str]]:
        return [(row.row, error.column, error.code) for row in self.rows for error in row.errors]


def actor_of(services: Services, client: TenantClient) -> Actor:
    return Actor(services.tenancy.get_tenant(client.slug), None, "cli")


def run_import(
    services: Services, client: TenantClient, data: bytes, resume: Any = None, **options: Any
) -> Outcome:
    rows: list[RowResult] = []
    summary = services.imports.run(
        actor_of(services, client),
        io.BytesIO(data),
        ImportOptions(**options),
        rows.append,
        resume=resume,
    )
    return Outcome(summary, rows)


def csv_bytes(*lines: str, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).replace(",", delimiter).encode(encoding) + b"\r\n"


def contacts(client: TenantClient, **params: Any) -> list[dict[str, Any]]:
    response = client.http.get("/v1/contacts", params={"limit": 200, "sort": "number", **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def events(client: TenantClient) -> list[dict[str, Any]]:
    response = client.http.get("/v1/events", params={"limit": 1000})
    found: list[dict[str, Any]] = response.json()["data"]
    return found


WAITING = ("queued", "running")


def finished(client: TenantClient, job_id: str, limit_seconds: float = 120) -> dict[str, Any]:
    """The import's status once it is no longer queued or running (polled)."""
    deadline = time.monotonic() + limit_seconds
    while True:
        response = client.http.get(f"/v1/imports/{job_id}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] not in WAITING:
            return job
        assert time.monotonic() < deadline, f"import {job_id} is still {job['status']}"
        time.sleep(0.05)


def results(client: TenantClient, job_id: str, **params: str) -> list[dict[str, Any]]:
    response = client.http.get(f"/v1/imports/{job_id}/results", params=params)
    assert response.status_code == 200, response.text
    return [orjson.loads(line) for line in response.text.splitlines()]


def accepted(response: Any) -> str:
    """The id of an import POST /v1/imports (or resume) accepted, checked: 202 + Location."""
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    assert response.headers["location"] == f"/v1/imports/{job_id}"
    return job_id


def import_over_http(
    client: TenantClient, body: bytes, media: str = "text/csv", **params: str
) -> dict[str, Any]:
    """POST /v1/imports, then its status once it ended, with its rows under `results`."""
    response = client.http.post(
        "/v1/imports", content=body, params=params, headers={"Content-Type": media}
    )
    job_id = accepted(response)
    job = finished(client, job_id)
    job["results"] = results(client, job_id)
    return job
