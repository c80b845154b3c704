"""How many bytes the database holds: in all, per part, and in use right now.

SQLite: measured after a TRUNCATE checkpoint (the WAL is copied into the database file and
emptied), so the file is everything; `in use` is (page_count - freelist_count) x page_size,
which a write that reuses free pages does not grow. PostgreSQL: the tables' total relation
sizes (heap, TOAST, indexes, free space and visibility maps) after VACUUM.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

# What each SQLite object (table or index) is part of, by name prefix, most specific first.
_PARTS = (
    ("contacts_fts", "search index"),
    ("sqlite_autoindex_contacts_", "contacts"),
    ("ix_contacts_", "contacts"),
    ("contacts", "contacts"),
    ("contact_events", "history"),
    ("ix_contact_events", "history"),
    ("contact_keys", "match keys"),
    ("ix_contact_keys", "match keys"),
    ("contact_tags", "tags"),
    ("ix_contact_tags", "tags"),
)


@dataclass(frozen=True)
class Storage:
    total_bytes: int
    wal_bytes: int
    in_use_bytes: int
    parts: dict[str, int]
    method: str

    def per_contact(self, contacts: int) -> float:
        return self.total_bytes / max(contacts, 1)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def part_of(name: str) -> str:
    for prefix, part in _PARTS:
        if name.startswith(prefix):
            return part
    return "other"


def _grouped(sizes: Mapping[str, int]) -> dict[str, int]:
    parts: dict[str, int] = {}
    for name, size in sizes.items():
        parts[part_of(name)] = parts.get(part_of(name), 0) + size
    return dict(sorted(parts.items(), key=lambda item: -item[1]))


def checkpoint(path: Path) -> None:
    """Copy the WAL into the database file and truncate it (no server may be running)."""
    with closing(sqlite3.connect(path)) as connection:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise RuntimeError(f"{path}: the checkpoint was blocked by another connection")


def sqlite_in_use(path: Path) -> int:
    """Bytes of the database's pages that hold data, WAL included (a read-only connection
    sees the newest committed state)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        connection.close()
    return int((pages - free) * page_size)


def _sqlite_parts(path: Path) -> dict[str, int]:
    """Bytes of the pages of each part, WAL included (dbstat reads through the pager)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return _grouped(
            dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        )


def sqlite_usage(path: Path) -> tuple[int, dict[str, int]]:
    """Bytes in use, and by part: what a write adds shows where it lands."""
    return sqlite_in_use(path), _sqlite_parts(path)


def sqlite_storage(path: Path) -> Storage:
    checkpoint(path)
    wal = path.with_name(path.name + "-wal")
    return Storage(
        total_bytes=path.stat().st_size,
        wal_bytes=wal.stat().st_size if wal.exists() else 0,
        in_use_bytes=sqlite_in_use(path),
        parts=_sqlite_parts(path),
        method="SQLite file after PRAGMA wal_checkpoint(TRUNCATE) (WAL empty); parts from dbstat",
    )


_PG_SIZES = text(
    "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
)


def postgres_usage(engine: Engine) -> tuple[int, dict[str, int]]:
    with engine.connect() as connection:
        sizes = {str(name): int(size) for name, size in connection.execute(_PG_SIZES)}
    return sum(sizes.values()), _grouped(sizes)


def postgres_storage(engine: Engine) -> Storage:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        connection.execute(text("CHECKPOINT"))
        sizes = {str(name): int(size) for name, size in connection.execute(_PG_SIZES)}
    total = sum(sizes.values())
    return Storage(
        total_bytes=total,
        wal_bytes=0,
        in_use_bytes=total,
        parts=_grouped(sizes),
        method="PostgreSQL pg_total_relation_size of every table after VACUUM ANALYZE",
    )
