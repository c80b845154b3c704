"""The load's baseline: a raw `executemany` of the rows the service stored.

The rows are read back from the loaded `contacts` table (every column, as the service wrote
it) and inserted, 1,000 per statement and transaction like the batch endpoint's requests,
into `contacts_baseline`: the same columns, keys and indexes, in the same database. Only the
inserts and commits are timed. It writes the contacts alone (no history, search index, tags or
match keys), with SQLite's settings as the service has them (WAL, synchronous=NORMAL, foreign
keys on) but no checkpoint during the run: the fastest the database itself takes these rows.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.dataset.bodies import BATCH_SIZE

TABLE = "contacts_baseline"


@dataclass(frozen=True)
class Baseline:
    rows: int
    seconds: float
    method: str

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rows_per_second": round(self.rows_per_second, 1)}


def same_shape(statements: list[str]) -> list[str]:
    """The DDL of `contacts` and its indexes, for a table named TABLE."""
    renamed = []
    for statement in statements:
        statement = re.sub(r"\bix_contacts_", f"ix_{TABLE}_", statement)
        renamed.append(re.sub(r"\bcontacts\b", TABLE, statement))
    return renamed


def _sqlite_chunks(path: Path) -> Iterator[list[tuple[Any, ...]]]:
    """The stored rows, BATCH_SIZE at a time, each read in its own short statement."""
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        last = 0
        while rows := reader.execute(
            "SELECT rowid, * FROM contacts WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, BATCH_SIZE),
        ).fetchall():
            last = rows[-1][0]
            yield [row[1:] for row in rows]
    finally:
        reader.close()


def sqlite_executemany(loaded: Path, scratch: Path) -> Baseline:
    """Insert the loaded rows again, into a copy of the loaded file (the cached database
    stays as the service made it); the copy is deleted afterwards."""
    copy = scratch / "baseline.db"
    shutil.copyfile(loaded, copy)
    try:
        with closing(sqlite3.connect(copy, isolation_level=None)) as writer:
            rows, seconds = _insert_again(writer, copy)
    finally:
        for leftover in (
            copy,
            copy.with_name("baseline.db-wal"),
            copy.with_name("baseline.db-shm"),
        ):
            leftover.unlink(missing_ok=True)
    return Baseline(rows, seconds, f"sqlite3 executemany, {BATCH_SIZE:,} rows per transaction")


def _insert_again(writer: sqlite3.Connection, copy: Path) -> tuple[int, float]:
    """Rows and seconds of inserting every row of `contacts` into a new TABLE."""
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "wal_autocheckpoint=0"):  # fmt: skip
        writer.execute(f"PRAGMA {pragma}")
    ddl = [
        row[0]
        for row in writer.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'contacts' "
            "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC"
        )
    ]
    for statement in same_shape(ddl):
        writer.execute(statement)
    columns = len(writer.execute(f"SELECT * FROM {TABLE} LIMIT 0").description)
    insert = f"INSERT INTO {TABLE} VALUES ({', '.join('?' * columns)})"
    rows, seconds = 0, 0.0
    for chunk in _sqlite_chunks(copy):
        started = time.perf_counter()
        writer.execute("BEGIN IMMEDIATE")
        writer.executemany(insert, chunk)
        writer.execute("COMMIT")
        seconds += time.perf_counter() - started
        rows += len(chunk)
    return rows, seconds


def postgres_executemany(url: str) -> Baseline:
    """Insert the loaded rows again into a table LIKE contacts INCLUDING ALL (its keys,
    indexes and defaults), dropped afterwards."""
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as reader, psycopg.connect(conninfo) as writer:
        writer.execute(f"CREATE TABLE {TABLE} (LIKE contacts INCLUDING ALL)")
        writer.commit()
        try:
            columns = len(reader.execute("SELECT * FROM contacts LIMIT 0").description or ())
            insert = f"INSERT INTO {TABLE} VALUES ({', '.join(['%s'] * columns)})"
            rows, seconds = 0, 0.0
            with reader.cursor(name="rows") as cursor:
                cursor.execute("SELECT * FROM contacts ORDER BY tenant_id, number")
                while chunk := cursor.fetchmany(BATCH_SIZE):
                    started = time.perf_counter()
                    with writer.cursor() as inserting:
                        inserting.executemany(insert, chunk)
                    writer.commit()
                    seconds += time.perf_counter() - started
                    rows += len(chunk)
        finally:
            writer.rollback()
            writer.execute(f"DROP TABLE IF EXISTS {TABLE}")
            writer.commit()
    return Baseline(rows, seconds, f"psycopg executemany, {BATCH_SIZE:,} rows per transaction")
