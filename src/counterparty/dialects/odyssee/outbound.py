"""A canonical contact -> the Odyssee entity: every field, the vendor's defaults instead of
nulls, typed forms where kept, and the parent company's code (embedded when asked)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.base import get_path
from counterparty.dialects.odyssee.company import by_id
from counterparty.dialects.odyssee.inbound import alphanumeric, digits, moment, primary_language
from counterparty.dialects.odyssee.table import (
    AS_SENT,
    BOOL,
    COMPANY_FIELDS,
    CONTACT,
    COUNTRY,
    CREATED,
    DATE,
    DATETIME,
    EMAIL,
    EXT,
    GUID,
    IDENTIFIER,
    LANGUAGE,
    NUMBER,
    NUMBER_ID,
    OBJECT,
    PHONE,
    UPDATED,
    Field,
)  # fmt: skip
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor

ZERO_GUID = "00000000-0000-0000-0000-000000000000"
# What an absent value reads back as. Dates are null: 1980-01-01 would be a date the client
# never gave (on input it still means "no value", as the vendor writes it).
DEFAULTS: dict[str, Any] = {GUID: ZERO_GUID, BOOL: False, DATE: None, DATETIME: None, NUMBER: 0}


def timestamp(value: datetime) -> str:
    """`YYYY-MM-DDThh:mm:ss.fffZ`, the vendor's date-time format."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def same(spec: Field, typed: str, stored: str) -> bool:
    """Whether the canonical value still is what `typed` was stored as; after a change
    through another API it is not, and the canonical value shows."""
    if spec.kind == PHONE:
        wanted = digits(typed).lstrip("0")  # national "0475 ..." is stored as "+32475..."
        return len(wanted) >= 6 and digits(stored).endswith(wanted)
    if spec.kind == EMAIL:
        return typed.strip().casefold() == stored.casefold()
    if spec.kind == LANGUAGE:
        return primary_language(typed) == stored.lower()
    if spec.kind == COUNTRY:
        return country_code_for(typed) == stored
    if spec.kind == IDENTIFIER:
        compact = alphanumeric(typed)
        return bool(compact) and alphanumeric(stored).endswith(compact)
    found = moment(typed)  # DATE
    return found is not None and found.date().isoformat() == stored


def render(table: tuple[Field, ...], contact: Contact) -> dict[str, Any]:
    """The vendor entity: every field, defaults instead of nulls, typed forms where kept."""
    document = contact.model_dump(mode="json")
    ext = document["extensions"].get("odyssee") or {}
    typed = ext.get(AS_SENT) or {}
    out: dict[str, Any] = {}
    for spec in table:
        value: Any
        if spec.path in (EXT, CREATED):
            value = ext.get(spec.name)
            if value is None and spec.path == CREATED:
                value = timestamp(contact.created_at)
        elif spec.path == UPDATED:
            value = timestamp(contact.updated_at)
        elif spec.path == NUMBER_ID:
            value = contact.number
        elif spec.path.startswith("@"):
            value = None  # SECRET is never returned; the others are filled in by the caller
        else:
            value = get_path(document, spec.path)
            kept = typed.get(spec.name)
            if isinstance(kept, str) and isinstance(value, str) and same(spec, kept, value):
                value = kept
        if value is None and spec.kind == OBJECT:
            continue  # nested entities appear only when stored
        out[spec.name] = DEFAULTS.get(spec.kind, "") if value is None else value
    if "street_number" in out:
        street, number = typed.get("street"), typed.get("street_number")
        shown = " ".join(part.strip() for part in (street, number) if part)
        if number and shown == document["address"]["street"]:
            out["street"], out["street_number"] = street or "", number
    return out


def entity(
    contacts: ContactService,
    actor: Actor,
    contact: Contact,
    parents: dict[UUID, Contact | None],
    *,
    expand: bool = False,
    select: Sequence[str] = (),
) -> dict[str, Any]:
    """`parents` caches the companies read for a page; `expand` embeds the company and
    `select` keeps only the members named ($expand, $select)."""
    out = render(CONTACT, contact)
    parent = None
    if contact.parent_id is not None:
        if contact.parent_id not in parents:
            parents[contact.parent_id] = by_id(contacts, actor, contact.parent_id)
        parent = parents[contact.parent_id]
    out["company_code"] = (parent.external_ref or "") if parent else ""
    if expand and parent is not None:
        out["company"] = render(COMPANY_FIELDS, parent)
    if select:
        wanted = (*select, "company")
        out = {name: out[name] for name in wanted if name in out}
    return out
