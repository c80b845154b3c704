"""Every native endpoint, declared once: the router and the OpenAPI document read this."""

from __future__ import annotations

from pydantic import BaseModel

from counterparty.api import contacts as handlers
from counterparty.api import history, items, tenant
from counterparty.api.problems import problem_response
from counterparty.domain.contact import (
    BankAccountInput,
    Contact,
    ContactCreate,
    ContactInput,
    ContactPersonInput,
)
from counterparty.services import checking
from counterparty.services.listing import CHECK_STATUSES, DEFAULT_LIMIT, MAX_LIMIT
from counterparty.web.routing import Operation, Parameter, Surface

CONTACT_ID = Parameter(
    "contact_id", "path", {"type": "string", "format": "uuid"}, "The contact's id"
)
BOOLEAN = {"type": "string", "enum": ["true", "false"]}
LIST_PARAMETERS = (
    Parameter(
        "q",
        "query",
        {"type": "string", "maxLength": 200},
        "Free text over name, first and last name, e-mail, tax, VAT and registration "
        "numbers, external_ref and city; case- and accent-insensitive; every word must "
        "match",
    ),
    Parameter("kind", "query", {"type": "string", "enum": ["company", "person"]}),
    Parameter("is_customer", "query", BOOLEAN),
    Parameter("is_supplier", "query", BOOLEAN),
    Parameter(
        "archived",
        "query",
        {"type": "string", "enum": ["false", "true", "all"], "default": "false"},
        "Active contacts only (default), archived only, or all",
    ),
    Parameter(
        "country_code",
        "query",
        {"type": "string", "maxLength": 100},
        "Country of the address: ISO 3166-1 code or a country name",
    ),
    Parameter("tag", "query", {"type": "string", "maxLength": 50}, "Exact tag"),
    Parameter("external_ref", "query", {"type": "string", "maxLength": 100}),
    Parameter(
        "check_status",
        "query",
        {"type": "string", "enum": list(CHECK_STATUSES)},
        "Worst status in the contact's checks; `invalid` lists the contacts to fix",
    ),
    Parameter(
        "updated_since",
        "query",
        {"type": "string", "format": "date-time"},
        "Only contacts changed at or after this moment",
    ),
    Parameter(
        "sort",
        "query",
        {
            "type": "string",
            "enum": ["name", "-name", "number", "-number", "updated_at", "-updated_at"],
            "default": "name",
        },
        "Order; a leading - reverses it",
    ),
    Parameter(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    Parameter(
        "cursor",
        "query",
        {"type": "string"},
        "next_cursor of the previous page, with the same filters and sort",
    ),
)

IF_MATCH = Parameter(
    "If-Match",
    "header",
    {"type": "string"},
    'ETag of the version you changed, e.g. "3"; a stale or weak one is a 412 and changes '
    "nothing. Required (428) when the service runs with COUNTERPARTY_REQUIRE_IF_MATCH=true.",
)
IF_NONE_MATCH = Parameter(
    "If-None-Match", "header", {"type": "string"}, "ETag you hold; 304 when it is still current"
)
IDEMPOTENCY_KEY = Parameter(
    "Idempotency-Key",
    "header",
    {"type": "string", "minLength": 1, "maxLength": 255},
    "Makes a retry safe: the first response is stored for at least 24 hours (configurable) and "
    "replayed, with Idempotent-Replayed: true, for the same key and body; the same key with "
    "another body is a 422, and while the first request runs a 409. Keys are per API key.",
)
ITEM_ID = Parameter("item_id", "path", {"type": "string", "format": "uuid"})
READ = (CONTACT_ID, IF_NONE_MATCH)
GUARDED = (CONTACT_ID, IF_MATCH)
ACTION = (CONTACT_ID, IF_MATCH, IDEMPOTENCY_KEY)
WRITE_ERRORS = (400, 404, 409, 412, 413, 415, 422, 428)
CONTACT_HEADERS = ("ETag",)


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


CURSOR = Parameter("cursor", "query", {"type": "string"}, "next_cursor of the previous page")

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
        body=ContactCreate,
        status=201,
        response=Contact,
        response_description="Created",
        response_headers=("Location", "ETag"),
        errors=(400, 409, 413, 415, 422),
        parameters=(IDEMPOTENCY_KEY,),
    ),
    Operation(
        "GET",
        "/v1/contacts/by-number/{number}",
        handlers.get_contact_by_number,
        "getContactByNumber",
        "Fetch a contact by its per-tenant number",
        response=Contact,
        response_headers=CONTACT_HEADERS,
        errors=(304, 404),
        parameters=(Parameter("number", "path", {"type": "integer", "minimum": 1}), IF_NONE_MATCH),
    ),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}",
        handlers.get_contact,
        "getContact",
        "Fetch a contact",
        response=Contact,
        response_headers=CONTACT_HEADERS,
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
        response_headers=CONTACT_HEADERS,
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
        response_headers=CONTACT_HEADERS,
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
        "Change the tenant's name or validation policy (JSON Merge Patch)",
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
        "(type `deleted`, `contact` null). Replaying the feed from the start rebuilds the "
        "current set of contacts.",
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
)

NATIVE = Surface(
    authenticate=handlers.native_actor, render_error=problem_response, operations=OPERATIONS
)

RESPONSE_HEADERS = {
    "ETag": {
        "description": "Strong entity tag of the contact's version",
        "schema": {"type": "string"},
    },
    "Location": {"description": "URL of the created contact", "schema": {"type": "string"}},
    "Link": {
        "description": 'RFC 8288 link to the next page, rel="next"; absent on the last',
        "schema": {"type": "string"},
    },
}
