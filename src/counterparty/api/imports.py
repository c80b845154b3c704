"""POST /v1/imports and GET /v1/contacts/export: a contact book in and out over HTTP.

An upload is counted as it arrives (a 413 past the limit, before more is stored), kept, checked
and queued as a job (services/import_worker.py); the answer is 202 with the job's status."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncGenerator
from typing import IO

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from counterparty.api.import_jobs import accepted
from counterparty.domain.ids import new_id
from counterparty.domain.import_jobs import ImportJob
from counterparty.domain.text import decimal_digits
from counterparty.errors import FieldError, MalformedRequest, PayloadTooLarge, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.exports import MEDIA_TYPES
from counterparty.services.import_options import import_options, parse_export_format
from counterparty.services.transactions import WAITING_FORBIDDEN
from counterparty.web.http import media_type
from counterparty.web.list_query import parse_list_parameters
from counterparty.web.state import import_presets, import_worker, limits, services

SPILL_BYTES = 1 << 20  # an upload is kept in memory up to this, then on disk
FORMAT_BY_MEDIA_TYPE = {
    "text/csv": "csv",
    "application/csv": "csv",
    "text/plain": "csv",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
FORMAT_BY_SUFFIX = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl"}
FORMAT_BY_SUFFIX |= {".ndjson": "jsonl", ".xlsx": "xlsx"}


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"an import may be at most {limit} bytes", limit_bytes=limit)


class _TooLarge(MultiPartException):
    """Raised from the body stream: the multipart parser then closes the files it made."""


async def _counted(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The body, refused as soon as it passes `limit` bytes, before more of it is stored."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _TooLarge("too large")
        yield chunk


async def _upload(request: Request) -> tuple[IO[bytes], dict[str, str], str | None, str | None]:
    """The uploaded file, the option fields sent with it, the format its media type or name
    suggests, and its name."""
    limit = limits(request).max_import_bytes
    declared = request.headers.get("content-length")
    if declared is not None and decimal_digits(declared) and int(declared) > limit:
        raise _too_large(limit)
    kind = media_type(request)
    if kind == "multipart/form-data":
        parser = MultiPartParser(request.headers, _counted(request, limit), max_files=1)
        try:
            form = await parser.parse()
        except _TooLarge:
            raise _too_large(limit) from None
        except MultiPartException as error:
            raise MalformedRequest(f"the multipart body is unreadable: {error.message}") from None
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            await form.close()
            detail = "a multipart import sends the file in a part named 'file'"
            raise ValidationFailed(detail, errors=[FieldError("required", detail, "/file")])
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        suffix = "." + (upload.filename or "").rsplit(".", 1)[-1].lower()
        hint = FORMAT_BY_SUFFIX.get(suffix) or FORMAT_BY_MEDIA_TYPE.get(upload.content_type or "")
        return upload.file, fields, hint, upload.filename
    spool = tempfile.SpooledTemporaryFile(SPILL_BYTES)  # noqa: SIM115 (closed by the handler)
    try:
        async for chunk in _counted(request, limit):
            spool.write(chunk)
    except _TooLarge:
        spool.close()
        raise _too_large(limit) from None
    spool.seek(0)
    return spool, {}, FORMAT_BY_MEDIA_TYPE.get(kind), None


async def import_contacts(request: Request, actor: Actor) -> Response:
    """The upload kept and checked, its job queued: 202 with the job's status."""
    binary, fields, hint, name = await _upload(request)
    try:
        given: dict[str, str] = {**request.query_params, **fields}
        options = import_options(given, hint, import_presets(request))
        given["format"] = options.format  # as the media type or name chose it, to run with

        def accept() -> ImportJob:
            WAITING_FORBIDDEN.set(False)  # its own thread: it may wait for locks
            return import_worker(request).accept(actor, new_id(), binary, options, given, name)

        job = await run_in_threadpool(accept)
    finally:
        binary.close()
    return accepted(request, job)


async def export_contacts(request: Request, actor: Actor) -> Response:
    params = dict(request.query_params)
    export_format = parse_export_format(params.pop("format", None))
    params.setdefault("sort", "number")  # an import of the file gives the same numbers
    query, _ = parse_list_parameters(params)
    chunks = services(request).exports.chunks(actor, query, export_format)
    filename = f"contacts.{export_format}"
    return StreamingResponse(
        chunks,
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
