"""All SQL of merges: aliases of merged contacts and the records unmerge reads. Never commits.
Merges are rare; every statement goes through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, delete, insert, select, update

from counterparty.db.merge_tables import contact_aliases, contact_merges
from counterparty.db.tables import contact_secrets
from counterparty.domain.contact import MAX_NUMBER
from counterparty.domain.merging import MergeRecord

ERASED = {"erased": True}  # what an erased merge record keeps


class MergeTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def survivor_of(self, tenant_id: UUID, contact_id: UUID) -> UUID | None:
        """The contact `contact_id` was merged into (itself perhaps merged since), if any."""
        return self._connection.execute(
            select(contact_aliases.c.survivor_id).where(
                contact_aliases.c.tenant_id == tenant_id,
                contact_aliases.c.contact_id == contact_id,
            )
        ).scalar()

    def survivor_of_number(self, tenant_id: UUID, number: int) -> UUID | None:
        if not 0 < number <= MAX_NUMBER:  # beyond the column's range: no driver binds it
            return None
        return self._connection.execute(
            select(contact_aliases.c.survivor_id).where(
                contact_aliases.c.tenant_id == tenant_id, contact_aliases.c.number == number
            )
        ).scalar()

    def merged_into(self, tenant_id: UUID, survivor_id: UUID) -> dict[UUID, UUID]:
        """The contacts merged into `survivor_id`, each with its merge's id."""
        rows = self._connection.execute(
            select(contact_aliases.c.contact_id, contact_aliases.c.merge_id).where(
                contact_aliases.c.tenant_id == tenant_id,
                contact_aliases.c.survivor_id == survivor_id,
            )
        )
        return {row.contact_id: row.merge_id for row in rows}

    def get(self, tenant_id: UUID, merge_id: UUID) -> MergeRecord | None:
        row = self._connection.execute(
            select(contact_merges).where(
                contact_merges.c.tenant_id == tenant_id, contact_merges.c.id == merge_id
            )
        ).first()
        if row is None or row.record == ERASED:
            return None
        return MergeRecord.load(row.id, row.survivor_id, row.merged_at, row.record)

    def add(self, tenant_id: UUID, record: MergeRecord) -> None:
        """Store the merge and make each merged contact an alias of the survivor."""
        self._connection.execute(
            insert(contact_merges),
            {
                "tenant_id": tenant_id,
                "id": record.id,
                "survivor_id": record.survivor_id,
                "merged_at": record.merged_at,
                "record": record.dump(),
            },
        )
        self._connection.execute(
            insert(contact_aliases),
            [
                {
                    "tenant_id": tenant_id,
                    "contact_id": merged.id,
                    "number": merged.number,
                    "survivor_id": record.survivor_id,
                    "merge_id": record.id,
                }
                for merged in record.contacts
            ],
        )

    def keep(self, tenant_id: UUID, record: MergeRecord, restored: Sequence[UUID]) -> None:
        """After an unmerge of `restored`: their aliases go; the record keeps what is still
        merged, and goes too when nothing is."""
        self._connection.execute(
            delete(contact_aliases).where(
                contact_aliases.c.tenant_id == tenant_id,
                contact_aliases.c.contact_id.in_(list(restored)),
            )
        )
        where = (contact_merges.c.tenant_id == tenant_id, contact_merges.c.id == record.id)
        if record.contacts:
            self._connection.execute(
                update(contact_merges).where(*where).values(record=record.dump())
            )
        else:
            self._connection.execute(delete(contact_merges).where(*where))

    def forget_merges_into(self, tenant_id: UUID, survivor_id: UUID) -> None:
        """A GDPR erasure of the survivor: its merge records hold the merged contacts' and its
        own earlier documents, so those go; the rows stay (the aliases, ids and numbers only,
        name them), and `get` finds no record in them."""
        self._connection.execute(
            update(contact_merges)
            .where(
                contact_merges.c.tenant_id == tenant_id,
                contact_merges.c.survivor_id == survivor_id,
            )
            .values(record=ERASED)
        )

    def forget_closed(self, tenant_id: UUID, merged_before: datetime) -> int:
        """The records of merges that can no longer be undone keep no document either, as
        after an erasure; records already emptied are not written again."""
        return self._connection.execute(
            update(contact_merges)
            .where(
                contact_merges.c.tenant_id == tenant_id,
                contact_merges.c.merged_at < merged_before,
                contact_merges.c.record["erased"].as_boolean().is_(None),
            )
            .values(record=ERASED)
        ).rowcount

    def secrets(self, tenant_id: UUID, contact_id: UUID) -> list[tuple[str, str, datetime]]:
        """A contact's stored secret hashes (a vendor portal's password), to keep with it."""
        rows = self._connection.execute(
            select(
                contact_secrets.c.name, contact_secrets.c.secret_hash, contact_secrets.c.updated_at
            ).where(
                contact_secrets.c.tenant_id == tenant_id,
                contact_secrets.c.contact_id == contact_id,
            )
        )
        return [(row.name, row.secret_hash, row.updated_at) for row in rows]
