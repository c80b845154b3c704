"""A Muhasip body -> checked (the shared checker, in Muhasip's names) -> a canonical document
(create) or merge patch (PUT): the table's rows copied, plus the rules it names (`person`,
`ibans`, `contactPeoples`, `variables`)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from uuid import UUID

from counterparty.dialects.base import Convert, to_canonical
from counterparty.dialects.fields import Rule, VendorField, vendor_name
from counterparty.dialects.muhasip.errors import summary
from counterparty.dialects.muhasip.table import NAMESPACE, PERSON, TABLE
from counterparty.dialects.typed import canonical_form
from counterparty.domain.contact import Contact
from counterparty.domain.ids import new_id
from counterparty.domain.merge_patch import merge_patch_between
from counterparty.domain.text import fold
from counterparty.domain.validation import json_pointer
from counterparty.errors import FieldError, ValidationFailed


def _inverse(rows: tuple[VendorField, ...]) -> dict[str, str]:
    """canonical path -> Muhasip member, one level (a list's items are named per item, by
    `translate`, as their indexes may differ)."""
    return {path: row.name for row in rows for path in row.paths}


WRITABLE: Final = tuple(row for row in TABLE if not row.read_only)
CANONICAL_TO_VENDOR: Final = _inverse(WRITABLE)  # for errors the canonical model reports
PERSON_COPIED: Final = tuple(row for row in PERSON if row.name != "_id")  # `_id` is matched


@dataclass
class Translation:
    """The canonical paths the Muhasip view covers, with values from one request body."""

    document: dict[str, Any] = field(default_factory=dict)
    extension: dict[str, Any] = field(default_factory=dict)  # extensions.muhasip
    vendor_names: dict[str, str] = field(default_factory=lambda: dict(CANONICAL_TO_VENDOR))
    region: str | None = None  # the country the body's phone numbers and tax ids are read in

    def given(self, path: str, text: str, canonical: str | None) -> None:
        if canonical != text:
            self.extension.setdefault("asGiven", {})[path] = text

    def copied(self, at: str = "") -> Convert:
        """A one-to-one row: text as typed (the core normalises it; a country goes in as its
        ISO code), other values as sent, or the row's default; `at` is the member's place."""

        def convert(row: VendorField, value: Any) -> Any:
            if row.type != "text":
                return row.default if value is None else value
            if value is None:
                return None
            canonical = canonical_form(row.format, value, self.region)
            self.given(at + row.name, value, canonical)
            return canonical if row.format == "country" or canonical is None else value

        return convert

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
        return json_pointer(vendor_name(pointer, self.vendor_names, indexes=True).split("."))


def translate(body: Mapping[str, Any], current: Contact | None) -> Translation:
    """The Muhasip view of a checked body; `current` is the contact a PUT replaces."""
    countries = body.get("countries")
    out = Translation(region=canonical_form("country", countries, None) if countries else None)
    out.document = to_canonical(WRITABLE, body, out.copied())
    for row in WRITABLE:
        if isinstance(row.canonical, Rule):
            out.document[row.paths[0]] = RULES[row.name](out, body.get(row.name), current)
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
    patch["custom_fields"] = merge_patch_between(current.custom_fields, patch["custom_fields"])
    previous = current.extensions.get(NAMESPACE)
    previous = previous if isinstance(previous, dict) else {}
    # a namespace that neither held nor now holds anything is not left behind, empty
    replaced = merge_patch_between(previous, out.extension) if previous or out.extension else None
    patch["extensions"] = {NAMESPACE: replaced}
    return patch


# --- the rules the table names (many-to-one) ------------------------------------------------


def _bank_accounts(out: Translation, ibans: Any, current: Contact | None) -> list[dict[str, Any]]:
    """`ibans`: one account per IBAN; an existing account with that IBAN keeps its id, BIC,
    bank name, currency and default flag. Accounts without an IBAN are outside Muhasip's view:
    kept."""
    existing = {a.iban: a for a in current.bank_accounts if a.iban} if current else {}
    accounts: list[dict[str, Any]] = []
    for index, raw in enumerate(ibans or []):
        iban = canonical_form("iban", raw, None)
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


def _people(out: Translation, items: Any, current: Contact | None) -> list[dict[str, Any]]:
    """`contactPeoples`: persons are matched by `_id`: a known one keeps its canonical-only
    fields (first and last name, mobile, notes); an `_id` that is not a UUID (a Muhasip
    ObjectId) is new."""
    existing = {person.id: person for person in current.contact_persons} if current else {}
    people: list[dict[str, Any]] = []
    for index, item in enumerate(items or []):
        person_id = _uuid(item.get("_id")) or new_id()
        known = existing.get(person_id)
        person = known.model_dump(mode="json") if known else {}
        person["id"] = str(person_id)
        at, canonical_at = f"contactPeoples.{index}", f"contact_persons.{index}"
        out.vendor_names[canonical_at] = at
        for path, name in _inverse(PERSON_COPIED).items():
            out.vendor_names[f"{canonical_at}.{path}"] = f"{at}.{name}"
        person.update(to_canonical(PERSON_COPIED, item, out.copied(f"{at}.")))
        person["custom_fields"] = _variables(
            out, item.get("variables") or [], f"{at}.variables", f"{canonical_at}.custom_fields",
            "peopleVariables", str(person_id),
        )  # fmt: skip
        people.append(person)
    return people


def _variables(
    out: Translation,
    items: list[Mapping[str, Any]],
    at: str = "variables",
    canonical_at: str = "custom_fields",
    layout_name: str = "variables",
    owner: str | None = None,
) -> dict[str, Any]:
    """`variables`: [{key, value, title?}] -> custom_fields; key order, original keys and
    titles are kept in extensions.muhasip (`layout_name`, per person when `owner` is set)."""
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


RULES: Final[dict[str, Callable[[Translation, Any, Contact | None], Any]]] = {
    "person": lambda _out, person, _current: "person" if person else "company",
    "ibans": _bank_accounts,
    "contactPeoples": _people,
    "variables": lambda out, items, _current: _variables(out, items or []),
}


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def custom_key(key: str) -> str:
    """The canonical custom-field key for a variable key: "crmID" -> "crm_id"."""
    snake = _NOT_KEY.sub("_", fold(_CAMEL.sub("_", key.strip()))).strip("_")
    if not snake or snake[0] not in string.ascii_lowercase:
        snake = f"v_{snake}".rstrip("_")
    return snake[:40].rstrip("_")
