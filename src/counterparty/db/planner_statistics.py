"""SQLite's planner statistics, stated as the shape of tenants' data where none were measured.

Without `sqlite_stat1` rows SQLite assumes that an equality on an index's first column leaves
about ten rows. Every index here begins with `tenant_id`, which leaves a whole tenant: the
planner then prefers the primary key `(tenant_id, sequence)` to `(tenant_id, contact_id, …)`
for one contact's history and walks the tenant's every event (4 ms at 20,000 events, seconds
at millions). The service does not run `ANALYZE` (it reads every index of the database, and
its figures describe the day it ran), so each migration states the shape, as SQLite's
documentation allows ("fudging" `sqlite_stat1`), for every tenant-led index of a table with no
measured rows; an operator's `ANALYZE` replaces them with measured ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

ROWS = 1_000_000
PER_TENANT = 100_000  # a tenant is a large share of the table
PER_KEY = 10  # the first other column (a contact, a name, a moment) leaves a few rows
# Columns of a few values, each of which may be on most of a tenant's rows (a tag, a key's
# field, a delivery's state): stated as narrowing nothing.
SHARED_VALUES = frozenset({"tag", "field", "state"})


def assumed_shape(columns: Sequence[str], unique: bool) -> str:
    """The `sqlite_stat1` stat of a tenant-led index on `columns`: the rows, then the rows one
    value of each leading prefix leaves (one for a whole unique key).

    >>> assumed_shape(["tenant_id", "contact_id", "sequence"], unique=False)
    '1000000 100000 10 1'
    >>> assumed_shape(["tenant_id", "tag"], unique=False)
    '1000000 100000 100000'
    >>> assumed_shape(["tenant_id", "field", "value", "contact_id"], unique=True)
    '1000000 100000 100000 10 1'
    >>> assumed_shape(["tenant_id"], unique=True)
    '1000000 1'
    """
    counts = [ROWS]
    for column in columns:
        if column == "tenant_id" or column in SHARED_VALUES:
            left = PER_TENANT
        else:
            left = PER_KEY if counts[-1] > PER_KEY else 1  # the first such column: a few
        counts.append(min(left, counts[-1]))
    if unique:
        counts[-1] = 1
    return " ".join(str(count) for count in counts)


def state_tenant_shape(connection: Connection) -> int:
    """Write the assumed shape for every tenant-led index of the tables without statistics;
    return how many were written. SQLite only; the connection's transaction commits them."""
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
    # A table with any measured statistics keeps them alone: figures of two scales would
    # mislead the planner more than none.
    measured = {table for (table,) in connection.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
    tables = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).all()
    written = 0
    for table, sql in tables:
        if table in measured:
            continue
        without_rowid = "WITHOUT ROWID" in (sql or "").upper()
        for _, index, unique, origin, _ in connection.exec_driver_sql(
            f'PRAGMA index_list("{table}")'
        ):
            # A table without rowids is its primary key, whose statistics carry its name.
            name = table if without_rowid and origin == "pk" else index
            columns = [
                row[2] for row in connection.exec_driver_sql(f'PRAGMA index_info("{index}")')
            ]
            if columns[:1] != ["tenant_id"]:
                continue
            connection.exec_driver_sql(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                (table, name, assumed_shape(columns, bool(unique))),
            )
            written += 1
    if written:
        connection.exec_driver_sql("ANALYZE sqlite_schema")  # this connection reads them now
    return written
