"""POST /v1/contacts/batch: up to 1,000 contacts created or upserted in one request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.problems import ProblemFieldError
from counterparty.api.writes import guarded_write
from counterparty.errors import CounterpartyError, FieldError, ValidationFailed
from counterparty.services.batch import MATCH_FIELDS, MAX_ITEMS, BatchResult, ItemResult
from counterparty.services.batch_matching import MatchField
from counterparty.services.context import Actor
from counterparty.web.http import json_response, read_json
from counterparty.web.state import limits, services
from counterparty.web.statuses import status_for

_CREATED, _OK = 201, 200


class BatchRequest(BaseModel):
    """Contacts to create, or with `match_on`, to create or update."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, Any]] = Field(
        max_length=MAX_ITEMS,
        description="Each a contact as POST /v1/contacts takes it; with `match_on`, an item "
        "that matches a contact is a JSON Merge Patch of it (members left out stay as they "
        "are).",
    )
    match_on: Literal[MATCH_FIELDS] | None = Field(  # type: ignore[valid-type]
        None,
        description="Upsert: the field that finds an item's contact (compared as the item's "
        "own checks store it: `BE 0403.019.261` finds `BE0403019261`). An item that finds no "
        "contact is created; one that finds several fails with 409. With `id` or `number`, "
        "an item that finds none fails with 404, since the service assigns both.",
    )


class BatchItemResult(BaseModel):
    index: int = Field(description="Position of the item in `items`, from 0")
    status: int = Field(description="What the same request for this item alone would answer")
    action: Literal["created", "updated", "unchanged", "failed"]
    id: UUID | None
    version: int | None
    errors: list[ProblemFieldError] = Field(
        description="Why the item failed; pointers are within the item"
    )


class BatchResponse(BaseModel):
    results: list[BatchItemResult]
    created: int
    updated: int
    unchanged: int
    failed: int


def _invalid(pointer: str, code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(f"{pointer}: {detail}", errors=[FieldError(code, detail, pointer)])


def parse_batch(body: Any) -> tuple[list[Any], MatchField | None]:
    if not isinstance(body, Mapping):
        raise _invalid("", "invalid_type", "expected a JSON object")
    unknown = sorted(set(body) - {"items", "match_on"})
    if unknown:
        raise _invalid(f"/{unknown[0]}", "unknown_field", f"'{unknown[0]}' is not a member")
    items = body.get("items")
    if not isinstance(items, list):
        raise _invalid("/items", "required" if items is None else "invalid_type", "a list")
    if not 1 <= len(items) <= MAX_ITEMS:
        raise _invalid("/items", "too_many_items", f"1 to {MAX_ITEMS} items")
    match_on = body.get("match_on")
    if match_on is not None and match_on not in MATCH_FIELDS:
        raise _invalid("/match_on", "invalid_choice", "one of " + ", ".join(MATCH_FIELDS))
    return items, match_on


def _errors(error: CounterpartyError | None) -> list[dict[str, Any]]:
    if error is None:
        return []
    if isinstance(error, ValidationFailed):
        found = error.errors
    else:
        found = [FieldError(error.code, error.detail, getattr(error, "pointer", None) or None)]
    return [{k: v for k, v in vars(e).items() if v is not None} for e in found]


def _item(result: ItemResult) -> dict[str, Any]:
    contact = result.contact
    if result.error is not None:
        status = status_for(result.error)
    else:
        status = _CREATED if result.action == "created" else _OK
    return {
        "index": result.index,
        "status": status,
        "action": result.action,
        "id": None if contact is None else str(contact.id),
        "version": None if contact is None else contact.version,
        "errors": _errors(result.error),
    }


def render(result: BatchResult) -> Response:
    return json_response(
        {
            "results": [_item(item) for item in result.results],
            **{action: result.count(action) for action in ("created", "updated", "unchanged")},
            "failed": result.count("failed"),
        }
    )


async def batch_contacts(request: Request, actor: Actor) -> Response:
    items, match_on = parse_batch(await read_json(request, limits(request).max_batch_body_bytes))
    actor = replace(actor, entry_point="batch")
    return guarded_write(
        request,
        actor,
        lambda options: services(request).batch.apply(actor, items, match_on, options),
        render,
        conditional=False,
    )
