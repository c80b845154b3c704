"""Errors that counterparty raises, each with a stable machine code.

The core layers raise these; only the HTTP edge (the native API or a vendor dialect) turns them
into a status code and a body of its own shape.

    CounterpartyError
     ├── NotFound                 not_found
     ├── ValidationFailed         validation_failed       field errors with JSON pointers
     ├── MalformedRequest         malformed_request       body or header that cannot be read
     ├── UnsupportedMediaType     unsupported_media_type
     ├── PayloadTooLarge          payload_too_large
     ├── MethodNotAllowed         method_not_allowed
     ├── InvalidCursor            invalid_cursor
     ├── Unauthenticated          unauthenticated
     ├── Conflict                 conflict
     │    ├── ContactInUse        contact_in_use          other contacts name it as parent
     │    ├── DuplicateValue      duplicate_value         a per-tenant unique value is taken
     │    ├── DuplicateContact    duplicate_contact       refused: another contact has the number
     │    ├── ContactMerged       contact_merged          a write to a contact merged into another
     │    ├── UnmergeWindowClosed unmerge_window_closed   the merge is too old to be undone
     │    └── RequestInProgress   request_in_progress     same Idempotency-Key still running
     ├── IdempotencyKeyReused     idempotency_key_reused  same key, different request
     ├── PreconditionFailed       precondition_failed     If-Match names an older version
     ├── PreconditionRequired     precondition_required   a write without If-Match
     ├── RateLimited              rate_limited            a key's or an address's limit is used up
     └── TransientFailure         transient_failure       serialization failure, deadlock, busy
          └── WouldWait                                   a lock to wait for, on an event loop
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem with one input value: a body member (`pointer`) or a query `parameter`."""

    code: str
    detail: str
    pointer: str | None = None
    parameter: str | None = None


@dataclass
class CounterpartyError(Exception):
    """Base class: `code` is stable and documented; `detail` is for humans."""

    detail: str
    code: str = field(default="error", init=False)

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    def extra(self) -> dict[str, Any]:
        """Named data fields that clients may rely on, next to `code` and `detail`."""
        return {}


@dataclass
class NotFound(CounterpartyError):
    code: str = field(default="not_found", init=False)


@dataclass
class ValidationFailed(CounterpartyError):
    errors: Sequence[FieldError] = ()
    code: str = field(default="validation_failed", init=False)


@dataclass
class MalformedRequest(CounterpartyError):
    code: str = field(default="malformed_request", init=False)


@dataclass
class UnsupportedMediaType(CounterpartyError):
    accepted: Sequence[str] = ()
    code: str = field(default="unsupported_media_type", init=False)

    def extra(self) -> dict[str, Any]:
        return {"accepted": list(self.accepted)}


@dataclass
class PayloadTooLarge(CounterpartyError):
    limit_bytes: int = 0
    code: str = field(default="payload_too_large", init=False)

    def extra(self) -> dict[str, Any]:
        return {"limit_bytes": self.limit_bytes}


@dataclass
class MethodNotAllowed(CounterpartyError):
    code: str = field(default="method_not_allowed", init=False)


@dataclass
class InvalidCursor(CounterpartyError):
    code: str = field(default="invalid_cursor", init=False)


@dataclass
class Unauthenticated(CounterpartyError):
    code: str = field(default="unauthenticated", init=False)


@dataclass
class Conflict(CounterpartyError):
    code: str = field(default="conflict", init=False)


@dataclass
class ContactInUse(Conflict):
    referenced_by: Sequence[str] = ()
    code: str = field(default="contact_in_use", init=False)

    def extra(self) -> dict[str, Any]:
        return {"referenced_by": list(self.referenced_by)}


@dataclass
class DuplicateValue(Conflict):
    pointer: str = ""
    existing_id: str | None = None
    code: str = field(default="duplicate_value", init=False)

    def extra(self) -> dict[str, Any]:
        return {"pointer": self.pointer, "existing_id": self.existing_id}


@dataclass
class DuplicateContact(Conflict):
    """The tenant refuses duplicates and another active contact has the same VAT number,
    tax id or registration number. `duplicates`: [{"id", "number", "field", "rule"}]."""

    duplicates: Sequence[dict[str, Any]] = ()
    code: str = field(default="duplicate_contact", init=False)

    def extra(self) -> dict[str, Any]:
        return {"duplicates": list(self.duplicates)}


@dataclass
class ContactMerged(Conflict):
    """The contact was merged into another (`survivor_id`): it is an alias now, read as the
    survivor and never written. Write to the survivor, or unmerge the contact first."""

    survivor_id: str = ""
    code: str = field(default="contact_merged", init=False)

    def extra(self) -> dict[str, Any]:
        return {"survivor_id": self.survivor_id}


@dataclass
class UnmergeWindowClosed(Conflict):
    """A merge can be undone for COUNTERPARTY_UNMERGE_DAYS after it; this one's window
    closed at `window_closed_at`."""

    window_closed_at: str = ""
    code: str = field(default="unmerge_window_closed", init=False)

    def extra(self) -> dict[str, Any]:
        return {"window_closed_at": self.window_closed_at}


@dataclass
class RequestInProgress(Conflict):
    code: str = field(default="request_in_progress", init=False)


@dataclass
class IdempotencyKeyReused(CounterpartyError):
    code: str = field(default="idempotency_key_reused", init=False)


@dataclass
class PreconditionFailed(CounterpartyError):
    current_version: int = 0
    changed_fields: Sequence[str] = ()
    code: str = field(default="precondition_failed", init=False)

    def extra(self) -> dict[str, Any]:
        return {
            "current_version": self.current_version,
            "changed_fields": list(self.changed_fields),
        }


@dataclass
class PreconditionRequired(CounterpartyError):
    code: str = field(default="precondition_required", init=False)


@dataclass
class RateLimited(CounterpartyError):
    """A key used more than its limit allows, or an address that failed to authenticate too
    often: nothing was done; `retry_after_seconds` says when to try again."""

    retry_after_seconds: int = 1
    code: str = field(default="rate_limited", init=False)

    def extra(self) -> dict[str, Any]:
        return {"retry_after_seconds": self.retry_after_seconds}


@dataclass
class TransientFailure(CounterpartyError):
    code: str = field(default="transient_failure", init=False)


@dataclass
class WouldWait(TransientFailure):
    """The work needs a lock another transaction holds, and runs where waiting would stall
    every other request (an event loop): the caller tries again after an asynchronous pause."""
