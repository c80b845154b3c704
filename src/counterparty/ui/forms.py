"""The contact form: a contact's writable document as flat form values and back.

Inputs are named after the field's path (`address.city`, `bank_accounts.0.iban`), so that a
service error's JSON pointer (`/bank_accounts/0/iban`) names the input it belongs to. Values go
back to the service as typed, unless they plainly are numbers or flags: the service checks and
normalises them with the API's rules, and its messages are shown next to the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from counterparty.domain.text import decimal_digits
from counterparty.errors import FieldError

TEXT = (
    "name", "first_name", "last_name", "title", "external_ref", "email", "phone", "mobile",
    "fax", "website", "tax_id", "tax_office", "vat_number", "registration_number",
    "peppol_id", "language", "currency", "birth_date", "notes",
    "address.attention", "address.street", "address.street2", "address.box",
    "address.postal_code", "address.city", "address.district", "address.state",
    "address.country_code", "gdpr.changed_at", "gdpr.changed_by", "gdpr.reason",
)  # fmt: skip
CHOICES = ("kind", "gdpr.consent")
NUMBERS = ("payment_terms_days", "discount_percent")
FLAGS = ("is_customer", "is_supplier", "einvoice_enabled", "send_reminders")
ITEM_FIELDS = {
    "bank_accounts": ("iban", "bic", "account_number", "bank_name", "currency"),
    "contact_persons": (
        "name", "first_name", "last_name", "role", "email", "phone", "mobile", "notes",
    ),
}  # fmt: skip
ITEM_FLAGS = {"bank_accounts": ("is_default",), "contact_persons": ()}
LISTS = (*ITEM_FIELDS, "custom_fields")
MAX_ROWS = {"bank_accounts": 20, "contact_persons": 100, "custom_fields": 50}


@dataclass
class ContactForm:
    """What the form shows: flat values by input name, and the rows of each list."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LISTS, 0))

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def checked(self, name: str) -> bool:
        return self.values.get(name) == "true"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode() if isinstance(value, list | dict) else str(value)


def _at(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def form_from_document(document: Mapping[str, Any], parent_number: int | None) -> ContactForm:
    form = ContactForm()
    for name in (*TEXT, *CHOICES, *NUMBERS):
        form.values[name] = _text(_at(document, name))
    for name in FLAGS:
        form.values[name] = "true" if document.get(name) else ""
    form.values["tags"] = "\n".join(document.get("tags") or [])
    form.values["parent"] = "" if parent_number is None else str(parent_number)
    for collection, names in ITEM_FIELDS.items():
        items = document.get(collection) or []
        form.rows[collection] = len(items)
        for index, item in enumerate(items):
            form.values[f"{collection}.{index}.id"] = str(item.get("id") or "")
            for name in names:
                form.values[f"{collection}.{index}.{name}"] = _text(item.get(name))
            for name in ITEM_FLAGS[collection]:
                form.values[f"{collection}.{index}.{name}"] = "true" if item.get(name) else ""
    custom = (document.get("custom_fields") or {}).items()
    form.rows["custom_fields"] = len(custom)
    for index, (key, value) in enumerate(custom):
        form.values[f"custom_fields.{index}.key"] = key
        form.values[f"custom_fields.{index}.value"] = _text(value)
    return form


def form_from_submission(submitted: Mapping[str, str]) -> ContactForm:
    form = ContactForm(values=dict(submitted.items()))
    for collection in LISTS:
        marker = "key" if collection == "custom_fields" else "id"
        indexes = {
            int(parts[1])
            for name in submitted
            if len(parts := name.split(".")) == 3
            and parts[0] == collection
            and parts[2] == marker
            and decimal_digits(parts[1])
            and int(parts[1]) < MAX_ROWS[collection] + 1
        }
        form.rows[collection] = max(indexes) + 1 if indexes else 0
    return form


def apply_action(form: ContactForm, action: str) -> bool:
    """Add or remove a row of a list (`add:bank_accounts`, `remove:bank_accounts:2`);
    False when `action` is none of these."""
    verb, _, rest = action.partition(":")
    collection, _, index_text = rest.partition(":")
    if collection not in LISTS:
        return False
    if verb == "add":
        form.rows[collection] = min(form.rows[collection] + 1, MAX_ROWS[collection])
        return True
    if verb != "remove" or not decimal_digits(index_text):
        return False
    removed = int(index_text)
    prefix = f"{collection}."
    kept = {}
    for name, value in form.values.items():
        if not name.startswith(prefix):
            kept[name] = value
            continue
        _, index, member = name.split(".", 2)
        if not decimal_digits(index) or int(index) == removed:
            continue
        shifted = int(index) - 1 if int(index) > removed else int(index)
        kept[f"{collection}.{shifted}.{member}"] = value
    form.values = kept
    form.rows[collection] = max(form.rows[collection] - 1, 0)
    return True


def _typed_number(text: str) -> Any:
    cleaned = text.strip().replace(",", ".") if text.strip().count(",") == 1 else text.strip()
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return text  # the service explains what is wrong with it


def _typed_custom(text: str, earlier: Any) -> Any:
    """A custom field's text, keeping the type of the value it had when the text is the same."""
    if earlier is not None and _text(earlier) == text:
        return earlier
    return text if text != "" else None


def _nest(document: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        _nest(document.setdefault(head, {}), rest, value)
    else:
        document[head] = value


@dataclass
class Built:
    """The document, and for each list which form row each of its items came from."""

    document: dict[str, Any]
    rows_of: dict[str, list[int]]


def build_document(form: ContactForm, base: Mapping[str, Any] | None) -> Built:
    """The writable document the form describes (parent excluded: it needs a look-up)."""
    document: dict[str, Any] = {}
    for name in TEXT:
        _nest(document, name, form.value(name).strip() or None)
    for name in CHOICES:
        if choice := form.value(name).strip():  # none chosen: the field's default
            _nest(document, name, choice)
    for name in NUMBERS:
        document[name] = _typed_number(form.value(name))
    for name in FLAGS:
        document[name] = form.checked(name)
    document["tags"] = [tag.strip() for tag in form.value("tags").splitlines() if tag.strip()]
    rows_of: dict[str, list[int]] = {}
    for collection, names in ITEM_FIELDS.items():
        earlier = {item.get("id"): item for item in (base or {}).get(collection) or []}
        items, rows = [], []
        for index in range(form.rows[collection]):
            prefix = f"{collection}.{index}."
            item: dict[str, Any] = {
                name: (form.value(prefix + name).strip() or None) for name in names
            }
            if not any(item.values()):
                continue  # an empty row is no item
            for name in ITEM_FLAGS[collection]:
                item[name] = form.checked(prefix + name)
            if item_id := form.value(prefix + "id"):
                item["id"] = item_id
                if collection == "contact_persons" and item_id in earlier:
                    item["custom_fields"] = earlier[item_id].get("custom_fields") or {}
            items.append(item)
            rows.append(index)
        document[collection] = items
        rows_of[collection] = rows
    earlier_custom = (base or {}).get("custom_fields") or {}
    custom: dict[str, Any] = {}
    custom_rows = []
    for index in range(form.rows["custom_fields"]):
        key = form.value(f"custom_fields.{index}.key").strip()
        text = form.value(f"custom_fields.{index}.value")
        if key or text.strip():
            custom[key] = _typed_custom(text.strip(), earlier_custom.get(key))
            custom_rows.append(index)
    document["custom_fields"] = custom
    rows_of["custom_fields"] = custom_rows
    return Built(document, rows_of)


def input_for(error: FieldError, built: Built) -> str | None:
    """The input an error's JSON pointer names, or None when it names no single input."""
    parts = [
        part.replace("~1", "/").replace("~0", "~") for part in (error.pointer or "").split("/")[1:]
    ]
    if not parts:
        return None
    head = parts[0]
    if head == "parent_id":
        return "parent"
    if head == "tags":
        return "tags"
    if head == "custom_fields" and len(parts) > 1:
        keys = list(built.document.get("custom_fields", {}))
        if parts[1] in keys:
            return f"custom_fields.{built.rows_of['custom_fields'][keys.index(parts[1])]}.key"
        return None
    if head in ITEM_FIELDS and len(parts) > 2 and decimal_digits(parts[1]):
        rows = built.rows_of.get(head, [])
        position = int(parts[1])
        return f"{head}.{rows[position]}.{parts[2]}" if position < len(rows) else head
    return ".".join(parts)
