"""The pure pieces of the web interface: checks in words, form values, merge patches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from counterparty.domain.contact import Check
from counterparty.domain.merge_patch import merge_patch_between
from counterparty.ui import forms
from counterparty.ui.contact_page import check_words
from counterparty.ui.i18n import translations
from counterparty.ui.visits import Visit


@dataclass
class Words:
    """What check_words needs of a visit: its language."""

    language: str

    def gettext(self, message: str, **values: Any) -> str:
        translated = translations(self.language).gettext(message)
        return translated % values if values else translated


def words(check: Check, language: str = "en") -> str:
    return check_words(cast(Visit, Words(language)), check)


def test_every_check_status_reads_as_words() -> None:
    answered = {"registry": "VIES", "checked_at": "2026-11-30T10:00:00+00:00", "name": "ACME BV"}
    assert words(Check(field="vat_number", status="valid")) == "Valid"
    invalid = Check(field="vat_number", status="invalid", reason="checksum")
    assert words(invalid) == "Invalid: the check digits do not match"
    assert words(invalid, "tr") == "Geçersiz: kontrol basamakları tutmuyor"
    unverified = Check(field="tax_id", status="unverified", reason="no_rule")
    assert words(unverified) == "Not checked: no rule is known for this country"
    assert words(Check(field="vat_number", status="pending")) == "VIES check pending"
    verified = words(Check(field="vat_number", status="verified", evidence=answered))
    assert verified == "Verified in VIES (Nov 30, 2026, 10:00:00\u202fAM UTC) · ACME BV"
    not_found = Check(field="vat_number", status="not_found", evidence=answered)
    assert words(not_found).startswith("Not found in VIES (Nov 30, 2026")
    assert words(not_found, "nl").startswith("Niet gevonden in VIES (30 nov 2026")


def test_a_merge_patch_holds_only_what_changed() -> None:
    old = {"name": "Acme", "address": {"city": "Utrecht", "street": "A 1"}, "tags": ["a"],
           "custom_fields": {"x": 1, "y": 2}}  # fmt: skip
    new = {"name": "Acme", "address": {"city": "Delft", "street": "A 1"}, "tags": ["a", "b"],
           "custom_fields": {"x": 1}}  # fmt: skip
    assert merge_patch_between(old, new) == {
        "address": {"city": "Delft"},
        "tags": ["a", "b"],
        "custom_fields": {"y": None},
    }
    assert merge_patch_between(old, old) == {}


def test_form_values_round_trip_and_keep_types() -> None:
    account = {"id": "1", "iban": "NL91ABNA0417164300", "is_default": True}
    document = {"name": "Acme", "kind": "company", "payment_terms_days": 30,
                "discount_percent": 2.5, "is_customer": True, "tags": ["a", "b"],
                "custom_fields": {"crm": 42, "flag": True}, "bank_accounts": [account]}  # fmt: skip
    form = forms.form_from_document(document, None)
    built = forms.build_document(forms.form_from_submission(form.values), document)
    assert built.document["payment_terms_days"] == 30 and built.document["discount_percent"] == 2.5
    assert built.document["custom_fields"] == {"crm": 42, "flag": True}
    assert built.document["tags"] == ["a", "b"] and built.document["is_customer"] is True
    assert built.document["bank_accounts"][0]["id"] == "1"
    assert built.document["bank_accounts"][0]["is_default"] is True


def test_removing_a_row_renumbers_the_rows_after_it() -> None:
    form = forms.form_from_submission(
        {f"custom_fields.{i}.key": f"k{i}" for i in range(3)}
        | {f"custom_fields.{i}.value": f"v{i}" for i in range(3)}
    )
    assert forms.apply_action(form, "remove:custom_fields:1")
    assert form.rows["custom_fields"] == 2
    assert (form.value("custom_fields.1.key"), form.value("custom_fields.1.value")) == ("k2", "v2")
    assert forms.apply_action(form, "add:custom_fields") and form.rows["custom_fields"] == 3
    assert not forms.apply_action(form, "remove:nothing:0")
