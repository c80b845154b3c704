"""Checking identifiers without storing anything: the validation endpoint and CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pydantic import Field

from counterparty.domain import identifiers
from counterparty.domain.contact import Model, Text
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
