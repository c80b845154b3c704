"""The Odyssee `contact` and `company` entities, field by field, as data.

One row per vendor field: its name, its vendor type, where it lives in the canonical contact
and the vendor's max length. Check it against seed-apis.md §4 and the seed page.

Where a field lives:
- a dotted canonical path ("first_name", "address.city");
- EXT: kept exactly as sent under `extensions.odyssee.<field>` (no canonical home);
- an `@` marker, handled by code next to the row that names it:
  SECRET (hashed by the service, never returned), CREATED (as sent, else the canonical
  `created_at`), UPDATED (the canonical `updated_at`, read-only), NUMBER_ID (the canonical
  `number`, read-only), COMPANY_CODE (the parent company's `external_ref`), COMPANY (the
  embedded company entity, written to the parent contact), STREET_NUMBER (joined to
  `address.street` with a space).
"""

from __future__ import annotations

from dataclasses import dataclass

# Vendor types. The last five are strings that the canonical model stores normalised
# (E.164, lower-case domain, ISO codes, compact identifiers); what the client typed is kept
# under extensions.odyssee.as_sent so that it reads back as written.
TEXT, GUID, BOOL, DATE, DATETIME, NUMBER, OBJECT = (
    "string",
    "guid",
    "boolean",
    "date",
    "datetime",
    "number",
    "object",
)
PHONE, EMAIL, LANGUAGE, COUNTRY, IDENTIFIER = (
    "phone",
    "email",
    "language",
    "country",
    "identifier",
)
NORMALISED = frozenset({PHONE, EMAIL, LANGUAGE, COUNTRY, IDENTIFIER, DATE})
TEXTUAL = frozenset({TEXT, PHONE, EMAIL, LANGUAGE, COUNTRY, IDENTIFIER})

EXT = "@ext"
SECRET = "@secret"
CREATED = "@created"
UPDATED = "@updated"
NUMBER_ID = "@number"
COMPANY_CODE = "@company_code"
COMPANY = "@company"
STREET_NUMBER = "@street_number"
READ_ONLY = frozenset({UPDATED, NUMBER_ID})
AS_SENT = "as_sent"  # extensions.odyssee member holding the typed form of normalised fields


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    path: str
    max_length: int | None = None


F = Field

CONTACT: tuple[Field, ...] = (
    F("id", GUID, "id"),  # primary key; the client may choose it on create
    F("firstname", TEXT, "first_name", 50),
    F("lastname", TEXT, "last_name", 50),  # required; canonical name = "firstname lastname"
    F("company_id", GUID, "parent_id"),  # must be a company contact
    F("company_code", TEXT, COMPANY_CODE, 100),  # links the parent by its external_ref
    F("company", OBJECT, COMPANY),  # creates or updates the parent company
    F("db_language_id", GUID, EXT),
    F("db_language_code", LANGUAGE, "language"),  # "nl", "NL" or "nl-BE" -> "nl"
    F("db_title_id", GUID, EXT),
    F("archived", BOOL, "archived"),
    F("functions", TEXT, EXT, 64),
    F("e_login", TEXT, EXT, 50),
    F("e_password", TEXT, SECRET, 50),
    F("notes", TEXT, "notes"),
    F("birthdate", DATE, "birth_date"),
    F("create_date", DATETIME, CREATED),
    F("phone", PHONE, "phone", 50),
    F("mobile", PHONE, "mobile", 50),
    F("email", EMAIL, "email", 250),
    F("skype", TEXT, EXT, 250),
    F("private_phone", TEXT, EXT, 50),
    F("private_mobile", TEXT, EXT, 50),
    F("private_email", TEXT, EXT, 250),
    F("reference_back_office", TEXT, "external_ref", 50),
    F("modified_dateutc", DATETIME, UPDATED),
)

# The embedded `company` entity of the seed's sample. Its limits are not documented: the
# canonical limits apply to mapped fields. Nested entities are kept whole, as sent.
COMPANY_FIELDS: tuple[Field, ...] = (
    F("id", GUID, "id"),
    F("is_client", BOOL, "is_customer"),
    F("is_supplier", BOOL, "is_supplier"),
    F("archived", BOOL, "archived"),
    F("name", TEXT, "name"),  # required when the company is new
    F("notes", TEXT, "notes"),
    F("create_date", DATETIME, CREATED),
    F("sales_territory_id", GUID, EXT),
    F("sales_territory_code", TEXT, EXT),
    F("sales_territory", OBJECT, EXT),
    F("marketing_segment_id", GUID, EXT),
    F("marketing_segment_code", TEXT, EXT),
    F("sales_organization_id", GUID, EXT),
    F("sales_organization_code", TEXT, EXT),
    F("company_sales_status_code", TEXT, EXT),
    F("vat_reg_code", IDENTIFIER, "vat_number"),
    F("is_working_address", BOOL, EXT),
    F("parent_id", GUID, "parent_id"),  # the company's own group parent
    F("parent_company_code", TEXT, EXT),
    F("phone", PHONE, "phone"),
    F("fax", PHONE, "fax"),
    F("url", TEXT, "website"),
    F("email", EMAIL, "email"),
    F("street", TEXT, "address.street"),
    F("street_number", TEXT, STREET_NUMBER),
    F("city", TEXT, "address.city"),
    F("zip", TEXT, "address.postal_code"),
    F("db_country_id", GUID, EXT),
    F("db_country_code", COUNTRY, "address.country_code"),  # ISO code or country name
    F("feelist_id", GUID, EXT),
    F("feelist_reference_back_office", TEXT, EXT),
    F("feelist", OBJECT, EXT),
    F("company_type_id", GUID, EXT),
    F("company_type_name", TEXT, EXT),
    F("company_type", OBJECT, EXT),
    F("db_language_id", GUID, EXT),
    F("db_language_code", LANGUAGE, "language"),
    F("code", TEXT, "external_ref"),  # the ERP key that contact.company_code names
    F("article_price_label_id", GUID, EXT),
    F("article_price_label_code", TEXT, EXT),
    F("db_payment_method_id", GUID, EXT),
    F("db_payment_method_reference_back_office", TEXT, EXT),
    F("db_payment_methods", OBJECT, EXT),
    F("company_sector_id", GUID, EXT),
    F("company_sector_code", TEXT, EXT),
    F("is_lead", BOOL, EXT),
    F("is_subcontractor", BOOL, EXT),
    F("latitude", NUMBER, EXT),
    F("longitude", NUMBER, EXT),
    F("street2", TEXT, "address.street2"),
    F("bic_code", TEXT, EXT),
    F("specialities", TEXT, EXT),
    F("register_number", IDENTIFIER, "registration_number"),
    F("register_city", TEXT, EXT),
    F("bankaccount", TEXT, EXT),
    F("mobile", PHONE, "mobile"),
    F("service_manager_user_id", GUID, EXT),
    F("service_manager_user_code", TEXT, EXT),
    F("finance_manager_user_id", GUID, EXT),
    F("finance_manager_user_code", TEXT, EXT),
    F("account_manager_user_id", GUID, EXT),
    F("account_manager_user_code", TEXT, EXT),
    F("company_status_id", GUID, EXT),
    F("invoice_email_to", TEXT, EXT),
    F("modified_dateutc", DATETIME, UPDATED),
    F("id2", NUMBER, NUMBER_ID),
)

COMPANY_LINKS = ("company_id", "company_code", "company")


def error_targets(table: tuple[Field, ...], **extra: str) -> dict[str, str]:
    """Canonical path -> vendor field, for reporting canonical errors in vendor names."""
    targets = {field.path: field.name for field in table if not field.path.startswith("@")}
    targets.update(
        {f"extensions.odyssee.{field.name}": field.name for field in table if field.path == EXT}
    )
    targets.update(extra)
    return targets


CONTACT_TARGETS = error_targets(CONTACT, name="lastname", kind="lastname")
COMPANY_TARGETS = error_targets(COMPANY_FIELDS, kind="name")
