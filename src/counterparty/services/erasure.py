"""GDPR erasure of a contact, and the purge of deleted contacts' history after retention.

An erasure is one transaction: the contact, every event of its history (differences and
snapshots), the stored responses of idempotent requests that show it, what webhook receivers
answered about it, its quarantined values and secrets all lose the erased fields
(domain/erasure.py); then an `erased` event records which fields went, without their values.
Webhooks not yet delivered are built from the history when they are sent, so they carry the
erased contact. Nothing left to erase: nothing changes, and no event is recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from datetime import datetime, timedelta
from uuid import UUID

import orjson

from counterparty.domain.contact import Contact
from counterparty.domain.documents import contact_from_document
from counterparty.domain.erasure import (
    ERASED_NOTE,
    HistoryStep,
    erased_fields,
    scrub,
    scrub_embedded,
    scrub_history,
)
from counterparty.domain.history import ContactEvent, note
from counterparty.errors import NotFound, PreconditionFailed, TransientFailure
from counterparty.services.aliases import refuse_alias_write
from counterparty.services.context import Actor
from counterparty.services.history import document_at
from counterparty.services.outbox import enqueue
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions
from counterparty.services.writes import (
    EVENT_COUNTER,
    NO_OPTIONS,
    Revision,
    WriteOptions,
    check_precondition,
    now,
)

# How often one process purges one tenant's expired history on the way (on a delete).
PURGE_EVERY_SECONDS = 3600


class HistoryPurge:
    """Deleted contacts' history is kept for `retention` (None: for ever), then purged: by
    `counterparty db purge-history`, and by a delete at most once an hour per tenant and
    process, in the delete's own transaction."""

    def __init__(self, retention: timedelta | None) -> None:
        self.retention = retention
        self._last: dict[UUID, float] = {}
        self._lock = threading.Lock()

    def if_due(self, uow: UnitOfWork, actor: Actor) -> None:
        if self.retention is None:
            return
        moment = time.monotonic()
        with self._lock:
            last = self._last.get(actor.tenant_id)
            if last is not None and moment - last < PURGE_EVERY_SECONDS:
                return
            self._last[actor.tenant_id] = moment
        uow.erasure.purge_deleted(actor.tenant_id, now() - self.retention)

    def cutoff(self, moment: datetime) -> datetime | None:
        return None if self.retention is None else moment - self.retention


class ErasureService:
    def __init__(self, transactions: Transactions, purge: HistoryPurge) -> None:
        self._tx = transactions
        self.purge = purge

    def erase(
        self, actor: Actor, contact_id: UUID, options: WriteOptions = NO_OPTIONS
    ) -> Contact | None:
        """Erase the contact's personal data, keeping the tenant's retention fields; the
        erased contact, or None for a deleted contact whose history was erased."""

        def work(uow: UnitOfWork) -> Contact | None:
            stored = uow.contacts.get(actor.tenant_id, contact_id)
            if stored is None:
                # A merged contact's data lives on in its survivor and its merge record:
                # erase the survivor, or unmerge first (docs/duplicates.md, "Merge").
                refuse_alias_write(uow, actor, contact_id)
            connection_setting = uow.erasure.secure_delete(True)
            try:
                if stored is None:
                    result = None
                    changed = _erase_deleted(uow, actor, contact_id, options)
                else:
                    current = Revision.stored(stored)
                    check_precondition(uow, actor, current.contact, options.if_match)
                    result = _erase(uow, actor, current)
                    merged = _erase_merged_into(uow, actor, contact_id)
                    changed = result is not current.contact or merged
                if changed:
                    uow.erasure.compact_search_index()
            finally:
                uow.erasure.secure_delete(connection_setting)
            if options.on_commit:
                options.on_commit(uow, result)
            return result

        erased = self._tx.write(work, actor)
        self._tx.read(lambda uow: uow.erasure.truncate_log())
        return erased

    def purge_history(self, moment: datetime, retention: timedelta | None = None) -> int:
        """Purge every tenant's expired history of deleted contacts (`retention`, or the
        configured one); the number of contacts whose history went."""
        cutoff = moment - retention if retention is not None else self.purge.cutoff(moment)
        if cutoff is None:
            return 0

        def purge(tenant_id: UUID) -> int:
            return self._tx.write(lambda uow: uow.erasure.purge_deleted(tenant_id, cutoff))

        return sum(purge(tenant.id) for tenant in self._tx.read(lambda uow: uow.tenants.list_all()))


def _erase_stored(uow: UnitOfWork, actor: Actor, contact_id: UUID, erased: Collection[str]) -> bool:
    """Erase what is stored about the contact besides itself; whether anything changed."""
    changed = _erase_history(uow, actor, contact_id, erased)
    changed |= _erase_responses(uow, actor, contact_id, erased)
    changed |= uow.erasure.forget_delivery_responses(actor.tenant_id, contact_id) > 0
    return changed | (uow.erasure.forget_kept_values(actor.tenant_id, contact_id) > 0)


def _erase_deleted(uow: UnitOfWork, actor: Actor, contact_id: UUID, options: WriteOptions) -> bool:
    """A deleted contact: its history (until purged) still holds its data. It has no version
    to match, so an If-Match other than * fails; no event is added after its deletion."""
    events = uow.events.since(actor.tenant_id, contact_id, 0)
    if not events:
        raise NotFound(f"no contact with id {contact_id}")
    if options.if_match not in (None, "*"):
        raise PreconditionFailed("the contact was deleted; it has no version to match")
    last = next(event for event in reversed(events) if event.type != "deleted")
    document = document_at(uow, actor, contact_id, last.version)
    # Of a version that cannot be rebuilt, the person fields go: the stricter choice.
    kind = "person" if document is None else orjson.loads(document)["kind"]
    erased = erased_fields(kind, actor.tenant.retention_fields)
    return _erase_stored(uow, actor, contact_id, erased)


def _erase_merged_into(uow: UnitOfWork, actor: Actor, survivor_id: UUID) -> bool:
    """The contacts merged into an erased survivor (and those merged into them before) live
    on in their histories and in the merge records: the person fields (the stricter choice)
    go from both; the merges can then no longer be undone."""
    erased = erased_fields("person", actor.tenant.retention_fields)
    changed = False
    pending, seen = [survivor_id], {survivor_id}
    while pending:
        current = pending.pop()
        for merged_id in uow.merges.merged_into(actor.tenant_id, current):
            if merged_id not in seen:
                seen.add(merged_id)
                pending.append(merged_id)
                changed |= _erase_stored(uow, actor, merged_id, erased)
        uow.merges.forget_merges_into(actor.tenant_id, current)
    return changed


def _erase(uow: UnitOfWork, actor: Actor, current: Revision) -> Contact:
    contact = current.contact
    erased = erased_fields(contact.kind, actor.tenant.retention_fields)
    changed = _erase_stored(uow, actor, contact.id, erased)
    clean = scrub(current.document, erased)
    if clean == current.document and not changed:
        return contact
    updated = Revision(
        contact=contact_from_document(clean).model_copy(
            update={"version": contact.version + 1, "updated_at": now()}
        )
    )
    if not uow.contacts.update(actor.tenant_id, updated.contact, updated.json, contact):
        raise TransientFailure("the contact changed while it was erased")
    event = ContactEvent(
        sequence=uow.tenants.next_value(actor.tenant_id, EVENT_COUNTER),
        contact_id=contact.id,
        contact_number=contact.number,
        type="erased",
        version=updated.contact.version,
        entries=(note(ERASED_NOTE, None, list(erased)),),
        api_key_id=actor.api_key_id,
        entry_point=actor.entry_point,
        request_id=actor.request_id,
        occurred_at=updated.contact.updated_at,
        snapshot=updated.json,
    )
    uow.events.append(actor.tenant_id, event)
    enqueue(uow, actor, [event])
    return updated.contact


def _erase_history(
    uow: UnitOfWork, actor: Actor, contact_id: UUID, erased: Collection[str]
) -> bool:
    events = uow.events.since(actor.tenant_id, contact_id, 0)
    steps = [
        HistoryStep(e.type, e.entries, None if e.snapshot is None else orjson.loads(e.snapshot))
        for e in events
    ]
    rewritten = [
        (event.sequence, entries, None if snapshot is None else orjson.dumps(snapshot))
        for event, step, (entries, snapshot) in zip(
            events, steps, scrub_history(steps, erased), strict=True
        )
        if entries != list(event.entries) or snapshot != step.snapshot
    ]
    uow.erasure.rewrite_events(actor.tenant_id, rewritten)
    return bool(rewritten)


def _erase_responses(
    uow: UnitOfWork, actor: Actor, contact_id: UUID, erased: Collection[str]
) -> bool:
    """Stored responses of idempotent requests: the contact in them is scrubbed; an error
    that names it (its words may quote a value) is forgotten."""
    changed = False
    for api_key_id, key, status, body in uow.erasure.stored_responses(actor.tenant_id, contact_id):
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            parsed = None
        if status is None or status >= 400 or parsed is None:
            uow.erasure.forget_response(actor.tenant_id, api_key_id, key)
            changed = True
            continue
        cleaned = scrub_embedded(parsed, str(contact_id), erased)
        if cleaned != parsed:
            uow.erasure.replace_response(
                actor.tenant_id, api_key_id, key, orjson.dumps(cleaned).decode()
            )
            changed = True
    return changed
