"""Checking identifiers without storing anything: the validation endpoint and CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pydantic import Field

from counterparty.domain import identifiers
from counterparty.domain.contact import ContactCreate, Model, Text
from counterparty.domain.identifiers import BankAccountIdentifiers, IdentifierInput
from counterparty.domain.validation import validate_document


class AccountToCheck(Model):
    iban: Text = Field(None, max_length=64)
    bic: Text = Field(None, max_length=32)


class IdentifiersToCheck(Model):
    """Any subset of a contact's identifiers, plus the country that decides the rules."""

    country_code: Text = Field(None, max_length=100)
    tax_id: Text = Field(None, max_length=64)
    vat_number: Text = Field(None, max_length=64)
    registration_number: Text = Field(None, max_length=64)
    peppol_id: Text = Field(None, max_length=128)
    email: Text = Field(None, max_length=320)
    phone: Text = Field(None, max_length=64)
    mobile: Text = Field(None, max_length=64)
    fax: Text = Field(None, max_length=64)
    language: Text = Field(None, max_length=35)
    currency: Text = Field(None, max_length=3)
    iban: Text = Field(None, max_length=64)
    bic: Text = Field(None, max_length=32)
    bank_accounts: list[AccountToCheck] = Field(default_factory=list, max_length=20)


CONTACT_IDENTIFIERS = ("tax_id", "vat_number", "registration_number", "peppol_id", "email",
                       "phone", "mobile", "fax", "language", "currency")  # fmt: skip
_ACCOUNT_MEMBERS = frozenset({"iban", "bic"})


def _contact_shaped(document: Mapping[str, Any]) -> bool:
    accounts = document.get("bank_accounts")
    items = accounts if isinstance(accounts, list) else []
    return not set(document) <= set(IdentifiersToCheck.model_fields) or any(
        isinstance(item, Mapping) and not set(item) <= _ACCOUNT_MEMBERS for item in items
    )


def identifiers_of(document: Any) -> Any:
    """The flat form of a body: itself, or the identifiers of a contact-shaped one (the body of
    POST /v1/contacts, whose structure is checked as that endpoint checks it)."""
    if not isinstance(document, Mapping) or not _contact_shaped(document):
        return document
    address = document.get("address")
    # The codes are reported in the answer, not refused by the structure check.
    structure = {**document, "language": None, "currency": None}
    if isinstance(address, Mapping):
        structure["address"] = {**address, "country_code": None}
    validate_document(ContactCreate, structure, allowed_read_only={"id"})
    flat = {name: document[name] for name in CONTACT_IDENTIFIERS if name in document}
    if isinstance(address, Mapping) and "country_code" in address:
        flat["country_code"] = address["country_code"]
    flat["bank_accounts"] = [
        {name: account.get(name) for name in _ACCOUNT_MEMBERS}
        for account in document.get("bank_accounts") or []
    ]
    return flat


def check(document: Mapping[str, Any]) -> identifiers.IdentifierReport:
    """The report for a subset of identifiers; `iban`/`bic` are a shorthand for one account."""
    wanted = validate_document(IdentifiersToCheck, document)
    accounts = [BankAccountIdentifiers(a.iban, a.bic) for a in wanted.bank_accounts]
    if wanted.iban or wanted.bic:
        accounts.insert(0, BankAccountIdentifiers(wanted.iban, wanted.bic))
    plain = wanted.model_dump(exclude={"iban", "bic", "bank_accounts"})
    return identifiers.check_identifiers(IdentifierInput(**plain, bank_accounts=tuple(accounts)))


def report_document(report: identifiers.IdentifierReport) -> dict[str, Any]:
    """The report as JSON: normalised and formatted values, checks, suggestions."""
    return {
        "values": {path: result.compact for path, result in report.results.items()},
        "formatted": {path: result.formatted for path, result in report.results.items()},
        "checks": [{**check.as_dict(), "message": check.message} for check in report.checks],
        "suggestions": [asdict(suggestion) for suggestion in report.suggestions],
    }
