"""Merging contacts: which value the survivor keeps for each field, and what a merge keeps so
that it can be undone (docs/duplicates.md, "Merge").

Documents here are the writable parts of contacts in JSON types (what `writable_part` gives).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from counterparty.domain.contact import WRITABLE_FIELDS
from counterparty.domain.history import DEFAULT_DOCUMENT
from counterparty.domain.text import fold

MAX_MERGED = 20  # contacts merged into a survivor in one request
# Lists (and the custom fields' object) are united; every other field is chosen whole.
UNITED = ("bank_accounts", "contact_persons", "tags", "custom_fields")
# The survivor keeps its own archived state: a merge neither archives nor revives it.
CHOSEN: frozenset[str] = WRITABLE_FIELDS - {*UNITED, "archived"}


@dataclass
class MergedContact:
    """A contact merged into the survivor, as it was before: what unmerge brings back."""

    id: UUID
    number: int
    json: str  # its whole stored document, as reads returned it
    children: list[UUID] = field(default_factory=list)  # contacts moved to the survivor
    secrets: list[tuple[str, str, str]] = field(default_factory=list)  # name, hash, moment

    def dump(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "number": self.number,
            "json": self.json,
            "children": [str(child) for child in self.children],
            "secrets": [list(secret) for secret in self.secrets],
        }

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> MergedContact:
        return cls(
            UUID(data["id"]),
            int(data["number"]),
            data["json"],
            [UUID(child) for child in data["children"]],
            [(name, hashed, moment) for name, hashed, moment in data["secrets"]],
        )


@dataclass
class MergeRecord:
    """One merge: the survivor before and right after it, the choices made, and the contacts
    still merged (an unmerge of some of them removes those)."""

    id: UUID
    survivor_id: UUID
    merged_at: datetime
    fields: dict[str, str]  # field -> id of the contact `fields` named for it
    survivor_before: dict[str, Any]
    survivor_after: dict[str, Any]
    contacts: list[MergedContact]

    def dump(self) -> dict[str, Any]:
        """The JSON kept for an unmerge (ids and moments are columns of their own)."""
        return {
            "fields": self.fields,
            "survivor_before": self.survivor_before,
            "survivor_after": self.survivor_after,
            "contacts": [contact.dump() for contact in self.contacts],
        }

    @classmethod
    def load(
        cls, merge_id: UUID, survivor_id: UUID, merged_at: datetime, data: Mapping[str, Any]
    ) -> MergeRecord:
        return cls(
            merge_id,
            survivor_id,
            merged_at,
            dict(data["fields"]),
            dict(data["survivor_before"]),
            dict(data["survivor_after"]),
            [MergedContact.load(item) for item in data["contacts"]],
        )


def is_empty(name: str, value: Any) -> bool:
    """Whether a field holds nothing worth keeping: null, "", an empty list or object, or an
    object equal to its default (an empty address). A boolean always holds something."""
    if isinstance(value, bool):
        return False
    if value is None or value in ("", [], {}):
        return True
    return isinstance(value, dict) and value == DEFAULT_DOCUMENT.get(name)


def merged_document(
    survivor_id: UUID,
    survivor: Mapping[str, Any],
    others: Sequence[tuple[UUID, Mapping[str, Any]]],
    chosen: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The survivor's document after merging `others` (in the order given) into it, and the
    fields whose value came from another contact, with that contact's id.

    Each field comes from the contact `chosen` names, otherwise it is the survivor's value,
    otherwise the first non-empty one of `others`; lists are united (`unite`)."""
    documents = {str(survivor_id): survivor, **{str(i): d for i, d in others}}
    result = dict(survivor)
    taken: dict[str, str] = {}
    for name in sorted(CHOSEN):
        source = chosen.get(name)
        if source is None or source not in documents:
            source = str(survivor_id)
            if is_empty(name, survivor[name]):
                found = next((str(i) for i, d in others if not is_empty(name, d[name])), None)
                source = found or source
        result[name] = documents[source][name]
        if source != str(survivor_id) and result[name] != survivor[name]:
            taken[name] = source
    everyone = [survivor, *(document for _, document in others)]
    result["bank_accounts"] = _unite(everyone, "bank_accounts", _account_key)
    _one_default(result["bank_accounts"])
    result["contact_persons"] = _unite(everyone, "contact_persons", _person_key)
    result["tags"] = list(dict.fromkeys(tag for d in everyone for tag in d["tags"]))
    custom: dict[str, Any] = {}
    for document in everyone:
        for key, value in document["custom_fields"].items():
            if custom.get(key) is None:
                custom[key] = value
    result["custom_fields"] = custom
    return result, taken


def _unite(documents: Sequence[Mapping[str, Any]], name: str, key: Any) -> list[Any]:
    """Items of the `name` lists, the first of each `key` kept (the survivor's first)."""
    seen: dict[Any, Any] = {}
    for document in documents:
        for item in document[name]:
            seen.setdefault(key(item), item)
    return [dict(item) for item in seen.values()]


def _compact(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def _account_key(account: Mapping[str, Any]) -> Any:
    if account.get("iban"):
        return ("iban", _compact(account["iban"]))
    if account.get("account_number"):
        return ("account", _compact(account["account_number"]), _compact(account.get("bic")))
    return ("item", tuple(sorted((k, str(v)) for k, v in account.items() if k != "id")))


def _person_key(person: Mapping[str, Any]) -> Any:
    name = person.get("name") or " ".join(
        part for part in (person.get("first_name"), person.get("last_name")) if part
    )
    return (fold(name or ""), (person.get("email") or "").lower(), fold(person.get("phone") or ""))


def _one_default(accounts: list[dict[str, Any]]) -> None:
    """At most one default account: the first (the survivor's, if it had one)."""
    found = False
    for account in accounts:
        if account.get("is_default"):
            account["is_default"] = not found
            found = True


def given_back(
    current: Mapping[str, Any], after_merge: Mapping[str, Any], wanted: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The survivor's document after an unmerge, and the fields kept: each field still as the
    merge left it takes its `wanted` value; a field changed since keeps its current value
    (and is listed, when the unmerge would have changed it)."""
    result = dict(current)
    kept: list[str] = []
    for name in sorted(WRITABLE_FIELDS - {"archived"}):
        if wanted[name] == after_merge[name]:
            continue
        if current[name] == after_merge[name]:
            result[name] = wanted[name]
        elif current[name] != wanted[name]:
            kept.append(name)
    return result, kept
