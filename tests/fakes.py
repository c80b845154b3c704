"""An in-memory unit of work, for service rules that need no SQL.

It keeps the storage contract the services rely on (a transaction sees its own writes and
nothing of it survives without `commit()`; a compare-and-set update fails on a stale version;
per-tenant counters; events in commit order) and nothing else: no SQL, no search index, no
locks. Tests of storage itself use the real databases (tests/conftest.py); these are the
quick tests of what a service decides.
"""

# The fake keeps every repository signature, also where it has no use for an argument.
# ruff: noqa: ARG002

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from counterparty.db.contacts import KEY_FIELDS, lookup_keys
from counterparty.domain.contact import Contact
from counterparty.domain.documents import StoredContact, contact_from_json
from counterparty.domain.history import ContactEvent, needs_snapshot
from counterparty.domain.idempotency import IdempotencyRecord, StoredResponse
from counterparty.domain.tenancy import ApiKey, Principal, Tenant
from counterparty.errors import ContactInUse
from counterparty.services.listing import ContactQuery, Listed
from counterparty.services.ports import EpochProbe


@dataclass
class Storage:
    """What a database holds, in dictionaries keyed by tenant first."""

    tenants: dict[UUID, Tenant] = field(default_factory=dict)
    counters: dict[tuple[UUID, str], int] = field(default_factory=dict)
    keys: dict[str, tuple[ApiKey, str]] = field(default_factory=dict)
    contacts: dict[tuple[UUID, UUID], StoredContact] = field(default_factory=dict)
    secrets: dict[tuple[UUID, UUID, str], str] = field(default_factory=dict)
    events: dict[UUID, list[ContactEvent]] = field(default_factory=dict)
    idempotency: dict[tuple[UUID, UUID, str], IdempotencyRecord] = field(default_factory=dict)
    outbox: list[tuple[UUID, int]] = field(default_factory=list)
    commits: int = 0


class _Tenants:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def add(self, tenant: Tenant) -> None:
        self._data.tenants[tenant.id] = tenant

    def get_by_slug(self, slug: str) -> Tenant | None:
        return next((t for t in self._data.tenants.values() if t.slug == slug), None)

    def update(self, tenant: Tenant) -> None:
        self._data.tenants[tenant.id] = tenant

    def list_all(self) -> Sequence[Tenant]:
        return sorted(self._data.tenants.values(), key=lambda tenant: tenant.slug)

    def any_exists(self) -> bool:
        return bool(self._data.tenants)

    def auth_epoch(self, tenant_id: UUID) -> int | None:
        tenant = self._data.tenants.get(tenant_id)
        return None if tenant is None else tenant.auth_epoch

    def next_value(self, tenant_id: UUID, counter: str) -> int:
        return self.reserve(tenant_id, counter, 1)

    def reserve(self, tenant_id: UUID, counter: str, count: int) -> int:
        last = self._data.counters.get((tenant_id, counter), 0) + count
        self._data.counters[(tenant_id, counter)] = last
        return last


class _ApiKeys:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def add(self, key: ApiKey, key_hash: str) -> None:
        self._data.keys[key_hash] = (key, key_hash)

    def principal_for(self, key_hash: str) -> tuple[Principal, ApiKey] | None:
        found = self._data.keys.get(key_hash)
        if found is None:
            return None
        key = found[0]
        tenant = self._data.tenants[key.tenant_id]
        return Principal(tenant=tenant, api_key_id=key.id), key

    def list_for_tenant(self, tenant_id: UUID) -> Sequence[ApiKey]:
        return [key for key, _ in self._data.keys.values() if key.tenant_id == tenant_id]

    def find_by_prefix(self, display_prefix: str) -> Sequence[ApiKey]:
        return [k for k, _ in self._data.keys.values() if k.display_prefix == display_prefix]

    def _change(self, tenant_id: UUID, key_id: UUID, **changes: Any) -> None:
        for key_hash, (key, _) in list(self._data.keys.items()):
            if key.tenant_id == tenant_id and key.id == key_id:
                self._data.keys[key_hash] = (replace(key, **changes), key_hash)

    def revoke(self, tenant_id: UUID, key_id: UUID, at: datetime) -> None:
        self._change(tenant_id, key_id, revoked_at=at)
        tenant = self._data.tenants[tenant_id]
        self._data.tenants[tenant_id] = replace(tenant, auth_epoch=tenant.auth_epoch + 1)

    def touch(self, tenant_id: UUID, key_id: UUID, at: datetime) -> None:
        self._change(tenant_id, key_id, last_used_at=at)


class _Contacts:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def _of(self, tenant_id: UUID) -> list[tuple[UUID, StoredContact]]:
        return [(cid, s) for (tid, cid), s in self._data.contacts.items() if tid == tenant_id]

    def get(self, tenant_id: UUID, contact_id: UUID) -> StoredContact | None:
        return self._data.contacts.get((tenant_id, contact_id))

    def get_by_number(self, tenant_id: UUID, number: int) -> StoredContact | None:
        return next((s for _, s in self._of(tenant_id) if s.contact().number == number), None)

    def get_many(self, tenant_id: UUID, ids: Sequence[UUID]) -> dict[UUID, StoredContact]:
        return {i: s for i in ids if (s := self.get(tenant_id, i)) is not None}

    def find(self, tenant_id: UUID, field: str, values: Iterable[Any]) -> dict[Any, list[UUID]]:
        if field not in (*KEY_FIELDS, "id", "number", "external_ref"):
            raise ValueError(f"contacts cannot be found by {field}")
        wanted = set(values)
        found: dict[Any, list[UUID]] = {}
        for contact_id, stored in self._of(tenant_id):
            contact = stored.contact()
            if field in KEY_FIELDS:
                held = [value for name, value in lookup_keys(contact) if name == field]
            else:
                held = [getattr(contact, field)]
            for value in held:
                if value in wanted:
                    found.setdefault(value, []).append(contact_id)
        return found

    def id_for_external_ref(self, tenant_id: UUID, external_ref: str) -> UUID | None:
        holders = self.find(tenant_id, "external_ref", [external_ref]).get(external_ref)
        return holders[0] if holders else None

    def parent_link(self, tenant_id: UUID, contact_id: UUID) -> tuple[bool, UUID | None]:
        stored = self.get(tenant_id, contact_id)
        return (False, None) if stored is None else (True, stored.contact().parent_id)

    def children(self, tenant_id: UUID, contact_id: UUID, limit: int) -> Sequence[UUID]:
        kids = [s.contact() for _, s in self._of(tenant_id)]
        return [c.id for c in sorted(kids, key=lambda c: c.number) if c.parent_id == contact_id][
            :limit
        ]

    def insert(self, tenant_id: UUID, contact: Contact, document: bytes) -> None:
        self.insert_many(tenant_id, [(contact, document)])

    def insert_many(self, tenant_id: UUID, written: Sequence[tuple[Contact, bytes]]) -> None:
        for contact, document in written:
            self._data.contacts[(tenant_id, contact.id)] = StoredContact(contact.version, document)

    def update(self, tenant_id: UUID, contact: Contact, document: bytes, previous: Contact) -> bool:
        stored = self.get(tenant_id, contact.id)
        if stored is None or stored.version != previous.version:
            return False
        self._data.contacts[(tenant_id, contact.id)] = StoredContact(contact.version, document)
        return True

    def delete(self, tenant_id: UUID, contact_id: UUID) -> None:
        if self.children(tenant_id, contact_id, 1):
            raise ContactInUse(f"contact {contact_id} has children")
        del self._data.contacts[(tenant_id, contact_id)]

    def search(self, tenant_id: UUID, query: ContactQuery) -> list[Listed]:
        """Filters and search belong to the storage tests; here: every contact by number."""
        contacts = sorted((s for _, s in self._of(tenant_id)), key=lambda s: s.contact().number)
        return [
            Listed(c.id, c.number, c.name, c.updated_at, s.json)
            for s in contacts[: query.limit + 1]
            if (c := contact_from_json(s.json))
        ]

    def count(self, tenant_id: UUID, query: ContactQuery) -> int:
        return len(self._of(tenant_id))

    def store_secret(
        self, tenant_id: UUID, contact_id: UUID, name: str, secret_hash: str, at: datetime
    ) -> None:
        self._data.secrets[(tenant_id, contact_id, name)] = secret_hash

    def secret_hash(self, tenant_id: UUID, contact_id: UUID, name: str) -> str | None:
        return self._data.secrets.get((tenant_id, contact_id, name))


class _Events:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def append(self, tenant_id: UUID, event: ContactEvent) -> None:
        self._data.events.setdefault(tenant_id, []).append(event)

    def append_many(self, tenant_id: UUID, events: Sequence[ContactEvent]) -> None:
        for event in events:
            self.append(tenant_id, event)

    def _of(self, tenant_id: UUID, contact_id: UUID) -> list[ContactEvent]:
        return [e for e in self._data.events.get(tenant_id, []) if e.contact_id == contact_id]

    def for_contact(
        self, tenant_id: UUID, contact_id: UUID, before: int | None, limit: int
    ) -> Sequence[ContactEvent]:
        events = [
            e for e in self._of(tenant_id, contact_id) if before is None or e.sequence < before
        ]
        return events[::-1][:limit]

    def replay_source(
        self, tenant_id: UUID, contact_id: UUID, version: int
    ) -> Sequence[ContactEvent]:
        events = self._of(tenant_id, contact_id)
        born = max((i for i, e in enumerate(events) if e.type == "created"), default=None)
        if born is None:
            return []
        life = [e for e in events[born:] if e.version <= version]
        start = max(i for i, e in enumerate(life) if needs_snapshot(e.version) and e.snapshot)
        return life[start:]

    def replay_sources(
        self, tenant_id: UUID, wanted: Sequence[tuple[UUID, int]]
    ) -> dict[tuple[UUID, int], Sequence[ContactEvent]]:
        return {(c, v): self.replay_source(tenant_id, c, v) for c, v in wanted}

    def since(self, tenant_id: UUID, contact_id: UUID, version: int) -> Sequence[ContactEvent]:
        return [e for e in self._of(tenant_id, contact_id) if e.version > version]

    def feed(self, tenant_id: UUID, after: int, limit: int) -> Sequence[ContactEvent]:
        return [e for e in self._data.events.get(tenant_id, []) if e.sequence > after][:limit]


class _Idempotency:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def get(self, tenant_id: UUID, api_key_id: UUID, key: str) -> IdempotencyRecord | None:
        return self._data.idempotency.get((tenant_id, api_key_id, key))

    def claim(
        self,
        tenant_id: UUID,
        api_key_id: UUID,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        record = IdempotencyRecord(fingerprint, "running", None, now, expires_at)
        self._data.idempotency[(tenant_id, api_key_id, key)] = record

    def complete(
        self, tenant_id: UUID, api_key_id: UUID, key: str, response: StoredResponse
    ) -> None:
        record = self._data.idempotency[(tenant_id, api_key_id, key)]
        self._data.idempotency[(tenant_id, api_key_id, key)] = replace(
            record, state="done", response=response
        )

    def release(self, tenant_id: UUID, api_key_id: UUID, key: str) -> None:
        self._data.idempotency.pop((tenant_id, api_key_id, key), None)

    def purge_expired(self, tenant_id: UUID, now: datetime) -> None:
        for found, record in list(self._data.idempotency.items()):
            if found[0] == tenant_id and record.expires_at <= now:
                del self._data.idempotency[found]


class _Outbox:
    def __init__(self, data: Storage) -> None:
        self._data = data

    def add(self, tenant_id: UUID, sequences: Sequence[int], epoch: int | None) -> None:
        self._data.outbox.extend((tenant_id, sequence) for sequence in sequences)


class _Merges:
    """No contact is ever merged in memory: every alias lookup finds nothing."""

    def survivor_of(self, tenant_id: UUID, contact_id: UUID) -> UUID | None:
        return None

    def survivor_of_number(self, tenant_id: UUID, number: int) -> UUID | None:
        return None

    def merged_into(self, tenant_id: UUID, survivor_id: UUID) -> dict[UUID, UUID]:
        return {}

    def forget_merges_into(self, tenant_id: UUID, survivor_id: UUID) -> None:
        return None

    def forget_closed(self, tenant_id: UUID, merged_before: datetime) -> int:
        return 0


class FakeUnitOfWork:
    """Works on a copy of the storage; `commit()` makes the copy the storage."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database
        self._data = copy.deepcopy(database.data)
        self.epoch = EpochProbe()
        self.tenants = _Tenants(self._data)
        self.api_keys = _ApiKeys(self._data)
        self.contacts = _Contacts(self._data)
        self.events = _Events(self._data)
        self.idempotency = _Idempotency(self._data)
        self.outbox = _Outbox(self._data)
        self.merges = _Merges()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self._data.commits += 1
        self._database.data = self._data


class FakeDatabase:
    """A UnitOfWorkFactory: `Services.over(FakeDatabase())` runs every service in memory."""

    def __init__(self) -> None:
        self.data = Storage()

    def __call__(self, *, write: bool, wait: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)
