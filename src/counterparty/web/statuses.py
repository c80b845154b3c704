"""The HTTP status of every domain error: one table for the native API and every dialect."""

from __future__ import annotations

from collections.abc import Mapping

from counterparty import errors

# Most specific class first: the first match wins.
STATUS_BY_ERROR: tuple[tuple[type[errors.CounterpartyError], int, str], ...] = (
    (errors.NotFound, 404, "Resource not found"),
    (errors.ValidationFailed, 422, "Invalid request content"),
    (errors.MalformedRequest, 400, "Malformed request"),
    (errors.InvalidCursor, 400, "Invalid cursor"),
    (errors.UnsupportedMediaType, 415, "Unsupported media type"),
    (errors.PayloadTooLarge, 413, "Request body too large"),
    (errors.MethodNotAllowed, 405, "Method not allowed"),
    (errors.Unauthenticated, 401, "Authentication required"),
    (errors.PreconditionFailed, 412, "Precondition failed"),
    (errors.PreconditionRequired, 428, "Precondition required"),
    (errors.IdempotencyKeyReused, 422, "Idempotency key reused"),
    (errors.RequestInProgress, 409, "Request in progress"),
    (errors.ContactInUse, 409, "Contact in use"),
    (errors.DuplicateValue, 409, "Duplicate value"),
    (errors.DuplicateContact, 409, "Duplicate contact"),
    (errors.ContactMerged, 409, "Contact merged"),
    (errors.UnmergeWindowClosed, 409, "Unmerge window closed"),
    (errors.Conflict, 409, "Conflict"),
    (errors.RateLimited, 429, "Too many requests"),
    (errors.TransientFailure, 503, "Temporarily unavailable"),
)
NO_OVERRIDES: Mapping[type[errors.CounterpartyError], int] = {}


def status_and_title(
    error: Exception, overrides: Mapping[type[errors.CounterpartyError], int] = NO_OVERRIDES
) -> tuple[int, str]:
    """Status and title of an error; `overrides` lets a vendor answer some errors its own way
    (iDoklad, Muhasip and WACS report invalid content as 400, not 422)."""
    if not isinstance(error, errors.CounterpartyError):
        return 500, "Internal server error"
    for kind, status, title in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return next((s for k, s in overrides.items() if isinstance(error, k)), status), title
    return 400, "Bad request"


def status_for(
    error: Exception, overrides: Mapping[type[errors.CounterpartyError], int] = NO_OVERRIDES
) -> int:
    return status_and_title(error, overrides)[0]
