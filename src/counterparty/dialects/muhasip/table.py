"""Muhasip's field table (`contactsSchema` <-> the canonical contact), data only.

The two tables below are the whole mapping (checked against Muhasip's page). What Muhasip
cannot express natively is kept in `extensions.muhasip`:

    asGiven          {vendor path: text as the client sent it}, only where the stored canonical
                     form differs ("0532 123 45 67" -> "+905321234567", "Türkiye" -> "TR");
                     shown again while it still denotes the stored value
    variables        [{key, field, title?, null?}]: order, original key and title of `variables`
    peopleVariables  {contact person id: the same list, for that person's `variables`}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

NAMESPACE = "muhasip"
TEXT, PHONE, EMAIL, TAX_ID, IBAN, COUNTRY = "text", "phone", "email", "tax_id", "iban", "country"
BOOL, KIND, IBANS, PEOPLE, VARIABLES = "bool", "kind", "ibans", "people", "variables"
STRING_KINDS: Final = frozenset({TEXT, PHONE, EMAIL, TAX_ID, COUNTRY})


@dataclass(frozen=True)
class VendorField:
    name: str  # Muhasip's member name
    canonical: str  # dotted canonical path
    kind: str
    limit: int | None = None  # characters of a string, items of a list
    required: bool = False
    default: Any = None  # written when a PUT leaves the member out


# vendor member -> canonical path; `limit`s are the canonical model's (Muhasip documents none)
CONTACT_FIELDS: Final = (
    VendorField("name", "name", TEXT, 200, required=True),
    VendorField("phone", "phone", PHONE, 32),
    VendorField("email", "email", EMAIL, 254),
    VendorField("taxId", "tax_id", TAX_ID, 32),
    VendorField("taxOffice", "tax_office", TEXT, 100),
    VendorField("countries", "address.country_code", COUNTRY, 100),  # a NAME ("Türkiye")
    VendorField("states", "address.state", TEXT, 200),  # il (province)
    VendorField("cities", "address.city", TEXT, 200),  # ilçe (district / town)
    VendorField("address", "address.street", TEXT, 200),  # "açık adres", free text
    VendorField("isCustomer", "is_customer", BOOL, default=True),
    VendorField("person", "kind", KIND, default=False),  # true = "person", false = "company"
    VendorField("archived", "archived", BOOL),  # a PUT without it keeps the current state
    VendorField("ibans", "bank_accounts", IBANS, 20),  # [iban] <-> bank_accounts[].iban
    VendorField("contactPeoples", "contact_persons", PEOPLE, 100),
    VendorField("variables", "custom_fields", VARIABLES, 50),  # [{key, value, title?}]
)
PERSON_FIELDS: Final = (  # one item of `contactPeoples`; `_id` is the person's canonical id
    VendorField("name", "name", TEXT, 200),
    VendorField("phone", "phone", PHONE, 32),
    VendorField("email", "email", EMAIL, 254),
    VendorField("info", "role", TEXT, 100),
    VendorField("variables", "custom_fields", VARIABLES, 50),
)
# Server members of a result (derived in outbound.py); ignored when a client sends them back.
READ_ONLY: Final = frozenset(
    {"_id", "companiesId", "employees", "contactsType", "countriesCode", "statesCode"}
    | {"isAbroad", "default", "createdDate", "__v"}
)
RESULT_ORDER: Final = (  # the member order of the seed's 200 response
    "_id", "companiesId", "name", "employees", "contactsType", "phone", "email", "taxId",
    "taxOffice", "countriesCode", "statesCode", "countries", "states", "cities", "address",
    "isAbroad", "isCustomer", "person", "default", "archived", "ibans", "contactPeoples",
    "createdDate", "variables", "__v",
)  # fmt: skip
VARIABLE_LIMITS: Final = {"key": 40, "title": 200, "value": 500}
IBAN_TEXT_LIMIT = 50  # as typed, spaces included; the canonical limit (34) is on the compact form
DOMESTIC = "TR"
