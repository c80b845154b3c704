"""Contact use cases: the same functions serve the native API, every dialect and the CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, wraps
from typing import Any, Concatenate, ParamSpec
from uuid import UUID

import orjson

from counterparty.domain.contact import Check, Contact, ContactInput
from counterparty.domain.documents import StoredContact, contact_from_json, writable_part
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.secrets import hash_secret, verify_secret
from counterparty.domain.validation import read_only_errors, validate_changes, validate_document
from counterparty.domain.verification import verify
from counterparty.errors import (
    ContactInUse,
    FieldError,
    NotFound,
    TransientFailure,
    ValidationFailed,
)
from counterparty.services.aliases import refuse_alias_write, resolve_alias
from counterparty.services.context import Actor
from counterparty.services.duplicate_policy import apply_duplicate_policy
from counterparty.services.listing import ContactQuery, Listed, decode_cursor, encode_cursor
from counterparty.services.new_contacts import check_references, prepare_new
from counterparty.services.ports import UnitOfWork
from counterparty.services.registry_answers import store_registry_answer
from counterparty.services.registry_checks import RegistryAnswer, RegistryChecks
from counterparty.services.transactions import Transactions
from counterparty.services.writes import (
    NO_OPTIONS,
    Revision,
    WriteOptions,
    check_precondition,
    next_revision,
    now,
    record_change,
    unchanged,
    writable_document,
)

__all__ = ["ContactPage", "ContactService", "CountedPage", "PreparedWrite", "writable_document"]

log = logging.getLogger("counterparty")

MAX_REPORTED_CHILDREN = 20
Secrets = Mapping[str, str]  # name -> plaintext, e.g. a vendor's portal password
# (the current contact, a fresh copy of its writable document) -> what it should be
Change = Callable[[Contact, dict[str, Any]], Mapping[str, Any] | ContactInput]


@dataclass(frozen=True)
class PreparedWrite:
    """A contact write checked before its transaction; `run` does it inside one."""

    run: Callable[[UnitOfWork], Contact]


@dataclass(frozen=True)
class ContactPage:
    listed: list[Listed]
    next_cursor: str | None

    @cached_property
    def contacts(self) -> list[Contact]:
        return [contact_from_json(item.document) for item in self.listed]


@dataclass(frozen=True)
class CountedPage:
    """A page found by offset, with the total: what vendor APIs that page by number need."""

    listed: list[Listed]
    total: int

    @cached_property
    def contacts(self) -> list[Contact]:
        return [contact_from_json(item.document) for item in self.listed]


def _object_patch(patch: Any) -> Mapping[str, Any]:
    if not isinstance(patch, Mapping):
        raise ValidationFailed(
            "a merge patch must be a JSON object",
            errors=[FieldError("invalid_type", "expected a JSON object", pointer="")],
        )
    if errors := read_only_errors(patch):
        raise ValidationFailed(errors[0].detail, errors=errors)
    return patch


Prepare = ParamSpec("Prepare")


def _alone(
    prepare: Callable[Concatenate[ContactService, Actor, Prepare], PreparedWrite],
) -> Callable[Concatenate[ContactService, Actor, Prepare], Contact]:
    """The write `prepare` makes, run in a transaction of its own."""

    @wraps(prepare)
    def write(
        self: ContactService, actor: Actor, /, *args: Prepare.args, **kwargs: Prepare.kwargs
    ) -> Contact:
        return self.write_together(actor, [prepare(self, actor, *args, **kwargs)])[0]

    return write


class ContactService:
    def __init__(
        self,
        transactions: Transactions,
        registry_checks: RegistryChecks | None = None,
        on_delete: Callable[[UnitOfWork, Actor], None] | None = None,
    ) -> None:
        """`on_delete`: runs in each delete's transaction (the purge of expired history)."""
        self._tx = transactions
        self._registry = registry_checks
        self._on_delete = on_delete

    @property
    def registry_checks(self) -> RegistryChecks | None:
        return self._registry

    # --- reads -------------------------------------------------------------------------

    def read(self, actor: Actor, contact_id: UUID) -> StoredContact:
        """The contact's stored JSON, as reads serve it; a merged contact's id reads its
        survivor (with `resolved_id` set)."""
        return self._tx.read(lambda uow: self._stored(uow, actor, contact_id, True), actor)

    def read_by_number(self, actor: Actor, number: int) -> StoredContact:
        def work(uow: UnitOfWork) -> StoredContact:
            stored = uow.contacts.get_by_number(actor.tenant_id, number)
            if stored is None:
                stored = resolve_alias(uow, actor, number)
            if stored is None:
                raise NotFound(f"no contact has number {number}")
            return stored

        return self._tx.read(work, actor)

    def get(self, actor: Actor, contact_id: UUID) -> Contact:
        return self.read(actor, contact_id).contact()

    def get_by_number(self, actor: Actor, number: int) -> Contact:
        return self.read_by_number(actor, number).contact()

    def list(self, actor: Actor, query: ContactQuery, cursor: str | None = None) -> ContactPage:
        secret = actor.tenant.cursor_secret
        positioned = decode_cursor(secret, cursor, query) if cursor else query
        found = self._tx.read(lambda uow: uow.contacts.search(actor.tenant_id, positioned), actor)
        page = found[: query.limit]
        more = len(found) > query.limit
        return ContactPage(page, encode_cursor(secret, query, page[-1]) if more else None)

    def list_counted(self, actor: Actor, query: ContactQuery) -> CountedPage:
        def work(uow: UnitOfWork) -> CountedPage:
            found = uow.contacts.search(actor.tenant_id, query)[: query.limit]
            return CountedPage(found, uow.contacts.count(actor.tenant_id, query))

        return self._tx.read(work, actor)

    def verify_secret(self, actor: Actor, contact_id: UUID, name: str, plaintext: str) -> bool:
        """Whether `plaintext` matches the secret stored for the contact under `name`."""
        stored = self._tx.read(
            lambda uow: uow.contacts.secret_hash(actor.tenant_id, contact_id, name), actor
        )
        return stored is not None and verify_secret(plaintext, stored)

    # --- writes ------------------------------------------------------------------------
    # Each write is prepared first (checked, nothing written) and then run in a transaction;
    # `write_together` runs several in one, for a request that writes more than one contact.

    def write_together(self, actor: Actor, writes: Sequence[PreparedWrite]) -> tuple[Contact, ...]:
        """Run prepared writes in order in one transaction: all of them commit, or none."""
        written = self._tx.write(lambda uow: [write.run(uow) for write in writes], actor)
        return tuple(self.ask_registry(actor, contact) for contact in written)

    def prepare_create(
        self,
        actor: Actor,
        document: Mapping[str, Any],
        secrets: Secrets | None = None,
        options: WriteOptions = NO_OPTIONS,
        chosen_id_allowed: bool = True,
    ) -> PreparedWrite:
        """Create a contact. `chosen_id_allowed`: the document may carry the contact's id (some
        vendor APIs let their clients choose it; the native API does not)."""
        prepared = prepare_new(actor, document, self._registry, chosen_id_allowed)
        hashed = _hash_all(secrets)

        def work(uow: UnitOfWork) -> Contact:
            apply_duplicate_policy(uow, actor, prepared.wanted, None, options)
            created = prepared.store(uow, actor)
            _store_secrets(uow, actor, created.contact.id, hashed)
            record_change(uow, actor, None, created)
            if options.on_commit:
                options.on_commit(uow, created.contact)
            return created.contact

        return PreparedWrite(work)

    def replace(
        self,
        actor: Actor,
        contact_id: UUID,
        document: Mapping[str, Any],
        options: WriteOptions = NO_OPTIONS,
    ) -> Contact:
        validated = validate_document(ContactInput, document)
        return self.edit(actor, contact_id, lambda _: validated, options)

    def prepare_patch(
        self,
        actor: Actor,
        contact_id: UUID,
        patch: Mapping[str, Any],
        secrets: Secrets | None = None,
        options: WriteOptions = NO_OPTIONS,
    ) -> PreparedWrite:
        """Apply a JSON Merge Patch; `secrets` are stored hashed in the same transaction."""
        patch = _object_patch(patch)
        return self._prepare_edit(
            actor, contact_id, lambda _, document: merge_patch(document, patch), options, secrets
        )

    def set_archived(
        self, actor: Actor, contact_id: UUID, archived: bool, options: WriteOptions = NO_OPTIONS
    ) -> Contact:
        prepared = self._prepare_edit(
            actor, contact_id, lambda _, document: {**document, "archived": archived}, options
        )
        return self.write_together(actor, [prepared])[0]

    def prepare_edit(
        self,
        actor: Actor,
        contact_id: UUID | int,
        change: Callable[[Contact], Mapping[str, Any] | ContactInput],
        options: WriteOptions = NO_OPTIONS,
        secrets: Secrets | None = None,
    ) -> PreparedWrite:
        """The one read-modify-write path: `change` maps the contact read in this write (by id
        or per-tenant number) to the wanted document or an already valid ContactInput."""
        return self._prepare_edit(
            actor, contact_id, lambda current, _: change(current), options, secrets
        )

    # Each prepared write, run alone in its own transaction.
    create = _alone(prepare_create)
    patch = _alone(prepare_patch)
    edit = _alone(prepare_edit)

    def _prepare_edit(
        self,
        actor: Actor,
        contact_id: UUID | int,
        change: Change,
        options: WriteOptions = NO_OPTIONS,
        secrets: Secrets | None = None,
    ) -> PreparedWrite:
        """`edit`, with `change` also handed the current writable document (a fresh copy it
        may change): what a merge patch needs, without rebuilding it from the contact."""
        hashed = _hash_all(secrets)

        def work(uow: UnitOfWork) -> Contact:
            current = Revision.stored(self._stored(uow, actor, contact_id))
            check_precondition(uow, actor, current.contact, options.if_match)
            before = writable_part(current.document)
            changed = change(current.contact, writable_part(orjson.loads(current.json)))
            if not isinstance(changed, ContactInput):
                changed = validate_changes(current.contact, before, changed)
            wanted, checks = verify(changed, actor.validation_policy, previous=current.contact)
            if self._registry:
                checks = self._registry.mark(checks, wanted, current.contact)
            apply_duplicate_policy(uow, actor, wanted, current.contact, options)
            saved = self._save(uow, actor, current, wanted, checks)
            _store_secrets(uow, actor, current.contact.id, hashed)
            if options.on_commit:
                options.on_commit(uow, saved.contact)
            return saved.contact

        return PreparedWrite(work)

    def delete(self, actor: Actor, contact_id: UUID, options: WriteOptions = NO_OPTIONS) -> None:
        def work(uow: UnitOfWork) -> None:
            current = Revision.stored(self._stored(uow, actor, contact_id))
            check_precondition(uow, actor, current.contact, options.if_match)
            children = uow.contacts.children(actor.tenant_id, contact_id, MAX_REPORTED_CHILDREN)
            if children:
                listed = ", ".join(str(child) for child in children)
                raise ContactInUse(
                    f"contact {contact_id} is the parent of {listed}; "
                    "move or delete those contacts first",
                    referenced_by=[str(child) for child in children],
                )
            uow.contacts.delete(actor.tenant_id, contact_id)
            record_change(uow, actor, current, None)
            if self._on_delete:
                self._on_delete(uow, actor)

        self._tx.write(work, actor)

    # --- registry answers --------------------------------------------------------------

    def ask_registry(self, actor: Actor, contact: Contact) -> Contact:
        """After the commit: a pending VAT check is answered by the registry in the background."""
        if self._registry is not None:
            registry = self._registry
            on_behalf = replace(
                actor,
                api_key_id=None,
                entry_point=f"registry:{registry.registry.name.lower()}",
                confirm=None,
            )
            registry.submit(
                contact,
                lambda contact_id, vat, answer: self.record_registry_answer(
                    on_behalf, contact_id, vat, registry.registry.name, answer
                ),
            )
        return contact

    def record_registry_answer(
        self,
        actor: Actor,
        contact_id: UUID,
        vat_number: str,
        registry: str,
        answer: RegistryAnswer,
    ) -> None:
        """Store a registry's answer on the VAT check, if the number is still the one asked."""
        try:
            self._tx.write(
                lambda uow: store_registry_answer(
                    uow, actor, contact_id, vat_number, registry, answer
                )
            )
        except Exception:  # a background answer that cannot be stored is only logged
            log.exception("could not store the %s answer for contact %s", registry, contact_id)

    # --- rules -------------------------------------------------------------------------

    @staticmethod
    def _stored(
        uow: UnitOfWork, actor: Actor, key: UUID | int, reading: bool = False
    ) -> StoredContact:
        """The contact by id or per-tenant number. A merged contact's is its survivor's for
        a read (`reading`), and a ContactMerged for a write."""
        if isinstance(key, int):  # a per-tenant number
            stored = uow.contacts.get_by_number(actor.tenant_id, key)
        else:
            stored = uow.contacts.get(actor.tenant_id, key)
        if stored is None and reading:
            stored = resolve_alias(uow, actor, key)
        elif stored is None:
            refuse_alias_write(uow, actor, key)
        if stored is None:
            raise NotFound(f"no contact with {'number' if isinstance(key, int) else 'id'} {key}")
        return stored

    def _save(
        self,
        uow: UnitOfWork,
        actor: Actor,
        current: Revision,
        wanted: ContactInput,
        checks: Sequence[Check],
    ) -> Revision:
        before = current.contact
        if unchanged(wanted, before):
            return current
        check_references(uow, actor, before.id, wanted, previous=before)
        updated = next_revision(before, wanted, checks, now())
        if not uow.contacts.update(actor.tenant_id, updated.contact, updated.json, before):
            # Another transaction changed the row after we read it: run the whole use case
            # again on the new state (where an If-Match will now fail as it should).
            raise TransientFailure("the contact changed while this write ran")
        record_change(uow, actor, current, updated)
        return updated


def _hash_all(secrets: Secrets | None) -> dict[str, str]:
    # Hashing is slow on purpose, so it happens before the transaction, not inside it.
    return {name: hash_secret(value) for name, value in (secrets or {}).items()}


def _store_secrets(uow: UnitOfWork, actor: Actor, contact_id: UUID, hashed: dict[str, str]) -> None:
    for name, secret_hash in hashed.items():
        uow.contacts.store_secret(actor.tenant_id, contact_id, name, secret_hash, now())
