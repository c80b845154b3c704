"""GET /v1/imports[/{id}[/results]]: a tenant's imports, one import's progress, its rows;
POST /v1/imports/{id}/resume and /cancel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import orjson
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from counterparty.api.contacts import path_uuid
from counterparty.domain.import_jobs import ACTIONS, ImportJob, StoredRow
from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.context import Actor
from counterparty.web.http import json_response, link_to
from counterparty.web.state import import_worker, services

RESULT_FORMATS = {"jsonl": "application/jsonl", "csv": "text/csv; charset=utf-8"}


class ImportStatus(BaseModel):
    id: UUID
    status: Literal["queued", "running", "succeeded", "failed", "interrupted", "cancelled"] = Field(
        description="`queued`: waiting for the server's import worker. `interrupted`: "
        "stopped before its end (its server stopped, or its process died: queued or "
        "running without a sign of life for 60 s); POST /v1/imports/{id}/resume (or "
        "`counterparty import FILE --resume ID`) continues it"
    )
    cancel_requested: bool = Field(
        description="A cancel was asked: the import stops after its current batch"
    )
    file_name: str | None
    dry_run: bool
    options: dict[str, str] = Field(
        description="The options as given (and the format the upload's type or name chose)"
    )
    rows_done: int
    last_row: int = Field(description="Every row up to this one is committed")
    rows_total: int | None = Field(
        description="The file's last row number, counted from its lines before the import "
        "(a cell spanning lines makes it a little high); XLSX: the sheet's declared size; "
        "null when not known"
    )
    eta_seconds: float | None = Field(
        description="Time left of a running import at its rate so far, when rows_total is known"
    )
    created: int
    updated: int
    unchanged: int
    failed: int
    rows_per_second: float
    error: str | None = Field(description="Why a failed import stopped")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class ImportList(BaseModel):
    data: list[ImportStatus] = Field(description="The newest first, at most 100")


def _status(job: ImportJob) -> dict[str, Any]:
    moment = datetime.now(UTC)
    eta = job.eta_seconds(moment)
    return {
        "id": str(job.id),
        "status": job.shown_status(moment),
        "cancel_requested": job.status == "cancelling",
        "file_name": job.file_name,
        "dry_run": job.dry_run,
        "options": job.options,
        "rows_done": job.rows_done,
        "last_row": job.last_row,
        "rows_total": job.rows_total,
        "eta_seconds": None if eta is None else round(eta, 1),
        **{action: job.counts[action] for action in ACTIONS},
        "rows_per_second": round(job.rows_per_second, 1),
        "error": job.error,
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _job_id(request: Request) -> UUID:
    return path_uuid(request, "import_id", "import")


def accepted(request: Request, job: ImportJob) -> Response:
    """202: the job is queued (or asked to stop); Location is where to follow it."""
    location = link_to(request, request.url.replace(path=f"/v1/imports/{job.id}", query=""))
    return json_response(_status(job), 202, {"Location": location})


async def resume_import(request: Request, actor: Actor) -> Response:
    job = await run_in_threadpool(import_worker(request).resume, actor, _job_id(request))
    return accepted(request, job)


async def cancel_import(request: Request, actor: Actor) -> Response:
    job = await run_in_threadpool(import_worker(request).cancel, actor, _job_id(request))
    return accepted(request, job)


async def list_imports(request: Request, actor: Actor) -> Response:
    jobs = services(request).imports.jobs.list(actor)
    return json_response({"data": [_status(job) for job in jobs]})


async def get_import(request: Request, actor: Actor) -> Response:
    return json_response(_status(services(request).imports.jobs.get(actor, _job_id(request))))


def _jsonl(rows: Iterable[StoredRow]) -> Iterator[bytes]:
    for row in rows:
        line = {"row": row.row, "action": row.action, "id": row.contact_id, "errors": row.errors}
        yield orjson.dumps(line) + b"\n"


def _csv(rows: Iterable[StoredRow]) -> Iterator[bytes]:
    """One line per row and error, as `counterparty import --report` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", "action", "id", "column", "code", "detail"])
    for row in rows:
        contact = "" if row.contact_id is None else str(row.contact_id)
        for error in row.errors or [{}]:
            writer.writerow(
                [row.row, row.action, contact, error.get("column") or "",
                 error.get("code", ""), error.get("detail", "")]
            )  # fmt: skip
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()


async def import_results(request: Request, actor: Actor) -> Response:
    chosen = request.query_params.get("format", "jsonl")
    only = request.query_params.get("only")
    errors = []
    if chosen not in RESULT_FORMATS:
        errors.append(FieldError("invalid_choice", "jsonl or csv", parameter="format"))
    if only not in (None, "failed"):
        errors.append(FieldError("invalid_choice", "failed", parameter="only"))
    if errors:
        raise ValidationFailed(f"{errors[0].parameter}: {errors[0].detail}", errors=errors)
    rows = services(request).imports.jobs.results(actor, _job_id(request), only == "failed")
    first = next(rows, None)  # the job is looked up (a 404) before the answer starts

    def all_rows() -> Iterator[StoredRow]:
        if first is not None:
            yield first
            yield from rows

    body = _jsonl(all_rows()) if chosen == "jsonl" else _csv(all_rows())
    return StreamingResponse(body, media_type=RESULT_FORMATS[chosen])
