"""Webhooks: endpoints, deliveries, the payload of an event and its Standard Webhooks signature.

The signature follows the Standard Webhooks specification: `webhook-signature` is `v1,` and
the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` keyed with the secret's
bytes (the secret is `whsec_` and their base64); several signatures are separated by spaces.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import orjson
from pydantic import AfterValidator, Field, StrictBool

from counterparty.domain.contact import Model, no_controls
from counterparty.domain.history import GONE, ContactEvent
from counterparty.domain.text import decimal_digits

EVENT_TYPES = (
    "contact.created",
    "contact.updated",
    "contact.archived",
    "contact.unarchived",
    "contact.deleted",
    "contact.erased",
    "contact.merged",
    "contact.merged_into",
    "contact.unmerged",
)
ALL_EVENTS = "*"
TEST_EVENT = "webhook.test"
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
MAX_ENDPOINTS = 20
MAX_URL_LENGTH = 2000
SIGNATURE_TOLERANCE_SECONDS = 300
DeliveryState = Literal["pending", "delivered", "failed"]

Text = Annotated[str, AfterValidator(no_controls)]


def _known_event(name: str) -> str:
    if name != ALL_EVENTS and name not in EVENT_TYPES:
        raise ValueError(f"'{name}' is not an event type; use {', '.join(EVENT_TYPES)} or *")
    return name


Events = Annotated[
    list[Annotated[str, AfterValidator(_known_event)]],
    Field(min_length=1, max_length=20),
    AfterValidator(lambda names: list(dict.fromkeys(names))),
]


class EndpointInput(Model):
    url: Text = Field(max_length=MAX_URL_LENGTH)
    events: Events = Field(default_factory=lambda: [ALL_EVENTS])
    description: Text | None = Field(None, max_length=500)
    enabled: StrictBool = True


class EndpointChanges(Model):
    url: Text | None = Field(None, max_length=MAX_URL_LENGTH)
    events: Events | None = None
    description: Text | None = Field(None, max_length=500)
    enabled: StrictBool | None = None


@dataclass(frozen=True)
class Endpoint:
    tenant_id: UUID
    id: UUID
    url: str
    description: str | None
    events: tuple[str, ...]
    enabled: bool
    secret: str = field(repr=False)
    previous_secret: str | None = field(repr=False)
    previous_secret_until: datetime | None
    starts_after: int
    failing_since: datetime | None
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime

    def subscribes(self, event_type: str) -> bool:
        return ALL_EVENTS in self.events or event_type in self.events

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign now: the current one, and the previous one for 24 hours
        after a rotation."""
        found = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            found.append(self.previous_secret)
        return found


@dataclass(frozen=True)
class Delivery:
    tenant_id: UUID
    id: UUID
    endpoint_id: UUID
    sequence: int | None  # the event's position in the change feed; None for a test event
    contact_id: UUID | None
    event_type: str
    state: DeliveryState
    attempts: int
    retries_left: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    last_duration_ms: int | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def message_id(self) -> str:
        """The `webhook-id`: the event's, the same on every attempt and replay."""
        if self.sequence is None:
            return f"msg_{self.id.hex}"
        return event_message_id(self.tenant_id, self.sequence)


@dataclass(frozen=True)
class Attempt:
    number: int
    attempted_at: datetime
    request_headers: dict[str, str]
    status: int | None
    response: str | None
    error: str | None
    duration_ms: int


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def event_message_id(tenant_id: UUID, sequence: int) -> str:
    return f"msg_{uuid.uuid5(tenant_id, f'event:{sequence}').hex}"


def event_type(event: ContactEvent) -> str:
    return f"contact.{event.type}"


def event_payload(event: ContactEvent, document: bytes | None) -> bytes:
    """The body of an event's webhook: the change feed's changes and document after it."""
    data: dict[str, Any] = {
        "id": event.contact_id,
        "number": event.contact_number,
        "version": event.version,
        "changes": [{"path": c.path, "old": c.old, "new": c.new} for c in event.changes],
    }
    if event.type not in GONE and document is not None:
        data["contact"] = orjson.Fragment(document)
    body = {"type": event_type(event), "timestamp": event.occurred_at, "data": data}
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


def ping_payload(endpoint_id: UUID, moment: datetime) -> bytes:
    body = {"type": TEST_EVENT, "timestamp": moment, "data": {"endpoint_id": endpoint_id}}
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


def _secret_bytes(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))


def signature(secrets_: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<base64>` per secret, space-separated."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.digest(_secret_bytes(s), signed, hashlib.sha256)).decode()
        for s in secrets_
    )


def verify_signature(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether a received webhook was signed with `secret` within the tolerance (for the
    command that listens for webhooks; receivers use their own library)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    message_id = lowered.get("webhook-id", "")
    stamp = lowered.get("webhook-timestamp", "")
    if not message_id or not decimal_digits(stamp):
        return False
    if abs(time.time() - int(stamp)) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    expected = signature([secret], message_id, int(stamp), body)
    return any(
        hmac.compare_digest(expected, given)
        for given in lowered.get("webhook-signature", "").split(" ")
    )
