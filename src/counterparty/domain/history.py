"""What changed: field-level differences between two versions of a contact, and events.

An event stores the differences between the contact's document before and after the change,
not the whole document: each difference is an *entry* `[path, old, new]` whose path is the list
of member names down to the value (unambiguous even when a member name holds a dot), with a
fourth member `ADDED` or `REMOVED` when the member did not exist before or after. An entry whose
path is a string is a *note*: shown in the history, not part of the document (a registry's
answer is one). Version 1 and every SNAPSHOT_EVERY-th version also keep the whole document, so
that any version is rebuilt by replaying at most SNAPSHOT_EVERY - 1 events onto a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Literal
from uuid import UUID

import orjson

from counterparty.domain.contact import WRITABLE_FIELDS, ContactInput
from counterparty.domain.documents import writable_document, writable_part

EventType = Literal[
    "created",
    "updated",
    "archived",
    "unarchived",
    "deleted",
    "merged",
    "merged_into",
    "unmerged",
    "erased",
]
# Events after which the contact is no longer there: deleted, or merged into another.
GONE: frozenset[str] = frozenset({"deleted", "merged_into"})
Entry = list[Any]
ADDED = "+"
REMOVED = "-"
SNAPSHOT_EVERY = 32
# Members every event implies instead of storing: the event's own version and moment.
_IMPLIED = frozenset({"version", "updated_at"})
DEFAULT_DOCUMENT = writable_document(ContactInput.model_construct())


@dataclass(frozen=True)
class Change:
    """One change as the history shows it: a dotted path ("address.city")."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ContactEvent:
    """One change of one contact, written in the transaction that made it."""

    sequence: int  # per tenant, in commit order; the change feed's position
    contact_id: UUID
    contact_number: int
    type: EventType
    version: int
    entries: tuple[Entry, ...]
    api_key_id: UUID | None
    entry_point: str
    request_id: str | None
    occurred_at: datetime
    snapshot: bytes | None  # the whole JSON at this version, on snapshot versions only

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """The changes of the writable fields, and the notes, as the history shows them."""
        if self.type == "created" and self.snapshot is not None:
            created = writable_part(orjson.loads(self.snapshot))
            return visible(document_diff(DEFAULT_DOCUMENT, created))
        return visible(self.entries)


def needs_snapshot(version: int) -> bool:
    return version == 1 or version % SNAPSHOT_EVERY == 0


def document_diff(
    old: Mapping[str, Any], new: Mapping[str, Any], path: Sequence[str] = ()
) -> list[Entry]:
    """Differences between two JSON documents; objects are compared member by member,
    everything else (lists included) as a whole value.

    >>> document_diff({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"c": 3}, "d": [1]})
    [[['b', 'c'], 2, 3], [['d'], None, [1], '+']]
    """
    entries: list[Entry] = []
    for key in dict.fromkeys([*old, *new]):
        if not path and key in _IMPLIED:
            continue
        before, after = old.get(key), new.get(key)
        where = [*path, key]
        # Documents are parsed JSON: objects are plain dicts (a fast check, unlike Mapping).
        if isinstance(before, dict) and isinstance(after, dict):
            entries.extend(document_diff(before, after, where))
        elif key not in old:
            entries.append([where, None, after, ADDED])
        elif key not in new:
            entries.append([where, before, None, REMOVED])
        elif before != after:
            entries.append([where, before, after])
    return entries


def note(path: str, old: Any, new: Any) -> Entry:
    """An entry shown in the history that is not a difference of the document."""
    return [path, old, new]


def apply_entries(document: dict[str, Any], entries: Iterable[Entry]) -> dict[str, Any]:
    """Replay an event's differences onto the document of the version before it (in place).

    >>> apply_entries({"a": {"b": 1}}, [[["a", "b"], 1, 2], [["c"], None, 3, "+"]])
    {'a': {'b': 2}, 'c': 3}
    """
    for entry in entries:
        where = entry[0]
        if isinstance(where, str):
            continue
        parent = document
        for key in where[:-1]:
            parent = parent.setdefault(key, {})
        if len(entry) > 3 and entry[3] == REMOVED:
            parent.pop(where[-1], None)
        else:
            parent[where[-1]] = entry[2]
    return document


def visible(entries: Iterable[Entry]) -> tuple[Change, ...]:
    """The entries a client sees: differences of writable fields, and notes."""
    shown = []
    for entry in entries:
        where = entry[0]
        if isinstance(where, str):
            shown.append(Change(where, entry[1], entry[2]))
        elif where[0] in WRITABLE_FIELDS:
            shown.append(Change(".".join(where), entry[1], entry[2]))
    return tuple(shown)


def event_type(old_archived: bool | None, new_archived: bool | None) -> EventType:
    """The kind of an event from the archived flag before and after (None: no contact)."""
    if old_archived is None:
        return "created"
    if new_archived is None:
        return "deleted"
    if new_archived and not old_archived:
        return "archived"
    if old_archived and not new_archived:
        return "unarchived"
    return "updated"
