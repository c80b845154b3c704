"""Listing contacts: the query, its parameters, and tamper-proof keyset cursors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import orjson

from counterparty.errors import InvalidCursor
from counterparty.services.tokens import seal, unseal

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 10
SortField = Literal["name", "number", "updated_at"]
SORT_FIELDS: tuple[SortField, ...] = ("name", "number", "updated_at")
CHECK_STATUSES = ("invalid", "pending", "unverified", "valid")


@dataclass(frozen=True)
class ContactQuery:
    """Filters (all must hold), an order and a page size; `after` is the keyset position."""

    terms: tuple[str, ...] = ()
    kind: str | None = None
    is_customer: bool | None = None
    is_supplier: bool | None = None
    archived: bool | None = False  # None: archived and active alike
    country_code: str | None = None
    tag: str | None = None
    external_ref: str | None = None
    updated_since: datetime | None = None
    check_status: str | None = None  # worst status in `checks`: "invalid" lists what needs fixing
    sort: SortField = "name"
    descending: bool = False
    limit: int = DEFAULT_LIMIT
    after: tuple[Any, UUID] | None = field(default=None, compare=False)
    offset: int = field(default=0, compare=False)  # for vendor APIs that page by number

    def fingerprint(self) -> str:
        """Everything but the page size and position: a cursor only continues its own query."""
        shape = replace(self, limit=0, after=None, offset=0)
        described = orjson.dumps(shape.__dict__, default=str, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(described).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Listed:
    """A contact on a list page: its stored JSON and the values it is ordered by."""

    id: UUID
    number: int
    name_key: str
    updated_at: datetime
    document: bytes


def sort_value(listed: Listed, sort: SortField) -> Any:
    """The value a contact is ordered by; the repository indexes the same value."""
    if sort == "name":
        return listed.name_key
    if sort == "number":
        return listed.number
    return listed.updated_at.isoformat()


def encode_cursor(secret: bytes, query: ContactQuery, last: Listed) -> str:
    return seal(secret, [query.fingerprint(), sort_value(last, query.sort), str(last.id)])


def decode_cursor(secret: bytes, token: str, query: ContactQuery) -> ContactQuery:
    """The query positioned after the cursor; a cursor that was altered or belongs to
    another query or tenant is refused."""
    payload = unseal(secret, token)
    if len(payload) != 3 or payload[0] != query.fingerprint():
        raise InvalidCursor("the cursor belongs to a list with other filters or another order")
    _, value, last_id = payload
    return replace(query, after=(value, UUID(last_id)))
