"""The Odyssee `contact` and `company` entities, field by field, as shared `VendorField` rows.

Check them against seed-apis.md §4 and the seed page. `canonical` is a dotted canonical path,
`extension("odyssee", name)` for a field kept exactly as sent (no canonical home), or a `Rule`
whose code is in `inbound`/`outbound` under the field's name: `e_password` (hashed by the
service, never returned), `create_date` (as sent, else the canonical `created_at`),
`modified_dateutc` (the canonical `updated_at`, read-only), `company_code` (the parent
company's `external_ref`), `company` (the embedded company entity, written to the parent
contact), `street_number` (joined to `address.street` with a space). A `format` marks text the
canonical model stores normalised (E.164, lower-case domain, ISO codes, compact identifiers):
what the client typed is kept under `extensions.odyssee.as_sent`, and so are dates.
"""

from __future__ import annotations

from typing import Any, Final

from counterparty.dialects.fields import Format, Rule, Type, VendorField, Verb, extension

NAMESPACE = "odyssee"
AS_SENT = "as_sent"  # extensions.odyssee member holding the typed form of normalised fields
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
# What "no value" reads back as, per type; also what a value means "none" as on input. Dates
# read back null: 1980-01-01 would be a date the client never gave.
NO_VALUE: Final[dict[str, Any]] = {"text": "", "guid": ZERO_GUID, "boolean": False, "decimal": 0}


def F(name: str, type_: Type, canonical: str | Rule, max_length: int | None = None,
      format: Format | None = None, read_only: bool = False,
      required: tuple[Verb, ...] = ()) -> VendorField:  # fmt: skip
    """A row with Odyssee's "no value" for its type (nested entities are left out instead)."""
    return VendorField(name, type_, canonical, max_length, format=format, read_only=read_only,
                       nullable=type_ not in NO_VALUE, default=NO_VALUE.get(type_),
                       omitted=type_ == "object", required=required)  # fmt: skip


def EXT(name: str, type_: Type, max_length: int | None = None) -> VendorField:
    """A field with no canonical home, kept as sent under `extensions.odyssee`."""
    return F(name, type_, extension(NAMESPACE, name), max_length)


CREATED = Rule(extension(NAMESPACE, "create_date"), "created_at")

CONTACT: tuple[VendorField, ...] = (
    F("id", "guid", "id"),  # primary key; the client may choose it on create
    F("firstname", "text", "first_name", 50),
    F("lastname", "text", "last_name", 50, required=("POST", "PUT")),  # name: "first last"
    F("company_id", "guid", "parent_id"),  # must be a company contact
    F("company_code", "text", Rule("parent_id"), 100),  # links the parent by its external_ref
    F("company", "object", Rule("parent_id")),  # creates or updates the parent company
    EXT("db_language_id", "guid"),
    F("db_language_code", "text", "language", format="language"),  # "nl", "NL" or "nl-BE" -> "nl"
    EXT("db_title_id", "guid"),
    F("archived", "boolean", "archived"),
    EXT("functions", "text", 64),
    EXT("e_login", "text", 50),
    F("e_password", "text", Rule(), 50),
    F("notes", "text", "notes"),
    F("birthdate", "date", "birth_date"),
    F("create_date", "datetime", CREATED),
    F("phone", "text", "phone", 50, format="phone"),
    F("mobile", "text", "mobile", 50, format="phone"),
    F("email", "text", "email", 250, format="email"),
    EXT("skype", "text", 250),
    EXT("private_phone", "text", 50),
    EXT("private_mobile", "text", 50),
    EXT("private_email", "text", 250),
    F("reference_back_office", "text", "external_ref", 50),
    F("modified_dateutc", "datetime", Rule("updated_at"), read_only=True),
)

# The embedded `company` entity of the seed's sample. Its limits are not documented: the
# canonical limits apply to mapped fields. Nested entities are kept whole, as sent.
COMPANY_FIELDS: tuple[VendorField, ...] = (
    F("id", "guid", "id"),
    F("is_client", "boolean", "is_customer"),
    F("is_supplier", "boolean", "is_supplier"),
    F("archived", "boolean", "archived"),
    F("name", "text", "name"),  # required when the company is new
    F("notes", "text", "notes"),
    F("create_date", "datetime", CREATED),
    EXT("sales_territory_id", "guid"),
    EXT("sales_territory_code", "text"),
    EXT("sales_territory", "object"),
    EXT("marketing_segment_id", "guid"),
    EXT("marketing_segment_code", "text"),
    EXT("sales_organization_id", "guid"),
    EXT("sales_organization_code", "text"),
    EXT("company_sales_status_code", "text"),
    F("vat_reg_code", "text", "vat_number", format="vat_number"),
    EXT("is_working_address", "boolean"),
    F("parent_id", "guid", "parent_id"),  # the company's own group parent
    EXT("parent_company_code", "text"),
    F("phone", "text", "phone", format="phone"),
    F("fax", "text", "fax", format="phone"),
    F("url", "text", "website"),
    F("email", "text", "email", format="email"),
    F("street", "text", "address.street"),
    F("street_number", "text", Rule("address.street")),
    F("city", "text", "address.city"),
    F("zip", "text", "address.postal_code"),
    EXT("db_country_id", "guid"),
    F(
        "db_country_code", "text", "address.country_code", format="country"
    ),  # ISO code or country name
    EXT("feelist_id", "guid"),
    EXT("feelist_reference_back_office", "text"),
    EXT("feelist", "object"),
    EXT("company_type_id", "guid"),
    EXT("company_type_name", "text"),
    EXT("company_type", "object"),
    EXT("db_language_id", "guid"),
    F("db_language_code", "text", "language", format="language"),
    F("code", "text", "external_ref"),  # the ERP key that contact.company_code names
    EXT("article_price_label_id", "guid"),
    EXT("article_price_label_code", "text"),
    EXT("db_payment_method_id", "guid"),
    EXT("db_payment_method_reference_back_office", "text"),
    EXT("db_payment_methods", "object"),
    EXT("company_sector_id", "guid"),
    EXT("company_sector_code", "text"),
    EXT("is_lead", "boolean"),
    EXT("is_subcontractor", "boolean"),
    EXT("latitude", "decimal"),
    EXT("longitude", "decimal"),
    F("street2", "text", "address.street2"),
    EXT("bic_code", "text"),
    EXT("specialities", "text"),
    F("register_number", "text", "registration_number", format="registration_number"),
    EXT("register_city", "text"),
    EXT("bankaccount", "text"),
    F("mobile", "text", "mobile", format="phone"),
    EXT("service_manager_user_id", "guid"),
    EXT("service_manager_user_code", "text"),
    EXT("finance_manager_user_id", "guid"),
    EXT("finance_manager_user_code", "text"),
    EXT("account_manager_user_id", "guid"),
    EXT("account_manager_user_code", "text"),
    EXT("company_status_id", "guid"),
    EXT("invoice_email_to", "text"),
    F("modified_dateutc", "datetime", Rule("updated_at"), read_only=True),
    F("id2", "decimal", "number", read_only=True),
)

COMPANY_LINKS = ("company_id", "company_code", "company")
