"""What every contact write shares: revisions, preconditions, the history event, hooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal

import orjson

from counterparty.domain.contact import WRITABLE_FIELDS, Check, Contact, ContactInput
from counterparty.domain.documents import (
    StoredContact,
    contact_from_document,
    contact_json,
    writable_document,
)
from counterparty.domain.duplicates import DuplicateNotice
from counterparty.domain.history import (
    ContactEvent,
    Entry,
    document_diff,
    event_type,
    needs_snapshot,
)
from counterparty.errors import PreconditionFailed
from counterparty.services.context import Actor
from counterparty.services.outbox import enqueue
from counterparty.services.ports import UnitOfWork

__all__ = ["NO_OPTIONS", "Revision", "WriteOptions", "now", "writable_document"]

EVENT_COUNTER = "event"
AnyVersion = Literal["*"]
IfMatch = frozenset[int] | AnyVersion


@dataclass(frozen=True)
class WriteOptions:
    """How a write is guarded and finished.

    `if_match`: the versions the client believes current (from If-Match); "*" is any.
    `on_commit`: runs inside the write's transaction after the change, with its result (the
    contact, or a batch's result); idempotency records use it so that the change and its
    stored response commit together.
    """

    if_match: IfMatch | None = None
    on_commit: Callable[[UnitOfWork, Any], None] | None = None
    # Filled with the other active contacts that have the written contact's identifiers
    # (services/duplicate_policy.py), for a caller that shows them; None: nobody asks.
    duplicates: list[DuplicateNotice] | None = None


NO_OPTIONS = WriteOptions()


def now() -> datetime:
    return datetime.now(UTC)


class Revision:
    """A contact at one version: the model, its JSON, and that JSON parsed, each made once
    and only when needed."""

    def __init__(
        self,
        *,
        contact: Contact | None = None,
        json: bytes | None = None,
        document: dict[str, Any] | None = None,
    ) -> None:
        if json is None:
            assert contact is not None
            json = contact_json(contact)
        self.json = json
        if contact is not None:
            self.__dict__["contact"] = contact
        if document is not None:
            self.__dict__["document"] = document

    @classmethod
    def stored(cls, stored: StoredContact) -> Revision:
        return cls(json=stored.json)

    @cached_property
    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.json)
        return parsed

    @cached_property
    def contact(self) -> Contact:
        return contact_from_document(self.document)


def unchanged(wanted: ContactInput, current: Contact) -> bool:
    return all(getattr(wanted, name) == getattr(current, name) for name in WRITABLE_FIELDS)


def next_revision(
    current: Contact, wanted: ContactInput, checks: Sequence[Check], moment: datetime
) -> Revision:
    """The contact's next version: the wanted fields, with what the service owns."""
    if not wanted.archived:
        archived_at = None
    else:
        archived_at = current.archived_at if current.archived else moment
    return Revision(
        contact=Contact.model_construct(
            **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
            id=current.id,
            number=current.number,
            archived_at=archived_at,
            checks=list(checks),
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=moment,
        )
    )


def check_precondition(
    uow: UnitOfWork, actor: Actor, current: Contact, if_match: IfMatch | None
) -> None:
    if if_match is None or if_match == "*" or current.version in if_match:
        return
    known = min(if_match) if if_match else 0
    changed = uow.events.since(actor.tenant_id, current.id, known)
    paths = dict.fromkeys(change.path for event in changed for change in event.changes)
    raise PreconditionFailed(
        f"the contact is at version {current.version}; fetch it again and re-apply the change",
        current_version=current.version,
        changed_fields=list(paths),
    )


def change_event(
    uow: UnitOfWork,
    actor: Actor,
    before: Revision | None,
    after: Revision | None,
    notes: Sequence[Entry] = (),
    sequence: int | None = None,
) -> ContactEvent:
    """The history event of a change; `sequence` is taken from the tenant's counter unless
    the caller reserved it."""
    subject = after or before
    assert subject is not None
    contact = subject.contact
    snapshot = None
    entries: list[Entry] = []
    if after is None:
        version = contact.version + 1
    else:
        version = contact.version
        if before is not None:
            entries = document_diff(before.document, after.document)
        if needs_snapshot(version):
            snapshot = after.json
    return ContactEvent(
        sequence=uow.tenants.next_value(actor.tenant_id, EVENT_COUNTER)
        if sequence is None
        else sequence,
        contact_id=contact.id,
        contact_number=contact.number,
        type=event_type(
            before.contact.archived if before else None, after.contact.archived if after else None
        ),
        version=version,
        entries=(*entries, *notes),
        api_key_id=actor.api_key_id,
        entry_point=actor.entry_point,
        request_id=actor.request_id,
        occurred_at=contact.updated_at if after else now(),
        snapshot=snapshot,
    )


def record_change(
    uow: UnitOfWork,
    actor: Actor,
    before: Revision | None,
    after: Revision | None,
    notes: Sequence[Entry] = (),
) -> None:
    """Write the history event of a change, in the change's own transaction, and queue it
    for the tenant's webhooks."""
    event = change_event(uow, actor, before, after, notes)
    uow.events.append(actor.tenant_id, event)
    enqueue(uow, actor, [event])
