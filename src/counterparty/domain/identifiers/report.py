"""Check every identifier of one contact at once: normalised values, checks and suggestions.

The input is plain values (no model), so the contact model, importers and dialects can all use
it. Field names in checks are paths into the contact document ("address/country_code",
"bank_accounts/0/iban"), ready to be prefixed with "/" as JSON pointers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from counterparty.domain.identifiers.banking import bic_for_iban, normalize_bic, normalize_iban
from counterparty.domain.identifiers.contact_details import normalize_email, normalize_phone
from counterparty.domain.identifiers.countries import normalize_country
from counterparty.domain.identifiers.iso_codes import normalize_currency, normalize_language
from counterparty.domain.identifiers.peppol import normalize_peppol_id, suggest_peppol_id
from counterparty.domain.identifiers.result import Reason, Result, Status
from counterparty.domain.identifiers.tax import (
    CZ_ICO,
    normalize_registration_number,
    normalize_tax_id,
)
from counterparty.domain.identifiers.vat import country_of_vat, normalize_vat


@dataclass(frozen=True, slots=True)
class BankAccountIdentifiers:
    iban: str | None = None
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class PersonIdentifiers:
    """A contact person's checked fields; their phone numbers follow the contact's country."""

    email: str | None = None
    phone: str | None = None
    mobile: str | None = None


@dataclass(frozen=True, slots=True)
class IdentifierInput:
    """The identifier-bearing fields of a contact, as plain values (None or "" = absent)."""

    country_code: str | None = None
    tax_id: str | None = None
    vat_number: str | None = None
    registration_number: str | None = None
    peppol_id: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    fax: str | None = None
    language: str | None = None
    currency: str | None = None
    bank_accounts: tuple[BankAccountIdentifiers, ...] = ()


@dataclass(frozen=True, slots=True)
class Check:
    field: str
    status: Status
    scheme: str | None
    reason: Reason | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The members of an entry of the contact's read-only `checks` list."""
        return {
            "field": self.field,
            "status": self.status,
            "scheme": self.scheme,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A value we can derive for an empty or invalid field; never applied by this package."""

    field: str
    value: str
    source: str
    message: str


@dataclass(frozen=True, slots=True)
class IdentifierReport:
    values: IdentifierInput
    results: Mapping[str, Result]
    # The country whose rules the national numbers followed (the address's, else the VAT's).
    rules_country: str | None = None
    contact_persons: tuple[PersonIdentifiers, ...] = ()

    @property
    def suggestions(self) -> tuple[Suggestion, ...]:
        """Worked out when asked, not with the checks: a write never shows them, and finding
        a BIC in schwifty's bank registry costs more than checking the IBAN."""
        return _suggestions(self)

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(
            Check(path, result.status, result.scheme, result.reason, result.message)
            for path, result in self.results.items()
        )

    @property
    def invalid(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status == "invalid")


# What decides a result: the check, the value, and the context it was checked in (the country
# or IBAN country that chose the rules). The checks are pure, so equal keys give equal results.
Key = tuple[Callable[..., Result], str, tuple[str | None, ...]]


class Checker:
    """Collects the result of each present field under its path. A result `known` under the
    same key is taken as it is instead of checking again."""

    def __init__(self, known: Mapping[Key, Result] | None = None) -> None:
        self.results: dict[str, Result] = {}
        self._known: Mapping[Key, Result] = known or {}

    def run(
        self, path: str, value: str | None, check: Callable[..., Result], *context: str | None
    ) -> str | None:
        if value is None or not value.strip():
            return None
        result = self._known.get((check, value, context))
        if result is None:
            result = check(value, *context)
        self.results[path] = result
        return result.compact

    def valid(self, path: str) -> Result | None:
        return _valid(self.results, path)


def _valid(results: Mapping[str, Result], path: str) -> Result | None:
    result = results.get(path)
    return result if result is not None and result.is_valid else None


def check_identifiers(
    data: IdentifierInput,
    known: Mapping[Key, Result] | None = None,
    contact_persons: Sequence[PersonIdentifiers] = (),
) -> IdentifierReport:
    """Check every present field of `data` and of the contact persons. `known` holds results
    already established for a check of a value in its context (see `recall.remember`); they
    are used as they are."""
    checker = Checker(known)
    walked = walk(data, checker, contact_persons)
    return IdentifierReport(walked.values, checker.results, walked.rules_country, walked.persons)


@dataclass(frozen=True, slots=True)
class Walked:
    values: IdentifierInput
    persons: tuple[PersonIdentifiers, ...]
    rules_country: str | None


def walk(
    data: IdentifierInput, checker: Checker, contact_persons: Sequence[PersonIdentifiers] = ()
) -> Walked:
    """Run the checks in their order of dependence: the normalised values, and the country
    whose rules the national numbers followed."""
    run = checker.run
    country_value = run("address/country_code", data.country_code, normalize_country)
    country = country_value if checker.valid("address/country_code") else None
    vat = run("vat_number", data.vat_number, normalize_vat, country)
    # Rules for national numbers follow the address country, else the VAT number's prefix.
    rules_country = country or (country_of_vat(vat) if vat else None)
    values = IdentifierInput(
        country_code=country_value,
        tax_id=run("tax_id", data.tax_id, normalize_tax_id, rules_country),
        vat_number=vat,
        registration_number=run(
            "registration_number",
            data.registration_number,
            normalize_registration_number,
            rules_country,
        ),
        peppol_id=run("peppol_id", data.peppol_id, normalize_peppol_id),
        email=run("email", data.email, normalize_email),
        phone=run("phone", data.phone, normalize_phone, country),
        mobile=run("mobile", data.mobile, normalize_phone, country),
        fax=run("fax", data.fax, normalize_phone, country),
        language=run("language", data.language, normalize_language),
        currency=run("currency", data.currency, normalize_currency),
        bank_accounts=tuple(
            _check_account(checker, index, account)
            for index, account in enumerate(data.bank_accounts)
        ),
    )
    persons = tuple(
        _check_person(checker, index, person, country)
        for index, person in enumerate(contact_persons)
    )
    return Walked(values, persons, rules_country)


def _check_account(
    checker: Checker, index: int, account: BankAccountIdentifiers
) -> BankAccountIdentifiers:
    prefix = f"bank_accounts/{index}"
    iban = checker.run(f"{prefix}/iban", account.iban, normalize_iban)
    iban_country = iban[:2] if checker.valid(f"{prefix}/iban") and iban else None
    bic = checker.run(f"{prefix}/bic", account.bic, normalize_bic, iban_country)
    return BankAccountIdentifiers(iban=iban, bic=bic)


def _check_person(
    checker: Checker, index: int, person: PersonIdentifiers, country: str | None
) -> PersonIdentifiers:
    prefix = f"contact_persons/{index}"
    return PersonIdentifiers(
        email=checker.run(f"{prefix}/email", person.email, normalize_email),
        phone=checker.run(f"{prefix}/phone", person.phone, normalize_phone, country),
        mobile=checker.run(f"{prefix}/mobile", person.mobile, normalize_phone, country),
    )


def _suggestions(report: IdentifierReport) -> tuple[Suggestion, ...]:
    results, values, country = report.results, report.values, report.rules_country
    found: list[Suggestion] = []
    peppol = results.get("peppol_id")
    if peppol is None or peppol.is_invalid:
        suggested = suggest_peppol_id(country, values.registration_number, values.vat_number)
        if suggested is not None:
            from_register = country == "BE" and _valid(results, "registration_number")
            source = "registration_number" if from_register else "vat_number"
            found.append(
                Suggestion(
                    "peppol_id",
                    suggested,
                    source,
                    "Belgian companies are registered on Peppol under scheme 0208 with their "
                    "enterprise number",
                )
            )
    vat = _valid(results, "vat_number")
    if values.registration_number is None and vat is not None:
        derived = _registration_from_vat(vat.compact)
        if derived is not None:
            found.append(Suggestion("registration_number", derived[0], "vat_number", derived[1]))
    for index, account in enumerate(values.bank_accounts):
        bic = results.get(f"bank_accounts/{index}/bic")
        if account.iban is None or (bic is not None and not bic.is_invalid):
            continue
        registry_bic = (
            bic_for_iban(account.iban) if _valid(results, f"bank_accounts/{index}/iban") else None
        )
        if registry_bic is not None and registry_bic != account.bic:
            found.append(
                Suggestion(
                    f"bank_accounts/{index}/bic",
                    registry_bic,
                    f"bank_accounts/{index}/iban",
                    "the BIC of the IBAN's bank in schwifty's bank registry",
                )
            )
    return tuple(found)


def _registration_from_vat(vat: str) -> tuple[str, str] | None:
    """The register number inside a VAT number, with the reason it is there."""
    if vat.startswith("BE"):
        return vat[2:], "a Belgian VAT number is BE followed by the enterprise number"
    # A Czech person's DIČ is CZ + a 9-10 digit birth number, a company's is CZ + its IČO.
    if vat.startswith("CZ") and CZ_ICO.check(vat[2:]).is_valid:
        return vat[2:], "a Czech company's DIČ is CZ followed by its IČO"
    return None


__all__ = [
    "BankAccountIdentifiers",
    "Check",
    "IdentifierInput",
    "IdentifierReport",
    "Key",
    "PersonIdentifiers",
    "Suggestion",
    "check_identifiers",
]
