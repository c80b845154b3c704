"""Errors in the shape of iDoklad API v2, an ASP.NET Web API 2 service.

Every error body is `{"Message": "..."}`; a validation failure (400) adds `ModelState`, the
vendor's field names mapped to their messages: `{"Message": "The request is invalid.",
"ModelState": {"CompanyName": ["The CompanyName field is required."]}}`. Field names are the
vendor's, dotted inside DefaultBankAccount ("DefaultBankAccount.Iban"); query parameters are
named as sent ("pagesize").
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.base import vendor_field_for
from counterparty.dialects.idoklad.mapping import CANONICAL_TO_VENDOR
from counterparty.web.http import json_response
from counterparty.web.statuses import status_for

# iDoklad answers invalid content with "400 špatný formát/validační chyba".
STATUS_OVERRIDES: dict[type[errors.CounterpartyError], int] = {errors.ValidationFailed: 400}
# ASP.NET's fixed messages where it does not show the exception's own.
FIXED_MESSAGES = {
    400: "The request is invalid.",
    401: "Authorization has been denied for this request.",
    500: "An error has occurred.",
}
_LIST_INDEX = re.compile(r"^/bank_accounts/\d+")


def vendor_name(error: errors.FieldError) -> str:
    """The vendor's name for the field or parameter a canonical error is about."""
    if error.parameter is not None:
        return error.parameter
    pointer = _LIST_INDEX.sub("/bank_accounts", error.pointer or "")
    return vendor_field_for(pointer, CANONICAL_TO_VENDOR)  # "" for the body, as ASP.NET


def model_state(failure: errors.ValidationFailed) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for error in failure.errors:
        state.setdefault(vendor_name(error), []).append(error.detail)
    return state


def render_error(error: Exception, request: Request) -> Response:
    """Any failure as the vendor shows it; never a native problem body, never a trace."""
    if isinstance(error, errors.CounterpartyError):
        status = status_for(error, STATUS_OVERRIDES)
        message = error.detail
    else:
        status, message = 500, FIXED_MESSAGES[500]
    headers: dict[str, str] = {}
    body: dict[str, object] = {"Message": message}
    if isinstance(error, errors.ValidationFailed):
        body = {"Message": FIXED_MESSAGES[400], "ModelState": model_state(error)}
    elif isinstance(error, errors.Unauthenticated):
        body = {"Message": FIXED_MESSAGES[401]}
        headers["WWW-Authenticate"] = 'Bearer realm="idoklad"'
    elif isinstance(error, errors.UnsupportedMediaType):
        body["Message"] = (
            f"The request entity's media type '{request_media(request)}' is not supported "
            "for this resource. Send application/json."
        )
    return json_response(body, status=status, headers=headers)


def request_media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip() or "none"
