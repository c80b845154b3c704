"""What the user and sign-in services need from storage, and their transactions.

People live in their own repositories, reached through a unit of work that extends the
contacts' one; `PeopleTransactions` runs work on it with the same commit-once-and-retry rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar, cast
from uuid import UUID

from counterparty.domain.tenancy import Tenant
from counterparty.domain.users import User, WebSession
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions

T = TypeVar("T")


class UserRepository(Protocol):
    def add(self, user: User, password_hash: str) -> None: ...
    def get(self, tenant_id: UUID, user_id: UUID) -> User | None: ...
    def by_email(self, email: str) -> Sequence[tuple[User, str]]:
        """Every user with this e-mail (one, unless a race slipped past the check), with
        the password hash."""
        ...

    def list_for_tenant(self, tenant_id: UUID) -> Sequence[User]: ...
    def set_password(
        self, tenant_id: UUID, user_id: UUID, password_hash: str, must_change: bool
    ) -> None: ...
    def set_disabled(self, tenant_id: UUID, user_id: UUID, at: datetime | None) -> None: ...
    def count_failure(
        self, tenant_id: UUID, user_id: UUID, now: datetime, window_start: datetime
    ) -> int:
        """Count one failed sign-in in the current window (a new one when the last began
        before `window_start`) and return the failures in it; atomic under concurrency."""
        ...

    def lock(self, tenant_id: UUID, user_id: UUID, until: datetime) -> None: ...
    def signed_in(self, tenant_id: UUID, user_id: UUID, at: datetime) -> None:
        """Record a sign-in and forget earlier failures."""
        ...


class WebSessionRepository(Protocol):
    def add(self, session: WebSession, token_hash: str) -> None: ...
    def find(self, token_hash: str) -> tuple[WebSession, User, Tenant] | None: ...
    def touch(self, tenant_id: UUID, session_id: UUID, at: datetime) -> None: ...
    def delete(self, tenant_id: UUID, session_id: UUID) -> None: ...
    def delete_for_user(
        self, tenant_id: UUID, user_id: UUID, idle_since: datetime | None = None
    ) -> None:
        """Every session of the user, or only those idle since before `idle_since`."""
        ...


class PeopleUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...
    @property
    def web_sessions(self) -> WebSessionRepository: ...


class PeopleUnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool, wait: bool = True) -> PeopleUnitOfWork: ...


class PeopleTransactions:
    """`Transactions` over units of work that also hold the people repositories."""

    def __init__(self, factory: PeopleUnitOfWorkFactory) -> None:
        self._tx = Transactions(factory)

    def write(self, work: Callable[[PeopleUnitOfWork], T]) -> T:
        # The factory makes nothing but PeopleUnitOfWork, so the cast only restores its type.
        return self._tx.write(lambda uow: work(cast(PeopleUnitOfWork, uow)))

    def read(self, work: Callable[[PeopleUnitOfWork], T]) -> T:
        return self._tx.read(lambda uow: work(cast(PeopleUnitOfWork, uow)))
