"""Signing in to the web interface: passwords, lockout after failures, server-side sessions.

A session token is 256 random bits held only by the browser's cookie; the database keeps
its SHA-256 hash. A session ends after IDLE_TIMEOUT without a request, on sign-out, and when
its user is disabled or gets a new password. LOCK_AFTER failed sign-ins of one account within
FAILURE_WINDOW lock it for LOCK_DURATION, whatever password is tried meanwhile.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from counterparty.domain.ids import new_id
from counterparty.domain.passwords import hash_password, password_problem, verify_password
from counterparty.domain.tenancy import Tenant
from counterparty.domain.users import User, WebSession
from counterparty.errors import FieldError, Unauthenticated, ValidationFailed
from counterparty.services.people import PeopleTransactions, PeopleUnitOfWork
from counterparty.services.users import normalized_email

IDLE_TIMEOUT = timedelta(hours=8)
LOCK_AFTER = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
# last_seen_at is kept to the minute: a write per page view would cost more than the page.
TOUCH_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 100
REFUSED = "wrong e-mail or password (after 5 failed attempts an account is locked for 15 minutes)"


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, of which tenant, and the token the browser holds."""

    session: WebSession
    user: User
    tenant: Tenant
    token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SignInService:
    def __init__(self, transactions: PeopleTransactions) -> None:
        self._tx = transactions

    def sign_in(self, email: str, password: str) -> SignedIn:
        """A new session, or Unauthenticated with the same message whatever was wrong."""
        try:
            address = normalized_email(email)
        except ValidationFailed:
            verify_password(password, None)
            raise Unauthenticated(REFUSED) from None
        candidates = self._tx.read(lambda uow: uow.users.by_email(address))
        user, password_hash = candidates[0] if candidates else (None, None)
        matches = verify_password(password, password_hash)  # costs the same without a user
        if user is None or user.disabled_at is not None:
            raise Unauthenticated(REFUSED)
        moment = _now()
        if user.locked_until is not None and user.locked_until > moment:
            raise Unauthenticated(REFUSED)
        if not matches:
            self._tx.write(lambda uow: self._count_failure(uow, user, moment))
            raise Unauthenticated(REFUSED)
        token = secrets.token_urlsafe(32)
        session = WebSession(user.tenant_id, new_id(), user.id, moment, moment)

        def work(uow: PeopleUnitOfWork) -> SignedIn:
            uow.users.signed_in(user.tenant_id, user.id, moment)
            uow.web_sessions.delete_for_user(user.tenant_id, user.id, moment - IDLE_TIMEOUT)
            uow.web_sessions.add(session, _hash(token))
            found = uow.web_sessions.find(_hash(token))
            assert found is not None
            return SignedIn(session, found[1], found[2], token)

        return self._tx.write(work)

    @staticmethod
    def _count_failure(uow: PeopleUnitOfWork, user: User, moment: datetime) -> None:
        failures = uow.users.count_failure(user.tenant_id, user.id, moment, moment - FAILURE_WINDOW)
        if failures >= LOCK_AFTER:
            uow.users.lock(user.tenant_id, user.id, moment + LOCK_DURATION)

    def session(self, token: str | None) -> SignedIn | None:
        """The live session a cookie names, or None (unknown, idle too long, user disabled)."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = self._tx.read(lambda uow: uow.web_sessions.find(_hash(token)))
        if found is None:
            return None
        session, user, tenant = found
        moment = _now()
        if user.disabled_at is not None or moment - session.last_seen_at >= IDLE_TIMEOUT:
            self._tx.write(lambda uow: uow.web_sessions.delete(session.tenant_id, session.id))
            return None
        if moment - session.last_seen_at >= TOUCH_RESOLUTION:
            self._tx.write(
                lambda uow: uow.web_sessions.touch(session.tenant_id, session.id, moment)
            )
        return SignedIn(session, user, tenant, token)

    def sign_out(self, signed_in: SignedIn) -> None:
        session = signed_in.session
        self._tx.write(lambda uow: uow.web_sessions.delete(session.tenant_id, session.id))

    def change_password(self, signed_in: SignedIn, current: str, new: str) -> None:
        """The user's own new password; every other session of the user is signed out."""
        errors = []
        if problem := password_problem(new):
            errors.append(FieldError("weak_password", problem, "/new_password"))
        if new == current:
            errors.append(
                FieldError(
                    "unchanged", "choose a password other than the current one", "/new_password"
                )
            )
        user = signed_in.user
        found = self._tx.read(lambda uow: uow.users.by_email(user.email))
        stored = next((hash_ for candidate, hash_ in found if candidate.id == user.id), None)
        if not verify_password(current, stored):
            errors.insert(
                0, FieldError("wrong_password", "the current password is not right", "/password")
            )
        if errors:
            raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors)
        new_hash = hash_password(new)

        def work(uow: PeopleUnitOfWork) -> None:
            uow.users.set_password(user.tenant_id, user.id, new_hash, must_change=False)
            uow.web_sessions.delete_for_user(user.tenant_id, user.id)
            uow.web_sessions.add(signed_in.session, _hash(signed_in.token))

        self._tx.write(work)
