"""A canonical contact -> the Odyssee entity: every field, the vendor's defaults instead of
nulls, typed forms where kept, and the parent company's code (embedded when asked)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.base import get_path
from counterparty.dialects.fields import VendorField
from counterparty.dialects.odyssee.company import by_id
from counterparty.dialects.odyssee.inbound import (
    IDENTIFIERS,
    alphanumeric,
    as_sent,
    digits,
    moment,
    primary_language,
)
from counterparty.dialects.odyssee.table import AS_SENT, COMPANY_FIELDS, CONTACT, NAMESPACE
from counterparty.domain.contact import Contact
from counterparty.domain.fields import country_code_for
from counterparty.services.contacts import ContactService
from counterparty.services.context import Actor


def timestamp(value: datetime) -> str:
    """`YYYY-MM-DDThh:mm:ss.fffZ`, the vendor's date-time format."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def same(row: VendorField, typed: str, stored: str) -> bool:
    """Whether the canonical value still is what `typed` was stored as; after a change
    through another API it is not, and the canonical value shows."""
    if row.format == "phone":
        wanted = digits(typed).lstrip("0")  # national "0475 ..." is stored as "+32475..."
        return len(wanted) >= 6 and digits(stored).endswith(wanted)
    if row.format == "email":
        return typed.strip().casefold() == stored.casefold()
    if row.format == "language":
        return primary_language(typed) == stored.lower()
    if row.format == "country":
        return country_code_for(typed) == stored
    if row.format in IDENTIFIERS:
        compact = alphanumeric(typed)
        return bool(compact) and alphanumeric(stored).endswith(compact)
    found = moment(typed)  # a date
    return found is not None and found.date().isoformat() == stored


def render(table: tuple[VendorField, ...], contact: Contact) -> dict[str, Any]:
    """The vendor entity: every field, defaults instead of nulls, typed forms where kept."""
    document = contact.model_dump(mode="json")
    ext = document["extensions"].get(NAMESPACE) or {}
    typed = ext.get(AS_SENT) or {}
    out: dict[str, Any] = {}
    for row in table:
        value: Any
        if as_sent(row):
            value = ext.get(row.name)
            if value is None and row.name == "create_date":
                value = timestamp(contact.created_at)
        elif row.name == "modified_dateutc":
            value = timestamp(contact.updated_at)
        elif not isinstance(row.canonical, str):
            value = None  # e_password is never returned; the other rules are the caller's
        else:
            value = get_path(document, row.canonical)
            kept = typed.get(row.name)
            if isinstance(kept, str) and isinstance(value, str) and same(row, kept, value):
                value = kept
        if value is None and row.omitted:
            continue  # nested entities appear only when stored
        out[row.name] = row.default if value is None else value
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
