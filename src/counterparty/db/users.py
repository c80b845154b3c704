"""All SQL about people of the web interface and their sessions. Never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self
from uuid import UUID

from sqlalchemy import Connection, bindparam, case, delete, insert, select, update

from counterparty.db.tables import tenants, users, web_sessions
from counterparty.db.tenancy import _tenant, _utc
from counterparty.db.unit_of_work import ConnectionLender, SqlUnitOfWork
from counterparty.domain.tenancy import Tenant
from counterparty.domain.users import User, WebSession
from counterparty.services.people import PeopleUnitOfWorkFactory

_USER_COLUMNS = [column for column in users.c if column.name != "password_hash"]


def _user(row: Mapping[Any, Any], prefix: str = "") -> User:
    return User(
        tenant_id=row[f"{prefix}tenant_id"],
        id=row[f"{prefix}id"],
        email=row[f"{prefix}email"],
        role=row[f"{prefix}role"],
        must_change_password=bool(row[f"{prefix}must_change_password"]),
        created_at=_utc(row[f"{prefix}created_at"]),  # type: ignore[arg-type]
        disabled_at=_utc(row[f"{prefix}disabled_at"]),
        locked_until=_utc(row[f"{prefix}locked_until"]),
        last_sign_in_at=_utc(row[f"{prefix}last_sign_in_at"]),
    )


def _session(row: Mapping[Any, Any]) -> WebSession:
    return WebSession(
        tenant_id=row["tenant_id"],
        id=row["id"],
        user_id=row["user_id"],
        created_at=_utc(row["created_at"]),  # type: ignore[arg-type]
        last_seen_at=_utc(row["last_seen_at"]),  # type: ignore[arg-type]
    )


def _of(tenant_id: UUID, user_id: UUID) -> Any:
    return (users.c.tenant_id == tenant_id) & (users.c.id == user_id)


class UserTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, user: User, password_hash: str) -> None:
        self._connection.execute(
            insert(users),
            {**vars(user), "password_hash": password_hash, "failed_sign_ins": 0},
        )

    def get(self, tenant_id: UUID, user_id: UUID) -> User | None:
        row = (
            self._connection.execute(select(*_USER_COLUMNS).where(_of(tenant_id, user_id)))
            .mappings()
            .first()
        )
        return None if row is None else _user(row)

    def by_email(self, email: str) -> Sequence[tuple[User, str]]:
        rows = self._connection.execute(select(users).where(users.c.email == email)).mappings()
        return [(_user(row), row["password_hash"]) for row in rows]

    def list_for_tenant(self, tenant_id: UUID) -> Sequence[User]:
        rows = self._connection.execute(
            select(*_USER_COLUMNS).where(users.c.tenant_id == tenant_id).order_by(users.c.email)
        ).mappings()
        return [_user(row) for row in rows]

    def set_password(
        self, tenant_id: UUID, user_id: UUID, password_hash: str, must_change: bool
    ) -> None:
        self._connection.execute(
            update(users)
            .where(_of(tenant_id, user_id))
            .values(
                password_hash=password_hash,
                must_change_password=must_change,
                failed_sign_ins=0,
                failures_since=None,
                locked_until=None,
            )
        )

    def set_disabled(self, tenant_id: UUID, user_id: UUID, at: Any) -> None:
        self._connection.execute(
            update(users).where(_of(tenant_id, user_id)).values(disabled_at=at)
        )

    def count_failure(self, tenant_id: UUID, user_id: UUID, now: Any, window_start: Any) -> int:
        # One statement, so concurrent failures cannot count over each other.
        fresh = (users.c.failures_since.is_(None)) | (users.c.failures_since < window_start)
        counted = self._connection.execute(
            update(users)
            .where(_of(tenant_id, user_id))
            .values(
                failed_sign_ins=case((fresh, 1), else_=users.c.failed_sign_ins + 1),
                failures_since=case((fresh, now), else_=users.c.failures_since),
            )
            .returning(users.c.failed_sign_ins)
        ).scalar_one()
        return int(counted)

    def lock(self, tenant_id: UUID, user_id: UUID, until: Any) -> None:
        self._connection.execute(
            update(users).where(_of(tenant_id, user_id)).values(locked_until=until)
        )

    def signed_in(self, tenant_id: UUID, user_id: UUID, at: Any) -> None:
        self._connection.execute(
            update(users)
            .where(_of(tenant_id, user_id))
            .values(last_sign_in_at=at, failed_sign_ins=0, failures_since=None, locked_until=None)
        )


# Every page view runs this: built once, the hash a bound parameter.
_FIND_SESSION = (
    select(
        web_sessions,
        *(column.label(f"u_{column.name}") for column in _USER_COLUMNS),
        *(column.label(f"t_{column.name}") for column in tenants.c),
    )
    .join(
        users,
        (users.c.tenant_id == web_sessions.c.tenant_id) & (users.c.id == web_sessions.c.user_id),
    )
    .join(tenants, tenants.c.id == web_sessions.c.tenant_id)
    .where(web_sessions.c.token_hash == bindparam("token_hash"))
)


class WebSessionTable:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, session: WebSession, token_hash: str) -> None:
        self._connection.execute(insert(web_sessions), {**vars(session), "token_hash": token_hash})

    def find(self, token_hash: str) -> tuple[WebSession, User, Tenant] | None:
        row = self._connection.execute(_FIND_SESSION, {"token_hash": token_hash}).mappings().first()
        if row is None:
            return None
        tenant = _tenant({column.name: row[f"t_{column.name}"] for column in tenants.c})
        return _session(row), _user(row, "u_"), tenant

    def touch(self, tenant_id: UUID, session_id: UUID, at: Any) -> None:
        self._connection.execute(
            update(web_sessions)
            .where(web_sessions.c.tenant_id == tenant_id, web_sessions.c.id == session_id)
            .values(last_seen_at=at)
        )

    def delete(self, tenant_id: UUID, session_id: UUID) -> None:
        self._connection.execute(
            delete(web_sessions).where(
                web_sessions.c.tenant_id == tenant_id, web_sessions.c.id == session_id
            )
        )

    def delete_for_user(self, tenant_id: UUID, user_id: UUID, idle_since: Any = None) -> None:
        statement = delete(web_sessions).where(
            web_sessions.c.tenant_id == tenant_id, web_sessions.c.user_id == user_id
        )
        if idle_since is not None:
            statement = statement.where(web_sessions.c.last_seen_at < idle_since)
        self._connection.execute(statement)


class SqlPeopleUnitOfWork(SqlUnitOfWork):
    """The contacts' unit of work plus the people repositories, on the same transaction."""

    users: UserTable
    web_sessions: WebSessionTable

    def __enter__(self) -> Self:
        super().__enter__()
        self.users = UserTable(self._connection)
        self.web_sessions = WebSessionTable(self._connection)
        return self


def people_units(lender: ConnectionLender) -> PeopleUnitOfWorkFactory:
    def factory(*, write: bool, wait: bool = True) -> SqlPeopleUnitOfWork:
        return SqlPeopleUnitOfWork(lender, write=write, wait=wait)

    return factory


__all__ = ["SqlPeopleUnitOfWork", "people_units"]
