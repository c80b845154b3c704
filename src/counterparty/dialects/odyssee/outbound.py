"""A canonical contact -> the Odyssee entity: every field, the vendor's defaults instead of
nulls, typed forms where kept, and the parent company's code (embedded when asked)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from counterparty.dialects.base import get_path, to_vendor
from counterparty.dialects.fields import VendorField
from counterparty.dialects.odyssee.company import by_id
from counterparty.dialects.odyssee.inbound import (
    IDENTIFIERS,
    alphanumeric,
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
    street, number = typed.get("street"), typed.get("street_number")
    joined = " ".join(part.strip() for part in (street, number) if part)
    apart = bool(number) and joined == get_path(document, "address.street")  # as typed, in two

    def shown(row: VendorField, value: Any) -> Any:
        if apart and row.name == "street":
            return street
        kept = typed.get(row.name)
        if isinstance(kept, str) and isinstance(value, str) and same(row, kept, value):
            return kept
        return value

    rules = {
        "e_password": None,  # never returned
        "create_date": ext.get("create_date") or timestamp(contact.created_at),
        "modified_dateutc": timestamp(contact.updated_at),
        "street_number": number if apart else None,
        "company_code": None,  # the caller's, as the embedded company
        "company": None,
    }
    values = to_vendor(table, document, rules, shown)
    return {
        row.name: row.default if values[row.name] is None else values[row.name]
        for row in table
        if values[row.name] is not None or not row.omitted  # nested entities only when stored
    }


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
