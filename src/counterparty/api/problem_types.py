"""The page behind each problem `type` (`/problems/<code>`): when it happens, how to fix it and
an example body, as JSON or as HTML (by `Accept`)."""

from __future__ import annotations

from html import escape
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from counterparty.api.problems import PROBLEM_BASE, PROBLEM_JSON, STATUS_BY_ERROR
from counterparty.web.http import json_response

# code -> (when it happens, how to fix it, an example `detail`)
GUIDE: dict[str, tuple[str, str, str]] = {
    "not_found": (
        "The contact (or item, version, page) does not exist for your tenant: a wrong id, a "
        "deleted contact, or another tenant's contact.",
        "Check the id; list contacts to find it again. Deleted contacts stay in /v1/events.",
        "no contact with id 0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b",
    ),
    "validation_failed": (
        "A field or query parameter has a value the contact model refuses: wrong type, too "
        "long, unknown field, an invalid identifier under the strict policy.",
        "Read `errors`: each names the field (`pointer`) or parameter and a stable `code`. "
        "POST /v1/validate checks identifiers without storing anything.",
        "/vat_number: 'BE0403019262' is not a valid Belgian VAT number: the checksum fails",
    ),
    "malformed_request": (
        "The request cannot be read: the body is not JSON, is empty, or a header is malformed.",
        "Send a JSON object with Content-Type application/json.",
        "the body is not valid JSON: unexpected character: line 1 column 2 (char 1)",
    ),
    "invalid_cursor": (
        "A `cursor` was changed, belongs to another query or another tenant.",
        "Pass back the `next_cursor` (or Link header) exactly as received, with the same "
        "filters; start again without a cursor if you changed them.",
        "the cursor does not belong to this query",
    ),
    "unsupported_media_type": (
        "The Content-Type is not one this endpoint reads (PATCH also takes "
        "application/merge-patch+json).",
        "Send the body as one of the media types the Accept-Patch or the message names.",
        "text/plain is not accepted here; send application/json",
    ),
    "payload_too_large": (
        "The body is larger than COUNTERPARTY_MAX_BODY_BYTES.",
        "Send less at once (one contact per request); ask the operator to raise the limit.",
        "the body may be at most 1048576 bytes",
    ),
    "method_not_allowed": (
        "The path exists but not with this HTTP method.",
        "Use a method the Allow header lists; /openapi.json lists every operation.",
        "DELETE is not allowed on /v1/contacts",
    ),
    "unauthenticated": (
        "No API key, an unknown one or a revoked one.",
        "Send `Authorization: Bearer <key>` with a key of your tenant.",
        "a valid API key is required",
    ),
    "precondition_failed": (
        "If-Match names a version that is no longer the current one: someone changed the "
        "contact since you read it.",
        "Read the contact again (its ETag), reapply your change and retry with the new ETag.",
        "the contact is at version 4, not 3",
    ),
    "precondition_required": (
        "The deployment requires If-Match on contact writes (COUNTERPARTY_REQUIRE_IF_MATCH).",
        "Read the contact and send its ETag as If-Match.",
        "this write needs an If-Match header with the contact's ETag",
    ),
    "idempotency_key_reused": (
        "An Idempotency-Key was sent again with a different request.",
        "Use a new key for a new request; resend the same request to get the stored answer.",
        "the key was used for another request",
    ),
    "request_in_progress": (
        "A request with the same Idempotency-Key is still running.",
        "Wait a moment and send it again: you then get its stored answer.",
        "a request with this Idempotency-Key is in progress",
    ),
    "contact_in_use": (
        "The contact is the parent of other contacts, so it cannot be deleted.",
        "Move or delete the contacts listed in `referenced_by` first.",
        "contact 0192f0c4-… is the parent of 0192f0c5-…; move or delete those contacts first",
    ),
    "duplicate_value": (
        "A value that must be unique per tenant (external_ref, a chosen id) is taken.",
        "Use another value, or update the contact named by `existing_id`.",
        "external_ref 'ERP-1' already belongs to contact 0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b",
    ),
    "duplicate_contact": (
        "The tenant's duplicate policy is `refuse` and another active contact has the same "
        "VAT number, tax id or registration number (in the same country).",
        "Update or merge the contact named in `duplicates` (each with the `field` and `rule`), "
        "or change the policy to `warn` on PATCH /v1/tenant.",
        "other contacts have the same identifiers: 0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b "
        "(vat_number)",
    ),
    "contact_merged": (
        "The contact was merged into another one (`survivor_id`): it is an alias, read as "
        "the survivor, and cannot be written.",
        "Write to the contact named by `survivor_id` (the Content-Location of a GET), or "
        "POST /v1/contacts/{survivor_id}/unmerge within the unmerge window.",
        "contact 0192f0c4-… was merged into 0192f0c5-…; write to that contact",
    ),
    "unmerge_window_closed": (
        "The merge is older than COUNTERPARTY_UNMERGE_DAYS: it can no longer be undone.",
        "Split the contact by hand: create the contact again and move its data.",
        "the merge of 2026-10-01 could be undone until 2026-10-31T09:12:00+00:00",
    ),
    "conflict": (
        "The write collided with the current state of the contact.",
        "Read the contact again and retry.",
        "the contact changed at the same time",
    ),
    "rate_limited": (
        "The API key made more requests than its limit allows in the window (see the "
        "`RateLimit` and `RateLimit-Policy` headers of every authenticated response), or the "
        "client's address failed to authenticate too often; nothing was done.",
        "Wait the `Retry-After` seconds (also `retry_after_seconds`), then send the request "
        "again; spread requests out, or ask for a higher limit.",
        "the API key's limit of 6000 requests per 60 seconds is used up",
    ),
    "transient_failure": (
        "The database was busy or a concurrent write won; nothing was changed.",
        "Retry after a short, growing pause (the request is safe to repeat).",
        "the service is busy; try again",
    ),
}


def _docstring(error_class: type) -> str:
    """The class's own docstring; a dataclass without one gets its signature, not shown."""
    text = (error_class.__doc__ or "").strip()
    return "" if text.startswith(f"{error_class.__name__}(") else text


def problem_types() -> list[dict[str, Any]]:
    """Every problem type: code, status, title, when it happens, how to fix it, an example."""
    found: dict[str, dict[str, Any]] = {}
    for error_class, status, title in STATUS_BY_ERROR:
        code = str(error_class.__dataclass_fields__["code"].default)
        when, fix, detail = GUIDE[code]
        kind = PROBLEM_BASE + code.replace("_", "-")
        example = {"type": kind, "title": title, "status": status, "detail": detail,
                   "code": code, "instance": "/v1/contacts", "request_id": "4f1c…"}  # fmt: skip
        found[code] = {"type": kind, "code": code, "status": status, "title": title,
                       "description": _docstring(error_class) or when, "when": when,
                       "how_to_fix": fix, "example": example}  # fmt: skip
    return list(found.values())


def _html(entry: dict[str, Any]) -> str:
    example = orjson.dumps(entry["example"], option=orjson.OPT_INDENT_2).decode()
    rows = "".join(
        f"<h2>{label}</h2><p>{escape(entry[key])}</p>"
        for label, key in (("When it happens", "when"), ("How to fix it", "how_to_fix"))
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entry['title'])}</title></head><body>"
        f"<h1>{entry['status']} {escape(entry['title'])} (<code>{entry['code']}</code>)</h1>"
        f"{rows}<h2>Example</h2><pre>{escape(example)}</pre></body></html>"
    )


def wants_html(request: Request) -> bool:
    accepted = request.headers.get("accept", "")
    return "text/html" in accepted and "application/json" not in accepted


def problem_page(request: Request, entry: dict[str, Any] | None) -> Response:
    if entry is None:
        detail = "no such problem type; GET /problems/ lists them"
        body = {"type": PROBLEM_BASE, "title": "Resource not found", "status": 404,
                "detail": detail, "code": "not_found"}  # fmt: skip
        return json_response(body, status=404, media=PROBLEM_JSON)
    if wants_html(request):
        return HTMLResponse(_html(entry))
    return json_response(entry)
