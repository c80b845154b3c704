"""Tenants, API keys, authentication and the first-start bootstrap."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID

from counterparty.domain import api_keys
from counterparty.domain.erasure import retention_field_errors
from counterparty.domain.ids import new_id
from counterparty.domain.tenancy import (
    DEFAULT_TENANT_SLUG,
    DUPLICATE_POLICIES,
    SLUG_PATTERN,
    ApiKey,
    Principal,
    Tenant,
)
from counterparty.domain.text import control_character
from counterparty.domain.verification import POLICIES
from counterparty.errors import (
    CounterpartyError,
    DuplicateValue,
    FieldError,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from counterparty.services.context import Actor
from counterparty.services.credentials import CredentialCache, Verified
from counterparty.services.ports import UnitOfWork
from counterparty.services.transactions import Transactions

LAST_USED_RESOLUTION_SECONDS = 60.0
log = logging.getLogger("counterparty")


@dataclass(frozen=True)
class IssuedKey:
    """A new key: `secret` is shown once and never stored."""

    key: ApiKey
    secret: str


def _now() -> datetime:
    return datetime.now(UTC)


class TenantService:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions
        self._last_touched: dict[UUID, float] = {}
        self._verified = CredentialCache()
        self._touches = ThreadPoolExecutor(1, thread_name_prefix="key-use")

    def create_tenant(self, slug: str, name: str | None = None) -> Tenant:
        if not SLUG_PATTERN.match(slug):
            raise ValidationFailed(
                f"'{slug}' is not a valid slug",
                errors=[
                    FieldError(
                        "invalid_format",
                        "lowercase letters, digits and dashes, 1 to 63 characters",
                        pointer="/slug",
                    )
                ],
            )
        tenant = Tenant(
            id=new_id(),
            slug=slug,
            name=name or slug,
            cursor_secret=secrets.token_bytes(32),
            created_at=_now(),
        )

        def work(uow: UnitOfWork) -> Tenant:
            if uow.tenants.get_by_slug(slug) is not None:
                raise DuplicateValue(f"tenant '{slug}' exists", pointer="/slug")
            uow.tenants.add(tenant)
            return tenant

        return self._tx.write(work)

    def ping(self) -> None:
        """Touch the database: raises when it cannot be reached."""
        self._tx.read(lambda uow: uow.tenants.any_exists())

    def update_tenant(
        self,
        slug: str,
        *,
        name: str | None = None,
        validation_policy: str | None = None,
        retention_fields: Sequence[str] | None = None,
        duplicate_policy: str | None = None,
    ) -> Tenant:
        errors = []
        if retention_fields is not None:
            errors.extend(retention_field_errors(retention_fields))
        if validation_policy is not None and validation_policy not in POLICIES:
            errors.append(
                FieldError("invalid_choice", "'strict' or 'lenient'", pointer="/validation_policy")
            )
        if duplicate_policy is not None and duplicate_policy not in DUPLICATE_POLICIES:
            errors.append(
                FieldError("invalid_choice", "'warn' or 'refuse'", pointer="/duplicate_policy")
            )
        if name is not None and not 1 <= len(name.strip()) <= 200:
            errors.append(FieldError("too_long", "1 to 200 characters", pointer="/name"))
        elif name is not None and (code := control_character(name)):
            detail = f"control characters ({code}) are not allowed in text"
            errors.append(FieldError("control_character", detail, pointer="/name"))
        if errors:
            raise ValidationFailed(f"{errors[0].pointer}: {errors[0].detail}", errors=errors)

        def work(uow: UnitOfWork) -> Tenant:
            current = self._tenant(uow, slug)
            changed = replace(
                current,
                name=current.name if name is None else name.strip(),
                validation_policy=validation_policy or current.validation_policy,
                retention_fields=current.retention_fields
                if retention_fields is None
                else tuple(dict.fromkeys(retention_fields)),
            )
            uow.tenants.update(changed)
            if duplicate_policy is not None:
                uow.tenants.set_duplicate_policy(current.id, duplicate_policy)
            return changed

        return self._tx.write(work)

    def list_tenants(self) -> Sequence[Tenant]:
        return self._tx.read(lambda uow: uow.tenants.list_all())

    def duplicate_policy(self, tenant_id: UUID) -> str:
        return self._tx.read(lambda uow: uow.tenants.duplicate_policy(tenant_id))

    def get_tenant(self, slug: str) -> Tenant:
        return self._tx.read(lambda uow: self._tenant(uow, slug))

    def create_key(
        self, slug: str, name: str | None = None, secret: str | None = None
    ) -> IssuedKey:
        secret = secret or api_keys.generate_key()

        def work(uow: UnitOfWork) -> IssuedKey:
            tenant = self._tenant(uow, slug)
            key = ApiKey(
                tenant_id=tenant.id,
                id=new_id(),
                display_prefix=api_keys.display_prefix(secret),
                name=name,
                created_at=_now(),
                last_used_at=None,
                revoked_at=None,
            )
            uow.api_keys.add(key, api_keys.hash_key(secret))
            return IssuedKey(key, secret)

        return self._tx.write(work)

    def list_keys(self, slug: str) -> Sequence[ApiKey]:
        return self._tx.read(lambda uow: uow.api_keys.list_for_tenant(self._tenant(uow, slug).id))

    def revoke_key(self, display_prefix: str) -> ApiKey:
        def work(uow: UnitOfWork) -> ApiKey:
            matches = [
                key for key in uow.api_keys.find_by_prefix(display_prefix) if key.revoked_at is None
            ]
            if not matches:
                raise NotFound(f"no active key starts with '{display_prefix}'")
            if len(matches) > 1:
                raise DuplicateValue(
                    f"{len(matches)} active keys start with '{display_prefix}'; "
                    "give a longer prefix",
                    pointer="/prefix",
                )
            key = matches[0]
            uow.api_keys.revoke(key.tenant_id, key.id, _now())
            return key

        return self._tx.write(work)

    def authenticate(self, presented: str | None) -> Principal:
        """The principal for a presented key; the same error whatever is wrong with it."""
        return self._verify(presented)[1].principal

    def actor(self, presented: str | None, entry_point: str, request_id: str | None) -> Actor:
        """Who acts with a presented key. A key verified before is taken from the cache; the
        operation's own unit of work then confirms it (one statement: the tenant's epoch,
        which every revocation raises), so a revoked key stops working at once in every
        process without a key lookup per request."""
        key_hash, verified = self._verify(presented)
        principal = verified.principal
        return Actor(
            principal.tenant,
            principal.api_key_id,
            entry_point,
            request_id,
            confirm=Confirmation(self, key_hash, verified),
        )

    def is_verified(self, presented: str | None) -> bool:
        """Whether this process has verified the presented key (it needs no lookup)."""
        if not presented or len(presented) > api_keys.MAX_PRESENTED_KEY_LENGTH:
            return False
        return self._verified.get(api_keys.hash_key(presented)) is not None

    def ensure_confirmed(self, actor: Actor) -> None:
        """Confirm the actor's credential if no operation of the request did: a request that
        never reached the database (a refused body, say) must not outlive a revocation."""
        if isinstance(actor.confirm, Confirmation) and not actor.confirm.done:
            self._tx.read(lambda _: None, actor)

    def _verify(self, presented: str | None) -> tuple[str, Verified]:
        if not presented or len(presented) > api_keys.MAX_PRESENTED_KEY_LENGTH:
            raise Unauthenticated("a valid API key is required")
        key_hash = api_keys.hash_key(presented)
        verified = self._verified.get(key_hash)
        if verified is None:
            verified = self._tx.read(lambda uow: self._look_up(uow, key_hash))
        self._note_use(verified.key)
        return key_hash, verified

    def _look_up(self, uow: UnitOfWork, key_hash: str) -> Verified:
        found = uow.api_keys.principal_for(key_hash)
        if found is None or found[1].revoked_at is not None:
            self._verified.drop(key_hash)
            raise Unauthenticated("a valid API key is required")
        principal, key = found
        verified = Verified(principal, key, principal.tenant.auth_epoch)
        self._verified.put(key_hash, verified)
        return verified

    def confirm(self, uow: UnitOfWork, key_hash: str, verified: Verified) -> None:
        tenant_id = verified.principal.tenant.id
        probe = uow.epoch
        epoch = probe.seen if probe.read else uow.tenants.auth_epoch(tenant_id)
        if epoch != verified.epoch:
            self._look_up(uow, key_hash)

    def _note_use(self, key: ApiKey) -> None:
        # last_used_at is for humans auditing keys; a write per request would cost more
        # than the request itself, so it is kept to the minute.
        moment = time.monotonic()
        if moment - self._last_touched.get(key.id, -LAST_USED_RESOLUTION_SECONDS) < (
            LAST_USED_RESOLUTION_SECONDS
        ):
            return
        self._last_touched[key.id] = moment
        # Written in the background: a request never waits for it (nor for the write lock
        # it needs); a failure only leaves the time a minute older.
        at = _now()
        self._touches.submit(self._touch, key, at)

    def _touch(self, key: ApiKey, at: datetime) -> None:
        try:
            self._tx.write(lambda uow: uow.api_keys.touch(key.tenant_id, key.id, at))
        except CounterpartyError:
            log.warning("could not note the use of key %s", key.display_prefix)

    def close(self) -> None:
        """Finish the background notes of key use."""
        self._touches.shutdown(wait=True)

    def bootstrap(self, configured_key: str | None) -> IssuedKey | None:
        """On an empty database, create tenant 'default' and its first key. A configured key
        must be a well-formed key (whether or not it is used), or the service does not start:
        a weak secret there would become the first tenant's key."""
        if configured_key is not None and not api_keys.has_valid_checksum(configured_key):
            detail = (
                "COUNTERPARTY_BOOTSTRAP_KEY is not a counterparty API key (cpk_ and 38 letters "
                "and digits ending in a checksum); make one with `counterparty keys generate`"
            )
            raise ValidationFailed(
                detail,
                errors=[
                    FieldError("invalid_format", detail, parameter="COUNTERPARTY_BOOTSTRAP_KEY")
                ],
            )
        if self._tx.read(lambda uow: uow.tenants.any_exists()):
            return None
        self.create_tenant(DEFAULT_TENANT_SLUG, "Default tenant")
        return self.create_key(DEFAULT_TENANT_SLUG, "bootstrap", secret=configured_key)

    @staticmethod
    def _tenant(uow: UnitOfWork, slug: str) -> Tenant:
        tenant = uow.tenants.get_by_slug(slug)
        if tenant is None:
            raise NotFound(f"no tenant '{slug}'")
        return tenant


class Confirmation:
    """An actor's credential check, run by the first unit of work of its request."""

    def __init__(self, tenancy: TenantService, key_hash: str, verified: Verified) -> None:
        self._tenancy = tenancy
        self._key_hash = key_hash
        self._verified = verified
        self.done = False

    def __call__(self, uow: UnitOfWork) -> None:
        self._tenancy.confirm(uow, self._key_hash, self._verified)
        self.done = True
