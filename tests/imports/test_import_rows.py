"""Importing rows: the per-row report, upserts by every match_on, re-runs that change nothing,
dry runs, empty cells, mappings and the history, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from counterparty.errors import ValidationFailed
from counterparty.services import batch
from counterparty.services.registry import Services
from tests.conftest import TenantClient
from tests.imports.helpers import contacts, csv_bytes, events, run_import

VAT = "BE0403019261"  # valid
MIXED = csv_bytes(
    "name,vat_number,email,address.city,tags,bank_accounts.0.iban",
    f'Good One,{VAT},info@good.example,Gent,"a;b",BE68539007547034',
    "Bad VAT,BE0403019262,,,,",
    ",,,Brugge,,",
    "Bad mail and IBAN,,not-an-email,,,BE00000000000000",
    "Second good,,,,,",
)


def test_a_mixed_file_reports_each_row_with_its_number_and_columns(
    services: Services, api: TenantClient
) -> None:
    outcome = run_import(services, api, MIXED)
    assert outcome.actions() == [
        (2, "created"),
        (3, "failed"),
        (4, "failed"),
        (5, "failed"),
        (6, "created"),
    ]
    assert outcome.errors() == [
        (3, "vat_number", "checksum"),
        (4, "name", "required"),
        (5, "email", "format"),
        (5, "bank_accounts.0.iban", "checksum"),
    ]
    assert outcome.summary.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 3}
    stored = contacts(api)
    assert [c["name"] for c in stored] == ["Good One", "Second good"]
    assert stored[0]["tags"] == ["a", "b"] and stored[0]["address"]["city"] == "Gent"
    assert stored[0]["bank_accounts"][0]["iban"] == "BE68539007547034"
    assert outcome.rows[0].contact_id is not None
    assert str(outcome.rows[0].contact_id) == stored[0]["id"]


def test_history_events_carry_the_import_entry_point_and_its_id(
    services: Services, api: TenantClient
) -> None:
    outcome = run_import(services, api, csv_bytes("name", "Alpha", "Beta"))
    found = events(api)
    assert [e["entry_point"] for e in found] == ["import", "import"]
    assert {e["request_id"] for e in found} == {str(outcome.summary.id)}


@pytest.mark.parametrize(
    ("match_on", "existing", "column", "cell"),
    [
        ("external_ref", {"external_ref": "CRM-7"}, "external_ref", "CRM-7"),
        ("vat_number", {"vat_number": VAT}, "vat_number", "be 0403.019.261"),
        ("tax_id", {"tax_id": "4540536920", "address": {"country_code": "TR"}}, "tax_id",
         "454 053 6920"),
        ("registration_number",
         {"registration_number": "25596641", "address": {"country_code": "CZ"}},
         "registration_number", "255 96 641"),
        ("number", {}, "number", None),
        ("id", {}, "id", None),
    ],
)  # fmt: skip
def test_every_match_on_updates_the_matched_contact_and_creates_the_rest(
    services: Services,
    api: TenantClient,
    match_on: str,
    existing: dict[str, Any],
    column: str,
    cell: str | None,
) -> None:
    matched = api.create(name="Matched", notes="kept", **existing)
    value = cell or str(matched[column])
    country = existing.get("address", {}).get("country_code", "")
    lines = [f"{column},address.country_code,phone,name", f"{value},{country},+32 2 555 12 12,"]
    expected = [(2, "updated")]
    if match_on not in ("id", "number"):  # the service assigns these: a row never creates
        lines.append(",,+32 2 555 12 13,Brand new")  # nothing to match: created
        expected.append((3, "created"))
    outcome = run_import(services, api, csv_bytes(*lines), match_on=match_on)
    assert outcome.actions() == expected
    after = api.http.get(f"/v1/contacts/{matched['id']}").json()
    assert after["phone"] == "+3225551212" and after["version"] == 2
    assert after["notes"] == "kept" and after["name"] == "Matched"  # merge semantics


def test_importing_the_same_file_again_changes_nothing(
    services: Services, api: TenantClient
) -> None:
    data = csv_bytes(
        "external_ref,name,vat_number,bank_accounts.0.iban,bank_accounts.0.is_default,"
        "contact_persons.0.name,tags,is_supplier,payment_terms_days",
        f'R1,Acme,{VAT},BE68539007547034,true,Eva,"x;y",yes,30',
        "R2,Beta,,,,,,,",
    )
    first = run_import(services, api, data, match_on="external_ref")
    assert [action for _, action in first.actions()] == ["created", "created"]
    before = events(api)
    second = run_import(services, api, data, match_on="external_ref")
    assert [action for _, action in second.actions()] == ["unchanged", "unchanged"]
    assert events(api) == before
    assert [c["version"] for c in contacts(api)] == [1, 1]


def test_a_row_in_the_stored_form_is_unchanged_without_checking_it_again(
    services: Services, api: TenantClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = "external_ref,name,vat_number,phone"
    typed = csv_bytes(header, f"R1,Acme,{VAT},+32 2 234 56 78")
    created = run_import(services, api, typed, match_on="external_ref")
    assert [action for _, action in created.actions()] == ["created"]
    stored = contacts(api)[0]  # a row as an export writes it: every value in its stored form
    exported = csv_bytes(header, f"R1,Acme,{stored['vat_number']},{stored['phone']}")
    verified: list[object] = []
    verify = batch.verify
    monkeypatch.setattr(batch, "verify", lambda *a, **k: verified.append(a) or verify(*a, **k))

    again = run_import(services, api, exported, match_on="external_ref")
    assert [action for _, action in again.actions()] == ["unchanged"]
    assert verified == []  # nothing it brings needs checking
    retyped = run_import(services, api, typed, match_on="external_ref")
    assert [action for _, action in retyped.actions()] == ["unchanged"]
    assert len(verified) == 1  # the typed phone is read again to find it the same


def test_a_dry_run_reports_everything_and_writes_nothing(
    services: Services, api: TenantClient
) -> None:
    api.create(name="Existing", external_ref="R1")
    data = csv_bytes("external_ref,name", "R1,Renamed", "R2,New", "R3,")
    outcome = run_import(services, api, data, match_on="external_ref", dry_run=True)
    assert outcome.actions() == [(2, "updated"), (3, "created"), (4, "failed")]
    assert outcome.summary.dry_run
    assert [c["name"] for c in contacts(api)] == ["Existing"]
    assert len(events(api)) == 1


def test_an_empty_cell_keeps_a_field_unless_empty_clears(
    services: Services, api: TenantClient
) -> None:
    api.create(name="Acme", external_ref="R1", email="a@acme.example", tags=["t"])
    data = csv_bytes("external_ref,email,tags,notes", "R1,,,new note")
    run_import(services, api, data, match_on="external_ref")
    kept = contacts(api)[0]
    assert (kept["email"], kept["tags"], kept["notes"]) == ("a@acme.example", ["t"], "new note")
    run_import(services, api, data, match_on="external_ref", empty_clears=True)
    cleared = contacts(api)[0]
    assert (cleared["email"], cleared["tags"], cleared["notes"]) == (None, [], "new note")


def test_a_row_changes_one_bank_account_and_keeps_the_others(
    services: Services, api: TenantClient
) -> None:
    created = api.create(
        name="Acme",
        external_ref="R1",
        bank_accounts=[{"iban": "BE68539007547034", "bic": "GKCCBEBB"}, {"account_number": "7"}],
    )
    data = csv_bytes("external_ref,bank_accounts.0.bank_name", "R1,Belfius")
    assert run_import(services, api, data, match_on="external_ref").actions() == [(2, "updated")]
    accounts = contacts(api)[0]["bank_accounts"]
    assert [a["id"] for a in accounts] == [a["id"] for a in created["bank_accounts"]]
    assert (accounts[0]["bic"], accounts[0]["bank_name"]) == ("GKCCBEBB", "Belfius")
    assert accounts[1]["account_number"] == "7"


def test_a_mapping_reads_the_files_own_column_names(services: Services, api: TenantClient) -> None:
    data = csv_bytes("Firma Unvanı;Vergi No;Şehir;Ignored", "Acme A.Ş.;4540536920;İzmir;x")
    data = data.replace(b",", b";")
    mapping = {"Firma Unvanı": "name", "Vergi No": "tax_id", "Şehir": "address.city"}
    outcome = run_import(services, api, data, mapping={**mapping, "Ignored": None})
    assert outcome.actions() == [(2, "created")]
    stored = contacts(api)[0]
    assert (stored["name"], stored["tax_id"], stored["address"]["city"]) == (
        "Acme A.Ş.",
        "4540536920",
        "İzmir",
    )
    bad = csv_bytes("E-posta,name", ",Acme", "not-an-email,Beta")
    failed = run_import(services, api, bad, mapping={"E-posta": "email"})
    assert failed.errors() == [(3, "E-posta", "format")]


def test_an_unknown_column_refuses_the_file_before_any_row(
    services: Services, api: TenantClient
) -> None:
    data = csv_bytes("name,colour,address.planet", "Acme,blue,Mars")
    with pytest.raises(ValidationFailed) as refused:
        run_import(services, api, data)
    assert [e.code for e in refused.value.errors] == ["unknown_column", "unknown_column"]
    assert [e.parameter for e in refused.value.errors] == ["colour", "address.planet"]
    assert contacts(api) == []


def test_a_row_with_more_cells_than_columns_fails_alone(
    services: Services, api: TenantClient
) -> None:
    outcome = run_import(services, api, csv_bytes("name", "Acme", "Beta,extra", "Gamma"))
    assert outcome.actions() == [(2, "created"), (3, "failed"), (4, "created")]
    assert outcome.errors() == [(3, None, "too_many_cells")]


def test_more_rows_than_a_batch_are_all_imported_in_order(
    services: Services, api: TenantClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counterparty.services.imports.BATCH_ROWS", 3)
    names = [f"Contact {index:02}" for index in range(8)]
    data = csv_bytes("external_ref,name", *(f"R{i % 6},{name}" for i, name in enumerate(names)))
    outcome = run_import(services, api, data, match_on="external_ref")
    assert [action for _, action in outcome.actions()] == ["created"] * 6 + ["updated"] * 2
    assert [row for row, _ in outcome.actions()] == list(range(2, 10))
    assert len(contacts(api)) == 6
