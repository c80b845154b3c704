"""Odyssee's errors, in the OData family's shape: its members' names for canonical pointers
(the tables' inverses) and its rule for a 422 rather than a 400."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.fields import vendor_name, vendor_names
from counterparty.dialects.odata import answers
from counterparty.dialects.odata.answers import Invalid
from counterparty.dialects.odyssee.table import COMPANY_FIELDS, CONTACT
from counterparty.domain.contact import Contact
from counterparty.errors import DuplicateValue, FieldError, ValidationFailed
from counterparty.services.contacts import PreparedWrite
from counterparty.services.ports import UnitOfWork

NAME = "odyssee"
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


def invalid(errors: Sequence[FieldError], *, values_invalid: bool = False) -> Invalid:
    """Odyssee's failure for `errors` (pointers already its names); `values_invalid` when some
    problem is known to be an invalid value whatever its code."""
    unprocessable = not values_invalid and all(item.code in UNPROCESSABLE for item in errors)
    return answers.invalid(errors, unprocessable=unprocessable)


def in_vendor_terms(error: ValidationFailed, names: Mapping[str, str], prefix: str = "") -> Invalid:
    if isinstance(error, Invalid):
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


SHAPE = answers.ErrorShape(
    in_vendor_terms=partial(in_vendor_terms, names=CONTACT_NAMES),
    vendor_name=partial(vendor_name, names=CONTACT_NAMES),
    credentials_needed=CREDENTIALS_NEEDED,
    realm=NAME,
)


def render_error(error: Exception, request: Request) -> Response:
    return answers.render_error(error, request, SHAPE)
