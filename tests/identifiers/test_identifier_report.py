"""check_identifiers: one contact's normalised values, checks and suggestions."""

from __future__ import annotations

import pytest

from counterparty.domain.identifiers import (
    BankAccountIdentifiers,
    Check,
    IdentifierInput,
    IdentifierReport,
    Suggestion,
    check_identifiers,
)
from counterparty.domain.identifiers import report as report_module

BELGIAN = IdentifierInput(
    country_code="Belgique",
    vat_number="0403.019.261",
    phone="02 555 12 12",
    mobile="0470 12 34 56",
    email="Jan@Example.BE",
    language="nl-BE",
    currency="eur",
    bank_accounts=(
        BankAccountIdentifiers(iban="be71 0961 2345 6769"),
        BankAccountIdentifiers(iban="BE71096123456769", bic="INGBNL2A"),
    ),
)


def _by_field(report: IdentifierReport) -> dict[str, Check]:
    return {check.field: check for check in report.checks}


def test_values_come_back_in_their_compact_form() -> None:
    values = check_identifiers(BELGIAN).values
    assert values.country_code == "BE"
    assert values.vat_number == "BE0403019261"
    assert values.phone == "+3225551212"
    assert values.mobile == "+32470123456"
    assert values.email == "Jan@example.be"
    assert values.language == "nl"
    assert values.currency == "EUR"
    assert values.bank_accounts == (
        BankAccountIdentifiers(iban="BE71096123456769"),
        BankAccountIdentifiers(iban="BE71096123456769", bic="INGBNL2A"),
    )


def test_one_check_per_present_field_with_its_path_and_scheme() -> None:
    checks = _by_field(check_identifiers(BELGIAN))
    assert {path: (check.status, check.scheme) for path, check in checks.items()} == {
        "address/country_code": ("valid", "iso3166-1"),
        "vat_number": ("valid", "eu.vat"),
        "email": ("valid", "email"),
        "phone": ("valid", "e164"),
        "mobile": ("valid", "e164"),
        "language": ("valid", "iso639-1"),
        "currency": ("valid", "iso4217"),
        "bank_accounts/0/iban": ("valid", "iban"),
        "bank_accounts/1/iban": ("valid", "iban"),
        "bank_accounts/1/bic": ("invalid", "bic"),
    }
    assert checks["bank_accounts/1/bic"].reason == "country_mismatch"


def test_invalid_checks_carry_a_message_and_are_listed_apart() -> None:
    report = check_identifiers(BELGIAN)
    assert [check.field for check in report.invalid] == ["bank_accounts/1/bic"]
    message = report.invalid[0].message
    assert message is not None and "INGBNL2A" in message


def test_check_as_dict_has_the_members_of_the_contact_checks_list() -> None:
    check = _by_field(check_identifiers(BELGIAN))["bank_accounts/1/bic"]
    assert check.as_dict() == {
        "field": "bank_accounts/1/bic",
        "status": "invalid",
        "scheme": "bic",
        "reason": "country_mismatch",
    }


def test_suggestions_for_a_belgian_company() -> None:
    suggestions = check_identifiers(BELGIAN).suggestions
    assert (
        Suggestion(
            "peppol_id",
            "0208:0403019261",
            "vat_number",
            "Belgian companies are registered on Peppol under scheme 0208 with their enterprise "
            "number",
        )
        in suggestions
    )
    by_field = {suggestion.field: suggestion for suggestion in suggestions}
    assert by_field["registration_number"].value == "0403019261"
    # Account 0 has no BIC, account 1 a wrong one: both get the registry's BIC.
    assert by_field["bank_accounts/0/bic"].value == "GKCCBEBB"
    assert by_field["bank_accounts/1/bic"].value == "GKCCBEBB"


def test_no_peppol_suggestion_when_a_valid_id_is_present() -> None:
    report = check_identifiers(
        IdentifierInput(country_code="BE", vat_number="BE0403019261", peppol_id="9925:0403019261")
    )
    assert report.values.peppol_id == "9925:BE0403019261"
    assert "peppol_id" not in {suggestion.field for suggestion in report.suggestions}


def test_an_invalid_peppol_id_gets_the_suggestion_from_the_registration_number() -> None:
    report = check_identifiers(
        IdentifierInput(
            country_code="BE", registration_number="0403019261", peppol_id="9925:BE0403019262"
        )
    )
    assert [(s.field, s.value, s.source) for s in report.suggestions] == [
        ("peppol_id", "0208:0403019261", "registration_number")
    ]


def test_national_rules_follow_the_vat_prefix_when_the_country_is_missing() -> None:
    report = check_identifiers(
        IdentifierInput(vat_number="CZ25123891", tax_id="CZ 25123891", registration_number="")
    )
    checks = _by_field(report)
    assert (checks["tax_id"].status, checks["tax_id"].scheme) == ("valid", "cz.dic")
    assert "registration_number" not in checks  # blank is absent
    assert report.values.registration_number is None
    assert [(s.field, s.value) for s in report.suggestions] == [("registration_number", "25123891")]


def test_the_address_country_wins_over_the_vat_prefix() -> None:
    report = check_identifiers(
        IdentifierInput(country_code="TR", vat_number="BE0403019261", tax_id="1234567890")
    )
    assert _by_field(report)["tax_id"].scheme == "tr.vkn"


def test_an_unknown_country_is_reported_and_not_used_for_rules() -> None:
    report = check_identifiers(
        IdentifierInput(country_code="Narnia", tax_id="1234567890", phone="02 555 12 12")
    )
    checks = _by_field(report)
    assert (checks["address/country_code"].status, checks["address/country_code"].reason) == (
        "invalid",
        "unknown_code",
    )
    assert (checks["tax_id"].status, checks["tax_id"].reason) == ("unverified", "no_country")
    assert checks["phone"].status == "invalid"


def test_unverified_fields_are_reported_as_such() -> None:
    checks = _by_field(
        check_identifiers(IdentifierInput(country_code="DE", registration_number="HRB 12345"))
    )
    assert (checks["registration_number"].status, checks["registration_number"].reason) == (
        "unverified",
        "no_rule",
    )


def test_an_empty_contact_has_no_checks() -> None:
    report = check_identifiers(IdentifierInput(email="", phone="  "))
    assert report.checks == () and report.suggestions == ()
    assert report.values == IdentifierInput()


@pytest.mark.parametrize(
    "data",
    [
        BELGIAN,
        IdentifierInput(country_code="Türkiye", tax_id="TR 454 053 6920", phone="0532 123 45 67"),
        IdentifierInput(country_code="nl", vat_number="004495445B01", peppol_id="0106:1700 1910"),
        IdentifierInput(country_code="SK", vat_number="2020273893", registration_number="31322832"),
    ],
)
def test_normalised_values_are_a_fixed_point(data: IdentifierInput) -> None:
    once = check_identifiers(data)
    twice = check_identifiers(once.values)
    assert twice.values == once.values
    assert twice.checks == once.checks


def test_suggestions_are_worked_out_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def registry_lookup(iban: str) -> str | None:
        asked.append(iban)
        return "GKCCBEBB"

    monkeypatch.setattr(report_module, "bic_for_iban", registry_lookup)
    report = check_identifiers(BELGIAN)
    assert report.checks and asked == []
    assert "bank_accounts/0/bic" in {suggestion.field for suggestion in report.suggestions}
    assert asked == ["BE71096123456769", "BE71096123456769"]
