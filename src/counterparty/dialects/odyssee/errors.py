"""Odyssee's errors, in the OData family's shape: its members' names for canonical pointers
(the tables' inverses) and its rule for a 422 rather than a 400."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects.fields import vendor_names
from counterparty.dialects.odata import answers
from counterparty.dialects.odyssee.table import COMPANY_FIELDS, CONTACT
from counterparty.errors import FieldError

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


def unprocessable(error: FieldError) -> bool:
    """Whether a problem is one of a required value or a reference: the codes above, except in
    `extensions` (what Odyssee's fields kept as sent hold), where `too_deep` is JSON nested too
    deep, an invalid value."""
    in_values = (error.pointer or "").startswith("/extensions")
    return error.code in UNPROCESSABLE and not in_values


SHAPE = answers.ErrorShape(CONTACT_NAMES, unprocessable, CREDENTIALS_NEEDED, realm=NAME)


def render_error(error: Exception, request: Request) -> Response:
    return answers.render_error(error, request, SHAPE)
