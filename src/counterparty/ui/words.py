"""What the pages call things: every label, status and reason, marked for translation."""

from __future__ import annotations

from counterparty.ui.i18n import N_

LABELS = {
    "kind": N_("Kind"),
    "name": N_("Name"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "title": N_("Title"),
    "is_customer": N_("Customer"),
    "is_supplier": N_("Supplier"),
    "external_ref": N_("External reference"),
    "parent_id": N_("Parent contact"),
    "parent": N_("Parent contact number"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "fax": N_("Fax"),
    "website": N_("Website"),
    "tax_id": N_("Tax number"),
    "tax_office": N_("Tax office"),
    "vat_number": N_("VAT number"),
    "registration_number": N_("Registration number"),
    "peppol_id": N_("Peppol ID"),
    "einvoice_enabled": N_("Receives e-invoices"),
    "address": N_("Address"),
    "address.street": N_("Street"),
    "address.street2": N_("Street, second line"),
    "address.box": N_("Box"),
    "address.postal_code": N_("Postal code"),
    "address.city": N_("City"),
    "address.district": N_("District"),
    "address.state": N_("State or province"),
    "address.country_code": N_("Country"),
    "address.attention": N_("For the attention of"),
    "bank_accounts": N_("Bank accounts"),
    "iban": N_("IBAN"),
    "bic": N_("BIC"),
    "account_number": N_("Account number"),
    "bank_name": N_("Bank"),
    "currency": N_("Currency"),
    "is_default": N_("Default account"),
    "contact_persons": N_("Contact persons"),
    "role": N_("Role"),
    "notes": N_("Notes"),
    "language": N_("Language"),
    "payment_terms_days": N_("Payment terms (days)"),
    "discount_percent": N_("Discount in percent"),
    "send_reminders": N_("Send payment reminders"),
    "birth_date": N_("Birth date"),
    "tags": N_("Tags"),
    "custom_fields": N_("Custom fields"),
    "key": N_("Field name"),
    "value": N_("Value"),
    "gdpr": N_("GDPR"),
    "gdpr.consent": N_("Consent"),
    "gdpr.changed_at": N_("Consent changed at"),
    "gdpr.changed_by": N_("Consent changed by"),
    "gdpr.reason": N_("Reason"),
    "extensions": N_("Vendor extensions"),
    "archived": N_("Archived"),
    "checks": N_("Checks"),
    "number": N_("Number"),
}

SECTIONS = {
    "identity": N_("Identity"),
    "identifiers": N_("Identifiers"),
    "address": N_("Address"),
    "details": N_("Contact details"),
    "bank_accounts": N_("Bank accounts"),
    "contact_persons": N_("Contact persons"),
    "commercial": N_("Commercial terms"),
    "gdpr": N_("GDPR"),
    "custom_fields": N_("Custom fields"),
    "extensions": N_("Extensions by vendor"),
}

ROLES = {"viewer": N_("Viewer"), "editor": N_("Editor"), "admin": N_("Administrator")}
# Each list of the form: an item's legend, its remove button and the add button.
ROWS = {
    "bank_accounts": (
        N_("Bank account %(n)s"),
        N_("Remove bank account %(n)s"),
        N_("Add a bank account"),
    ),
    "contact_persons": (
        N_("Contact person %(n)s"),
        N_("Remove contact person %(n)s"),
        N_("Add a contact person"),
    ),
    "custom_fields": (
        N_("Custom field %(n)s"),
        N_("Remove custom field %(n)s"),
        N_("Add a custom field"),
    ),
}
KINDS = {"company": N_("Company"), "person": N_("Person")}
CONSENTS = {
    "unknown": N_("Unknown"),
    "given": N_("Given"),
    "withdrawn": N_("Withdrawn"),
    "not_required": N_("Not required"),
}

# A check's status in words; the badge of a list row shows the worst one.
CHECK_STATUSES = {
    "valid": N_("Valid"),
    "verified": N_("Verified in VIES"),
    "invalid": N_("Invalid"),
    "not_found": N_("Not found in VIES"),
    "pending": N_("VIES check pending"),
    "unavailable": N_("VIES could not be reached"),
    "unverified": N_("Not checked"),
}
WORST_FIRST = ("invalid", "not_found", "pending", "unavailable", "unverified", "verified", "valid")
CHECK_REASONS = {
    "checksum": N_("the check digits do not match"),
    "length": N_("it has the wrong number of characters"),
    "format": N_("it contains characters or a structure that the rule does not allow"),
    "component": N_("a part of it (such as a region, date or country code) is not valid"),
    "country_mismatch": N_("it belongs to a different country"),
    "unknown_scheme": N_("the scheme is unknown"),
    "unknown_code": N_("it is not a known code"),
    "no_rule": N_("no rule is known for this country"),
    "no_country": N_("no country is known, so no rule applies"),
}

ENTRY_POINTS = {
    "api": N_("API"),
    "ui": N_("Web interface"),
    "cli": N_("Command line"),
    "import": N_("Import"),
    "registry": N_("Registry"),
    "dialect": N_("Vendor API"),
}

EVENT_TYPES = {
    "created": N_("Created"),
    "updated": N_("Changed"),
    "archived": N_("Archived"),
    "unarchived": N_("Unarchived"),
    "deleted": N_("Deleted"),
    "merged": N_("Merged"),
    "merged_into": N_("Merged into another contact"),
    "unmerged": N_("Unmerged"),
    "erased": N_("Erased"),
}

SORTS = {
    "name": N_("Name, A to Z"),
    "-name": N_("Name, Z to A"),
    "number": N_("Number, lowest first"),
    "-number": N_("Number, highest first"),
    "-updated_at": N_("Last change, newest first"),
    "updated_at": N_("Last change, oldest first"),
}

# Field errors by the service's stable code, for pages not in English; any other code
# shows the service's own message.
ERROR_CODES = {
    "required": N_("This field is required."),
    "too_long": N_("This value is too long."),
    "invalid_format": N_("This value does not have the expected format."),
    "invalid_type": N_("This value has the wrong type."),
    "invalid_choice": N_("Choose one of the offered values."),
    "out_of_range": N_("This value is out of range."),
    "too_many_decimals": N_("This value has too many decimals."),
    "invalid_email": N_("This is not a valid email address."),
    "invalid_country": N_("This is not a country we know."),
    "invalid_language": N_("This is not an ISO 639-1 language code."),
    "invalid_currency": N_("This is not an ISO 4217 currency code."),
    "multiple_defaults": N_("At most one bank account can be the default."),
    "unknown_contact": N_("There is no contact with this number."),
    "cycle": N_("A contact cannot be its own parent or ancestor."),
    "too_deep": N_("The hierarchy is too deep."),
    "duplicate_value": N_("This value already belongs to another contact."),
    "duplicate_contact": N_("Another active contact already has this number."),
}

# Why two contacts are probably the same (domain/duplicates.py's rules), completing
# "Acme BV #12: …".
DUPLICATE_REASONS = {
    "same_vat_number": N_("the same VAT number"),
    "same_tax_id": N_("the same tax number"),
    "same_registration_number": N_("the same registration number"),
    "same_iban": N_("the same IBAN"),
    "same_name_and_city": N_("the same name and city"),
    "similar_name": N_("a similar name"),
    "same_email": N_("the same email"),
    "same_phone": N_("the same phone number"),
}


def worst_status(statuses: list[str]) -> str | None:
    """The status a list row's badge shows: the worst of the contact's checks."""
    for status in WORST_FIRST:
        if status in statuses:
            return status
    return None
