"""Undoing a merge within the unmerge window (docs/duplicates.md, "Merge").

Each merged contact comes back as it was before the merge (same id, number and fields,
version + 1), its moved children go back to it, and the survivor gets back the values it had
before the merge for every field still as the merge left it; a field changed since is kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import orjson

from counterparty.domain.contact import Contact
from counterparty.domain.documents import contact_from_document, writable_part
from counterparty.domain.history import ContactEvent, note
from counterparty.domain.merging import MergedContact, MergeRecord, given_back, merged_document
from counterparty.domain.validation import validate_changes
from counterparty.domain.verification import verify
from counterparty.errors import (
    DuplicateValue,
    FieldError,
    UnmergeWindowClosed,
    ValidationFailed,
)
from counterparty.services.aliases import resolve_alias
from counterparty.services.context import Actor
from counterparty.services.merging import Unmerged, append, live, save, set_parent
from counterparty.services.new_contacts import check_references
from counterparty.services.ports import UnitOfWork
from counterparty.services.writes import (
    Revision,
    WriteOptions,
    change_event,
    check_precondition,
    next_revision,
    now,
)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _not_merged(pointer: str, detail: str) -> ValidationFailed:
    return ValidationFailed(detail, errors=[FieldError("not_merged", detail, pointer)])


def _grouped(
    uow: UnitOfWork, actor: Actor, survivor_id: UUID, wanted: list[UUID] | None
) -> dict[UUID, list[UUID]]:
    """The contacts to bring back, by the merge that merged them."""
    merged = uow.merges.merged_into(actor.tenant_id, survivor_id)
    if wanted is None:
        if not merged:
            raise _not_merged("", f"no contact is merged into {survivor_id}")
        wanted = list(merged)
    groups: dict[UUID, list[UUID]] = {}
    for index, contact_id in enumerate(dict.fromkeys(wanted)):
        if contact_id not in merged:
            detail = f"{contact_id} is not merged into {survivor_id}"
            raise _not_merged(f"/contacts/{index}", detail)
        groups.setdefault(merged[contact_id], []).append(contact_id)
    return groups


def unmerge(
    uow: UnitOfWork,
    actor: Actor,
    survivor_id: UUID,
    wanted: list[UUID] | None,
    window: timedelta,
    options: WriteOptions,
) -> Unmerged:
    current = live(uow, actor, survivor_id)
    check_precondition(uow, actor, current.contact, options.if_match)
    moment = now()
    records: list[MergeRecord] = []
    groups = _grouped(uow, actor, survivor_id, wanted)
    for merge_id in groups:
        record = uow.merges.get(actor.tenant_id, merge_id)
        if record is None:  # emptied after its window, or erased with the survivor (GDPR)
            raise UnmergeWindowClosed(
                "the merge's record was emptied (its unmerge window closed, or the contact's "
                "personal data was erased): the merge can no longer be undone"
            )
        closed = _aware(record.merged_at) + window
        if moment > closed:
            raise UnmergeWindowClosed(
                f"the merge of {_aware(record.merged_at).isoformat()} could be undone until "
                f"{closed.isoformat()}",
                window_closed_at=closed.isoformat(),
            )
        records.append(record)
    # The latest merge first: each one's "after" is what the next one started from.
    records.sort(key=lambda record: _aware(record.merged_at), reverse=True)
    restored: list[Contact] = []
    kept_fields: list[str] = []
    children_kept: list[UUID] = []
    for record in records:
        leaving = set(groups[record.id])
        result = _undo(uow, actor, current, record, leaving, moment)
        restored.extend(result[0])
        kept_fields.extend(name for name in result[1] if name not in kept_fields)
        children_kept.extend(result[2])
        current = live(uow, actor, survivor_id)
    return Unmerged(current.contact, restored, kept_fields, children_kept)


def _undo(
    uow: UnitOfWork,
    actor: Actor,
    current: Revision,
    record: MergeRecord,
    leaving: set[UUID],
    moment: datetime,
) -> tuple[list[Contact], list[str], list[UUID]]:
    survivor_id = record.survivor_id
    staying = [merged for merged in record.contacts if merged.id not in leaving]
    going = _parents_first([merged for merged in record.contacts if merged.id in leaving])
    going_ids = {merged.id for merged in going}
    others = [(merged.id, writable_part(orjson.loads(merged.json))) for merged in staying]
    wanted, _ = merged_document(survivor_id, record.survivor_before, others, record.fields)
    if wanted["parent_id"] and UUID(wanted["parent_id"]) in {survivor_id, *(i for i, _ in others)}:
        wanted["parent_id"] = None  # as the merge decided
    before = writable_part(current.document)
    document, kept = given_back(before, record.survivor_after, wanted)
    # A parent coming back is given once it is back; external_refs given back are free first.
    later_parent = None
    if document["parent_id"] and UUID(document["parent_id"]) in going_ids:
        later_parent, document["parent_id"] = UUID(document["parent_id"]), before["parent_id"]
    changed = validate_changes(current.contact, before, document)
    changed, checks = verify(changed, actor.validation_policy, previous=current.contact)
    check_references(uow, actor, survivor_id, changed, previous=current.contact)
    updated = next_revision(current.contact, changed, checks, moment)
    shown = {"contacts": [str(merged.id) for merged in going], "kept_fields": kept}
    survivor_event = save(uow, actor, current, updated, [note("unmerged", None, shown)])
    assert survivor_event is not None
    events = [replace(survivor_event, type="unmerged")]
    restored = []
    for merged in going:
        contact, event = _restore(uow, actor, merged, survivor_id, moment)
        restored.append(contact)
        events.append(event)
    append(uow, actor, events)
    children_kept: list[UUID] = []
    for merged in going:
        for child in merged.children:
            found, parent = uow.contacts.parent_link(actor.tenant_id, child)
            if found and parent == survivor_id:
                set_parent(uow, actor, child, merged.id, moment)
            elif found:
                children_kept.append(child)
    if later_parent is not None:
        set_parent(uow, actor, survivor_id, later_parent, moment)
    after = dict(record.survivor_after)
    for name, value in document.items():
        if value != before[name]:
            after[name] = value
    if later_parent is not None:
        after["parent_id"] = str(later_parent)
    record.survivor_after, record.contacts = after, staying
    uow.merges.keep(actor.tenant_id, record, [merged.id for merged in going])
    return restored, kept, children_kept


def _parents_first(going: list[MergedContact]) -> list[MergedContact]:
    """Contacts coming back in an order where a parent coming back comes before its child."""
    ids = {merged.id for merged in going}
    parents = {merged.id: _parent_of(merged) for merged in going}
    ordered: list[MergedContact] = []
    while going:
        ready = [m for m in going if parents[m.id] not in ids or parents[m.id] in _ids(ordered)]
        ready = ready or going[:1]
        ordered.extend(ready)
        going = [merged for merged in going if merged not in ready]
    return ordered


def _ids(contacts: list[MergedContact]) -> set[UUID]:
    return {merged.id for merged in contacts}


def _parent_of(merged: MergedContact) -> UUID | None:
    parent = orjson.loads(merged.json)["parent_id"]
    return None if parent is None else UUID(parent)


def _restore(
    uow: UnitOfWork, actor: Actor, merged: MergedContact, survivor_id: UUID, moment: datetime
) -> tuple[Contact, ContactEvent]:
    """The merged contact back as it was, at its version + 1."""
    tenant_id = actor.tenant_id
    if uow.contacts.get(tenant_id, merged.id) is not None:
        raise DuplicateValue(
            f"a contact with id {merged.id} exists", pointer="/contacts", existing_id=str(merged.id)
        )
    document: dict[str, Any] = orjson.loads(merged.json)
    old = Revision(json=merged.json.encode(), document=dict(document))
    document["version"] += 1
    document["updated_at"] = moment.isoformat()
    parent = document["parent_id"]
    if parent is not None and not uow.contacts.parent_link(tenant_id, UUID(parent))[0]:
        # Its parent is gone since: merged (then its survivor is the parent) or deleted.
        found = resolve_alias(uow, actor, UUID(parent))
        document["parent_id"] = None if found is None else str(found.resolved_id)
    ref = document["external_ref"]
    holder = None if ref is None else uow.contacts.id_for_external_ref(tenant_id, ref)
    if holder is not None:
        raise DuplicateValue(
            f"external_ref '{ref}' of {merged.id} belongs to contact {holder} now; change it "
            "there first",
            pointer="/external_ref",
            existing_id=str(holder),
        )
    back = Revision(contact=contact_from_document(document))
    uow.contacts.insert(tenant_id, back.contact, back.json)
    for name, hashed, at in merged.secrets:
        uow.contacts.store_secret(tenant_id, merged.id, name, hashed, datetime.fromisoformat(at))
    event = change_event(uow, actor, old, back, [note("unmerged_from", str(survivor_id), None)])
    return back.contact, replace(event, type="unmerged")
