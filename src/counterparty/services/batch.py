"""Many contacts in one request: created, or upserted by a field they are matched on.

Each item gets exactly what the single request would have given it (the same validation and
checks, the same history), and one bad item never stops the others. The expensive part
(validation and identifier checks) runs before the write transaction; the transaction then
stores everything in a few statements. Items are applied in order: an item that matches a
contact an earlier item of the same batch created or changed is applied after it, inside the
transaction, as are items whose contact changed since it was read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

import orjson

from counterparty.domain.contact import Contact
from counterparty.domain.documents import StoredContact, writable_part
from counterparty.domain.ids import new_id
from counterparty.domain.merge_patch import merge_items_by_position, merge_patch, without_nulls
from counterparty.domain.validation import read_only_errors, validate_changes
from counterparty.domain.verification import verify
from counterparty.errors import (
    Conflict,
    CounterpartyError,
    DuplicateValue,
    FieldError,
    NotFound,
    TransientFailure,
    ValidationFailed,
)
from counterparty.services.aliases import refuse_alias_write
from counterparty.services.batch_matching import MATCH_FIELDS, MatchField, match_value
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor
from counterparty.services.new_contacts import (
    CONTACT_NUMBER_COUNTER,
    NewContact,
    check_references,
    prepare_new,
)
from counterparty.services.outbox import enqueue
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry_checks import RegistryChecks
from counterparty.services.transactions import Transactions
from counterparty.services.writes import (
    EVENT_COUNTER,
    Revision,
    WriteOptions,
    change_event,
    next_revision,
    now,
    unchanged,
)

__all__ = ["MATCH_FIELDS", "MAX_ITEMS", "BatchResult", "BatchService", "ItemResult"]

MAX_ITEMS = 1000
Action = Literal["created", "updated", "unchanged", "failed"]


@dataclass(frozen=True)
class ItemResult:
    index: int
    action: Action
    contact: Contact | None = None
    error: CounterpartyError | None = None


@dataclass(frozen=True)
class BatchResult:
    results: list[ItemResult]

    def count(self, action: Action) -> int:
        return sum(result.action == action for result in self.results)


@dataclass
class _Item:
    """One item on its way: what it asks for and, once decided, what it becomes."""

    index: int
    document: Mapping[str, Any]
    match: Any = None
    new: NewContact | None = None
    current: Revision | None = None
    wanted: Any = None
    checks: list[Any] = field(default_factory=list)
    in_transaction: bool = False  # applied inside the transaction, after earlier items
    result: ItemResult | None = None
    by_position: bool = False  # lists of objects merge item by item (imports)


class BatchService:
    def __init__(self, transactions: Transactions, contacts: ContactService) -> None:
        self._tx = transactions
        self._contacts = contacts
        self._registry = contacts.registry_checks

    def apply(
        self,
        actor: Actor,
        documents: Sequence[Any],
        match_on: MatchField | None = None,
        options: WriteOptions | None = None,
        *,
        dry_run: bool = False,
        by_position: bool = False,
    ) -> BatchResult:
        """With `dry_run`, everything is decided in the write transaction, which is then
        rolled back. With `by_position`, a matched item's lists of objects merge into the
        contact's item by item (`merge_items_by_position`)."""
        items = [
            _Item(index, document, by_position=by_position)
            for index, document in enumerate(documents)
        ]
        for item in items:
            self._read_item(item, match_on)
        found = self._find(actor, items, match_on) if match_on else {}
        seen: set[Any] = set()
        for item in items:
            if item.result is None:
                self._prepare(actor, item, match_on, found, seen)

        def work(uow: UnitOfWork) -> list[ItemResult]:
            results = _Writer(uow, actor, self._registry, match_on).write(items)
            if dry_run:
                raise _RolledBack(results)
            if options and options.on_commit:
                options.on_commit(uow, BatchResult(results))
            return results

        try:
            result = BatchResult(self._tx.write(work, actor))
        except _RolledBack as rolled_back:
            return BatchResult(rolled_back.results)
        for outcome in result.results:
            if outcome.contact is not None and outcome.action in ("created", "updated"):
                self._contacts.ask_registry(actor, outcome.contact)
        return result

    # --- before the transaction ------------------------------------------------------

    @staticmethod
    def _read_item(item: _Item, match_on: MatchField | None) -> None:
        document = item.document
        if not isinstance(document, Mapping):
            item.result = _failed(
                item,
                ValidationFailed(
                    "an item must be a JSON object",
                    errors=[FieldError("invalid_type", "expected a JSON object", pointer="")],
                ),
            )
            return
        if match_on in ("id", "number") and match_on in document:
            # The service's own identifiers name the contact; they are never written.
            item.document = {k: v for k, v in document.items() if k != match_on}
            item.match = match_value(match_on, document[match_on], document)
            if item.match is None:
                item.result = _failed(item, _bad_match(match_on))
        elif match_on is not None:
            item.match = match_value(match_on, document.get(match_on), document)

    def _find(
        self, actor: Actor, items: list[_Item], match_on: MatchField
    ) -> dict[Any, list[StoredContact | UUID]]:
        wanted = [item.match for item in items if item.result is None and item.match is not None]
        if not wanted:
            return {}

        def work(uow: UnitOfWork) -> dict[Any, list[StoredContact | UUID]]:
            holders = uow.contacts.find(actor.tenant_id, match_on, wanted)
            unique = [ids[0] for ids in holders.values() if len(ids) == 1]
            stored = uow.contacts.get_many(actor.tenant_id, unique)
            return {
                value: [stored.get(ids[0], ids[0])] if len(ids) == 1 else list(ids)
                for value, ids in holders.items()
            }

        return self._tx.read(work, actor)

    def _prepare(
        self,
        actor: Actor,
        item: _Item,
        match_on: MatchField | None,
        found: dict[Any, list[StoredContact | UUID]],
        seen: set[Any],
    ) -> None:
        if item.match is not None:
            if item.match in seen:
                item.in_transaction = True  # an earlier item of this batch decides it
                return
            seen.add(item.match)
        holders = found.get(item.match, []) if item.match is not None else []
        try:
            if len(holders) > 1:
                raise _ambiguous(match_on, holders)
            if holders:
                stored = holders[0]
                if not isinstance(stored, StoredContact):
                    item.in_transaction = True  # it changed between the two reads
                    return
                _prepare_update(actor, self._registry, item, Revision.stored(stored))
            elif match_on in ("id", "number") and item.match is not None:
                item.in_transaction = True  # not found, or merged: the write tells which
            else:
                item.new = prepare_new(actor, item.document, self._registry)
        except CounterpartyError as error:
            item.result = _failed(item, error)


def _prepare_update(
    actor: Actor, registry: RegistryChecks | None, item: _Item, current: Revision
) -> None:
    """Merge the item onto the contact it matched, then validate and check the result."""
    if errors := read_only_errors(item.document):
        raise ValidationFailed(errors[0].detail, errors=errors)
    before = writable_part(current.document)
    merge = merge_items_by_position if item.by_position else merge_patch
    merged = merge(writable_part(orjson.loads(current.json)), item.document)
    if without_nulls(merged) == without_nulls(before):
        # It brings nothing: what is stored was checked when it was written.
        item.wanted, item.current, item.checks = current.contact, current, []
        return
    changed = validate_changes(current.contact, before, merged)
    item.wanted, checks = verify(changed, actor.validation_policy, previous=current.contact)
    if registry:
        checks = registry.mark(checks, item.wanted, current.contact)
    item.current, item.checks = current, list(checks)


class _RolledBack(Exception):
    """Ends a dry run's transaction without committing it, carrying what it would have done."""

    def __init__(self, results: list[ItemResult]) -> None:
        self.results = results


def _failed(item: _Item, error: CounterpartyError) -> ItemResult:
    return ItemResult(item.index, "failed", error=error)


def _bad_match(match_on: str) -> ValidationFailed:
    detail = "a contact id (UUID)" if match_on == "id" else "a contact number"
    return ValidationFailed(
        f"/{match_on}: expected {detail}",
        errors=[FieldError("invalid_format", f"expected {detail}", pointer=f"/{match_on}")],
    )


def _taken(ref: str, holder: UUID) -> DuplicateValue:
    return DuplicateValue(
        f"external_ref '{ref}' already belongs to contact {holder}",
        pointer="/external_ref",
        existing_id=str(holder),
    )


def _ambiguous(match_on: str | None, holders: Sequence[StoredContact | UUID]) -> Conflict:
    return Conflict(
        f"{len(holders)} contacts have this {match_on}; match on a field that names one contact"
    )


class _Writer:
    """The write transaction of one batch."""

    def __init__(
        self,
        uow: UnitOfWork,
        actor: Actor,
        registry: RegistryChecks | None,
        match_on: MatchField | None,
    ) -> None:
        self._uow = uow
        self._actor = actor
        self._registry = registry
        self._match_on = match_on
        self._inserts: list[Revision] = []
        self._refs: dict[str, UUID] = {}  # external refs this batch gave out
        self._events: list[tuple[Revision | None, Revision]] = []

    def write(self, items: list[_Item]) -> list[ItemResult]:
        tenant_id = self._actor.tenant_id
        creates = [item for item in items if item.result is None and item.new is not None]
        # Locks in the order every write takes them: the number counter, contact rows, the
        # event counter; so concurrent writers wait for each other instead of deadlocking.
        last = 0
        if creates:
            last = self._uow.tenants.reserve(tenant_id, CONTACT_NUMBER_COUNTER, len(creates))
        numbers = iter(range(last - len(creates) + 1, last + 1))
        moment = now()
        results: list[ItemResult] = []
        for item in items:
            if item.result is None:
                try:
                    item.result = self._apply(item, numbers, moment)
                except (ValidationFailed, Conflict, NotFound) as error:
                    item.result = _failed(item, error)
            results.append(item.result)
        self._flush()
        if self._events:
            last_sequence = self._uow.tenants.reserve(tenant_id, EVENT_COUNTER, len(self._events))
            first = last_sequence - len(self._events) + 1
            events = [
                change_event(self._uow, self._actor, before, after, sequence=first + offset)
                for offset, (before, after) in enumerate(self._events)
            ]
            self._uow.events.append_many(tenant_id, events)
            enqueue(self._uow, self._actor, events)
        return results

    def _apply(self, item: _Item, numbers: Any, moment: Any) -> ItemResult:
        if item.in_transaction:
            self._flush()
            return self._apply_now(item)
        if item.new is not None:
            return self._create(item, item.new, next(numbers), moment)
        assert item.current is not None
        return self._update(item, item.current, item.wanted, item.checks)

    def _create(self, item: _Item, new: NewContact, number: int, moment: Any) -> ItemResult:
        contact_id = new.chosen_id or new_id()
        uow, actor = self._uow, self._actor
        if new.chosen_id and (
            uow.contacts.get(actor.tenant_id, contact_id)
            or uow.merges.survivor_of(actor.tenant_id, contact_id)  # an unmerge needs it
        ):
            raise DuplicateValue(
                f"a contact with id {contact_id} exists", pointer="/id", existing_id=str(contact_id)
            )
        ref = new.wanted.external_ref
        if ref is not None and (holder := self._refs.get(ref)):
            raise _taken(ref, holder)
        check_references(uow, actor, contact_id, new.wanted, previous=None)
        if ref is not None:
            self._refs[ref] = contact_id
        created = Revision(contact=new.build(contact_id, number, moment))
        self._inserts.append(created)
        self._events.append((None, created))
        return ItemResult(item.index, "created", contact=created.contact)

    def _update(self, item: _Item, current: Revision, wanted: Any, checks: list[Any]) -> ItemResult:
        before = current.contact
        if unchanged(wanted, before):
            return ItemResult(item.index, "unchanged", contact=before)
        ref = wanted.external_ref
        if ref != before.external_ref and ref is not None and (holder := self._refs.get(ref)):
            raise _taken(ref, holder)
        check_references(self._uow, self._actor, before.id, wanted, previous=before)
        updated = next_revision(before, wanted, checks, now())
        if not self._uow.contacts.update(
            self._actor.tenant_id, updated.contact, updated.json, before
        ):
            raise TransientFailure("a contact of the batch changed while it was written")
        self._events.append((current, updated))
        return ItemResult(item.index, "updated", contact=updated.contact)

    def _apply_now(self, item: _Item) -> ItemResult:
        """An item decided inside the transaction: its match is looked up again (earlier
        items of the batch are visible now) and it is validated here."""
        uow, actor = self._uow, self._actor
        holders = (
            uow.contacts.find(actor.tenant_id, self._match_on, [item.match]).get(item.match, [])
            if self._match_on
            else []
        )
        if len(holders) > 1:
            raise _ambiguous(self._match_on, holders)
        if not holders:
            if self._match_on in ("id", "number"):
                refuse_alias_write(uow, actor, item.match)
                raise NotFound(f"no contact has {self._match_on} {item.match}")
            new = prepare_new(actor, item.document, self._registry)
            number = uow.tenants.next_value(actor.tenant_id, CONTACT_NUMBER_COUNTER)
            result = self._create(item, new, number, now())
            self._flush()
            return result
        stored = uow.contacts.get(actor.tenant_id, holders[0])
        assert stored is not None
        _prepare_update(actor, self._registry, item, Revision.stored(stored))
        assert item.current is not None
        return self._update(item, item.current, item.wanted, item.checks)

    def _flush(self) -> None:
        if self._inserts:
            self._uow.contacts.insert_many(
                self._actor.tenant_id, [(r.contact, r.json) for r in self._inserts]
            )
            self._inserts = []
