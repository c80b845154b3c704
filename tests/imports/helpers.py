"""Running imports in tests: through the service (formats, options) or over HTTP."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

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
