"""Errors as RFC 9457 problem details, with the status `web/statuses.py` gives each error."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.web.http import json_response
from counterparty.web.statuses import STATUS_BY_ERROR, status_and_title

__all__ = ["PROBLEM_BASE", "PROBLEM_JSON", "STATUS_BY_ERROR", "Problem", "problem_response"]

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"


class ProblemFieldError(BaseModel):
    code: str
    detail: str
    pointer: str | None = None
    parameter: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is the stable machine-readable name of `type`."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[ProblemFieldError] | None = None


def problem_body(error: Exception, request: Request) -> tuple[int, dict[str, Any]]:
    status, title = status_and_title(error)
    if isinstance(error, errors.CounterpartyError):
        code, detail = error.code, error.detail
    else:
        code = "internal_error"
        detail = "the service failed unexpectedly; the request id identifies it in our logs"
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        "request_id": request.scope.get("state", {}).get("request_id"),
    }
    if isinstance(error, errors.ValidationFailed):
        body["errors"] = [
            {key: value for key, value in vars(item).items() if value is not None}
            for item in error.errors
        ]
    if isinstance(error, errors.CounterpartyError):
        body.update(error.extra())
    return status, body


def problem_response(error: Exception, request: Request) -> Response:
    status, body = problem_body(error, request)
    headers = {}
    if isinstance(error, errors.Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="counterparty"'
    if isinstance(error, errors.UnsupportedMediaType) and request.method == "PATCH":
        headers["Accept-Patch"] = ", ".join(error.accepted)
    return json_response(body, status=status, headers=headers, media=PROBLEM_JSON)
