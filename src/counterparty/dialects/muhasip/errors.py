"""Every failure in Muhasip's envelope: `{"status": false, "message", "code"}`, and `errors`
(`{"field", "code", "message"}`, fields named as Muhasip names them) for field problems."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.web.http import json_response
from counterparty.web.state import request_id
from counterparty.web.statuses import status_for

# Muhasip reports invalid content as 400.
STATUS_OVERRIDES: dict[type[errors.CounterpartyError], int] = {errors.ValidationFailed: 400}


def summary(problems: list[errors.FieldError]) -> str:
    first = problems[0]
    where = (first.pointer or "")[1:].replace("/", ".") or first.parameter or "body"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {first.detail}{more}"


def render_error(error: Exception, request: Request) -> Response:
    """{"status": false, "message": ...} (+ `code`, and `errors` for field problems)."""
    if not isinstance(error, errors.CounterpartyError):
        message = f"internal error; request id {request_id(request)}"
        return json_response({"status": False, "message": message, "code": "internal_error"}, 500)
    status = status_for(error, STATUS_OVERRIDES)
    body: dict[str, Any] = {"status": False, "message": error.detail, "code": error.code}
    if isinstance(error, errors.ValidationFailed):
        body["errors"] = [_field_error(item) for item in error.errors]
    headers = {}
    if isinstance(error, errors.Unauthenticated):
        headers["WWW-Authenticate"] = 'Basic realm="muhasip", charset="UTF-8"'
    return json_response(body, status, headers)


def _field_error(item: errors.FieldError) -> dict[str, Any]:
    where = item.parameter or (item.pointer or "")[1:].replace("/", ".")
    return {"field": where or None, "code": item.code, "message": item.detail}
