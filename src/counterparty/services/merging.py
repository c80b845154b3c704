"""Merging contacts into a survivor, and undoing it (docs/duplicates.md, "Merge").

A merge, in one transaction: the survivor takes each field as `domain/merging.py` chooses and
the merged contacts' lists; the merged contacts' children move to the survivor; the merged
contacts' rows leave `contacts` (lists and duplicates never see them) and become aliases
(services/aliases.py); the merge record keeps what an unmerge needs (services/unmerging.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import ConfigDict, Field

from counterparty.domain.contact import Contact, Model
from counterparty.domain.documents import writable_part
from counterparty.domain.history import ContactEvent, Entry, note
from counterparty.domain.ids import new_id
from counterparty.domain.merging import (
    CHOSEN,
    MAX_MERGED,
    MergedContact,
    MergeRecord,
    merged_document,
)
from counterparty.domain.validation import validate_changes, validated
from counterparty.domain.verification import verify
from counterparty.errors import FieldError, NotFound, TransientFailure, ValidationFailed
from counterparty.services.aliases import refuse_alias_write
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.new_contacts import check_references
from counterparty.services.outbox import enqueue
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions
from counterparty.services.writes import (
    EVENT_COUNTER,
    NO_OPTIONS,
    Revision,
    WriteOptions,
    change_event,
    check_precondition,
    next_revision,
    now,
    record_change,
)

DEFAULT_UNMERGE_WINDOW = timedelta(days=30)
# Children of one merged contact moved to the survivor in one merge, at most.
MAX_CHILDREN = 10_000


class MergeRequest(Model):
    """The body of POST /v1/contacts/{id}/merge."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Annotated[list[UUID], Field(alias="from", min_length=1, max_length=MAX_MERGED)]
    fields: dict[str, UUID] = Field(default_factory=dict)


class UnmergeRequest(Model):
    """The body of POST /v1/contacts/{id}/unmerge; without `contacts`, every merged one."""

    contacts: Annotated[list[UUID], Field(min_length=1, max_length=MAX_MERGED)] | None = None


@dataclass(frozen=True)
class Unmerged:
    survivor: Contact
    restored: list[Contact]
    kept_fields: list[str]  # the survivor's fields changed since the merge, kept as they are
    children_kept: list[UUID]  # moved children given another parent since, left there


def _invalid(pointer: str, code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(f"{pointer}: {detail}", errors=[FieldError(code, detail, pointer)])


def _checked_merge(survivor_id: UUID, request: MergeRequest) -> None:
    """What the body alone can get wrong: the survivor among `from`, an id twice, a field
    that cannot be chosen or a choice of a contact that takes no part."""
    seen: set[UUID] = set()
    for index, contact_id in enumerate(request.from_):
        if contact_id == survivor_id:
            raise _invalid(
                f"/from/{index}", "same_as_survivor", "a contact cannot be merged into itself"
            )
        if contact_id in seen:
            raise _invalid(f"/from/{index}", "duplicate_id", f"{contact_id} is named twice")
        seen.add(contact_id)
    for name, source in request.fields.items():
        if name not in CHOSEN:
            detail = (
                "not a field to choose (lists and custom fields are united, archived is the "
                "survivor's)"
            )
            raise _invalid(f"/fields/{name}", "not_chosen", detail)
        if source != survivor_id and source not in seen:
            raise _invalid(
                f"/fields/{name}", "not_merged", f"{source} is neither the survivor nor in from"
            )


def live(uow: UnitOfWork, actor: Actor, contact_id: UUID, where: str = "") -> Revision:
    """A live contact to write: a merged one is a ContactMerged, an unknown one a NotFound."""
    stored = uow.contacts.get(actor.tenant_id, contact_id)
    if stored is None:
        refuse_alias_write(uow, actor, contact_id)
        raise NotFound(f"no contact with id {contact_id}{where}")
    return Revision.stored(stored)


def set_parent(
    uow: UnitOfWork, actor: Actor, child_id: UUID, parent_id: UUID | None, moment: datetime
) -> None:
    """Give a contact another parent: a change of its own, with its own event."""
    stored = uow.contacts.get(actor.tenant_id, child_id)
    if stored is None:
        return
    current = Revision.stored(stored)
    before = writable_part(current.document)
    wanted = validate_changes(
        current.contact, before, {**before, "parent_id": parent_id and str(parent_id)}
    )
    check_references(uow, actor, child_id, wanted, previous=current.contact)
    save(
        uow, actor, current, next_revision(current.contact, wanted, current.contact.checks, moment)
    )


def save(
    uow: UnitOfWork, actor: Actor, current: Revision, updated: Revision, notes: Sequence[Entry] = ()
) -> ContactEvent | None:
    """Store a new revision; its event is recorded here unless `notes` ask the caller to."""
    if not uow.contacts.update(actor.tenant_id, updated.contact, updated.json, current.contact):
        raise TransientFailure("the contact changed while this write ran")
    if notes:
        return change_event(uow, actor, current, updated, notes)
    record_change(uow, actor, current, updated)
    return None


def note_event(
    uow: UnitOfWork,
    actor: Actor,
    contact: Contact,
    kind: Any,
    entries: Sequence[Entry],
    at: datetime,
) -> ContactEvent:
    """An event that changes no version of the document: a contact merged into another."""
    return ContactEvent(
        sequence=uow.tenants.next_value(actor.tenant_id, EVENT_COUNTER),
        contact_id=contact.id,
        contact_number=contact.number,
        type=kind,
        version=contact.version,
        entries=tuple(entries),
        api_key_id=actor.api_key_id,
        entry_point=actor.entry_point,
        request_id=actor.request_id,
        occurred_at=at,
        snapshot=None,
    )


def append(uow: UnitOfWork, actor: Actor, events: Sequence[ContactEvent]) -> None:
    uow.events.append_many(actor.tenant_id, events)
    enqueue(uow, actor, events)


class MergeService:
    def __init__(
        self,
        transactions: Transactions,
        contacts: ContactService,
        unmerge_window: timedelta = DEFAULT_UNMERGE_WINDOW,
    ) -> None:
        self._tx = transactions
        self._contacts = contacts
        self.unmerge_window = unmerge_window

    def merge(
        self, actor: Actor, survivor_id: UUID, body: Any, options: WriteOptions = NO_OPTIONS
    ) -> Contact:
        """Merge the contacts the body's `from` names into the survivor; the survivor after."""
        request: MergeRequest = validated(MergeRequest, body)
        _checked_merge(survivor_id, request)
        chosen = {name: str(source) for name, source in request.fields.items()}

        def work(uow: UnitOfWork) -> Contact:
            uow.merges.forget_closed(actor.tenant_id, now() - self.unmerge_window)
            survivor = live(uow, actor, survivor_id)
            check_precondition(uow, actor, survivor.contact, options.if_match)
            merged = [
                live(uow, actor, contact_id, f" (/from/{index})")
                for index, contact_id in enumerate(request.from_)
            ]
            result = _merge(uow, actor, survivor, merged, chosen, self._contacts)
            if options.on_commit:
                options.on_commit(uow, result)
            return result

        return self._contacts.ask_registry(actor, self._tx.write(work, actor))

    def forget_closed(self, moment: datetime) -> int:
        """Every tenant's records of merges whose unmerge window closed before `moment` are
        emptied (a merge does the same for its tenant on the way); how many were."""

        def forget(tenant_id: UUID) -> int:
            cutoff = moment - self.unmerge_window
            return self._tx.write(lambda uow: uow.merges.forget_closed(tenant_id, cutoff))

        return sum(
            forget(tenant.id) for tenant in self._tx.read(lambda uow: uow.tenants.list_all())
        )

    def unmerge(
        self, actor: Actor, survivor_id: UUID, body: Any, options: WriteOptions = NO_OPTIONS
    ) -> Unmerged:
        from counterparty.services.unmerging import unmerge  # it builds on this module

        request: UnmergeRequest = validated(UnmergeRequest, body)

        def work(uow: UnitOfWork) -> Unmerged:
            result = unmerge(
                uow, actor, survivor_id, request.contacts, self.unmerge_window, options
            )
            if options.on_commit:
                options.on_commit(uow, result)
            return result

        return self._tx.write(work, actor)


def _merge(
    uow: UnitOfWork,
    actor: Actor,
    survivor: Revision,
    merged: list[Revision],
    chosen: dict[str, str],
    contacts: ContactService,
) -> Contact:
    tenant_id, survivor_id, moment = actor.tenant_id, survivor.contact.id, now()
    merged_ids = {revision.contact.id for revision in merged}
    before = writable_part(survivor.document)
    others = [(revision.contact.id, writable_part(revision.document)) for revision in merged]
    document, taken = merged_document(survivor_id, before, others, chosen)
    if document["parent_id"] and UUID(document["parent_id"]) in {survivor_id, *merged_ids}:
        document["parent_id"] = None  # its parent is now itself: it has none
    kept: list[MergedContact] = []
    for revision in merged:
        contact = revision.contact
        children = [
            child
            for child in uow.contacts.children(tenant_id, contact.id, MAX_CHILDREN)
            if child != survivor_id and child not in merged_ids
        ]
        for child in children:
            set_parent(uow, actor, child, survivor_id, moment)
        secrets = [(n, h, at.isoformat()) for n, h, at in uow.merges.secrets(tenant_id, contact.id)]
        kept.append(
            MergedContact(contact.id, contact.number, revision.json.decode(), children, secrets)
        )
    # Merged rows go children first (a parent row cannot go before its child's). Those
    # above the survivor go after its change (which drops that parent); the others before
    # it, so that an external_ref the survivor takes from them is free.
    above = _merged_ancestors(survivor.contact, merged)
    ordered = _children_first(merged)
    for revision in ordered:
        if revision.contact.id not in above:
            uow.contacts.delete(tenant_id, revision.contact.id)
    wanted = validate_changes(survivor.contact, before, document)
    wanted, checks = verify(wanted, actor.validation_policy, previous=survivor.contact)
    if contacts.registry_checks:
        checks = contacts.registry_checks.mark(checks, wanted, survivor.contact)
    for revision in merged:
        ref = revision.contact.external_ref
        if revision.contact.id in above and ref is not None and ref == wanted.external_ref:
            # The survivor takes the external_ref of a row that can only go after its change:
            # that row lets go of it first (it is deleted in this transaction anyway).
            released = revision.contact.model_copy(update={"external_ref": None})
            uow.contacts.update(tenant_id, released, revision.json, revision.contact)
    check_references(uow, actor, survivor_id, wanted, previous=survivor.contact)
    updated = next_revision(survivor.contact, wanted, checks, moment)
    ids = [str(revision.contact.id) for revision in merged]
    events = [
        note_event(
            uow,
            actor,
            r.contact,
            "merged_into",
            [note("merged_into", None, str(survivor_id))],
            moment,
        )
        for r in merged
    ]
    merged_event = save(
        uow, actor, survivor, updated, [note("merged", None, {"contacts": ids, "fields": taken})]
    )
    for revision in ordered:
        if revision.contact.id in above:
            uow.contacts.delete(tenant_id, revision.contact.id)
    assert merged_event is not None
    append(uow, actor, [*events, replace(merged_event, type="merged")])
    record = MergeRecord(
        new_id(), survivor_id, moment, chosen, before, writable_part(updated.document), kept
    )
    uow.merges.add(tenant_id, record)
    return updated.contact


def _children_first(merged: list[Revision]) -> list[Revision]:
    remaining, ordered = list(merged), []
    while remaining:
        parents = {revision.contact.parent_id for revision in remaining}
        leaves = [r for r in remaining if r.contact.id not in parents] or remaining[:1]
        ordered.extend(leaves)
        remaining = [revision for revision in remaining if revision not in leaves]
    return ordered


def _merged_ancestors(survivor: Contact, merged: list[Revision]) -> set[UUID]:
    """The merged contacts among the survivor's parent, its parent's parent, and so on."""
    parents = {revision.contact.id: revision.contact.parent_id for revision in merged}
    found: set[UUID] = set()
    ancestor = survivor.parent_id
    while ancestor is not None and ancestor in parents and ancestor not in found:
        found.add(ancestor)
        ancestor = parents[ancestor]
    return found
