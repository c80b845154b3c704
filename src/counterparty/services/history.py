"""Reading the history: a contact's events, its past versions, and the tenant's change feed.

Events keep field-level changes and, every SNAPSHOT_EVERY versions, the whole document; a past
version is the nearest snapshot at or before it with the later events replayed onto it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import orjson
from pydantic import TypeAdapter

from counterparty.domain.history import GONE, ContactEvent, apply_entries
from counterparty.errors import InvalidCursor, NotFound
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork
from counterparty.services.tokens import seal, unseal
from counterparty.services.transactions import Transactions

HISTORY_LIMIT = (50, 200)  # default, maximum
FEED_LIMIT = (100, 1000)
_MOMENT = TypeAdapter(datetime)


@dataclass(frozen=True)
class EventPage:
    events: list[ContactEvent]
    next_cursor: str | None  # the feed always has one: where to poll from next
    has_more: bool
    # The contact's JSON after each event (by sequence); the feed fills it, the history not.
    documents: dict[int, bytes | None] | None = None


def replay(events: Sequence[ContactEvent]) -> bytes:
    """The document after the last of `events`, which start at a snapshot."""
    document = orjson.loads(events[0].snapshot or b"null")
    for event in events[1:]:
        apply_entries(document, event.entries)
    last = events[-1]
    document["version"] = last.version
    document["updated_at"] = _MOMENT.dump_python(last.occurred_at, mode="json")
    return orjson.dumps(document)


def document_at(uow: UnitOfWork, actor: Actor, contact_id: UUID, version: int) -> bytes | None:
    """The contact's JSON as it was at `version`, or None if it never had that version."""
    return document_from(uow.events.replay_source(actor.tenant_id, contact_id, version), version)


def document_from(events: Sequence[ContactEvent], version: int) -> bytes | None:
    """The document at `version` from its replay source (EventRepository.replay_source)."""
    if not events or events[-1].version != version or events[-1].type == "deleted":
        return None
    if events[0].snapshot is None:
        return None
    if len(events) == 1:
        return events[0].snapshot
    return replay(events)


class HistoryService:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions

    def history(self, actor: Actor, contact_id: UUID, cursor: str | None, limit: int) -> EventPage:
        """The contact's events, newest first; still readable after it was deleted."""
        before = None
        if cursor:
            payload = unseal(actor.tenant.cursor_secret, cursor)
            if payload[:2] != ["history", str(contact_id)]:
                raise InvalidCursor("the cursor belongs to another list")
            before = int(payload[2])
        found = list(
            self._tx.read(
                lambda uow: uow.events.for_contact(actor.tenant_id, contact_id, before, limit + 1),
                actor,
            )
        )
        if not found and cursor is None:
            raise NotFound(f"no contact with id {contact_id}")
        page, more = found[:limit], len(found) > limit
        next_cursor = None
        if more:
            next_cursor = seal(
                actor.tenant.cursor_secret, ["history", str(contact_id), page[-1].sequence]
            )
        return EventPage(page, next_cursor, more)

    def version(self, actor: Actor, contact_id: UUID, version: int) -> bytes:
        """The contact's JSON as it was at `version`."""
        found = self._tx.read(lambda uow: document_at(uow, actor, contact_id, version), actor)
        if found is None:
            raise NotFound(f"contact {contact_id} has no version {version}")
        return found

    def feed(self, actor: Actor, after: str | None, limit: int) -> EventPage:
        """The tenant's events in commit order, after the position `after` names, each with
        the contact as it was right after it."""
        position = feed_position(actor, after)

        def work(uow: UnitOfWork) -> tuple[list[ContactEvent], bool, dict[int, bytes | None]]:
            found = list(uow.events.feed(actor.tenant_id, position, limit + 1))
            page = found[:limit]
            return page, len(found) > limit, documents_after(uow, actor, page)

        page, more, documents = self._tx.read(work, actor)
        last = page[-1].sequence if page else position
        return EventPage(page, seal(actor.tenant.cursor_secret, ["feed", last]), more, documents)


def feed_position(actor: Actor, after: str | None) -> int:
    """The feed position a cursor of the feed names (0: the start)."""
    if not after:
        return 0
    payload = unseal(actor.tenant.cursor_secret, after)
    if len(payload) != 2 or payload[0] != "feed":
        raise InvalidCursor("the cursor belongs to another list")
    return int(payload[1])


def documents_after(
    uow: UnitOfWork, actor: Actor, events: list[ContactEvent]
) -> dict[int, bytes | None]:
    """Each event's document: its own snapshot, the current document when the event made
    the current version, else rebuilt."""
    documents: dict[int, bytes | None] = {}
    missing = [e for e in events if e.type not in GONE and e.snapshot is None]
    current = uow.contacts.get_many(actor.tenant_id, list({e.contact_id for e in missing}))
    rebuilt = [
        (e.contact_id, e.version)
        for e in missing
        if (stored := current.get(e.contact_id)) is None or stored.version != e.version
    ]
    # The past versions of every contact in one read, not one read per event.
    sources = uow.events.replay_sources(actor.tenant_id, rebuilt) if rebuilt else {}
    for event in events:
        if event.type in GONE:
            documents[event.sequence] = None
        elif event.snapshot is not None:
            documents[event.sequence] = event.snapshot
        elif (stored := current.get(event.contact_id)) and stored.version == event.version:
            documents[event.sequence] = stored.json
        else:
            source = sources[(event.contact_id, event.version)]
            documents[event.sequence] = document_from(source, event.version)
    return documents
