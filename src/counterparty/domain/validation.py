"""Turn a client document into a validated contact, or into field errors with JSON pointers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from counterparty.domain.contact import READ_ONLY_FIELDS, WRITABLE_FIELDS, ContactInput
from counterparty.domain.documents import trusted
from counterparty.errors import FieldError, ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)

# pydantic's error types, folded into the few stable codes our clients switch on.
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "too_long": "too_many_items",
    "too_short": "too_few_items",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "string_pattern_mismatch": "invalid_format",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "decimal_max_places": "too_many_decimals",
    "decimal_max_digits": "out_of_range",
    "decimal_whole_digits": "out_of_range",
}


def json_pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 pointer for a path of member names and list indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _code(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in _CODES:
        return _CODES[kind]
    if kind.endswith("_type") or kind in {"model_attributes_type", "dict_type", "list_type"}:
        return "invalid_type"
    if kind.endswith("_parsing") or kind.endswith("_from_datetime_inexact"):
        return "invalid_format"
    return kind


def field_errors(error: ValidationError, prefix: Iterable[str | int] = ()) -> list[FieldError]:
    found: list[FieldError] = []
    for detail in error.errors(include_url=False):
        path = [part for part in detail["loc"] if part != "[key]"]
        context = detail.get("ctx") or {}
        if not path and "field" in context:
            path = [context["field"]]
        path += context.get("below", [])
        found.append(
            FieldError(
                code=_code(detail),
                detail=detail["msg"],
                pointer=json_pointer([*prefix, *path]),
            )
        )
    return found


def read_only_errors(document: Mapping[str, Any], allowed: Iterable[str] = ()) -> list[FieldError]:
    """Read-only members in a body are errors: the client believes it can change them."""
    forbidden = READ_ONLY_FIELDS - set(allowed)
    return [
        FieldError(
            code="read_only",
            detail=f"'{name}' is set by the service and cannot be written",
            pointer=json_pointer([name]),
        )
        for name in document
        if name in forbidden
    ]


def validated(model: type[ModelT], document: Any) -> ModelT:
    """`document` as `model`, or a ValidationFailed naming every problem."""
    if not isinstance(document, Mapping):
        raise ValidationFailed(
            "the body must be a JSON object",
            errors=[FieldError("invalid_type", "expected a JSON object", pointer="")],
        )
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors) from None


def validate_document(
    model: type[ModelT], document: Any, allowed_read_only: Iterable[str] = ()
) -> ModelT:
    """Validate a whole contact document; every problem is reported at once."""
    if not isinstance(document, Mapping):
        raise ValidationFailed(
            "the body must be a JSON object",
            errors=[FieldError("invalid_type", "expected a JSON object", pointer="")],
        )
    errors = read_only_errors(document, allowed_read_only)
    writable = {
        key: value
        for key, value in document.items()
        if key not in READ_ONLY_FIELDS or key in set(allowed_read_only)
    }
    try:
        validated = model.model_validate(writable)
    except ValidationError as exc:
        errors.extend(field_errors(exc))
    if errors:
        raise ValidationFailed(_summary(errors), errors=errors)
    return validated


def validate_changes(
    current: ContactInput, current_document: Mapping[str, Any], wanted: Mapping[str, Any]
) -> ContactInput:
    """Validate a changed contact document by validating only the members that differ from
    the current (valid) contact, and then the rules that span members. The result, and every
    error report, is what `validate_document(ContactInput, wanted)` gives: anything out of
    the ordinary (a member removed or unknown, an invalid value) is validated in full."""
    if not isinstance(wanted, Mapping) or wanted.keys() != current_document.keys():
        return validate_document(ContactInput, wanted)
    changed = [name for name, value in wanted.items() if current_document[name] != value]
    candidate = trusted(ContactInput, {name: getattr(current, name) for name in WRITABLE_FIELDS})
    validator = ContactInput.__pydantic_validator__
    try:
        for name in changed:
            validator.validate_assignment(candidate, name, wanted[name])
    except ValidationError:
        return validate_document(ContactInput, wanted)
    return candidate


def _summary(errors: list[FieldError]) -> str:
    first = errors[0]
    where = first.pointer or first.parameter or "the body"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.detail}{more}"


__all__ = [
    "WRITABLE_FIELDS",
    "field_errors",
    "json_pointer",
    "validate_changes",
    "validate_document",
]
