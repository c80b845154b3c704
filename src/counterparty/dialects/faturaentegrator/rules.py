"""The vendor's own validation, with Laravel's messages, before any service is called.

Types and formats are checked on the values a request sends; the create-time required rules
(seed-apis.md, Fatura Entegratör "Fields") on a create and on a PUT, which sends the whole
record. A PATCH validates what it sends ("Tüm alanlar isteğe bağlıdır": every field is
optional). "" and null both mean "no value" (Laravel's ConvertEmptyStringsToNull) and strings
are trimmed (TrimStrings). Members the vendor does not
document are ignored, as Laravel's `validated()` ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from counterparty.dialects.faturaentegrator.fields import FIELD_NAMES, FIELDS, VendorRecord
from counterparty.domain.fields import FieldProblem, country_code_for, normalize_email
from counterparty.errors import ValidationFailed

TYPES = ("person", "company")
TAX_NUMBER = re.compile(r"^[0-9]{10,11}$")
Messages = dict[str, list[str]]


@dataclass
class InvalidInput(ValidationFailed):
    """A vendor-level validation failure; `messages` are keyed by vendor field already."""

    messages: Messages = field(default_factory=dict)


def label(name: str) -> str:
    """How Laravel names an attribute in a message: "tax_number" -> "tax number"."""
    return name.replace("_", " ")


def validated(
    body: Any, stored: VendorRecord | None, complete: bool = False
) -> tuple[VendorRecord, VendorRecord]:
    """(changes, merged): the vendor fields the body writes and the record after the write.

    `stored` is the current record (None on create). With `complete`, fields the body leaves
    out are written as no value and the required rules apply (a create or a PUT); without, only
    what the body sends is checked (a PATCH). Raises InvalidInput with every problem found.
    """
    if not isinstance(body, Mapping):
        message = "The request body must be a JSON object."
        raise InvalidInput(message, messages={"body": [message]})
    messages: Messages = {}
    changes: VendorRecord = dict.fromkeys(FIELD_NAMES) if complete else {}
    for name in FIELD_NAMES:
        if name not in body:
            continue
        raw = body[name]
        if raw is not None and not isinstance(raw, str):
            messages[name] = [f"The {label(name)} field must be a string."]
            continue
        changes[name] = (raw or "").strip() or None
    _check_formats(changes, messages)
    merged: VendorRecord = {**(stored or dict.fromkeys(FIELD_NAMES)), **changes}
    if complete:
        _check_required(merged, messages)
    if messages:
        ordered = {name: messages[name] for name in FIELD_NAMES if name in messages}
        raise InvalidInput(summary(ordered), messages=ordered)
    return changes, merged


def _check_formats(values: VendorRecord, messages: Messages) -> None:
    for rule in FIELDS:
        value = values.get(rule.name)
        if value is None or rule.name in messages:
            continue
        problem = _format_problem(rule.name, value)
        if problem is None and len(value) > rule.max_length:
            problem = (
                f"The {label(rule.name)} field must not be greater than "
                f"{rule.max_length} characters."
            )
        if problem is not None:
            messages[rule.name] = [problem]


def _format_problem(name: str, value: str) -> str | None:
    if name == "type" and value not in TYPES:
        return "The selected type is invalid."
    if name == "tax_number" and not TAX_NUMBER.match(value):
        return "The tax number field must be between 10 and 11 digits."
    if name == "country" and country_code_for(value) is None:
        return "The selected country is invalid."
    if name == "email":
        try:
            normalize_email(value)
        except FieldProblem:
            return "The email field must be a valid email address."
    return None


def _check_required(merged: VendorRecord, messages: Messages) -> None:
    kind = merged.get("type")
    for rule in FIELDS:
        if merged.get(rule.name) is not None or rule.name in messages:
            continue
        if rule.required == "always":
            messages[rule.name] = [f"The {label(rule.name)} field is required."]
        elif rule.required and rule.required == kind:
            messages[rule.name] = [f"The {label(rule.name)} field is required when type is {kind}."]


def summary(messages: Messages) -> str:
    """Laravel's top-level message: the first error, and how many more there are."""
    count = sum(len(found) for found in messages.values())
    first = next(iter(messages.values()))[0] if messages else "The given data was invalid."
    if count <= 1:
        return first
    more = count - 1
    return f"{first} (and {more} more error{'s' if more > 1 else ''})"
