"""The WACS `ContactInDTO` (the seed page and seed-apis.md section 2), in the vendor's order,
which is also the order of every answer. Lengths and patterns are the page's."""

from __future__ import annotations

from functools import partial

from counterparty.dialects.fields import Rule, VendorField, extension

NAMESPACE = "wacs"
BODY = "contact"  # the action parameter: ModelState keys are "contact.<Field>"
BIC = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$"
EXT = partial(extension, NAMESPACE)
F = partial(VendorField, bits=32)  # .NET Int32 for every integer

TABLE: tuple[VendorField, ...] = (
    F("ID", "integer", "number", read_only=True, nullable=False),
    F("AutomaticUbl", "boolean", "einvoice_enabled", nullable=False, default=False),
    F("Bic", "text", Rule("bank_accounts.bic"), 11, BIC, "bic"),
    F("Bus", "text", "address.box"),
    F("CellNr", "text", "mobile", format="phone"),
    F("Company", "boolean", Rule("kind"), nullable=False, default=True),
    F("ContactCategory", "integer", EXT("ContactCategory")),
    F("CountryISO", "text", Rule("address.country_code", EXT("unheld")), format="country"),
    F("DateOfBirth", "date", "birth_date"),
    F("Email", "text", "email", format="email"),
    F("ExternalID", "text", "external_ref"),
    F("FunctionalTypes", "list", Rule("is_customer", "is_supplier", EXT("FunctionalTypes")),
      items="integer", nullable=False, default=[1]),
    F("GroupBilling", "boolean", EXT("GroupBilling"), nullable=False, default=False),
    F("Header1", "text", EXT("Header1")),
    F("Header2", "text", EXT("Header2")),
    F("Header3", "text", EXT("Header3")),
    F("Iban", "text", Rule("bank_accounts.iban"), 34, format="iban"),
    F("Language", "integer", Rule("language", EXT("Language"))),
    F("Memo", "text", "notes"),
    F("Name", "text", "name", required=("POST", "PUT")),  # the canonical model needs a name
    F("NonGDPR", "boolean", Rule("gdpr.consent"), nullable=False, default=False),
    F("GDPRConsentModifiedDate", "datetime", "gdpr.changed_at"),
    F("GDPRConsentModifiedReason", "text", "gdpr.reason"),
    F("GDPRConsentModifiedBy", "text", "gdpr.changed_by"),
    F("ParentID", "integer", Rule("parent_id")),
    F("PaymentCondition", "integer", EXT("PaymentCondition")),
    F("Postalcode", "text", "address.postal_code"),
    F("Street", "text", "address.street"),
    F("TAV", "text", "address.attention"),
    F("Telnr", "text", "phone", format="phone"),
    F("Town", "text", "address.city"),
    F("Type", "text", EXT("Type")),
    F("VatCode", "text", EXT("VatCode")),
    F("VATCountryISO", "text", Rule("vat_number", EXT("VATCountryISO")), format="country"),
    F("VATNr", "text", Rule("vat_number"), format="vat_number"),
    F("KvK", "text", "registration_number", 8, format="registration_number"),
)  # fmt: skip
