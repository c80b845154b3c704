"""A contact as stored and served: its JSON document, and the contact rebuilt from it.

Reads serve the stored JSON as it is; code that needs the model (dialects, rules that look at
fields) rebuilds it here without validating again: the document was valid when it was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import orjson
from pydantic import BaseModel

from counterparty.domain.contact import (
    WRITABLE_FIELDS,
    Address,
    BankAccount,
    Check,
    Contact,
    ContactInput,
    ContactPerson,
    Gdpr,
)

ModelT = TypeVar("ModelT", bound=BaseModel)
_CONTACT_FIELDS = tuple(Contact.model_fields)


def contact_json(contact: Contact) -> bytes:
    """The contact's JSON, as every read returns it."""
    return contact.__pydantic_serializer__.to_json(contact)


def writable_document(contact: ContactInput) -> dict[str, Any]:
    """The contact as a client would write it back, in JSON types (merge-patch target)."""
    return contact.model_dump(mode="json", include=set(WRITABLE_FIELDS))


def writable_part(document: dict[str, Any]) -> dict[str, Any]:
    """The writable members of a stored document (the same as `writable_document` of the
    contact it holds, without rebuilding the contact)."""
    return {name: document[name] for name in WRITABLE_FIELDS}


def trusted(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    """A model from values known to be valid, without validation or default handling: what
    `model_construct` does for a complete set of fields, at a fraction of its cost."""
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _item(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    return trusted(model, {**values, "id": UUID(values["id"])})


@dataclass(frozen=True, slots=True)
class StoredContact:
    """A contact as stored: its version and its JSON. `resolved_id`: set when the contact
    asked for was merged into this one (an alias), to this one's id."""

    version: int
    json: bytes
    resolved_id: UUID | None = None

    def contact(self) -> Contact:
        return contact_from_json(self.json)


def contact_from_document(document: dict[str, Any]) -> Contact:
    """The contact a stored document holds; the document itself is left as it is."""
    values = dict(document)
    values["id"] = UUID(values["id"])
    if values["parent_id"] is not None:
        values["parent_id"] = UUID(values["parent_id"])
    for name in ("archived_at", "created_at", "updated_at"):
        values[name] = _moment(values[name])
    if values["birth_date"] is not None:
        values["birth_date"] = date.fromisoformat(values["birth_date"])
    if values["discount_percent"] is not None:
        values["discount_percent"] = Decimal(str(values["discount_percent"]))
    values["address"] = trusted(Address, dict(values["address"]))
    gdpr = dict(values["gdpr"])
    gdpr["changed_at"] = _moment(gdpr["changed_at"])
    values["gdpr"] = trusted(Gdpr, gdpr)
    values["bank_accounts"] = [_item(BankAccount, item) for item in values["bank_accounts"]]
    values["contact_persons"] = [_item(ContactPerson, item) for item in values["contact_persons"]]
    values["checks"] = [trusted(Check, dict(item)) for item in values["checks"]]
    return trusted(Contact, {name: values[name] for name in _CONTACT_FIELDS})


def contact_from_json(document: bytes) -> Contact:
    return contact_from_document(orjson.loads(document))
