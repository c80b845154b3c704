"""ASP.NET Web API conventions, for the vendors built on it (WACS, iDoklad).

- Routing: paths match without regard to case (and with a trailing slash); an unknown path is a
  404 and a known path with another method a 405, both in the `{"Message"}` shape. The
  fallback routes are derived from the dialect's own operations.
- Json.NET member binding: members match without regard to case, members the model lacks are
  ignored; with `coerce` (Json.NET's defaults) numbers bind to strings, "true"/"false" to
  booleans and numeric strings to integers. Integers are .NET Int32 unless the row says.
- Errors: `{"Message": "..."}`; a validation failure is 400 `{"Message": "The request is
  invalid.", "ModelState": {key: [messages]}}` in DataAnnotations' wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.dialects.aspnet_routing import RouteMethodNotAllowed
from counterparty.dialects.checking import (
    PATTERN,
    RANGE,
    REQUIRED,
    TOO_LONG,
    check,
    has_type,
    word,
)
from counterparty.dialects.fields import VendorField, Verb, vendor_name
from counterparty.dialects.openapi import error_schema
from counterparty.errors import FieldError, ValidationFailed
from counterparty.web.http import JSON, json_response, media_type
from counterparty.web.statuses import status_for

JSON_TYPES = (JSON, "text/json")  # ASP.NET's JSON formatter reads both
INVALID = "The request is invalid."
DENIED = "Authorization has been denied for this request."
FAILED = "An error has occurred."
# Json.NET's conversions, as patterns (published in the documents of dialects that coerce).
NUMERIC_TEXT = r"\s*-?[0-9]{1,9}\s*"  # numeric text an Int32 always holds
BOOLEAN_TEXT = r"\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*"
BLANK_TEXT = r"\s*"  # "" for a nullable value type: null
WHOLE_TEXT = 10**17 - 1  # the largest whole number bound to text (a JSON number holds it)
ERROR_SCHEMA = error_schema("Message", "ModelState")  # HttpError


def invalid(key: str, message: str, code: str = "invalid") -> ValidationFailed:
    """A ModelState error; `key` is its ModelState key ("contact.Bic", "id", "page")."""
    return ValidationFailed(message, errors=[FieldError(code, message, parameter=key)])


# --- Json.NET binding ---------------------------------------------------------------------


class _Unbindable(ValueError):
    pass


def _coerced(row: VendorField, value: Any) -> Any:
    """Json.NET's default conversions of a JSON value to the row's .NET type: whole numbers
    to text, "true"/"false" to booleans, numeric text to integers, "" to null for a nullable
    value type."""
    kind = row.type
    if kind != "text" and isinstance(value, str) and not value.strip() and row.nullable:
        return None
    if kind == "text":
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON does not tell 1.0 from 1
        if (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or (isinstance(value, int) and abs(value) > WHOLE_TEXT)
        ):
            raise _Unbindable
        return str(value).strip() or None  # "" is "no value", as in the canonical model
    if kind == "boolean" and isinstance(value, str) and re.fullmatch(BOOLEAN_TEXT, value):
        return value.strip().lower() == "true"
    whole = (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and re.fullmatch(NUMERIC_TEXT, value) is not None
    )
    if kind == "integer" and whole:
        value = int(value)
    if kind == "list" and isinstance(value, list):
        item = VendorField(row.name, row.items or "text", row.canonical, bits=row.bits,
                           nullable=False)  # fmt: skip
        return [_coerced(item, each) for each in value]
    if kind in ("date", "datetime") and isinstance(value, str) and has_type(row, value):
        moment = datetime.fromisoformat(value.strip())
        if kind == "date":
            return moment.date().isoformat()  # the date as written, never shifted
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
    if not has_type(row, value):
        raise _Unbindable
    return value


SHOWN_CHARACTERS = 100  # of a value a message repeats


def _not_valid(raw: Any, name: str) -> str:
    """Model binding's message, repeating a scalar value as ASP.NET does (cut short). An array
    or object is not repeated: its text may be as long as the body and nested deeper than
    Python's repr can follow."""
    if isinstance(raw, list | dict):
        return f"The value is not valid for {name}."
    text = str(raw)
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + "…"
    return f"The value '{text}' is not valid for {name}."


def bind(
    body: Mapping[str, Any], table: Sequence[VendorField], *, coerce: bool, prefix: str = ""
) -> tuple[dict[str, Any], list[FieldError]]:
    """The members of `body` the model has, by the table's spelling, and the values that do not
    convert to their type (errors keyed by ModelState key: `prefix` + member)."""
    rows = {row.name.casefold(): row for row in table if not row.read_only}
    values: dict[str, Any] = {}
    problems: list[FieldError] = []
    for member, raw in body.items():
        row = rows.get(member.casefold())
        if row is None:
            continue
        if raw is None or not coerce:
            whole = row.type == "integer" and isinstance(raw, float) and raw.is_integer()
            values[row.name] = int(raw) if whole else raw  # JSON does not tell 24.0 from 24
            continue
        try:
            values[row.name] = _coerced(row, raw)
        except _Unbindable:
            message = _not_valid(raw, row.name)
            problems.append(FieldError("invalid", message, parameter=prefix + row.name))
    return values, problems


ANNOTATIONS = {  # DataAnnotations' wording
    REQUIRED: "The {path} field is required.",
    TOO_LONG: "The field {name} must be a string with a maximum length of {max_length}.",
    PATTERN: "The field {name} must match the regular expression '{pattern}'.",
    RANGE: "The field {name} must be between {low} and {high}.",
    "type_text": "The field {path} must be a string.",
    "type_boolean": "The field {path} must be true or false.",
    "type_decimal": "The field {path} must be a number.",
    "type": "The field {path} must be an integer.",
}


def checked(
    table: Sequence[VendorField],
    values: Mapping[str, Any],
    verb: Verb,
    prefix: str = "",
    messages: Mapping[tuple[str, str], str] | None = None,
) -> list[FieldError]:
    """The shared checker's problems as ModelState errors; `messages` by (member, code) word
    the attributes a pattern stands for (EmailAddress, Phone)."""
    return [
        FieldError(
            problem.code,
            (messages or {}).get((problem.name, problem.code)) or word(problem, ANNOTATIONS),
            parameter=prefix + problem.name,
        )
        for problem in check(tuple(table), values, verb)
    ]


def read_model(
    body: Any,
    table: Sequence[VendorField],
    verb: Verb,
    *,
    messages: Mapping[tuple[str, str], str] | None = None,
    zero_is_none: bool = False,
) -> dict[str, Any]:
    """A request body bound to the model `table` describes, as Json.NET binds it without its
    conversions (a value of the wrong JSON type is refused), and checked as DataAnnotations
    check it; a nested object's members bind and check the same way, their ModelState keys
    dotted. With `zero_is_none`, a number's 0 is no value: .NET clients send it for a value
    type they leave unset. Every broken rule is reported at once."""
    if not isinstance(body, Mapping):
        raise ValidationFailed(INVALID, errors=[FieldError(
            "invalid_type", "The body must be a JSON object.", parameter="")])  # fmt: skip
    values, problems = _model(body, table, verb, "", messages, zero_is_none)
    if problems:
        raise ValidationFailed(f"{problems[0].parameter}: {problems[0].detail}", errors=problems)
    return values


def _model(
    body: Mapping[str, Any],
    table: Sequence[VendorField],
    verb: Verb,
    prefix: str,
    messages: Mapping[tuple[str, str], str] | None,
    zero_is_none: bool,
) -> tuple[dict[str, Any], list[FieldError]]:
    values, problems = bind(body, table, coerce=False, prefix=prefix)
    nested: list[FieldError] = []
    for row in table:
        value, key = values.get(row.name), prefix + row.name
        if zero_is_none and row.type in ("integer", "decimal") and _is_zero(value):
            values[row.name] = None
        elif row.type == "object" and isinstance(value, Mapping):
            values[row.name], inner = _model(
                value, row.members, verb, f"{key}.", messages, zero_is_none
            )
            nested += inner
        elif row.type == "object" and value is not None:
            message = f"The field {key} must be an object."
            nested.append(FieldError("invalid_type", message, parameter=key))
    scalars = tuple(row for row in table if row.type != "object")
    # A nested member's [Required] message names it by its ModelState key.
    required = {(row.name, REQUIRED): ANNOTATIONS[REQUIRED].format(path=prefix + row.name)
                for row in scalars}  # fmt: skip
    worded = {**required, **(messages or {})}
    return values, problems + checked(scalars, values, verb, prefix, worded) + nested


def _is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def blank_widened(row: VendorField, schema: dict[str, Any]) -> dict[str, Any]:
    """A request member whose blank text means "no value", even where a pattern applies."""
    if row.type == "text" and row.pattern and not row.required:
        return {"anyOf": [schema, {"type": "string", "pattern": f"^{BLANK_TEXT}$"}]}
    return schema


def refuse(problems: Sequence[FieldError]) -> None:
    if problems:
        raise ValidationFailed(problems[0].detail, errors=list(problems))


# --- errors -------------------------------------------------------------------------------


def model_state(
    failure: ValidationFailed, names: Mapping[str, str], body_key: str
) -> dict[str, list[str]]:
    """ModelState: the dialect's own errors under their key, canonical errors under the vendor
    name the table's inverse gives (the body's key when none)."""
    state: dict[str, list[str]] = {}
    for item in failure.errors:
        key = item.parameter
        if key is None:
            name = vendor_name(item.pointer, names) if item.pointer else ""
            key = name if name in names.values() else body_key
        state.setdefault(key, []).append(item.detail)
    return state


# ASP.NET answers invalid content with 400; and Web API has no preconditions of its own, so a
# version conflict is the 409 its vendors document for conflicts, never a 412.
STATUS_OVERRIDES: Mapping[type[errors.CounterpartyError], int] = {
    ValidationFailed: 400,
    errors.MalformedRequest: 400,
    errors.PreconditionFailed: 409,
}


def render_error(
    error: Exception,
    request: Request,
    names: Mapping[str, str],
    *,
    body_key: str = "",
    realm: str = "counterparty",
    describe: Callable[[Exception], str | None] = lambda _: None,
) -> Response:
    """Any failure as ASP.NET Web API shows it; `describe` may word a vendor's own message."""
    status = status_for(error, STATUS_OVERRIDES)
    headers: dict[str, str] = {}
    body: dict[str, Any]
    if isinstance(error, ValidationFailed):
        body = {"Message": INVALID, "ModelState": model_state(error, names, body_key)}
    elif isinstance(error, errors.MalformedRequest):
        body = {"Message": INVALID, "ModelState": {body_key: [error.detail]}}
    elif isinstance(error, errors.Unauthenticated):
        body = {"Message": DENIED}
        headers["WWW-Authenticate"] = f'Bearer realm="{realm}"'
    elif isinstance(error, errors.UnsupportedMediaType):
        shown = media_type(request) or "(none)"
        body = {"Message": f"The request entity's media type '{shown}' is not supported for "
                f"this resource; send {' or '.join(error.accepted)}."}  # fmt: skip
    elif isinstance(error, errors.PayloadTooLarge):
        body = {"Message": f"The request body may be at most {error.limit_bytes} bytes."}
    elif isinstance(error, errors.DuplicateValue) and error.pointer.startswith("/"):
        shown = vendor_name(error.pointer, names).removeprefix(body_key + ".")
        body = {"Message": f"The value of {shown} is already used by another contact."}
    elif isinstance(error, errors.CounterpartyError):
        body = {"Message": describe(error) or error.detail}
    else:
        status, body = 500, {"Message": FAILED}  # routing.bind has logged it
    if isinstance(error, RouteMethodNotAllowed):
        headers["Allow"] = ", ".join(error.allowed)
    return json_response(body, status=status, headers=headers)


def coerced_schema(row: VendorField, schema: dict[str, Any]) -> dict[str, Any]:
    """A request member's schema widened by the conversions `bind(coerce=True)` makes."""
    more: list[dict[str, Any]] = []
    if row.type == "text" and row.pattern is None:
        length = row.max_length or 18
        low, high = (-(10 ** (length - 1) - 1), 10**length - 1) if length < 18 else (
            -WHOLE_TEXT, WHOLE_TEXT)  # fmt: skip
        more.append({"type": "integer", "minimum": low, "maximum": high})
    if row.type == "boolean":
        more.append({"type": "string", "pattern": f"^{BOOLEAN_TEXT}$"})
    if row.type == "integer":
        more.append({"type": "string", "pattern": f"^{NUMERIC_TEXT}$"})
    value_type = row.type not in ("text", "list", "object")
    blank_is_null = (value_type and row.nullable) or (row.type == "text" and bool(row.pattern))
    if blank_is_null and not row.required:  # trimmed, "" is no value: even a pattern's text
        more.append({"type": "string", "pattern": f"^{BLANK_TEXT}$"})
    return {"anyOf": [schema, *more]} if more else schema
