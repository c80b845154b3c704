"""SQLite's planner statistics, stated as the shape of tenants' data where none were measured.

Without `sqlite_stat1` rows SQLite assumes that an equality on an index's first column leaves
about ten rows. Every index here begins with `tenant_id`, which leaves a whole tenant: the
planner then prefers the primary key `(tenant_id, sequence)` to `(tenant_id, contact_id, …)`
for one contact's history and walks the tenant's every event (4 ms at 20,000 events, seconds
at millions). The service never runs `ANALYZE` itself (it takes minutes at a million
contacts), so each migration states the shape SQLite's documentation allows one to state
("fudging" `sqlite_stat1`) for every tenant-led index that has no measured row; a later
`ANALYZE` replaces them with measured ones.
"""

from __future__ import annotations

from sqlalchemy import Connection

ROWS = 1_000_000
PER_TENANT = 100_000  # a tenant is a large share of the table
PER_KEY = 10  # the next column (a contact, a name, a tag) narrows it to a few rows


def assumed_shape(columns: int, unique: bool) -> str:
    """The `sqlite_stat1` stat of a tenant-led index of `columns` columns: the rows, then the
    rows one value of each leading prefix leaves (one for a whole unique key).

    >>> assumed_shape(3, unique=False)
    '1000000 100000 10 1'
    >>> assumed_shape(2, unique=True), assumed_shape(1, unique=True)
    ('1000000 100000 1', '1000000 1')
    """
    narrowing = [PER_TENANT, PER_KEY, *([1] * (columns - 2))][:columns]
    if unique:
        narrowing[-1] = 1
    return " ".join(str(number) for number in [ROWS, *narrowing])


def state_tenant_shape(connection: Connection) -> int:
    """Write the assumed shape for every tenant-led index without statistics; return how many
    were written. SQLite only; the connection's transaction commits them."""
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
    measured = {
        (table, index)
        for table, index in connection.exec_driver_sql("SELECT tbl, idx FROM sqlite_stat1")
    }
    tables = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).all()
    written = 0
    for table, sql in tables:
        without_rowid = "WITHOUT ROWID" in (sql or "").upper()
        for _, index, unique, origin, _ in connection.exec_driver_sql(
            f'PRAGMA index_list("{table}")'
        ):
            # A table without rowids is its primary key, whose statistics carry its name.
            name = table if without_rowid and origin == "pk" else index
            columns = [
                row[2] for row in connection.exec_driver_sql(f'PRAGMA index_info("{index}")')
            ]
            if columns[:1] != ["tenant_id"] or (table, name) in measured:
                continue
            connection.exec_driver_sql(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                (table, name, assumed_shape(len(columns), bool(unique))),
            )
            written += 1
    if written:
        connection.exec_driver_sql("ANALYZE sqlite_schema")  # this connection reads them now
    return written
