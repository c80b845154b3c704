"""Pure unit tests of the field tables (no HTTP, no database): every row against the member
names of the vendor's seed page (the samples the HTTP tests copy from it), and each seed sample
converted in through the table and back out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from counterparty.dialects.faturaentegrator import inbound as fe_in
from counterparty.dialects.faturaentegrator import outbound as fe_out
from counterparty.dialects.faturaentegrator.table import TABLE as FE_TABLE
from counterparty.dialects.idoklad import inbound as idoklad_in
from counterparty.dialects.idoklad import outbound as idoklad_out
from counterparty.dialects.idoklad.table import BANK_ACCOUNT, BANK_KEY
from counterparty.dialects.idoklad.table import TABLE as IDOKLAD_TABLE
from counterparty.dialects.muhasip import inbound as muhasip_in
from counterparty.dialects.muhasip import outbound as muhasip_out
from counterparty.dialects.muhasip.checks import check_body as muhasip_check
from counterparty.dialects.muhasip.table import PERSON as MUHASIP_PERSON
from counterparty.dialects.muhasip.table import TABLE as MUHASIP_TABLE
from counterparty.dialects.muhasip.table import VARIABLE as MUHASIP_VARIABLE
from counterparty.dialects.odyssee import inbound as odyssee_in
from counterparty.dialects.odyssee import outbound as odyssee_out
from counterparty.dialects.odyssee.table import COMPANY_FIELDS as ODYSSEE_COMPANY
from counterparty.dialects.odyssee.table import CONTACT as ODYSSEE_CONTACT
from counterparty.dialects.wacs import inbound as wacs_in
from counterparty.dialects.wacs import outbound as wacs_out
from counterparty.dialects.wacs.table import TABLE as WACS_TABLE
from counterparty.domain.contact import Contact, ContactCreate
from counterparty.domain.merge_patch import merge_patch
from counterparty.domain.validation import validate_document
from counterparty.domain.verification import verify
from tests.dialects.test_faturaentegrator import COMPANY as FE_SAMPLE
from tests.dialects.test_faturaentegrator import DOCUMENTED_PATCH
from tests.dialects.test_idoklad import SAMPLE as IDOKLAD_SAMPLE
from tests.dialects.test_muhasip import RESULT_MEMBERS as MUHASIP_RESULT
from tests.dialects.test_muhasip import SEED_BODY as MUHASIP_SAMPLE
from tests.dialects.test_odyssee import company_sample, contact_sample
from tests.dialects.test_wacs import SAMPLE as WACS_SAMPLE


def writable(table: Any) -> set[str]:
    return {row.name for row in table if not row.read_only}


def stored(document: dict[str, Any]) -> Contact:
    """A contact as the service would store the document (lenient, as for every dialect)."""
    wanted, checks = verify(validate_document(ContactCreate, document), "lenient")
    now = datetime.now(UTC)
    fields = {name: value for name, value in dict(wanted).items() if name != "id"}
    return Contact.model_construct(**fields, id=uuid4(), number=7, version=1,
                                   archived_at=None, checks=checks, created_at=now,
                                   updated_at=now)  # fmt: skip


@pytest.mark.parametrize(
    ("table", "page_members"),
    [
        (WACS_TABLE, set(WACS_SAMPLE)),  # ContactInDTO, in the page's order
        (FE_TABLE, set(DOCUMENTED_PATCH) | {"type", "title", "iban"}),  # the page's field table
        (IDOKLAD_TABLE, set(IDOKLAD_SAMPLE) - {"Id"}),  # ContactPatchApiModel (+ POST's member)
        (MUHASIP_TABLE, set(MUHASIP_SAMPLE)),  # the Update request body
        # a contact person of that body, with the `_id` and `variables` of its answer
        (MUHASIP_PERSON, set(MUHASIP_SAMPLE["contactPeoples"][0]) | {"_id", "variables"}),
        (MUHASIP_VARIABLE, set(MUHASIP_SAMPLE["variables"][0]) | {"title"}),
        # the seed's samples, less the server's members
        (ODYSSEE_CONTACT, set(contact_sample(str(uuid4()))) - {"modified_dateutc"}),
        (ODYSSEE_COMPANY, set(company_sample(str(uuid4()))) - {"modified_dateutc", "id2"}),
    ],
)
def test_every_writable_row_is_a_member_of_the_page(table: Any, page_members: set[str]) -> None:
    assert writable(table) == page_members


def test_idoklad_bank_account_rows_are_the_pages_bank_account_members() -> None:
    page = set(IDOKLAD_SAMPLE[BANK_KEY]) - {"Id"}
    assert writable(BANK_ACCOUNT) == page


def test_the_wacs_sample_converts_in_and_out() -> None:
    values = wacs_in.read_body(dict(WACS_SAMPLE, ParentID=None))
    contact = stored(merge_patch({}, wacs_in.to_patch(values, None, None)))
    assert (contact.name, contact.registration_number) == ("De Vries & Zonen", "69599084")
    assert contact.vat_number == "NL000099998B57" and contact.language == "nl"
    shown = wacs_out.to_dto(contact, None)
    same = {name: value for name, value in WACS_SAMPLE.items()
            if name not in ("ParentID", "DateOfBirth", "GDPRConsentModifiedDate")}  # fmt: skip
    assert {name: shown[name] for name in same} == same


def test_the_fatura_entegrator_samples_convert_in_and_out() -> None:
    changes, merged = fe_in.validated(FE_SAMPLE, stored=None, complete=True)
    contact = stored(merge_patch({}, fe_in.canonical_patch(changes, merged, None)))
    assert (contact.kind, contact.name, contact.tax_id) == ("company", FE_SAMPLE["title"],
                                                            "1234567890")  # fmt: skip
    assert {k: v for k, v in fe_out.resource(contact).items() if k in FE_SAMPLE} == FE_SAMPLE
    changes, merged = fe_in.validated(DOCUMENTED_PATCH, stored=fe_out.resource(contact))
    patch = fe_in.canonical_patch(changes, merged, contact)
    assert patch["tax_id"] is None and patch["tax_office"] is None  # "" clears, as documented


def test_the_idoklad_sample_converts_in_and_out() -> None:
    changes = idoklad_in.read_contact(IDOKLAD_SAMPLE, "POST")
    contact = stored(merge_patch({}, idoklad_in.canonical_patch(changes, "POST", {})))
    assert (contact.name, contact.address.country_code) == ("Tatra Nábytok s.r.o.", "SK")
    shown = idoklad_out.to_vendor(contact)
    assert shown["Phone"] == IDOKLAD_SAMPLE["Phone"]  # as typed, while it means the same
    assert shown[BANK_KEY]["Iban"] == IDOKLAD_SAMPLE[BANK_KEY]["Iban"]
    same = {k: v for k, v in IDOKLAD_SAMPLE.items() if k not in ("Id", BANK_KEY)}
    assert {name: shown[name] for name in same} == same


def test_the_muhasip_rows_are_the_members_of_its_answer_in_order() -> None:
    assert [row.name for row in MUHASIP_TABLE] == MUHASIP_RESULT


def test_the_muhasip_sample_converts_in_and_out() -> None:
    assert muhasip_check(MUHASIP_SAMPLE) == []
    document = muhasip_in.creation_document(muhasip_in.translate(MUHASIP_SAMPLE, None))
    contact = stored(document)
    assert (contact.name, contact.address.country_code, contact.kind) == ("Murat Duran", "TR",
                                                                        "company")  # fmt: skip
    assert [account.iban for account in contact.bank_accounts] == ["TR99999999", "TR123123213"]
    assert contact.custom_fields == {"acenta": "Acenta Adı", "crm_id": "CRM IDM"}
    shown = muhasip_out.render(contact, uuid4())
    assert list(shown) == MUHASIP_RESULT
    assert shown["contactPeoples"][0].pop("variables") == []
    shown["contactPeoples"][0].pop("_id")
    assert {name: shown[name] for name in MUHASIP_SAMPLE} == MUHASIP_SAMPLE


@pytest.mark.parametrize(
    ("table", "sample"),
    [
        (ODYSSEE_CONTACT, contact_sample(str(uuid4()))),
        (ODYSSEE_COMPANY, company_sample(str(uuid4()))),
    ],
)
def test_every_odyssee_row_is_a_member_of_its_sample_in_order(table: Any, sample: Any) -> None:
    assert [row.name for row in table] == list(sample)


def test_the_odyssee_company_sample_converts_in_and_out() -> None:
    sample = {**company_sample(str(uuid4())), "parent_id": None}
    given = odyssee_in.translate(ODYSSEE_COMPANY, sample, whole=True)
    document = given.document(keep_nulls=False)
    del document["id"]  # a client-chosen id: the service's to check
    document["extensions"] = {"odyssee": odyssee_in.extension({}, given.ext, whole=True)}
    contact = stored(document)
    assert (contact.name, contact.vat_number, contact.address.country_code) == (
        "Brouwerij De Koninck NV", "BE0403019261", "BE")  # fmt: skip
    assert contact.address.street == "Mechelsesteenweg 291"
    shown = odyssee_out.render(ODYSSEE_COMPANY, contact)
    server = {"id", "modified_dateutc", "id2", "parent_id"}  # the server's, and a reference
    assert {name: shown[name] for name in sample if name not in server} == {
        name: value for name, value in sample.items() if name not in server
    }
