"""Reading the history: a contact's events, its past versions, and the tenant's change feed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from counterparty.domain.history import ContactEvent
from counterparty.errors import InvalidCursor, NotFound
from counterparty.services.context import Actor
from counterparty.services.tokens import seal, unseal
from counterparty.services.transactions import Transactions

HISTORY_LIMIT = (50, 200)  # default, maximum
FEED_LIMIT = (100, 1000)


@dataclass(frozen=True)
class EventPage:
    events: list[ContactEvent]
    next_cursor: str | None  # the feed always has one: where to poll from next
    has_more: bool


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
                lambda uow: uow.events.for_contact(actor.tenant_id, contact_id, before, limit + 1)
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
        event = self._tx.read(
            lambda uow: uow.events.at_version(actor.tenant_id, contact_id, version)
        )
        if event is None or event.snapshot is None:
            raise NotFound(f"contact {contact_id} has no version {version}")
        return event.snapshot

    def feed(self, actor: Actor, after: str | None, limit: int) -> EventPage:
        """The tenant's events in commit order, after the position `after` names."""
        position = 0
        if after:
            payload = unseal(actor.tenant.cursor_secret, after)
            if len(payload) != 2 or payload[0] != "feed":
                raise InvalidCursor("the cursor belongs to another list")
            position = int(payload[1])
        found = list(
            self._tx.read(lambda uow: uow.events.feed(actor.tenant_id, position, limit + 1))
        )
        page, more = found[:limit], len(found) > limit
        last = page[-1].sequence if page else position
        return EventPage(page, seal(actor.tenant.cursor_secret, ["feed", last]), more)
