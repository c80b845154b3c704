"""The canonical contact: the one model every entry point reads and writes.

Field names are the public API contract (docs/contact-model.md in the shared design notes).
`ContactInput` holds what a client may write; `Contact` adds what the service owns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from counterparty.domain import fields
from counterparty.domain.extensions import MAX_BYTES, MAX_DEPTH, extension_problem
from counterparty.domain.ids import new_id
from counterparty.domain.text import control_character

MAX_BANK_ACCOUNTS = 20
MAX_CONTACT_PERSONS = 100
MAX_TAGS = 50
MAX_CUSTOM_FIELDS = 50
MAX_EXTENSION_NAMESPACES = 20
MAX_NUMBER = 2**63 - 1  # per-tenant contact numbers are 64-bit on every backend

Kind = Literal["company", "person"]
Consent = Literal["unknown", "given", "withdrawn", "not_required"]


def _blank_to_none(value: Any) -> Any:
    """Clients send "" for "no value" as often as null; both are stored as null. Control
    characters are refused before any trimming (some of them count as white space)."""
    if isinstance(value, str):
        no_controls(value)
        value = value.strip()
        return value or None
    return value


def _via(normalize: Any) -> AfterValidator:
    """Run a `fields` normaliser and turn its FieldProblem into a field error."""

    def run(value: Any) -> Any:
        if value is None:
            return None
        try:
            return normalize(value)
        except fields.FieldProblem as problem:
            raise PydanticCustomError(problem.code, str(problem)) from None

    return AfterValidator(run)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def no_controls(value: Any) -> Any:
    """Text holds no control characters but tab and line breaks."""
    if isinstance(value, str) and (code := control_character(value)):
        raise PydanticCustomError(
            "control_character",
            "control characters ({code}) are not allowed in text; tab and line breaks are",
            {"code": code},
        )
    return value


Text = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(no_controls)]
CountryCode = Annotated[
    str | None, BeforeValidator(_blank_to_none), _via(fields.normalize_country_code)
]
LanguageCode = Annotated[
    str | None, BeforeValidator(_blank_to_none), _via(fields.normalize_language)
]
CurrencyCode = Annotated[
    str | None, BeforeValidator(_blank_to_none), _via(fields.normalize_currency)
]
UtcDateTime = Annotated[datetime | None, AfterValidator(_utc)]
Percent = Annotated[
    Decimal | None,
    Field(ge=0, le=100, max_digits=5, decimal_places=2),
    PlainSerializer(lambda value: None if value is None else float(value), when_used="json"),
]
CustomKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=50),
    BeforeValidator(no_controls),
]


def _custom_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and len(value) <= 500:
        return no_controls(value)
    raise PydanticCustomError(
        "invalid_custom_value",
        "a custom field value is a string of at most 500 characters, a number, a boolean or null",
    )


CustomValue = Annotated[
    Any,
    AfterValidator(_custom_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": 500},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
            ]
        }
    ),
]
CustomFields = Annotated[
    dict[CustomKey, CustomValue],
    Field(max_length=MAX_CUSTOM_FIELDS, json_schema_extra={"additionalProperties": False}),
]
ExtensionNamespace = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


def _extension(value: dict[str, Any]) -> dict[str, Any]:
    problem = extension_problem(value)
    if problem is not None:
        # `below` extends the error's location to the exact member (domain/validation.py).
        raise PydanticCustomError(problem.code, problem.detail, {"below": list(problem.path)})
    return value


ExtensionValue = Annotated[
    dict[str, Any],
    AfterValidator(_extension),
    Field(
        description=f"Free-form JSON of one vendor: at most {MAX_DEPTH} levels deep and "
        f"{MAX_BYTES} bytes, text without control characters"
    ),
]


class Model(BaseModel):
    """Base of every contact part: unknown members are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Address(Model):
    street: Text = Field(None, max_length=200)
    street2: Text = Field(None, max_length=200)
    box: Text = Field(None, max_length=20)
    postal_code: Text = Field(None, max_length=20)
    city: Text = Field(None, max_length=200)
    district: Text = Field(None, max_length=200)
    state: Text = Field(None, max_length=200)
    country_code: CountryCode = None
    attention: Text = Field(None, max_length=200)


class BankAccount(Model):
    id: UUID = Field(default_factory=new_id)
    iban: Text = Field(None, max_length=42)  # 34 once the spaces people type are gone
    bic: Text = Field(None, max_length=16)
    account_number: Text = Field(None, max_length=50)
    bank_name: Text = Field(None, max_length=100)
    currency: CurrencyCode = None
    is_default: StrictBool = False


class ContactPerson(Model):
    id: UUID = Field(default_factory=new_id)
    name: Text = Field(None, max_length=200)
    first_name: Text = Field(None, max_length=100)
    last_name: Text = Field(None, max_length=100)
    role: Text = Field(None, max_length=100)
    email: Text = Field(None, max_length=254)
    phone: Text = Field(None, max_length=32)
    mobile: Text = Field(None, max_length=32)
    notes: Text = Field(None, max_length=10000)
    custom_fields: CustomFields = Field(default_factory=dict)


class Gdpr(Model):
    consent: Consent = "unknown"
    changed_at: UtcDateTime = None
    changed_by: Text = Field(None, max_length=100)
    reason: Text = Field(None, max_length=500)


class Check(Model):
    field: str
    status: Literal[
        "valid", "invalid", "unverified", "pending", "verified", "not_found", "unavailable"
    ]
    scheme: str | None = None
    reason: str | None = None
    # A registry's answer (VIES): when it was asked, and the name and address it holds.
    evidence: dict[str, str | None] | None = None


class ContactInput(Model):
    """Every field a client may write. A field left out takes the default shown here."""

    kind: Kind = "company"
    name: Text = Field(None, max_length=200)
    first_name: Text = Field(None, max_length=100)
    last_name: Text = Field(None, max_length=100)
    title: Text = Field(None, max_length=50)
    is_customer: StrictBool = True
    is_supplier: StrictBool = False
    external_ref: Text = Field(None, max_length=100)
    parent_id: UUID | None = None
    email: Text = Field(None, max_length=254)
    phone: Text = Field(None, max_length=32)
    mobile: Text = Field(None, max_length=32)
    fax: Text = Field(None, max_length=32)
    website: Text = Field(None, max_length=200)
    tax_id: Text = Field(None, max_length=32)
    tax_office: Text = Field(None, max_length=100)
    vat_number: Text = Field(None, max_length=32)
    registration_number: Text = Field(None, max_length=32)
    peppol_id: Text = Field(None, max_length=64)
    einvoice_enabled: StrictBool = False
    address: Address = Field(default_factory=Address)
    bank_accounts: Annotated[list[BankAccount], Field(max_length=MAX_BANK_ACCOUNTS)] = Field(
        default_factory=list
    )
    contact_persons: Annotated[list[ContactPerson], Field(max_length=MAX_CONTACT_PERSONS)] = Field(
        default_factory=list
    )
    language: LanguageCode = None
    currency: CurrencyCode = None
    payment_terms_days: Annotated[StrictInt, Field(ge=0, le=3650)] | None = None
    discount_percent: Percent = None
    send_reminders: StrictBool = False
    birth_date: date | None = None
    notes: Text = Field(None, max_length=10000)
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = Field(default_factory=list)
    custom_fields: CustomFields = Field(default_factory=dict)
    gdpr: Gdpr = Field(default_factory=Gdpr)
    extensions: Annotated[
        dict[ExtensionNamespace, ExtensionValue], Field(max_length=MAX_EXTENSION_NAMESPACES)
    ] = Field(default_factory=dict)
    archived: StrictBool = False

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.name is None:
            if self.kind == "company":
                raise PydanticCustomError("required", "a company needs a name", {"field": "name"})
            joined = " ".join(part for part in (self.first_name, self.last_name) if part)
            if not joined:
                raise PydanticCustomError(
                    "required", "a person needs a name, or a first or last name", {"field": "name"}
                )
            self.name = joined[:200]
        if sum(account.is_default for account in self.bank_accounts) > 1:
            raise PydanticCustomError(
                "multiple_defaults",
                "at most one bank account can be the default",
                {"field": "bank_accounts"},
            )
        for items, name in (
            (self.bank_accounts, "bank_accounts"),
            (self.contact_persons, "contact_persons"),
        ):
            if len({item.id for item in items}) != len(items):
                raise PydanticCustomError(
                    "duplicate_id", "two items of {field} share one id", {"field": name}
                )
        self.tags = list(dict.fromkeys(self.tags))
        return self


class ContactCreate(ContactInput):
    """A new contact; the client may choose its id (some vendor APIs do)."""

    id: UUID | None = None


class Contact(ContactInput):
    """A stored contact as every read returns it."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: UUID
    number: int
    archived_at: datetime | None = None
    checks: list[Check] = Field(default_factory=list)
    version: int
    created_at: datetime
    updated_at: datetime


WRITABLE_FIELDS: frozenset[str] = frozenset(ContactInput.model_fields)
READ_ONLY_FIELDS: frozenset[str] = frozenset(Contact.model_fields) - WRITABLE_FIELDS


class BankAccountInput(BankAccount):
    """A bank account as a client writes it on its own; the service assigns the id."""

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["id"]}})


class ContactPersonInput(ContactPerson):
    """A contact person as a client writes it on its own; the service assigns the id."""

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["id"]}})
