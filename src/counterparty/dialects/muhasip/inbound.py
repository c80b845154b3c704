"""A Muhasip body -> checked (types, required members, lengths, in Muhasip's names) -> a
canonical document (create) or merge patch (PUT), driven by the tables in table.py, plus
where each canonical path came from (for error messages)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from uuid import UUID

from counterparty.dialects.base import set_path, vendor_field_for
from counterparty.dialects.muhasip.errors import summary
from counterparty.dialects.muhasip.table import (
    BOOL,
    CONTACT_FIELDS,
    COUNTRY,
    EMAIL,
    IBAN,
    IBAN_TEXT_LIMIT,
    IBANS,
    KIND,
    NAMESPACE,
    PEOPLE,
    PERSON_FIELDS,
    PHONE,
    READ_ONLY,
    STRING_KINDS,
    TAX_ID,
    VARIABLE_LIMITS,
    VARIABLES,
    VendorField,
)
from counterparty.domain import identifiers
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for
from counterparty.domain.ids import new_id
from counterparty.domain.text import fold
from counterparty.domain.validation import json_pointer
from counterparty.errors import FieldError, ValidationFailed

# canonical path -> Muhasip path, for errors the canonical model reports
CANONICAL_TO_VENDOR = {spec.canonical: spec.name for spec in CONTACT_FIELDS}


@dataclass
class Translation:
    """The canonical paths the Muhasip view covers, with values from one request body."""

    document: dict[str, Any] = field(default_factory=dict)
    extension: dict[str, Any] = field(default_factory=dict)  # extensions.muhasip
    vendor_names: dict[str, str] = field(default_factory=lambda: dict(CANONICAL_TO_VENDOR))

    def given(self, path: str, text: str, canonical: str | None) -> None:
        if canonical != text:
            self.extension.setdefault("asGiven", {})[path] = text

    def vendor_errors(self, error: ValidationFailed) -> ValidationFailed:
        """The canonical model's field errors, with Muhasip's member names."""
        errors = [
            FieldError(item.code, item.detail, pointer=self.vendor_pointer(item.pointer))
            if item.pointer is not None
            else item
            for item in error.errors
        ]
        return ValidationFailed(summary(errors) if errors else error.detail, errors=errors)

    def vendor_pointer(self, pointer: str) -> str:
        if pointer == "" or pointer.startswith("/extensions"):
            return ""
        return json_pointer(vendor_field_for(pointer, self.vendor_names).split("."))


def translate(body: Mapping[str, Any], current: Contact | None) -> Translation:
    """The Muhasip view of a checked body; `current` is the contact a PUT replaces."""
    out = Translation()
    countries = body.get("countries")
    region = canonical_form(COUNTRY, countries, None) if isinstance(countries, str) else None
    for spec in CONTACT_FIELDS:
        value = body.get(spec.name)
        if spec.kind in STRING_KINDS:
            converted: Any = _string(out, spec.name, spec.kind, value, region)
        elif spec.kind == BOOL:
            converted = spec.default if value is None else value
        elif spec.kind == KIND:
            converted = "person" if (spec.default if value is None else value) else "company"
        elif spec.kind == IBANS:
            converted = _bank_accounts(out, value or [], current)
        elif spec.kind == PEOPLE:
            converted = _people(out, value or [], current, region)
        else:
            converted = _variables(out, value or [], spec.name, spec.canonical, "variables")
        set_path(out.document, spec.canonical, converted)
    return out


def creation_document(out: Translation) -> dict[str, Any]:
    document = dict(out.document)
    if document.get("archived") is None:
        document["archived"] = False
    document["extensions"] = {NAMESPACE: out.extension} if out.extension else {}
    return document


def replacement_patch(out: Translation, current: Contact) -> dict[str, Any]:
    """A merge patch that resets the Muhasip view and nothing else (tags, notes, is_supplier,
    other dialects' extensions... survive)."""
    patch = dict(out.document)
    if patch.get("archived") is None:
        patch.pop("archived", None)
    wanted = patch["custom_fields"]
    patch["custom_fields"] = {key: None for key in current.custom_fields if key not in wanted}
    patch["custom_fields"].update(wanted)
    previous = current.extensions.get(NAMESPACE)
    patch["extensions"] = {NAMESPACE: _replacing(previous, out.extension) or None}
    return patch


def _replacing(old: Any, new: Any) -> Any:
    """A merge patch turning `old` into `new` (members of `old` that `new` lacks -> null)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    patch: dict[str, Any] = {key: None for key in old if key not in new}
    patch.update({key: _replacing(old.get(key), value) for key, value in new.items()})
    return patch


def _string(out: Translation, path: str, kind: str, value: Any, region: str | None) -> Any:
    if value is None:
        return None
    canonical = canonical_form(kind, value, region)
    out.given(path, value, canonical)
    # countries go in as the ISO code; everything else as typed, for the core to normalise
    return canonical if kind == COUNTRY or canonical is None else value


def _bank_accounts(
    out: Translation, ibans: list[str], current: Contact | None
) -> list[dict[str, Any]]:
    """One account per IBAN; an existing account with that IBAN keeps its id, BIC, bank name,
    currency and default flag. Accounts without an IBAN are outside Muhasip's view: kept."""
    existing = {a.iban: a for a in current.bank_accounts if a.iban} if current else {}
    accounts: list[dict[str, Any]] = []
    for index, raw in enumerate(ibans):
        iban = canonical_form(IBAN, raw, None)
        out.given(f"ibans.{index}", raw, iban)
        out.vendor_names[f"bank_accounts.{index}"] = f"ibans.{index}"
        kept = existing.pop(iban, None) if iban else None
        # compact: the canonical length limit (34) applies to what is sent
        accounts.append(kept.model_dump(mode="json") if kept else {"iban": iban})
    others = current.bank_accounts if current else []
    result = accounts + [a.model_dump(mode="json") for a in others if not a.iban]
    if result and not any(account.get("is_default") for account in result):
        # Muhasip's first IBAN is the one a single-account view (WACS, iDoklad) should show.
        result[0] = {**result[0], "is_default": True}
    return result


def _people(
    out: Translation, items: list[Mapping[str, Any]], current: Contact | None, region: str | None
) -> list[dict[str, Any]]:
    """Persons are matched by `_id`: a known one keeps its canonical-only fields (first and
    last name, mobile, notes); an `_id` that is not a UUID (a Muhasip ObjectId) is new."""
    existing = {person.id: person for person in current.contact_persons} if current else {}
    people: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        person_id = _uuid(item.get("_id")) or new_id()
        known = existing.get(person_id)
        person = known.model_dump(mode="json") if known else {}
        person["id"] = str(person_id)
        at, canonical_at = f"contactPeoples.{index}", f"contact_persons.{index}"
        out.vendor_names[canonical_at] = at
        for spec in PERSON_FIELDS:
            out.vendor_names[f"{canonical_at}.{spec.canonical}"] = f"{at}.{spec.name}"
            value = item.get(spec.name)
            if spec.kind == VARIABLES:
                person[spec.canonical] = _variables(
                    out, value or [], f"{at}.{spec.name}", f"{canonical_at}.{spec.canonical}",
                    "peopleVariables", str(person_id),
                )  # fmt: skip
            else:
                person[spec.canonical] = _string(out, f"{at}.{spec.name}", spec.kind, value, region)
        people.append(person)
    return people


def _variables(
    out: Translation,
    items: list[Mapping[str, Any]],
    at: str,
    canonical_at: str,
    layout_name: str,
    owner: str | None = None,
) -> dict[str, Any]:
    """[{key, value, title?}] -> custom_fields; key order, original keys and titles are kept
    in extensions.muhasip (`layout_name`, per person when `owner` is set)."""
    values: dict[str, Any] = {}
    layout: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        key = item["key"]
        entry: dict[str, Any] = {"key": key, "field": custom_key(key)}
        if "title" in item:
            entry["title"] = item["title"]
        if item.get("value") is None:
            entry["null"] = True  # a merge patch cannot store a null member: remember it
        values[entry["field"]] = item.get("value")
        layout.append(entry)
        out.vendor_names[f"{canonical_at}.{entry['field']}"] = f"{at}.{index}"
    if layout and owner is None:
        out.extension[layout_name] = layout
    elif layout and owner is not None:
        out.extension.setdefault(layout_name, {})[owner] = layout
    return values


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def canonical_form(kind: str, text: str, region: str | None) -> str | None:
    """How the canonical model stores a vendor string ("" is null; identifiers in the compact
    form the lenient policy stores, by the normalisers the core itself uses)."""
    text = text.strip()
    if not text:
        return None
    if kind == COUNTRY:
        return country_code_for(text)
    normalizer = _NORMALIZERS.get(kind)
    return normalizer(text, region).compact if normalizer else text


_NORMALIZERS: Final[dict[str, Callable[[str, str | None], identifiers.Result]]] = {
    PHONE: identifiers.normalize_phone,
    EMAIL: lambda text, _: identifiers.normalize_email(text),
    TAX_ID: identifiers.normalize_tax_id,
    IBAN: lambda text, _: identifiers.normalize_iban(text),
}


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def custom_key(key: str) -> str:
    """The canonical custom-field key for a variable key: "crmID" -> "crm_id"."""
    snake = _NOT_KEY.sub("_", fold(_CAMEL.sub("_", key.strip()))).strip("_")
    if not snake or snake[0] not in string.ascii_lowercase:
        snake = f"v_{snake}".rstrip("_")
    return snake[:40].rstrip("_")


# --- the vendor-level check: types, required members, lengths, in Muhasip's names ----------


def check_body(body: Any) -> list[FieldError]:
    if not isinstance(body, Mapping):
        return [FieldError("invalid_type", "the body must be a JSON object", pointer="")]
    known = {spec.name for spec in CONTACT_FIELDS} | READ_ONLY
    return _unknown(body, known, ()) + _check(body, CONTACT_FIELDS, ())


def _unknown(document: Mapping[str, Any], known: set[str], at: tuple[Any, ...]) -> list[FieldError]:
    return [
        FieldError(
            "unknown_field", f"'{name}' is not a member here", pointer=json_pointer([*at, name])
        )
        for name in document
        if name not in known
    ]


def _check(
    document: Mapping[str, Any], table: tuple[VendorField, ...], at: tuple[Any, ...]
) -> list[FieldError]:
    errors: list[FieldError] = []
    for spec in table:
        value, where = document.get(spec.name), (*at, spec.name)

        def fail(code: str, detail: str, *, where: tuple[Any, ...] = where) -> None:
            errors.append(FieldError(code, detail, pointer=json_pointer(where)))

        if value is None:
            if spec.required:
                fail("required", f"'{spec.name}' is required")
        elif spec.kind in STRING_KINDS:
            if not isinstance(value, str):
                fail("invalid_type", "expected a string")
            elif spec.limit is not None and len(value) > spec.limit:
                fail("too_long", f"at most {spec.limit} characters")
            elif spec.required and not value.strip():
                fail("required", f"'{spec.name}' may not be empty")
            elif spec.kind == COUNTRY and value.strip() and not country_code_for(value):
                fail("invalid_country", f"'{value}' is not a country name we know")
        elif spec.kind in (BOOL, KIND):
            if not isinstance(value, bool):
                fail("invalid_type", "expected true or false")
        elif not isinstance(value, list):
            fail("invalid_type", "expected a list")
        elif spec.limit is not None and len(value) > spec.limit:
            fail("too_many_items", f"at most {spec.limit} items")
        else:
            errors.extend(_ITEM_CHECKS[spec.kind](value, where))
    return errors


def _check_ibans(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    detail = f"an IBAN of 1 to {IBAN_TEXT_LIMIT} characters"
    return [
        FieldError("invalid_type", detail, pointer=json_pointer([*at, index]))
        for index, item in enumerate(items)
        if not isinstance(item, str) or not item.strip() or len(item) > IBAN_TEXT_LIMIT
    ]


def _check_people(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    known = {spec.name for spec in PERSON_FIELDS} | {"_id"}
    for index, item in enumerate(items):
        where = (*at, index)
        if not isinstance(item, Mapping):
            errors.append(FieldError("invalid_type", "expected an object", json_pointer(where)))
            continue
        errors += _unknown(item, known, where) + _check(item, PERSON_FIELDS, where)
        if item.get("_id") is not None and not isinstance(item["_id"], str):
            errors.append(
                FieldError("invalid_type", "expected a string", json_pointer([*where, "_id"]))
            )
    return errors


def _check_variables(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = (*at, index)

        def fail(member: str, code: str, detail: str, *, where: tuple[Any, ...] = where) -> None:
            errors.append(FieldError(code, detail, pointer=json_pointer([*where, member])))

        if not isinstance(item, Mapping):
            errors.append(FieldError("invalid_type", "expected an object", json_pointer(where)))
            continue
        errors.extend(_unknown(item, set(VARIABLE_LIMITS), where))
        key, title, value = item.get("key"), item.get("title"), item.get("value")
        if not isinstance(key, str) or not key.strip():
            fail("key", "required", "a variable needs a key (a non-empty string)")
        elif len(key) > VARIABLE_LIMITS["key"]:
            fail("key", "too_long", f"at most {VARIABLE_LIMITS['key']} characters")
        elif custom_key(key) in seen:
            fail("key", "duplicate_key", f"another variable already has the key '{key}'")
        else:
            seen.add(custom_key(key))
        if title is not None and (
            not isinstance(title, str) or len(title) > VARIABLE_LIMITS["title"]
        ):
            fail(
                "title",
                "invalid_type",
                f"a string of at most {VARIABLE_LIMITS['title']} characters",
            )
        if isinstance(value, str) and len(value) > VARIABLE_LIMITS["value"]:
            fail("value", "too_long", f"at most {VARIABLE_LIMITS['value']} characters")
        elif value is not None and not isinstance(value, str | bool | int | float):
            fail("value", "invalid_type", "a string, a number, true, false or null")
    return errors


_ITEM_CHECKS = {IBANS: _check_ibans, PEOPLE: _check_people, VARIABLES: _check_variables}
