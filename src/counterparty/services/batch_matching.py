"""What a batch item is matched on: the field, and its value in the form contacts store it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from uuid import UUID

from counterparty.domain import identifiers
from counterparty.domain.contact import MAX_NUMBER
from counterparty.domain.text import compact, decimal_digits

MatchField = Literal["external_ref", "vat_number", "tax_id", "registration_number", "number", "id"]
MATCH_FIELDS: tuple[MatchField, ...] = (
    "external_ref",
    "vat_number",
    "tax_id",
    "registration_number",
    "number",
    "id",
)


def _country(document: Mapping[str, Any]) -> str | None:
    address = document.get("address")
    raw = address.get("country_code") if isinstance(address, Mapping) else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    result = identifiers.normalize_country(raw)
    return result.compact if result.is_valid else None


def match_value(field: MatchField, raw: Any, document: Mapping[str, Any]) -> Any:
    """The value to look `field` up by, normalised as the item's own checks would store it
    (a VAT number without its spaces and dots, say); None when there is nothing to match."""
    if field == "id":
        try:
            return UUID(raw) if isinstance(raw, str) else None
        except ValueError:
            return None
    if field == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            return None
        text = str(raw).strip()
        return int(text) if decimal_digits(text) and 0 < int(text) <= MAX_NUMBER else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    if field == "external_ref":
        return raw.strip()
    country = _country(document)
    if field == "vat_number":
        return identifiers.normalize_vat(raw, country).compact
    if field == "tax_id":
        return identifiers.normalize_tax_id(raw, country).compact
    return identifiers.normalize_registration_number(raw, country).compact or compact(raw)
