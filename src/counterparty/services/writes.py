"""What every contact write shares: preconditions, the history event, commit hooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from counterparty.domain.contact import WRITABLE_FIELDS, Contact, ContactInput
from counterparty.domain.history import Change, ContactEvent, diff, event_type
from counterparty.errors import PreconditionFailed
from counterparty.services.context import Actor
from counterparty.services.ports import UnitOfWork

EVENT_COUNTER = "event"
AnyVersion = Literal["*"]
IfMatch = frozenset[int] | AnyVersion


@dataclass(frozen=True)
class WriteOptions:
    """How a write is guarded and finished.

    `if_match`: the versions the client believes current (from If-Match); "*" is any.
    `on_commit`: runs inside the write's transaction after the change, with its result;
    idempotency records use it so that the change and its stored response commit together.
    """

    if_match: IfMatch | None = None
    on_commit: Callable[[UnitOfWork, Contact], None] | None = None


NO_OPTIONS = WriteOptions()


def now() -> datetime:
    return datetime.now(UTC)


def writable_document(contact: ContactInput) -> dict[str, Any]:
    """The contact as a client would write it back, in JSON types (merge-patch target)."""
    return contact.model_dump(mode="json", include=set(WRITABLE_FIELDS))


DEFAULT_DOCUMENT = writable_document(ContactInput.model_construct())


def check_precondition(
    uow: UnitOfWork, actor: Actor, current: Contact, if_match: IfMatch | None
) -> None:
    if if_match is None or if_match == "*" or current.version in if_match:
        return
    known = min(if_match) if if_match else 0
    changed = uow.events.changed_since(actor.tenant_id, current.id, known)
    raise PreconditionFailed(
        f"the contact is at version {current.version}; fetch it again and re-apply the change",
        current_version=current.version,
        changed_fields=changed,
    )


def record_change(
    uow: UnitOfWork,
    actor: Actor,
    before: Contact | None,
    after: Contact | None,
    extra_changes: Sequence[Change] = (),
) -> None:
    """Write the history event of a change, in the change's own transaction."""
    subject = after or before
    assert subject is not None
    if after is None:
        changes: list[Any] = []
        version = subject.version + 1
    else:
        changes = diff(
            writable_document(before) if before else DEFAULT_DOCUMENT, writable_document(after)
        )
        version = after.version
    uow.events.append(
        actor.tenant_id,
        ContactEvent(
            sequence=uow.tenants.next_value(actor.tenant_id, EVENT_COUNTER),
            contact_id=subject.id,
            contact_number=subject.number,
            type=event_type(before.archived if before else None, after.archived if after else None),
            version=version,
            changes=(*changes, *extra_changes),
            api_key_id=actor.api_key_id,
            entry_point=actor.entry_point,
            request_id=actor.request_id,
            occurred_at=after.updated_at if after else now(),
            snapshot=None if after is None else after.__pydantic_serializer__.to_json(after),
        ),
    )
