"""Every failure as an ASP.NET `HttpError`, ModelState keys "contact.<Field>" for the body."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects import aspnet
from counterparty.dialects.fields import vendor_names
from counterparty.dialects.wacs.table import BODY, TABLE

NAMES = vendor_names(TABLE, prefix=f"{BODY}.")
MESSAGES = {
    errors.Conflict: "The contact was changed at the same time; try again.",
    errors.TransientFailure: "The service is busy; try again in a moment.",
}


def _describe(error: Exception) -> str | None:
    if isinstance(error, errors.ContactInUse | errors.NotFound):
        return None  # worded by the handler
    return next((text for kind, text in MESSAGES.items() if isinstance(error, kind)), None)


def render_error(error: Exception, request: Request) -> Response:
    response = aspnet.render_error(error, request, NAMES, body_key=BODY, describe=_describe)
    return response
