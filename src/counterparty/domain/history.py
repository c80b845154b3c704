"""What changed: field-level differences between two versions of a contact, and events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

EventType = Literal["created", "updated", "archived", "unarchived", "deleted", "merged", "erased"]


@dataclass(frozen=True)
class Change:
    path: str  # dotted: "name", "address.city", "custom_fields.crm_id"
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
    changes: tuple[Change, ...]
    api_key_id: UUID | None
    entry_point: str
    request_id: str | None
    occurred_at: datetime
    snapshot: bytes | None  # the contact's JSON at this version; None once deleted


def diff(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[Change]:
    """Differences between two JSON documents; objects are compared member by member,
    everything else (lists included) as a whole value.

    >>> diff({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"c": 3}, "d": [1]})
    [Change(path='b.c', old=2, new=3), Change(path='d', old=None, new=[1])]
    """
    changes: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        path = f"{prefix}{key}"
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            changes.extend(diff(before, after, f"{path}."))
        elif before != after:
            changes.append(Change(path, before, after))
    return changes


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
