"""OData 4.0 answers: one entity or a collection with its `@odata.*` annotations, and the error
shape, as responses and as the JSON schemas of a dialect's published document.

    {"error": {"code": "validation_failed", "message": "lastname: ...",
               "details": [{"code": "required", "target": "lastname", "message": "..."}]}}

`code` is counterparty's stable error code; `target` names the vendor's member or query option:
the shared checker's problems are worded here (`worded`), and a vendor's `ErrorShape` names the
canonical errors with its tables' inverse and decides between 400 and 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.checking import TOO_LONG, TYPE, Problem
from counterparty.dialects.fields import vendor_name
from counterparty.domain.contact import Contact
from counterparty.errors import (
    Conflict,
    CounterpartyError,
    DuplicateValue,
    FieldError,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from counterparty.services.contacts import PreparedWrite
from counterparty.services.ports import UnitOfWork
from counterparty.web.http import json_response
from counterparty.web.statuses import status_for

HEADERS = {"OData-Version": "4.0"}
_KEY = re.compile(r"(?:guid)?'?([0-9A-Fa-f-]{32,36})'?")  # Set(<guid>), Set(guid'<guid>')


def entity_key(raw: str, entity_set: str) -> UUID:
    """The GUID key of `Set(<key>)` in any of OData's spellings; another key names nothing."""
    match = _KEY.fullmatch(raw)
    try:
        return UUID(match.group(1)) if match else UUID(raw)
    except ValueError:
        raise NotFound(f"no {entity_set} with key {raw}") from None


def minimal(request: Request, url: str, status: int) -> Response | None:
    """The 204 a client that asks `Prefer: return=minimal` gets for a written entity at `url`
    (None when it did not ask); `Location` too when the write created it."""
    if "return=minimal" not in request.headers.get("prefer", "").replace(" ", "").lower():
        return None
    headers = {**HEADERS, "OData-EntityId": url, "Preference-Applied": "return=minimal"}
    return Response(status_code=204, headers=headers | ({"Location": url} if status == 201 else {}))


# The shared checker's problems as the family words them: (code, message) by the checker's code,
# a wrong type's by the row's type.
_MOMENT = ("invalid_format", "expected a date or date-time like 2024-05-31T08:30:00.000Z")
_WORDS: dict[str, tuple[str, str]] = {
    f"{TYPE}_text": ("invalid_type", "expected a string"),
    f"{TYPE}_guid": ("invalid_format", "expected a GUID like 93498506-9dde-4593-b844-e3c51c0e2bc2"),
    f"{TYPE}_boolean": ("invalid_type", "expected true or false"),
    f"{TYPE}_date": _MOMENT,
    f"{TYPE}_datetime": _MOMENT,
    f"{TYPE}_decimal": ("invalid_type", "expected a number"),
    f"{TYPE}_object": ("invalid_type", "expected an object"),
    TOO_LONG: ("too_long", "at most {max_length} characters"),
}


def worded(problem: Problem) -> tuple[str, str]:
    """A problem of the shared checker as an error detail's code and message."""
    key = f"{TYPE}_{problem.row.type}" if problem.code == TYPE else problem.code
    # A rule no OData table here has yet (a pattern, a range) still gets a clear answer.
    code, template = _WORDS.get(key, ("invalid_value", "not a valid value"))
    return code, template.format(max_length=problem.row.max_length)


@dataclass
class Invalid(ValidationFailed):
    """Field errors whose pointers already are the vendor's members or query options;
    `unprocessable` makes it a 422 (the vendor's rule decides), otherwise a 400."""

    unprocessable: bool = False


def invalid(errors: Sequence[FieldError], *, unprocessable: bool = False) -> Invalid:
    """The failure for `errors`, worded after the first."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    detail = f"{first.pointer}: {first.detail}{more}"
    return Invalid(detail, errors=list(errors), unprocessable=unprocessable)


def entity_response(
    context: str, payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return json_response(
        {"@odata.context": context, **payload}, status, {**HEADERS, **(headers or {})}
    )


@dataclass(frozen=True)
class ErrorShape:
    """What a vendor decides about its errors: its members' names for canonical pointers (its
    tables' inverse), its rule for a 422 rather than a 400 (`unprocessable`, asked of each
    problem, canonical or already named), its credentials message and its realm."""

    names: Mapping[str, str]
    unprocessable: Callable[[FieldError], bool]
    credentials_needed: str
    realm: str

    def invalid(self, errors: Sequence[FieldError], *, values_invalid: bool = False) -> Invalid:
        """The failure for `errors` (pointers already the vendor's names); `values_invalid`
        when some problem is known to be an invalid value whatever its code."""
        unprocessable = not values_invalid and all(map(self.unprocessable, errors))
        return invalid(errors, unprocessable=unprocessable)

    def in_vendor_terms(
        self, error: ValidationFailed, names: Mapping[str, str] | None = None, prefix: str = ""
    ) -> Invalid:
        """A canonical failure with the vendor's names (`names`, the entity's own when it is
        nested in another at `prefix`, as a deep insert's is), a query parameter as sent."""
        if isinstance(error, Invalid):
            return error
        names = self.names if names is None else names
        found = [
            FieldError(
                item.code,
                item.detail,
                pointer=prefix + vendor_name(item.pointer, names)
                if item.pointer
                else (item.parameter or prefix.rstrip(".")),
            )
            for item in error.errors
        ] or [FieldError(error.code, error.detail, pointer=prefix.rstrip("."))]
        values_invalid = not all(map(self.unprocessable, error.errors))
        return self.invalid(found, values_invalid=values_invalid)

    @contextmanager
    def vendor_terms(
        self, names: Mapping[str, str] | None = None, prefix: str = ""
    ) -> Iterator[None]:
        """Report the canonical errors of a service call with the vendor's names, as they are
        raised: the names of a nested entity are not those of the entity the answer is about."""
        try:
            yield
        except ValidationFailed as error:
            raise self.in_vendor_terms(error, names, prefix) from None
        except DuplicateValue as error:
            if not error.pointer.startswith("/"):
                raise
            target = prefix + vendor_name(error.pointer, self.names if names is None else names)
            raise DuplicateValue(
                f"{target}: the value already belongs to contact {error.existing_id}",
                pointer=target,
                existing_id=error.existing_id,
            ) from None

    def when_run(
        self, write: PreparedWrite, names: Mapping[str, str] | None = None, prefix: str = ""
    ) -> PreparedWrite:
        """`write`, reporting what fails inside its transaction with the vendor's names."""

        def run(uow: UnitOfWork) -> Contact:
            with self.vendor_terms(names, prefix):
                return write.run(uow)

        return PreparedWrite(run)


def _describe(error: Exception, shape: ErrorShape) -> tuple[int, str, str, list[dict[str, Any]]]:
    if isinstance(error, ValidationFailed):
        vendor = shape.in_vendor_terms(error)
        details = [
            {"code": item.code, "target": item.pointer or "", "message": item.detail}
            for item in vendor.errors
        ]
        return 422 if vendor.unprocessable else 400, error.code, vendor.detail, details
    if isinstance(error, DuplicateValue):
        target = error.pointer
        if target.startswith("/"):
            target = vendor_name(target, shape.names)
        detail = {"code": error.code, "target": target, "message": error.detail}
        return 409, error.code, error.detail, [detail]
    if isinstance(error, Unauthenticated):
        return 401, error.code, shape.credentials_needed, []
    if isinstance(error, Conflict):
        return 409, error.code, error.detail, []  # OData has no preconditions of its own here
    if isinstance(error, CounterpartyError):
        return status_for(error), error.code, error.detail, []
    message = "the service failed unexpectedly; the request id identifies it in our logs"
    return 500, "internal_error", message, []


def render_error(error: Exception, _request: Request, shape: ErrorShape) -> Response:
    status, code, message, details = _describe(error, shape)
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    headers = dict(HEADERS)
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{shape.realm}"'
    return json_response({"error": body}, status=status, headers=headers)


_TEXT = {"type": "string"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": _TEXT, "message": _TEXT, "details": {"type": "array", "items": {
            "type": "object", "required": ["code", "target", "message"],
            "properties": {"code": _TEXT, "target": _TEXT, "message": _TEXT}}}},
    }},
}  # fmt: skip


def single(entity: dict[str, Any]) -> dict[str, Any]:
    """One entity as answered: its members and `@odata.context`."""
    context = {"type": "object", "required": ["@odata.context"],
               "properties": {"@odata.context": _TEXT}}  # fmt: skip
    return {"allOf": [entity, context]}


def collection(entity: dict[str, Any]) -> dict[str, Any]:
    """A page of an entity set: `value`, the context, the count when asked, the next link."""
    return {
        "type": "object",
        "required": ["@odata.context", "value"],
        "properties": {
            "@odata.context": _TEXT,
            "@odata.count": {"type": "integer", "minimum": 0},
            "@odata.nextLink": _TEXT,
            "value": {"type": "array", "items": entity},
        },
    }
