"""A checked Muhasip body -> a canonical document (create) or merge patch (PUT), driven by
the tables in mapping.py, plus where each canonical path came from (for error messages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from counterparty.dialects.base import set_path, vendor_field_for
from counterparty.dialects.muhasip.mapping import (
    BOOL,
    CONTACT_FIELDS,
    COUNTRY,
    IBAN,
    IBANS,
    KIND,
    PEOPLE,
    PERSON_FIELDS,
    STRING_KINDS,
    VARIABLES,
    canonical_form,
    custom_key,
)
from counterparty.domain.contact import Contact
from counterparty.domain.ids import new_id
from counterparty.domain.validation import json_pointer
from counterparty.errors import FieldError, ValidationFailed

NAMESPACE = "muhasip"
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


def summary(errors: list[FieldError]) -> str:
    first = errors[0]
    where = (first.pointer or "")[1:].replace("/", ".") or first.parameter or "body"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.detail}{more}"


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
