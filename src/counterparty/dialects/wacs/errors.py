"""Every failure in the shape of an ASP.NET Web API error (`HttpError`).

    400  {"Message": "The request is invalid.", "ModelState": {"contact.Bic": ["..."]}}
    other {"Message": "..."}

ModelState keys are ASP.NET's: the action parameter and the member, "contact.<Field>" for
the body (canonical errors are translated to the WACS field), "id" for the path, the query
parameter's name for the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.base import vendor_field_for
from counterparty.dialects.wacs.fields import BODY, model_state_keys
from counterparty.web.http import json_response, media_type

INVALID = "The request is invalid."
UNMATCHED = "wacs_unmatched"  # path parameter of the catch-all route (paths.py)
_MODEL_STATE_KEYS = model_state_keys()


@dataclass
class RouteMethodNotAllowed(errors.MethodNotAllowed):
    allowed: Sequence[str] = field(default=())


def model_state_key(item: errors.FieldError) -> str:
    if item.parameter:  # the dialect's own checks name the ModelState key directly
        return item.parameter
    pointer = re.sub(r"^/bank_accounts/\d+(?=/|$)", "/bank_accounts", item.pointer or "")
    return vendor_field_for(pointer, _MODEL_STATE_KEYS, fallback=BODY) if pointer else BODY


def _model_state(items: Sequence[errors.FieldError]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for item in items:
        state.setdefault(model_state_key(item), []).append(item.detail)
    return state


def _not_found(request: Request) -> str:
    if UNMATCHED in request.path_params:
        return f"No HTTP resource was found that matches the request URI '{request.url.path}'."
    if "id" in request.path_params:
        return f"No contact with ID {request.path_params['id']} was found."
    return "The requested contact was not found."


def _message(error: Exception, request: Request) -> tuple[int, dict[str, Any]]:
    if isinstance(error, errors.ValidationFailed):
        return 400, {"Message": INVALID, "ModelState": _model_state(error.errors)}
    if isinstance(error, errors.MalformedRequest):
        return 400, {"Message": INVALID, "ModelState": {BODY: [error.detail]}}
    if isinstance(error, errors.NotFound):
        return 404, {"Message": _not_found(request)}
    if isinstance(error, errors.Unauthenticated):
        return 401, {"Message": "Authorization has been denied for this request."}
    if isinstance(error, errors.UnsupportedMediaType):
        shown = media_type(request) or "(none)"
        return 415, {
            "Message": f"The request entity's media type '{shown}' is not supported for "
            f"this resource; send {' or '.join(error.accepted)}."
        }
    if isinstance(error, errors.PayloadTooLarge):
        return 413, {"Message": f"The request body may be at most {error.limit_bytes} bytes."}
    if isinstance(error, errors.MethodNotAllowed):
        return 405, {
            "Message": f"The requested resource does not support http method '{request.method}'."
        }
    if isinstance(error, errors.DuplicateValue):
        key = model_state_key(errors.FieldError("duplicate_value", "", pointer=error.pointer))
        shown = key.removeprefix(BODY + ".")
        return 409, {"Message": f"The value of {shown} is already used by another contact."}
    if isinstance(error, errors.ContactInUse):
        return 409, {"Message": error.detail}  # worded by the delete handler, with IDs
    if isinstance(error, errors.Conflict):
        return 409, {"Message": "The contact was changed at the same time; try again."}
    if isinstance(error, errors.TransientFailure):
        return 503, {"Message": "The service is busy; try again in a moment."}
    if isinstance(error, errors.CounterpartyError):
        return 400, {"Message": error.detail}
    return 500, {"Message": "An error has occurred."}  # routing.bind has logged it


def render_error(error: Exception, request: Request) -> Response:
    status, body = _message(error, request)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="counterparty"'
    if isinstance(error, RouteMethodNotAllowed):
        headers["Allow"] = ", ".join(error.allowed)
    return json_response(body, status=status, headers=headers)
