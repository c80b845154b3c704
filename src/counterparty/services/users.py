"""People of the web interface: created, listed, disabled and given new passwords by an
administrator (the `counterparty users` command)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from counterparty.domain.fields import FieldProblem, normalize_email
from counterparty.domain.ids import new_id
from counterparty.domain.passwords import generate_password, hash_password, password_problem
from counterparty.domain.users import ROLES, User
from counterparty.errors import DuplicateValue, FieldError, NotFound, ValidationFailed
from counterparty.services.people import PeopleTransactions, PeopleUnitOfWork


@dataclass(frozen=True)
class IssuedPassword:
    """A user and, when the service chose it, the one-time password to hand over once."""

    user: User
    one_time_password: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _invalid(pointer: str, code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(f"{pointer}: {detail}", errors=[FieldError(code, detail, pointer)])


def normalized_email(email: str) -> str:
    """The stored form: e-mail syntax checked, the whole address lower-cased."""
    try:
        return normalize_email(email.strip()).lower()
    except FieldProblem as problem:
        raise _invalid("/email", problem.code, str(problem)) from None


def _password_or_generated(password: str | None) -> tuple[str, bool]:
    if password is None:
        return generate_password(), True
    if problem := password_problem(password):
        raise _invalid("/password", "weak_password", problem)
    return password, False


class UserService:
    def __init__(self, transactions: PeopleTransactions) -> None:
        self._tx = transactions

    def create_user(
        self, slug: str, email: str, role: str, password: str | None = None
    ) -> IssuedPassword:
        """A new user of tenant `slug`; without `password`, a one-time one that must be
        changed at the first sign-in. E-mail addresses are unique across the service,
        because signing in names no tenant."""
        if role not in ROLES:
            raise _invalid("/role", "invalid_choice", "one of " + ", ".join(ROLES))
        address = normalized_email(email)
        chosen, one_time = _password_or_generated(password)
        password_hash = hash_password(chosen)  # slow on purpose: outside the transaction

        def work(uow: PeopleUnitOfWork) -> User:
            tenant = uow.tenants.get_by_slug(slug)
            if tenant is None:
                raise NotFound(f"no tenant '{slug}'")
            if uow.users.by_email(address):
                raise DuplicateValue(f"a user with e-mail {address} exists", pointer="/email")
            user = User(
                tenant_id=tenant.id,
                id=new_id(),
                email=address,
                role=role,
                must_change_password=one_time,
                created_at=_now(),
            )
            uow.users.add(user, password_hash)
            return user

        return IssuedPassword(self._tx.write(work), chosen if one_time else None)

    def list_users(self, slug: str) -> Sequence[User]:
        def work(uow: PeopleUnitOfWork) -> Sequence[User]:
            tenant = uow.tenants.get_by_slug(slug)
            if tenant is None:
                raise NotFound(f"no tenant '{slug}'")
            return uow.users.list_for_tenant(tenant.id)

        return self._tx.read(work)

    def users_by_id(self, tenant_id: UUID, ids: Iterable[UUID]) -> dict[UUID, User]:
        """The tenant's users among `ids` (for naming who changed what)."""
        wanted = set(ids)
        if not wanted:
            return {}
        found = self._tx.read(lambda uow: uow.users.list_for_tenant(tenant_id))
        return {user.id: user for user in found if user.id in wanted}

    def set_disabled(self, email: str, disabled: bool, tenant_id: UUID | None = None) -> User:
        """Disable (signing out every session at once) or enable a user; with `tenant_id`,
        only a user of that tenant."""
        address = normalized_email(email)

        def work(uow: PeopleUnitOfWork) -> User:
            user = _one(uow, address, tenant_id)
            uow.users.set_disabled(user.tenant_id, user.id, _now() if disabled else None)
            if disabled:
                uow.web_sessions.delete_for_user(user.tenant_id, user.id)
            return user

        return self._tx.write(work)

    def reset_password(
        self, email: str, password: str | None = None, tenant_id: UUID | None = None
    ) -> IssuedPassword:
        """A new password (one-time when none is given); every session is signed out and
        a lock from failed sign-ins is lifted. With `tenant_id`, only a user of that tenant."""
        address = normalized_email(email)
        chosen, one_time = _password_or_generated(password)
        password_hash = hash_password(chosen)

        def work(uow: PeopleUnitOfWork) -> User:
            user = _one(uow, address, tenant_id)
            uow.users.set_password(user.tenant_id, user.id, password_hash, one_time)
            uow.web_sessions.delete_for_user(user.tenant_id, user.id)
            return user

        return IssuedPassword(self._tx.write(work), chosen if one_time else None)


def _one(uow: PeopleUnitOfWork, email: str, tenant_id: UUID | None) -> User:
    found = [user for user, _ in uow.users.by_email(email) if tenant_id in (None, user.tenant_id)]
    if not found:
        raise NotFound(f"no user with e-mail {email}")
    return found[0]
