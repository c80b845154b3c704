"""Muhasip `contactsSchema` <-> the canonical contact: the field table and the body check.

The two tables below are the whole mapping (checked against seed-apis.md section 1 and its
cross-system table). What Muhasip cannot express natively is kept in `extensions.muhasip`:

    asGiven          {vendor path: text as the client sent it}, only where the stored canonical
                     form differs ("0532 123 45 67" -> "+905321234567", "Türkiye" -> "TR");
                     shown again while it still denotes the stored value
    variables        [{key, field, title?, null?}]: order, original key and title of `variables`
    peopleVariables  {contact person id: the same list, for that person's `variables`}
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from counterparty.domain import identifiers
from counterparty.domain.fields import country_code_for
from counterparty.domain.text import fold
from counterparty.domain.validation import json_pointer
from counterparty.errors import FieldError

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
# Server members of a result (derived in render.py); ignored when a client sends them back.
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


def canonical_form(kind: str, text: str, region: str | None) -> str | None:
    """How the canonical model stores a vendor string ("" is null; identifiers in the compact
    form the lenient policy stores, by the normalisers the core itself uses)."""
    text = text.strip()
    if not text:
        return None
    if kind == COUNTRY:
        return country_code_for(text)
    normalizer = _NORMALIZERS.get(kind)
    return normalizer(text, region).compact if normalizer else text


_NORMALIZERS: Final[dict[str, Callable[[str, str | None], identifiers.Result]]] = {
    PHONE: identifiers.normalize_phone,
    EMAIL: lambda text, _: identifiers.normalize_email(text),
    TAX_ID: identifiers.normalize_tax_id,
    IBAN: lambda text, _: identifiers.normalize_iban(text),
}


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def custom_key(key: str) -> str:
    """The canonical custom-field key for a variable key: "crmID" -> "crm_id"."""
    snake = _NOT_KEY.sub("_", fold(_CAMEL.sub("_", key.strip()))).strip("_")
    if not snake or snake[0] not in string.ascii_lowercase:
        snake = f"v_{snake}".rstrip("_")
    return snake[:40].rstrip("_")


# --- the vendor-level check: types, required members, lengths, in Muhasip's names ----------


def check_body(body: Any) -> list[FieldError]:
    if not isinstance(body, Mapping):
        return [FieldError("invalid_type", "the body must be a JSON object", pointer="")]
    known = {spec.name for spec in CONTACT_FIELDS} | READ_ONLY
    return _unknown(body, known, ()) + _check(body, CONTACT_FIELDS, ())


def _unknown(document: Mapping[str, Any], known: set[str], at: tuple[Any, ...]) -> list[FieldError]:
    return [
        FieldError(
            "unknown_field", f"'{name}' is not a member here", pointer=json_pointer([*at, name])
        )
        for name in document
        if name not in known
    ]


def _check(
    document: Mapping[str, Any], table: tuple[VendorField, ...], at: tuple[Any, ...]
) -> list[FieldError]:
    errors: list[FieldError] = []
    for spec in table:
        value, where = document.get(spec.name), (*at, spec.name)

        def fail(code: str, detail: str, *, where: tuple[Any, ...] = where) -> None:
            errors.append(FieldError(code, detail, pointer=json_pointer(where)))

        if value is None:
            if spec.required:
                fail("required", f"'{spec.name}' is required")
        elif spec.kind in STRING_KINDS:
            if not isinstance(value, str):
                fail("invalid_type", "expected a string")
            elif spec.limit is not None and len(value) > spec.limit:
                fail("too_long", f"at most {spec.limit} characters")
            elif spec.required and not value.strip():
                fail("required", f"'{spec.name}' may not be empty")
            elif spec.kind == COUNTRY and value.strip() and not country_code_for(value):
                fail("invalid_country", f"'{value}' is not a country name we know")
        elif spec.kind in (BOOL, KIND):
            if not isinstance(value, bool):
                fail("invalid_type", "expected true or false")
        elif not isinstance(value, list):
            fail("invalid_type", "expected a list")
        elif spec.limit is not None and len(value) > spec.limit:
            fail("too_many_items", f"at most {spec.limit} items")
        else:
            errors.extend(_ITEM_CHECKS[spec.kind](value, where))
    return errors


def _check_ibans(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    detail = f"an IBAN of 1 to {IBAN_TEXT_LIMIT} characters"
    return [
        FieldError("invalid_type", detail, pointer=json_pointer([*at, index]))
        for index, item in enumerate(items)
        if not isinstance(item, str) or not item.strip() or len(item) > IBAN_TEXT_LIMIT
    ]


def _check_people(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    known = {spec.name for spec in PERSON_FIELDS} | {"_id"}
    for index, item in enumerate(items):
        where = (*at, index)
        if not isinstance(item, Mapping):
            errors.append(FieldError("invalid_type", "expected an object", json_pointer(where)))
            continue
        errors += _unknown(item, known, where) + _check(item, PERSON_FIELDS, where)
        if item.get("_id") is not None and not isinstance(item["_id"], str):
            errors.append(
                FieldError("invalid_type", "expected a string", json_pointer([*where, "_id"]))
            )
    return errors


def _check_variables(items: list[Any], at: tuple[Any, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = (*at, index)

        def fail(member: str, code: str, detail: str, *, where: tuple[Any, ...] = where) -> None:
            errors.append(FieldError(code, detail, pointer=json_pointer([*where, member])))

        if not isinstance(item, Mapping):
            errors.append(FieldError("invalid_type", "expected an object", json_pointer(where)))
            continue
        errors.extend(_unknown(item, set(VARIABLE_LIMITS), where))
        key, title, value = item.get("key"), item.get("title"), item.get("value")
        if not isinstance(key, str) or not key.strip():
            fail("key", "required", "a variable needs a key (a non-empty string)")
        elif len(key) > VARIABLE_LIMITS["key"]:
            fail("key", "too_long", f"at most {VARIABLE_LIMITS['key']} characters")
        elif custom_key(key) in seen:
            fail("key", "duplicate_key", f"another variable already has the key '{key}'")
        else:
            seen.add(custom_key(key))
        if title is not None and (
            not isinstance(title, str) or len(title) > VARIABLE_LIMITS["title"]
        ):
            fail(
                "title",
                "invalid_type",
                f"a string of at most {VARIABLE_LIMITS['title']} characters",
            )
        if isinstance(value, str) and len(value) > VARIABLE_LIMITS["value"]:
            fail("value", "too_long", f"at most {VARIABLE_LIMITS['value']} characters")
        elif value is not None and not isinstance(value, str | bool | int | float):
            fail("value", "invalid_type", "a string, a number, true, false or null")
    return errors


_ITEM_CHECKS = {IBANS: _check_ibans, PEOPLE: _check_people, VARIABLES: _check_variables}
