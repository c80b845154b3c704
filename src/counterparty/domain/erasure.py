"""GDPR erasure: which fields hold a person's data, and the contact and its history without them.

A person contact is a natural person: every field that says something about them is erased
(PERSON_FIELDS). A company is a legal person, whose own name, identifiers, channels and bank
accounts are not personal data; what it holds about people is (COMPANY_FIELDS): its contact
persons, the free-form fields that can say anything about anyone (notes, custom fields,
extensions) and the person fields a company should not have. The tenant's `retention_fields`
name the fields kept for bookkeeping even so (default: name, tax and VAT numbers, address).

What is never erased: the record's own identifiers (id, number, external_ref), which accounting
systems that keep the retained invoices refer to; the flags and terms that are the tenant's own
settings (kind, customer/supplier, archived, parent, language, currency, payment terms,
discount, reminders, e-invoicing); the consent record (`gdpr`).

An erased field takes its empty value (null, [], {}); a person whose name is erased is called
ERASED_NAME. Checks of erased fields go with them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from counterparty.domain.history import DEFAULT_DOCUMENT, Entry, apply_entries, document_diff
from counterparty.errors import FieldError

PERSON_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "mobile",
    "fax",
    "website",
    "tax_id",
    "tax_office",
    "vat_number",
    "registration_number",
    "peppol_id",
    "address",
    "bank_accounts",
    "contact_persons",
    "birth_date",
    "notes",
    "tags",
    "custom_fields",
    "extensions",
)
COMPANY_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "birth_date",
    "contact_persons",
    "notes",
    "custom_fields",
    "extensions",
)
DEFAULT_RETENTION_FIELDS = ("name", "tax_id", "vat_number", "address")
ERASED_NAME = "(erased)"
ERASED_NOTE = "erased"  # the note of an `erased` event: which fields were erased


def retention_field_errors(names: Iterable[str]) -> list[FieldError]:
    """What is wrong with a `retention_fields` setting: each name must be an erasable field."""
    return [
        FieldError(
            "invalid_choice",
            f"'{name}' is not a field an erasure empties; use {', '.join(PERSON_FIELDS)}",
            pointer=f"/retention_fields/{index}",
        )
        for index, name in enumerate(names)
        if name not in PERSON_FIELDS
    ]


def erased_fields(kind: str, retention_fields: Collection[str]) -> tuple[str, ...]:
    """The fields an erasure of a contact of `kind` empties."""
    personal = PERSON_FIELDS if kind == "person" else COMPANY_FIELDS
    return tuple(name for name in personal if name not in retention_fields)


def _empty(name: str) -> Any:
    if name == "name":
        return ERASED_NAME
    empty = DEFAULT_DOCUMENT[name]
    return _copy(empty) if isinstance(empty, dict) else empty


def scrub(document: Mapping[str, Any], erased: Collection[str]) -> dict[str, Any]:
    """A stored document (or one version of it) without the erased fields; the order of its
    members is kept, so that it serialises as reads return it."""
    scrubbed = {
        name: _empty(name) if name in erased and name in document else value
        for name, value in document.items()
    }
    if "checks" in scrubbed:
        scrubbed["checks"] = [
            check for check in scrubbed["checks"] if check["field"].split("/")[0] not in erased
        ]
    return scrubbed


def _kept_note(entry: Entry, erased: Collection[str]) -> bool:
    """Whether a history note speaks of a field that stays ("checks.vat_number.status")."""
    parts = entry[0].split(".")
    subject = parts[1] if parts[0] == "checks" and len(parts) > 1 else parts[0]
    return subject not in erased


class HistoryStep:
    """One stored event as the scrub sees it."""

    def __init__(
        self, kind: str, entries: Sequence[Entry], snapshot: Mapping[str, Any] | None
    ) -> None:
        self.kind = kind  # the event's type
        self.entries = entries
        self.snapshot = snapshot


def scrub_history(
    steps: Iterable[HistoryStep], erased: Collection[str]
) -> list[tuple[list[Entry], dict[str, Any] | None]]:
    """Each event's entries and snapshot without the erased fields.

    Every version is rebuilt in full and scrubbed, and each event's differences are taken
    again between the scrubbed versions: an old value of an erased field then appears
    nowhere, and replaying the scrubbed events still rebuilds each scrubbed version."""
    scrubbed: list[tuple[list[Entry], dict[str, Any] | None]] = []
    before: dict[str, Any] | None = None  # the version before the event, as stored
    before_clean: dict[str, Any] | None = None
    for step in steps:
        notes = [e for e in step.entries if isinstance(e[0], str) and _kept_note(e, erased)]
        after: dict[str, Any] | None
        if step.kind == "deleted":
            after = None
        elif step.snapshot is not None:
            after = dict(step.snapshot)
        elif before is not None:
            after = apply_entries(_copy(before), step.entries)
        else:
            after = None  # a version that cannot be rebuilt: only its differences are known
        after_clean = None if after is None else scrub(after, erased)
        if before_clean is not None and after_clean is not None and step.kind != "created":
            differences = document_diff(before_clean, after_clean)
        else:
            differences = [
                e for e in step.entries if not isinstance(e[0], str) and e[0][0] not in erased
            ]
        snapshot = None if step.snapshot is None else after_clean
        scrubbed.append(([*differences, *notes], snapshot))
        before, before_clean = after, after_clean
    return scrubbed


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    """A copy deep enough for apply_entries, which changes nested objects in place."""
    return {
        name: _copy(value) if isinstance(value, dict) else value for name, value in document.items()
    }


def scrub_embedded(value: Any, contact_id: str, erased: Collection[str]) -> Any:
    """A JSON value (a stored response) with every document of the contact in it scrubbed."""
    if isinstance(value, dict):
        if value.get("id") == contact_id and "kind" in value and "checks" in value:
            return scrub(value, erased)
        return {name: scrub_embedded(item, contact_id, erased) for name, item in value.items()}
    if isinstance(value, list):
        return [scrub_embedded(item, contact_id, erased) for item in value]
    return value
