"""Muhasip's contact (`contactsSchema`), field by field, in the order of the page's example.

Muhasip documents no lengths, so `max_length` is the canonical field's (an IBAN's is the typed
text's: 34 once compacted). What Muhasip cannot express natively is kept in `extensions.muhasip`:
`asGiven` (`{vendor path: text as sent}`, where the canonical form differs), `variables` and
`peopleVariables` (the order, original keys and titles of `variables`).
"""

from __future__ import annotations

from typing import Final

from counterparty.dialects.fields import Rule, VendorField, Verb

NAMESPACE = "muhasip"
F = VendorField
WHOLE: tuple[Verb, ...] = ("POST", "PUT")  # Muhasip has no PATCH of a contact's members
IBAN_TEXT_LIMIT = 50  # as typed, spaces included; the canonical limit (34) is on the compact form
DOMESTIC = "TR"

VARIABLE: Final = (  # one item of `variables`: a custom field
    F("key", "text", Rule("custom_fields"), 40, required=WHOLE, blank=False, nullable=False),
    F("title", "text", Rule(), 200, omitted=True),  # shown only when it was written
    F("value", "scalar", Rule("custom_fields"), 500),
)
PERSON: Final = (  # one item of `contactPeoples`; paths are the contact person's
    F("name", "text", "name", 200),
    F("phone", "text", "phone", 32, format="phone"),
    F("email", "text", "email", 254, format="email"),
    F("info", "text", "role", 100),
    F("_id", "text", "id"),  # the person's canonical id; any other text makes a new person
    F("variables", "list", Rule("custom_fields"), 50, items="object", members=VARIABLE),
)
TABLE: Final = (
    F("_id", "guid", "id", read_only=True, nullable=False),
    F("companiesId", "guid", Rule(), read_only=True, nullable=False),  # the tenant
    F("name", "text", "name", 200, required=WHOLE, blank=False),
    F("employees", "boolean", Rule(), read_only=True, nullable=False),  # never an employee
    F("contactsType", "text", "kind", read_only=True, nullable=False),
    F("phone", "text", "phone", 32, format="phone"),
    F("email", "text", "email", 254, format="email"),
    F("taxId", "text", "tax_id", 32, format="tax_id"),  # VKN / TCKN
    F("taxOffice", "text", "tax_office", 100),
    F("countriesCode", "text", "address.country_code", read_only=True),
    F("statesCode", "text", Rule(), read_only=True),  # null in the page's example
    F("countries", "text", "address.country_code", 100, format="country", known=True),  # a NAME
    F("states", "text", "address.state", 200),  # il (province)
    F("cities", "text", "address.city", 200),  # ilçe (district / town)
    F("address", "text", "address.street", 200),  # "açık adres", free text
    F("isAbroad", "boolean", Rule("address.country_code"), read_only=True, nullable=False),
    F("isCustomer", "boolean", "is_customer", nullable=False, default=True),
    F("person", "boolean", Rule("kind"), nullable=False, default=False),  # true: a person
    F("default", "boolean", Rule(), read_only=True, nullable=False),  # not modelled
    F("archived", "boolean", "archived", nullable=False),  # a PUT without it keeps the state
    # one account per IBAN
    F("ibans", "list", Rule("bank_accounts"), 20, items="text", item_length=IBAN_TEXT_LIMIT),
    F("contactPeoples", "list", Rule("contact_persons"), 100, items="object", members=PERSON),
    F("createdDate", "datetime", Rule("created_at"), read_only=True, nullable=False),
    F("variables", "list", Rule("custom_fields"), 50, items="object", members=VARIABLE),
    F("__v", "integer", "version", read_only=True, nullable=False),
)
