"""Fatura Entegratör's customer, field by field (the seed page and seed-apis.md section 3).

Every writable member is a string; the page documents no lengths, so `max_length` is the limit
of the canonical field behind each one. `city` is the il (province), `district` the ilçe.
"""

from __future__ import annotations

from counterparty.dialects.fields import Rule, VendorField, Verb, extension

NAMESPACE = "faturaentegrator"
F = VendorField
CREATE: tuple[Verb, ...] = ("POST", "PUT")  # a PUT sends the whole record: create rules apply

TABLE: tuple[VendorField, ...] = (
    F("id", "integer", "number", read_only=True),
    F("type", "text", Rule("kind"), pattern="person|company", required=CREATE),
    F("tax_number", "text", "tax_id", None, "[0-9]{10,11}", "tax_id", required=CREATE),
    F("tax_office", "text", "tax_office", 100, required_if=("type", "company")),
    F("title", "text", Rule("name", extension(NAMESPACE, "title")), 200,
      required_if=("type", "company")),
    F("name", "text", "first_name", 100, required_if=("type", "person")),
    F("surname", "text", "last_name", 100, required_if=("type", "person")),
    F("country", "text", Rule("address.country_code", extension(NAMESPACE, "country")), 100,
      format="country", required=CREATE),
    F("city", "text", "address.state", 200, required=CREATE),
    F("district", "text", "address.city", 200, required=CREATE),
    F("address", "text", "address.street", 200, required=CREATE),
    F("postcode", "text", "address.postal_code", 20),
    F("phone", "text", Rule("phone"), 32, format="phone"),
    F("email", "text", "email", 254, format="email"),
    F("iban", "text", Rule("bank_accounts.iban"), 42, format="iban"),  # 34 once compacted
    F("created_at", "datetime", Rule("created_at"), read_only=True),
    F("updated_at", "datetime", Rule("updated_at"), read_only=True),
)  # fmt: skip
