"""Errors as iDoklad (ASP.NET Web API 2) shows them: ModelState keys are the vendor's member
names, dotted inside DefaultBankAccount; query parameters are named as sent."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from counterparty.dialects import aspnet
from counterparty.dialects.fields import vendor_names
from counterparty.dialects.idoklad.table import NAMESPACE, TABLE

NAMES = vendor_names(TABLE)


def render_error(error: Exception, request: Request) -> Response:
    return aspnet.render_error(error, request, NAMES, realm=NAMESPACE)
