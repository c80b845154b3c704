"""Vendor presets: a file in each seed vendor's own member names, read with that vendor's
value conventions, its errors named by the vendor's column; a re-run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.dialects.presets import PRESETS
from counterparty.errors import ValidationFailed
from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.imports.helpers import contacts, csv_bytes, run_import

CASES: list[tuple[str, list[str], dict[str, Any], str, str]] = [
    (
        "wacs",
        ["ExternalID;Name;Company;FunctionalTypes;VATNr;VATCountryISO;Town;Iban;Language",
         "W1;Acme NV;true;\"1;2\";0403019261;BE;Gent;BE68539007547034;2",
         "W2;Bad;true;1;;;;;x"],
        {"external_ref": "W1", "name": "Acme NV", "is_supplier": True,
         "vat_number": "BE0403019261", "language": "fr", "address.city": "Gent",
         "iban": "BE68539007547034"},
        "W2",
        "Language",
    ),
    (
        "faturaentegrator",
        ["type;title;tax_number;tax_office;country;city;district;address;email;iban",
         "company;Acme A.Ş.;4540536920;Kadıköy;Türkiye;İstanbul;Kadıköy;Moda Cd. 1;"
         "info@acme.example;TR330006100519786457841326",
         "company;Bad;12;X;Türkiye;İstanbul;Kadıköy;Moda;;"],
        {"name": "Acme A.Ş.", "tax_id": "4540536920", "address.country_code": "TR",
         "address.state": "İstanbul", "address.city": "Kadıköy",
         "iban": "TR330006100519786457841326"},
        "Bad",
        "tax_number",
    ),
    (
        "idoklad",
        ["CompanyName;IdentificationNumber;City;Email;DefaultBankAccount.Iban;DefaultInvoiceMaturity",
         "Žluťoučký s.r.o.;25596641;Praha;info@zlutoucky.example;CZ6508000000192000145399;14",
         "Bad s.r.o.;;;not-mail;;"],
        {"name": "Žluťoučký s.r.o.", "registration_number": "25596641", "address.city": "Praha",
         "payment_terms_days": 14, "iban": "CZ6508000000192000145399"},
        "Bad s.r.o.",
        "Email",
    ),
    (
        "muhasip",
        ["name;taxId;countries;cities;isCustomer;person;ibans",
         "Acme Ltd;4540536920;Türkiye;Kadıköy;true;false;TR330006100519786457841326",
         "Bad;;;;maybe;;"],
        {"name": "Acme Ltd", "tax_id": "4540536920", "address.country_code": "TR",
         "address.city": "Kadıköy", "kind": "company", "iban": "TR330006100519786457841326"},
        "Bad",
        "isCustomer",
    ),
    (
        "odyssee",
        ["name;vat_reg_code;street;city;zip;db_country_code;is_supplier",
         "Acme BV;BE0403019261;Kerkstraat 1;Gent;9000;BE;true",
         "Bad BV;;;;;;maybe"],
        {"name": "Acme BV", "vat_number": "BE0403019261", "address.street": "Kerkstraat 1",
         "address.city": "Gent", "address.country_code": "BE", "is_supplier": True},
        "Bad BV",
        "is_supplier",
    ),
]  # fmt: skip


MATCH: dict[str, Any] = {
    "wacs": "external_ref",
    "faturaentegrator": "tax_id",
    "idoklad": "registration_number",
    "muhasip": "tax_id",
    "odyssee": "vat_number",
}


def _value(contact: dict[str, Any], path: str) -> Any:
    if path == "iban":
        return contact["bank_accounts"][0]["iban"]
    for part in path.split("."):
        contact = contact[part]
    return contact


@pytest.mark.parametrize(
    ("preset", "lines", "expected", "bad_name", "bad_column"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_a_vendor_file_imports_with_the_vendors_conventions(
    services: Services,
    api: TenantClient,
    preset: str,
    lines: list[str],
    expected: dict[str, Any],
    bad_name: str,
    bad_column: str,
) -> None:
    data = csv_bytes(*lines)
    outcome = run_import(services, api, data, preset=PRESETS[preset])
    assert outcome.actions() == [(2, "created"), (3, "failed")], outcome.rows
    assert bad_column in {column for _, column, _ in outcome.errors()}, outcome.errors()
    stored = contacts(api)[0]
    assert {path: _value(stored, path) for path in expected} == expected
    rerun = run_import(
        services, api, csv_bytes(*lines[:2]), preset=PRESETS[preset], match_on=MATCH[preset]
    )
    assert rerun.actions() == [(2, "unchanged")], rerun.rows


def test_a_column_the_vendor_does_not_have_refuses_the_file(
    services: Services, api: TenantClient
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run_import(services, api, csv_bytes("Name,Colour", "Acme,blue"), preset=PRESETS["wacs"])
    assert refused.value.errors[0].parameter == "Colour"
    assert contacts(api) == []
