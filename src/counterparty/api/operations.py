"""Every native endpoint, declared once: the router and the OpenAPI document read this."""

from __future__ import annotations

from pydantic import BaseModel

from counterparty.api import batch, duplicates, history, items, tenant
from counterparty.api import contacts as handlers
from counterparty.api.import_operations import IMPORT_OPERATIONS
from counterparty.api.merging import MERGE_OPERATIONS
from counterparty.api.parameters import (
    ACTION,
    BY_NUMBER,
    CONTACT_HEADERS,
    CONTACT_ID,
    CURSOR,
    GUARDED,
    IDEMPOTENCY_KEY,
    IF_NONE_MATCH,
    ITEM_ID,
    LIST_PARAMETERS,
    READ,
    WRITE_ERRORS,
    WRITTEN_HEADERS,
)
from counterparty.api.problems import problem_response
from counterparty.api.webhook_operations import WEBHOOK_OPERATIONS
from counterparty.domain.contact import (
    BankAccountInput,
    Contact,
    ContactInput,
    ContactPersonInput,
)
from counterparty.services import checking
from counterparty.services.duplicates import DEFAULT_MIN_SCORE
from counterparty.web.routing import Operation, Parameter, Surface


def _item_operations(segment: str, label: str, model: type[BaseModel]) -> tuple[Operation, ...]:
    path = f"/v1/contacts/{{contact_id}}/{segment}"
    name = "".join(word.title() for word in segment.split("-"))[:-1]
    return (
        Operation(
            "POST",
            path,
            items.add_item,
            f"add{name}",
            f"Add a {label}; answers with the contact and the item's URL in Location",
            body=model,
            status=201,
            response=Contact,
            response_description="Added",
            response_headers=("Location", "ETag"),
            errors=WRITE_ERRORS,
            parameters=ACTION,
        ),
        Operation(
            "PATCH",
            path + "/{item_id}",
            items.update_item,
            f"patch{name}",
            f"Change some fields of a {label} (JSON Merge Patch)",
            body=model,
            body_media_types=handlers.PATCH_MEDIA_TYPES,
            response=Contact,
            response_headers=CONTACT_HEADERS,
            errors=WRITE_ERRORS,
            parameters=(*GUARDED, ITEM_ID),
        ),
        Operation(
            "DELETE",
            path + "/{item_id}",
            items.remove_item,
            f"remove{name}",
            f"Remove a {label}; answers with the contact",
            response=Contact,
            response_headers=CONTACT_HEADERS,
            errors=(404, 409, 412, 428),
            parameters=(*GUARDED, ITEM_ID),
        ),
    )


def _min_score(default: float, what: str) -> Parameter:
    schema = {"type": "number", "minimum": 0, "maximum": 1, "default": default}
    return Parameter("min_score", "query", schema, f"Only {what} scoring at least this")


def _limit(default: int, maximum: int) -> Parameter:
    return Parameter(
        "limit", "query", {"type": "integer", "minimum": 1, "maximum": maximum, "default": default}
    )


OPERATIONS = (
    Operation(
        "GET",
        "/v1/contacts",
        handlers.list_contacts,
        "listContacts",
        "List contacts, one page at a time",
        response=handlers.ContactList,
        response_headers=("Link",),
        errors=(400, 422),
        parameters=LIST_PARAMETERS,
    ),
    Operation(
        "POST",
        "/v1/contacts",
        handlers.create_contact,
        "createContact",
        "Create a contact",
        body=ContactInput,
        status=201,
        response=Contact,
        response_description="Created",
        response_headers=("Location", *WRITTEN_HEADERS),
        errors=(400, 409, 413, 415, 422),
        parameters=(IDEMPOTENCY_KEY,),
    ),
    Operation(
        "POST",
        "/v1/contacts/batch",
        batch.batch_contacts,
        "batchContacts",
        "Create or upsert up to 1,000 contacts in one request",
        description="Each item is validated and checked as POST /v1/contacts would (with "
        "`match_on`, a matched item is a merge patch of its contact) and gets its own result: "
        "the status its own request would have had, the action taken, the contact's id and "
        "version, and its field errors. Good items are stored even when others fail; each "
        "changed contact gets one history event (entry point `batch`). The body may be up to "
        "COUNTERPARTY_MAX_BATCH_BODY_BYTES (16 MiB by default).",
        body=batch.BatchRequest,
        response=batch.BatchResponse,
        errors=(400, 413, 415, 422),
        parameters=(IDEMPOTENCY_KEY,),
    ),
    Operation(
        "GET",
        "/v1/contacts/by-number/{number}",
        handlers.get_contact_by_number,
        "getContactByNumber",
        "Fetch a contact by its per-tenant number",
        response=Contact,
        response_headers=(*CONTACT_HEADERS, "Content-Location"),
        errors=(304, 404),
        parameters=(
            BY_NUMBER,
            IF_NONE_MATCH,
        ),
    ),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}",
        handlers.get_contact,
        "getContact",
        "Fetch a contact",
        response=Contact,
        response_headers=(*CONTACT_HEADERS, "Content-Location"),
        errors=(304, 404),
        parameters=READ,
    ),
    Operation(
        "PUT",
        "/v1/contacts/{contact_id}",
        handlers.replace_contact,
        "replaceContact",
        "Replace a contact: writable fields left out return to their defaults",
        body=ContactInput,
        response=Contact,
        response_headers=WRITTEN_HEADERS,
        errors=WRITE_ERRORS,
        parameters=GUARDED,
    ),
    Operation(
        "PATCH",
        "/v1/contacts/{contact_id}",
        handlers.patch_contact,
        "patchContact",
        "Change some fields of a contact (JSON Merge Patch, RFC 7396)",
        description="Members left out stay as they are, null clears a member (or returns "
        "it to its default), objects merge member by member and lists are replaced whole. "
        "Other media types are a 415 with Accept-Patch.",
        body=ContactInput,
        body_media_types=handlers.PATCH_MEDIA_TYPES,
        response=Contact,
        response_headers=WRITTEN_HEADERS,
        errors=WRITE_ERRORS,
        parameters=GUARDED,
    ),
    Operation(
        "DELETE",
        "/v1/contacts/{contact_id}",
        handlers.delete_contact,
        "deleteContact",
        "Delete a contact that no other contact names as its parent",
        status=204,
        response_description="Deleted",
        errors=(404, 409, 412, 428),
        parameters=GUARDED,
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/archive",
        handlers.archive_contact,
        "archiveContact",
        "Archive a contact",
        response=Contact,
        response_headers=CONTACT_HEADERS,
        errors=(400, 404, 409, 412, 422, 428),
        parameters=ACTION,
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/unarchive",
        handlers.unarchive_contact,
        "unarchiveContact",
        "Bring an archived contact back",
        response=Contact,
        response_headers=CONTACT_HEADERS,
        errors=(400, 404, 409, 412, 422, 428),
        parameters=ACTION,
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/erase",
        handlers.erase_contact,
        "eraseContact",
        "Erase a contact's personal data (GDPR), keeping the tenant's retention fields",
        description="Empties the contact's personal fields (a person: every field about them; "
        "a company: its contact persons, notes, custom fields and extensions) except those "
        "the tenant's `retention_fields` keep, in the contact, every version and event of its "
        "history, stored idempotent responses and webhook receivers' answers, and records an "
        "`erased` event naming the fields. Answers with the erased contact; a contact with "
        "nothing left to erase is answered unchanged. A deleted contact's history is erased "
        "the same way (204, no event; If-Match other than * is a 412).",
        response=Contact,
        response_headers=CONTACT_HEADERS,
        errors=(204, 400, 404, 409, 412, 422, 428),
        parameters=ACTION,
    ),
    *_item_operations("bank-accounts", "bank account", BankAccountInput),
    *_item_operations("contact-persons", "contact person", ContactPersonInput),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}/history",
        history.contact_history,
        "getContactHistory",
        "Every change of a contact, newest first (also after it was deleted)",
        response=history.EventList,
        response_headers=("Link",),
        errors=(400, 404, 422),
        parameters=(
            CONTACT_ID,
            Parameter(
                "limit", "query", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
            ),
            CURSOR,
        ),
    ),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}/duplicates",
        duplicates.contact_duplicates,
        "listContactDuplicates",
        "The contact's probable duplicates, best first, each with its score and reasons",
        description="Active contacts only, never the contact itself. Rules and scores: "
        "docs/duplicates.md.",
        tag="duplicates",
        response=duplicates.CandidateList,
        errors=(400, 404, 422),
        parameters=(
            CONTACT_ID,
            _min_score(0, "candidates"),
            _limit(*duplicates.CANDIDATE_LIMITS),
        ),
    ),
    Operation(
        "GET",
        "/v1/duplicates",
        duplicates.list_duplicates,
        "listDuplicates",
        "The tenant's pairs of probable duplicates, each pair once, best first",
        tag="duplicates",
        response=duplicates.PairList,
        response_headers=("Link",),
        errors=(400, 422),
        parameters=(
            _min_score(DEFAULT_MIN_SCORE, "pairs"),
            _limit(*duplicates.PAIR_LIMITS),
            CURSOR,
        ),
    ),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}/versions/{version}",
        history.contact_version,
        "getContactVersion",
        "The contact as it was at a version",
        response=Contact,
        response_headers=CONTACT_HEADERS,
        errors=(404,),
        parameters=(CONTACT_ID, Parameter("version", "path", {"type": "integer", "minimum": 1})),
    ),
    Operation(
        "GET",
        "/v1/tenant",
        tenant.get_tenant,
        "getTenant",
        "The caller's tenant and its settings",
        tag="tenant",
        response=tenant.TenantOut,
    ),
    Operation(
        "PATCH",
        "/v1/tenant",
        tenant.patch_tenant,
        "patchTenant",
        "Change the tenant's name, validation policy or duplicate policy (JSON Merge Patch)",
        tag="tenant",
        body=tenant.TenantChanges,
        body_media_types=handlers.PATCH_MEDIA_TYPES,
        response=tenant.TenantOut,
        errors=(400, 413, 415, 422),
    ),
    Operation(
        "POST",
        "/v1/validate",
        tenant.validate_identifiers,
        "validateIdentifiers",
        "Check and normalise identifiers without storing anything",
        tag="validation",
        description="Send any subset of tax_id, vat_number, registration_number, "
        "peppol_id, email, phone, mobile, fax, language, currency, iban, bic and "
        "bank_accounts, with the country_code whose rules apply, or the same document as "
        "POST /v1/contacts (address.country_code, whole bank accounts). The answer has the "
        "normalised (stored) and formatted values, one check per field and suggestions "
        "such as a Belgian company's Peppol id.",
        body=checking.IdentifiersToCheck,
        response=tenant.ValidationReport,
        errors=(400, 413, 415, 422),
    ),
    Operation(
        "GET",
        "/v1/events",
        history.change_feed,
        "listEvents",
        "The change feed: every change of the tenant's contacts in commit order",
        description="Start without `after`, then pass the returned `next_cursor` as `after`"
        " to continue, now or on a later poll; it is durable. Deletions are tombstones "
        "(type `deleted`, `contact` null), and so is a contact merged into another (type "
        "`merged_into`); `unmerged` brings one back. Replaying the feed from the start "
        "rebuilds the current set of contacts.",
        tag="events",
        response=history.EventList,
        errors=(400, 422),
        parameters=(
            Parameter(
                "after",
                "query",
                {"type": "string"},
                "next_cursor of the previous page; absent: from the start",
            ),
            Parameter(
                "limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
            ),
        ),
    ),
    *MERGE_OPERATIONS,
    *WEBHOOK_OPERATIONS,
    *IMPORT_OPERATIONS,
)

NATIVE = Surface(
    authenticate=handlers.native_actor,
    render_error=problem_response,
    operations=OPERATIONS,
    strict=True,
)
