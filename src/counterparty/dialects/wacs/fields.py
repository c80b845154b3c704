"""The WACS `ContactInDTO`, field by field: the mapping table and the vendor's value rules.

`FIELDS` is the table to check against seed-apis.md (section 2 and the cross-system mapping).
Order is the vendor's sample order, which is also the order of every response. `canonical`
names the canonical path(s) a field lands on: a plain copy, unless `RULES` says in a few
words what mapping.py does instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from counterparty.domain.fields import country_code_for
from counterparty.errors import FieldError, ValidationFailed

STRING, BOOLEAN, INTEGER, INTEGERS, DATE, DATETIME = (
    "string",
    "boolean",
    "integer",
    "integer[]",
    "date",
    "date-time",
)
BIC_PATTERN = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$"
EXT = "extensions.wacs."
BODY = "contact"  # the action parameter: ModelState keys are "contact.<Field>"


@dataclass(frozen=True)
class WacsField:
    name: str
    type: str
    canonical: str  # dotted path(s); bank_accounts[wacs] is the account WACS shows
    max_length: int | None = None
    pattern: str | None = None


F = WacsField
# fmt: off
FIELDS: tuple[WacsField, ...] = (
    # WACS field                  type      canonical path(s)                     length, pattern
    F("AutomaticUbl",              BOOLEAN,  "einvoice_enabled"),
    F("Bic",                       STRING,   "bank_accounts[wacs].bic", 11, BIC_PATTERN),
    F("Bus",                       STRING,   "address.box"),
    F("CellNr",                    STRING,   "mobile"),
    F("Company",                   BOOLEAN,  "kind"),
    F("ContactCategory",           INTEGER,  EXT + "ContactCategory"),
    F("CountryISO",                STRING,   "address.country_code"),
    F("DateOfBirth",               DATE,     "birth_date"),
    F("Email",                     STRING,   "email"),
    F("ExternalID",                STRING,   "external_ref"),
    F("FunctionalTypes",           INTEGERS, f"is_customer, is_supplier, {EXT}FunctionalTypes"),
    F("GroupBilling",              BOOLEAN,  EXT + "GroupBilling"),
    F("Header1",                   STRING,   EXT + "Header1"),
    F("Header2",                   STRING,   EXT + "Header2"),
    F("Header3",                   STRING,   EXT + "Header3"),
    F("Iban",                      STRING,   "bank_accounts[wacs].iban", 34),
    F("Language",                  INTEGER,  f"language, {EXT}Language"),
    F("Memo",                      STRING,   "notes"),
    F("Name",                      STRING,   "name"),
    F("NonGDPR",                   BOOLEAN,  "gdpr.consent"),
    F("GDPRConsentModifiedDate",   DATETIME, "gdpr.changed_at"),
    F("GDPRConsentModifiedReason", STRING,   "gdpr.reason"),
    F("GDPRConsentModifiedBy",     STRING,   "gdpr.changed_by"),
    F("ParentID",                  INTEGER,  "parent_id"),
    F("PaymentCondition",          INTEGER,  EXT + "PaymentCondition"),
    F("Postalcode",                STRING,   "address.postal_code"),
    F("Street",                    STRING,   "address.street"),
    F("TAV",                       STRING,   "address.attention"),
    F("Telnr",                     STRING,   "phone"),
    F("Town",                      STRING,   "address.city"),
    F("Type",                      STRING,   EXT + "Type"),
    F("VatCode",                   STRING,   EXT + "VatCode"),
    F("VATCountryISO",             STRING,   f"vat_number, {EXT}VATCountryISO"),
    F("VATNr",                     STRING,   "vat_number"),
    F("KvK",                       STRING,   "registration_number", 8),
)
# fmt: on

# The fields that are not a plain copy, and what mapping.py does with them instead.
RULES: Mapping[str, str] = {
    "Bic": "bic of the default bank account; without one, a new default account is added",
    "Iban": "iban of the default bank account; without one, a new default account is added",
    "Company": "true: company, false: person, null: company (the canonical default)",
    "CountryISO": "an ISO 3166 code or a country name; any other text is kept aside (unheld)",
    "FunctionalTypes": "1 customer, 2 supplier; a list the roles cannot rebuild is kept",
    "Language": "1 nl, 2 fr, 3 en, 4 de; any other code is kept as written",
    "NonGDPR": "true: not_required; false: given/withdrawn are kept, else unknown",
    "ParentID": "the parent's number; 0 or null: no parent",
    "VATCountryISO": "the prefix of vat_number (GR: EL); kept alone without a VATNr or a country",
    "VATNr": "vat_number without its prefix; unprefixed, it takes VATCountryISO or CountryISO",
}
BY_NAME: Mapping[str, WacsField] = {field.name: field for field in FIELDS}
_BY_FOLDED = {field.name.lower(): field for field in FIELDS}  # Json.NET ignores member case


def model_state_keys() -> dict[str, str]:
    """Canonical path -> ModelState key, for reporting canonical errors in WACS names."""
    keys: dict[str, str] = {}
    for field in FIELDS:
        for path in field.canonical.split(", "):
            keys[path.replace("[wacs]", "")] = f"{BODY}.{field.name}"
    return keys


# --- reading a request body -------------------------------------------------------------

INT32 = (-(2**31), 2**31 - 1)


class Invalid(ValueError):
    """One value the vendor's model binder would refuse; the message is shown as is."""


def _string(value: Any, name: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(f"The value for {name} must be a string.")
    return str(value).strip() or None  # "" is "no value", as in the canonical model


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Invalid(f"The value '{value}' is not valid for {name}; send true or false.")


def _integer(value: Any, name: str) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,10}\s*", value)
    ):
        number = int(value)
    if number is None or not INT32[0] <= number <= INT32[1]:
        raise Invalid(f"The value '{value}' is not valid for {name}; send a 32-bit integer.")
    return number


def _integers(value: Any, name: str) -> list[int]:
    if not isinstance(value, list):
        raise Invalid(f"The value for {name} must be a list of integers.")
    return [_integer(item, f"{name}[{index}]") for index, item in enumerate(value)]


def _moment(value: Any, name: str) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"The value '{value}' is not valid for {name}; send an ISO 8601 date.")


def _date(value: Any, name: str) -> str:
    return _moment(value, name).date().isoformat()  # the date as written, never shifted


def _datetime(value: Any, name: str) -> str:
    moment = _moment(value, name)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


_READERS: dict[str, Callable[[Any, str], Any]] = {
    STRING: _string,
    BOOLEAN: _boolean,
    INTEGER: _integer,
    INTEGERS: _integers,
    DATE: _date,
    DATETIME: _datetime,
}


def country_code(value: str | None) -> str | None:
    """The ISO code a CountryISO or VATCountryISO names (EL is Greece's VAT prefix), if any."""
    if value is None:
        return None
    return "GR" if value.upper() == "EL" else country_code_for(value)


def _checked(field: WacsField, raw: Any) -> Any:
    value = _READERS[field.type](raw, field.name)
    if isinstance(value, str) and field.type == STRING:
        if field.max_length is not None and len(value) > field.max_length:
            raise Invalid(
                f"The field {field.name} must be a string with a maximum length of "
                f"{field.max_length}."
            )
        if field.pattern is not None and not re.fullmatch(field.pattern, value):
            raise Invalid(
                f"The field {field.name} must match the regular expression '{field.pattern}'."
            )
    return value


def read_body(body: Any) -> dict[str, Any]:
    """Every WACS field (None where the body has no value), checked by the vendor's rules.

    Members are matched without regard to case and unknown ones (such as the `ID` of a
    response sent back) are ignored, as ASP.NET's JSON binder does.
    """
    if not isinstance(body, dict):
        raise invalid(BODY, "The request body must be a JSON object (a ContactInDTO).")
    values: dict[str, Any] = dict.fromkeys(BY_NAME)
    errors: list[FieldError] = []
    for member, raw in body.items():
        field = _BY_FOLDED.get(member.lower())
        if field is None or raw is None:
            if field is not None:
                values[field.name] = None
            continue
        try:
            values[field.name] = _checked(field, raw)
        except Invalid as problem:
            errors.append(FieldError("invalid", str(problem), parameter=f"{BODY}.{field.name}"))
    if errors:
        raise ValidationFailed(errors[0].detail, errors=errors)
    return values


def invalid(key: str, message: str, code: str = "invalid") -> ValidationFailed:
    """A WACS validation error; `key` is the ModelState key ("contact.Bic", "id", "page")."""
    return ValidationFailed(message, errors=[FieldError(code, message, parameter=key)])
