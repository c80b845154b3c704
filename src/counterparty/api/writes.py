"""How native writes are guarded: If-Match (and 428 when required), and Idempotency-Key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.problems import problem_response
from counterparty.domain.idempotency import MAX_KEY_LENGTH, StoredResponse
from counterparty.errors import (
    ContactInUse,
    DuplicateValue,
    MalformedRequest,
    NotFound,
    PreconditionRequired,
    WouldWait,
)
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.writes import WriteOptions
from counterparty.web.conditional import if_match
from counterparty.web.http import raw_body
from counterparty.web.state import limits, services

T = TypeVar("T")
CLAIM = "counterparty.idempotency_claim"
REPLAYED_HEADER = "Idempotent-Replayed"
DUPLICATES_HEADER = "Counterparty-Duplicates"
_KEPT_HEADERS = ("content-type", "etag", "location", DUPLICATES_HEADER.lower())
# Outcomes that sending the same request again cannot change: stored and replayed.
FINAL_ERRORS = (NotFound, ContactInUse, DuplicateValue)


def write_options(request: Request) -> WriteOptions:
    condition = if_match(request)
    if condition is None and limits(request).require_if_match:
        raise PreconditionRequired(
            "this service requires If-Match on writes: send the ETag of your last GET"
        )
    return WriteOptions(if_match=condition, duplicates=[])


def with_duplicates(response: Response, options: WriteOptions) -> Response:
    """The ids of the other active contacts with the written contact's identifiers, under
    the tenant's `warn` policy (services/duplicate_policy.py)."""
    if options.duplicates:
        ids = dict.fromkeys(str(notice.contact_id) for notice in options.duplicates)
        response.headers[DUPLICATES_HEADER] = ", ".join(ids)
    return response


def idempotency_key(request: Request) -> str | None:
    """The Idempotency-Key, as a structured-field string ("…") or a bare token."""
    values = request.headers.getlist("idempotency-key")
    if not values:
        return None
    if len(values) > 1:
        raise MalformedRequest("send one Idempotency-Key header, not several")
    key = values[0].strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise MalformedRequest(
            f"an Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters"
        )
    return key


def _stored(response: Response) -> StoredResponse:
    headers = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
    return StoredResponse(response.status_code, headers, bytes(response.body))


def _replay(stored: StoredResponse) -> Response:
    return Response(
        stored.body, status_code=stored.status, headers={**stored.headers, REPLAYED_HEADER: "true"}
    )


def guarded_write(
    request: Request,
    actor: Actor,
    perform: Callable[[WriteOptions], T],
    render: Callable[[T], Response],
    conditional: bool = True,
) -> Response:
    """Run a write once per Idempotency-Key: the first outcome is stored with the change
    and replayed for retries of the same request. Outcomes that a retry could change
    (invalid input, failed preconditions, transient failures) are not kept. A create is
    not `conditional`: there is no version to match yet."""
    options = write_options(request) if conditional else WriteOptions(duplicates=[])

    def shown(result: T) -> Response:
        return with_duplicates(render(result), options)

    key = idempotency_key(request)
    if key is None:
        return shown(perform(options))
    keys = services(request).idempotency
    fingerprint = hashlib.sha256(
        b"\0".join([request.method.encode(), request.url.path.encode(), raw_body(request)])
    ).hexdigest()
    # A request run again after waiting for a lock (web/waiting.py) keeps its claim.
    outcome = request.scope.get(CLAIM) or keys.begin(actor, key, fingerprint)
    if isinstance(outcome, StoredResponse):
        return _replay(outcome)
    request.scope[CLAIM] = outcome

    def finish(uow: UnitOfWork, result: T) -> None:
        keys.finish(uow, actor, outcome, _stored(shown(result)))

    try:
        return shown(perform(replace(options, on_commit=finish)))
    except FINAL_ERRORS as error:
        response = problem_response(error, request)
        keys.finish_alone(actor, outcome, _stored(response))
        return response
    except WouldWait:
        raise  # the request runs again, with this claim
    except BaseException:
        keys.release(actor, outcome)
        raise
