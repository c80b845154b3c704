"""Handlers and operations of merging contacts and undoing it (docs/duplicates.md, "Merge")."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import contact_id, contact_response
from counterparty.api.parameters import ACTION
from counterparty.api.writes import guarded_write
from counterparty.domain.contact import Contact
from counterparty.domain.merging import MAX_MERGED
from counterparty.services.context import Actor
from counterparty.services.merging import MergeRequest, Unmerged, UnmergeRequest
from counterparty.web.conditional import etag
from counterparty.web.http import json_response, read_body, read_json
from counterparty.web.routing import Operation
from counterparty.web.state import limits, services


class UnmergeResult(BaseModel):
    """The survivor after the unmerge, the contacts brought back, the survivor's fields that
    were changed since the merge and so kept, and moved children given another parent since
    (left where they are)."""

    contact: Contact
    restored: list[Contact]
    kept_fields: list[str]
    children_kept: list[UUID]


async def merge_contacts(request: Request, actor: Actor) -> Response:
    survivor = contact_id(request)
    body = await read_json(request, limits(request).max_body_bytes)
    return guarded_write(
        request,
        actor,
        lambda options: services(request).merges.merge(actor, survivor, body, options=options),
        contact_response,
    )


def _unmerged(result: Unmerged) -> Response:
    body = UnmergeResult(
        contact=result.survivor,
        restored=result.restored,
        kept_fields=result.kept_fields,
        children_kept=result.children_kept,
    )
    return json_response(body, headers={"ETag": etag(result.survivor.version)})


async def unmerge_contacts(request: Request, actor: Actor) -> Response:
    survivor = contact_id(request)
    # The body may be left out: every contact merged into the survivor comes back.
    raw = await read_body(request, limits(request).max_body_bytes)
    body = await read_json(request, limits(request).max_body_bytes) if raw.strip() else {}
    return guarded_write(
        request,
        actor,
        lambda options: services(request).merges.unmerge(actor, survivor, body, options=options),
        _unmerged,
    )


MERGE_OPERATIONS = (
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/merge",
        merge_contacts,
        "mergeContacts",
        "Merge other contacts into this one (the survivor); answers with the survivor",
        tag="duplicates",
        description=f"`from`: 1 to {MAX_MERGED} contact ids, merged in this order. Each field "
        "comes from the contact `fields` names for it, otherwise it is the survivor's, "
        "otherwise the first non-empty one among `from`; bank accounts, contact persons, tags "
        "and custom fields are united without duplicates; contacts whose parent was a merged "
        "contact get the survivor as parent. A merged contact becomes an alias: reads by its "
        "id or number answer the survivor with Content-Location, it is in no list, and a "
        "write to it is a 409 `contact_merged`. History: `merged` on the survivor, "
        "`merged_into` on each merged contact. If-Match takes the survivor's ETag. Unknown "
        "ids are a 404, an already merged one a 409 `contact_merged`, the survivor among "
        '`from` a 422. docs/duplicates.md, "Merge".',
        body=MergeRequest,
        response=Contact,
        response_headers=("ETag",),
        errors=(400, 404, 409, 412, 413, 415, 422, 428),
        parameters=ACTION,
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/unmerge",
        unmerge_contacts,
        "unmergeContacts",
        "Undo a merge: bring merged contacts back as they were",
        tag="duplicates",
        description="`contacts`: the merged contacts to bring back (no body: all of them). "
        "Within COUNTERPARTY_UNMERGE_DAYS (30 by default) of their merge: each comes back "
        "with the same id, number and fields at its version + 1, the children moved to the "
        "survivor go back to it, and the survivor gets back the values it had before the "
        "merge for every field still as the merge left it; fields changed since are kept and "
        "listed in `kept_fields`. After the window: a 409 `unmerge_window_closed` with "
        "`window_closed_at`. If-Match takes the survivor's ETag.",
        body=UnmergeRequest,
        body_required=False,
        response=UnmergeResult,
        response_headers=("ETag",),
        errors=(400, 404, 409, 412, 413, 415, 422, 428),
        parameters=ACTION,
    ),
)
