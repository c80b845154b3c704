"""Bank accounts and contact persons edited one at a time, without resending the list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from uuid import UUID

from counterparty.domain.contact import BankAccount, Contact, ContactPerson, Model
from counterparty.domain.ids import new_id
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.validation import validate_document
from counterparty.errors import NotFound
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.writes import NO_OPTIONS, WriteOptions, writable_document

Collection = Literal["bank_accounts", "contact_persons"]
ITEM_MODELS: dict[Collection, type[Model]] = {
    "bank_accounts": BankAccount,
    "contact_persons": ContactPerson,
}
_LABELS = {"bank_accounts": "bank account", "contact_persons": "contact person"}


def _items(document: dict[str, Any], collection: Collection) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = document[collection]
    return found


def _index(items: list[dict[str, Any]], item_id: UUID, collection: Collection) -> int:
    for index, item in enumerate(items):
        if item["id"] == str(item_id):
            return index
    raise NotFound(f"the contact has no {_LABELS[collection]} with id {item_id}")


def _only_default(items: list[dict[str, Any]], keep: int) -> list[dict[str, Any]]:
    """Making one bank account the default makes the others not, instead of an error."""
    if not items[keep].get("is_default"):
        return items
    return [
        item if index == keep else {**item, "is_default": False} for index, item in enumerate(items)
    ]


class ContactItems:
    def __init__(self, contacts: ContactService) -> None:
        self._contacts = contacts

    def add(
        self,
        actor: Actor,
        contact_id: UUID,
        collection: Collection,
        item: Mapping[str, Any],
        options: WriteOptions = NO_OPTIONS,
        item_id: UUID | None = None,
    ) -> tuple[Contact, UUID]:
        validated = validate_document(ITEM_MODELS[collection], item)
        item_id = item_id or new_id()
        document = {**validated.model_dump(mode="json"), "id": str(item_id)}

        def change(current: Contact) -> dict[str, Any]:
            wanted = writable_document(current)
            items = [*_items(wanted, collection), document]
            return {**wanted, collection: _only_default(items, len(items) - 1)}

        return self._contacts.edit(actor, contact_id, change, options), item_id

    def update(
        self,
        actor: Actor,
        contact_id: UUID,
        collection: Collection,
        item_id: UUID,
        patch: Mapping[str, Any],
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        if not isinstance(patch, Mapping):
            validate_document(ITEM_MODELS[collection], patch)  # raises the invalid_type error
        model = ITEM_MODELS[collection]

        def change(current: Contact) -> dict[str, Any]:
            wanted = writable_document(current)
            items = list(_items(wanted, collection))
            index = _index(items, item_id, collection)
            merged = merge_patch({k: v for k, v in items[index].items() if k != "id"}, patch)
            validated = validate_document(model, merged)
            items[index] = {**validated.model_dump(mode="json"), "id": str(item_id)}
            return {**wanted, collection: _only_default(items, index)}

        return self._contacts.edit(actor, contact_id, change, options)

    def remove(
        self,
        actor: Actor,
        contact_id: UUID,
        collection: Collection,
        item_id: UUID,
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        def change(current: Contact) -> dict[str, Any]:
            wanted = writable_document(current)
            items = list(_items(wanted, collection))
            del items[_index(items, item_id, collection)]
            return {**wanted, collection: items}

        return self._contacts.edit(actor, contact_id, change, options)
