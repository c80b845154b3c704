"""iDoklad v2's contact (the seed page: ContactPatchApiModel and ContactApiModel; seed-apis.md
section 5 for ContactPostApiModel and ContactPutModelV2), in the answer's member order.

Lengths are the page's "Délka: mezi 0 a N"; a length the page does not state is not checked by
the dialect (the canonical limits still apply). `writes` leaves out the models a member is
missing from: a PUT that leaves such a member out keeps it. Read-only objects (`Bank`, `Country`,
`Currency`) are listed for the published document.
"""

from __future__ import annotations

from functools import partial

from counterparty.dialects.fields import Rule, VendorField, Verb, extension
from counterparty.dialects.idoklad.codes import COUNTRY_CODES, CURRENCY_CODES

NAMESPACE = "idoklad"
BANK_KEY = "DefaultBankAccount"
EXT = partial(extension, NAMESPACE)
ACCOUNT = "bank_accounts"  # the default canonical account (else the first)
F = partial(VendorField, bits=32)  # .NET Int32 for every integer
NOT_PUT: tuple[Verb, ...] = ("POST", "PATCH")
# The page's "Data type:" rules, as .NET's EmailAddressAttribute and PhoneAttribute check them.
EMAIL_ADDRESS = r"[^@\s][^@]*@[^@]*[^@\s]"
PHONE_NUMBER = r"\+?[\d\s().-]*\d[\d\s().-]*(\s*([eE][xX][tT]\.?|[xX]|#)\s*\d+)?"
N = partial(F, nullable=False, default=0)  # .NET value types (numbers): never null, 0 unset

CURRENCY: tuple[VendorField, ...] = (
    F("Code", "text", Rule()), F("Country", "text", Rule()), F("Name", "text", Rule()),
    N("Priority", "integer", Rule()), F("Symbol", "text", Rule()),
    N("Id", "integer", Rule()),
)  # fmt: skip
COUNTRY: tuple[VendorField, ...] = (
    F("Code", "text", Rule()), F("Currency", "object", Rule(), members=CURRENCY),
    N("CurrencyId", "integer", Rule()), F("DateLastChange", "datetime", Rule()),
    F("Name", "text", Rule()), F("NameEnglish", "text", Rule()),
    F("IsEuMember", "boolean", Rule(), nullable=False), N("Id", "integer", Rule()),
)  # fmt: skip
BANK: tuple[VendorField, ...] = (
    F("Code", "text", Rule()), F("Country", "object", Rule(), members=COUNTRY),
    N("CountryId", "integer", Rule()), F("DateLastChange", "datetime", Rule()),
    F("Name", "text", Rule()), F("NumberCode", "text", Rule()), F("Swift", "text", Rule()),
    F("IsOutOfDate", "boolean", Rule(), nullable=False), N("Id", "integer", Rule()),
)  # fmt: skip
BANK_ACCOUNT: tuple[VendorField, ...] = (  # BankAccountPutApiModel, + BankAccountApiModel
    F("Bank", "object", Rule(), read_only=True, members=BANK),
    F("Currency", "object", Rule(f"{ACCOUNT}.currency"), read_only=True, members=CURRENCY),
    F("DateLastChange", "datetime", Rule("updated_at"), read_only=True),
    F("IsDefault", "boolean", Rule(f"{ACCOUNT}.is_default"), read_only=True, nullable=False),
    N("CurrencyId", "integer", Rule(f"{ACCOUNT}.currency", EXT("DefaultBankAccount.CurrencyId")),
      required=("POST",), bounds=(0, len(CURRENCY_CODES))),
    F("AccountNumber", "text", f"{ACCOUNT}.account_number", 50),
    N("BankId", "integer", EXT("DefaultBankAccount.BankId")),
    F("Iban", "text", f"{ACCOUNT}.iban", 42, format="iban"),  # the page: 50; typed IBANs: 42
    F("Name", "text", EXT("DefaultBankAccount.Name"), 100),
    F("Swift", "text", f"{ACCOUNT}.bic", format="bic"),
    N("Id", "integer", Rule(f"{ACCOUNT}.id"), read_only=True),
)  # fmt: skip
TABLE: tuple[VendorField, ...] = (
    F("AddressIdg", "guid", "id", read_only=True, nullable=False),
    N("CreditCheck", "integer", Rule(), read_only=True),
    F("DateLastChange", "datetime", "updated_at", read_only=True, nullable=False),
    F(BANK_KEY, "object", Rule(ACCOUNT), members=BANK_ACCOUNT),
    F("Id", "integer", "number", read_only=True, nullable=False),
    F("CompanyName", "text", "name", 200, required=("POST", "PUT"), blank=False),
    N("CountryId", "integer", Rule("address.country_code", EXT("CountryId")),
      required=("POST",), bounds=(0, len(COUNTRY_CODES))),
    F("IsRegisteredForVatOnPay", "boolean", EXT("IsRegisteredForVatOnPay"), writes=NOT_PUT,
      nullable=False, default=False),
    N("DefaultInvoiceMaturity", "integer", "payment_terms_days", writes=NOT_PUT,
      bounds=(0, 3650)),  # the canonical limits: days of payment terms
    F("City", "text", "address.city", 50),
    N("DiscountPercentage", "decimal", "discount_percent", bounds=(0, 100), decimals=2),
    F("Email", "text", "email", 254, EMAIL_ADDRESS, "email"),
    F("Fax", "text", "fax", 20, format="phone"),
    F("Firstname", "text", "first_name", 50),
    F("IdentificationNumber", "text", "registration_number", 20, format="registration_number"),
    F("IsSendReminder", "boolean", "send_reminders", nullable=False, default=False),
    F("Mobile", "text", "mobile", 20, format="phone"),
    F("Phone", "text", "phone", 20, PHONE_NUMBER, "phone"),
    F("PostalCode", "text", "address.postal_code", 11),
    F("Street", "text", "address.street", 100),
    F("Surname", "text", "last_name", 50),
    F("Title", "text", "title", 50),
    F("VatIdentificationNumber", "text", "vat_number", 20, format="vat_number"),
    F("VatIdentificationNumberSk", "text", "tax_id", 20, format="tax_id"),
    F("Www", "text", "website", 50, format="website"),
)  # fmt: skip
