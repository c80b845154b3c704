"""Odyssee errors in the OData JSON error format.

    {"error": {"code": "validation_failed", "message": "lastname: ...",
               "details": [{"code": "required", "target": "lastname", "message": "..."}]}}

`code` is counterparty's stable error code; `target` is always an Odyssee field name
("company.name" inside the embedded company) or a query option ("$top").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.fields import vendor_name, vendor_names
from counterparty.dialects.odyssee.table import COMPANY_FIELDS, CONTACT
from counterparty.domain.contact import Contact
from counterparty.errors import (
    Conflict,
    CounterpartyError,
    DuplicateValue,
    FieldError,
    Unauthenticated,
    ValidationFailed,
)
from counterparty.services.contacts import PreparedWrite
from counterparty.services.ports import UnitOfWork
from counterparty.web.http import json_response
from counterparty.web.statuses import status_for

NAME = "odyssee"
ODATA_HEADERS = {"OData-Version": "4.0"}
CREDENTIALS_NEEDED = "HTTP Basic credentials 'user:<api key>@<tenant>' are required"
# The tables' inverses, where a canonical path is written by several members: the one a
# client most likely sent (the canonical name follows the lastname; a street, its number).
CONTACT_NAMES = {**vendor_names(CONTACT), "parent_id": "company_id", "name": "lastname",
                 "kind": "lastname"}  # fmt: skip
COMPANY_NAMES = {**vendor_names(COMPANY_FIELDS), "address.street": "street", "kind": "name"}
# A validation failure is a 422 when every problem is a missing required value or a
# reference to something that does not exist (the vendor's "required fields or foreign
# keys"); any other invalid value makes it a 400.
UNPROCESSABLE = frozenset(
    {
        "required",
        "unknown_company",
        "not_a_company",
        "company_mismatch",
        "unknown_contact",
        "cycle",
        "too_deep",  # the company hierarchy; nesting in a kept-as-sent value is a bad value
    }
)


def _unprocessable(error: FieldError) -> bool:
    """Whether a canonical problem is one of a required value or a reference: the codes
    above, except in `extensions` (what Odyssee's fields kept as sent hold), where `too_deep`
    is JSON nested too deep, an invalid value."""
    in_values = (error.pointer or "").startswith("/extensions")
    return error.code in UNPROCESSABLE and not in_values


@dataclass
class VendorInvalid(ValidationFailed):
    """Field errors whose pointers already are Odyssee targets, not canonical pointers.
    `unprocessable` (422, not 400) is decided from their codes, or where the canonical
    pointers were still known."""

    unprocessable: bool = False


def invalid(errors: Sequence[FieldError], *, values_invalid: bool = False) -> VendorInvalid:
    """Odyssee's failure for `errors`; `values_invalid` when some problem is known to be an
    invalid value whatever its code."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    unprocessable = not values_invalid and all(item.code in UNPROCESSABLE for item in errors)
    return VendorInvalid(
        f"{first.pointer}: {first.detail}{more}", errors=list(errors), unprocessable=unprocessable
    )


def in_vendor_terms(
    error: ValidationFailed, names: Mapping[str, str], prefix: str = ""
) -> VendorInvalid:
    if isinstance(error, VendorInvalid):
        return error
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
    return invalid(found, values_invalid=not all(_unprocessable(item) for item in error.errors))


@contextmanager
def vendor_terms(names: Mapping[str, str], prefix: str = "") -> Iterator[None]:
    """Report the canonical errors of a service call with the vendor's field names."""
    try:
        yield
    except ValidationFailed as error:
        raise in_vendor_terms(error, names, prefix) from None
    except DuplicateValue as error:
        if not error.pointer.startswith("/"):
            raise
        target = prefix + vendor_name(error.pointer, names)
        raise DuplicateValue(
            f"{target}: the value already belongs to contact {error.existing_id}",
            pointer=target,
            existing_id=error.existing_id,
        ) from None


def in_vendor_terms_when_run(
    write: PreparedWrite, names: Mapping[str, str], prefix: str = ""
) -> PreparedWrite:
    """`write`, reporting what fails inside its transaction with the vendor's names."""

    def run(uow: UnitOfWork) -> Contact:
        with vendor_terms(names, prefix):
            return write.run(uow)

    return PreparedWrite(run)


def _describe(error: Exception) -> tuple[int, str, str, list[dict[str, Any]]]:
    if isinstance(error, ValidationFailed):
        vendor = in_vendor_terms(error, CONTACT_NAMES)
        details = [
            {"code": item.code, "target": item.pointer or "", "message": item.detail}
            for item in vendor.errors
        ]
        return 422 if vendor.unprocessable else 400, error.code, vendor.detail, details
    if isinstance(error, DuplicateValue):
        target = error.pointer
        if target.startswith("/"):
            target = vendor_name(target, CONTACT_NAMES)
        detail = {"code": error.code, "target": target, "message": error.detail}
        return 409, error.code, error.detail, [detail]
    if isinstance(error, Unauthenticated):
        return 401, error.code, CREDENTIALS_NEEDED, []
    if isinstance(error, Conflict):
        return 409, error.code, error.detail, []
    if isinstance(error, CounterpartyError):
        return status_for(error), error.code, error.detail, []
    message = "the service failed unexpectedly; the request id identifies it in our logs"
    return 500, "internal_error", message, []


def render_error(error: Exception, _request: Request) -> Response:
    status, code, message, details = _describe(error)
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    headers = dict(ODATA_HEADERS)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="odyssee"'
    return json_response({"error": body}, status=status, headers=headers)
