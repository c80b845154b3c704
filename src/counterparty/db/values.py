"""Values as the database drivers take and give them, for statements run below SQLAlchemy.

The hot statements (a contact by id, a write, a list page) run on the driver connection itself:
SQLAlchemy's execution layer costs more than the statement. They must store values exactly as
SQLAlchemy's column types do, because the other statements read them through SQLAlchemy:
on SQLite a UUID is 32 hex digits and a moment is `YYYY-MM-DD HH:MM:SS.ffffff` (UTC); on
PostgreSQL the driver converts both natively.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

import orjson
from psycopg.types.json import Json

_SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"


class Values(Protocol):
    """One backend's conversions and placeholder style."""

    name: str

    def sql(self, statement: str) -> str: ...
    def uuid(self, value: UUID | None) -> Any: ...
    def read_uuid(self, value: Any) -> UUID: ...
    def moment(self, value: datetime) -> Any: ...
    def read_moment(self, value: Any) -> datetime: ...
    def json(self, value: Any) -> Any: ...
    def blob(self, value: Any) -> bytes: ...


class SqliteValues:
    name = "sqlite"

    @staticmethod
    def sql(statement: str) -> str:
        return statement

    @staticmethod
    def uuid(value: UUID | None) -> Any:
        return None if value is None else value.hex

    @staticmethod
    def read_uuid(value: Any) -> UUID:
        return UUID(value)

    @staticmethod
    def moment(value: datetime) -> Any:
        return value.astimezone(UTC).strftime(_SQLITE_MOMENT)

    @staticmethod
    def read_moment(value: Any) -> datetime:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    @staticmethod
    def json(value: Any) -> Any:
        return orjson.dumps(value).decode()

    @staticmethod
    def blob(value: Any) -> bytes:
        return bytes(value)


class PostgresValues:
    name = "postgresql"

    @staticmethod
    def sql(statement: str) -> str:
        # Statements are written with `?`; psycopg wants `%s` (and `%` doubled).
        return statement.replace("%", "%%").replace("?", "%s")

    @staticmethod
    def uuid(value: UUID | None) -> Any:
        return value

    @staticmethod
    def read_uuid(value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(str(value))

    @staticmethod
    def moment(value: datetime) -> Any:
        return value

    @staticmethod
    def read_moment(value: Any) -> datetime:
        moment: datetime = value
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    @staticmethod
    def json(value: Any) -> Any:
        return Json(value, dumps=lambda data: orjson.dumps(data).decode())

    @staticmethod
    def blob(value: Any) -> bytes:
        return bytes(value)


def values_for(dialect: str) -> Values:
    return SqliteValues() if dialect == "sqlite" else PostgresValues()


def placeholders(count: int) -> str:
    """`?, ?, ?` for an IN list of `count` values."""
    return ", ".join("?" * count)


def flatten(rows: Sequence[Sequence[Any]]) -> list[Any]:
    return [value for row in rows for value in row]
