"""Every native endpoint, declared once: the router and the OpenAPI document read this."""

from __future__ import annotations

from counterparty.api import contacts as handlers
from counterparty.api.problems import problem_response
from counterparty.domain.contact import Contact, ContactCreate, ContactInput
from counterparty.services.listing import DEFAULT_LIMIT, MAX_LIMIT
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
        {"type": "string", "minLength": 2, "maxLength": 2},
        "ISO 3166-1 alpha-2 country of the address",
    ),
    Parameter("tag", "query", {"type": "string", "maxLength": 50}, "Exact tag"),
    Parameter("external_ref", "query", {"type": "string", "maxLength": 100}),
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

WRITE_ERRORS = (400, 404, 409, 413, 415, 422)

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
    ),
    Operation(
        "GET",
        "/v1/contacts/by-number/{number}",
        handlers.get_contact_by_number,
        "getContactByNumber",
        "Fetch a contact by its per-tenant number",
        response=Contact,
        response_headers=("ETag",),
        errors=(404,),
        parameters=(Parameter("number", "path", {"type": "integer", "minimum": 1}),),
    ),
    Operation(
        "GET",
        "/v1/contacts/{contact_id}",
        handlers.get_contact,
        "getContact",
        "Fetch a contact",
        response=Contact,
        response_headers=("ETag",),
        errors=(404,),
        parameters=(CONTACT_ID,),
    ),
    Operation(
        "PUT",
        "/v1/contacts/{contact_id}",
        handlers.replace_contact,
        "replaceContact",
        "Replace a contact: writable fields left out return to their defaults",
        body=ContactInput,
        response=Contact,
        response_headers=("ETag",),
        errors=WRITE_ERRORS,
        parameters=(CONTACT_ID,),
    ),
    Operation(
        "PATCH",
        "/v1/contacts/{contact_id}",
        handlers.patch_contact,
        "patchContact",
        "Change some fields of a contact (JSON Merge Patch, RFC 7396)",
        description="Members left out stay as they are, null clears a member (or returns "
        "it to its default), objects merge member by member and lists are replaced whole.",
        body=ContactInput,
        body_media_types=handlers.PATCH_MEDIA_TYPES,
        response=Contact,
        response_headers=("ETag",),
        errors=WRITE_ERRORS,
        parameters=(CONTACT_ID,),
    ),
    Operation(
        "DELETE",
        "/v1/contacts/{contact_id}",
        handlers.delete_contact,
        "deleteContact",
        "Delete a contact that no other contact names as its parent",
        status=204,
        response_description="Deleted",
        errors=(404, 409),
        parameters=(CONTACT_ID,),
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/archive",
        handlers.archive_contact,
        "archiveContact",
        "Archive a contact",
        response=Contact,
        response_headers=("ETag",),
        errors=(404, 409),
        parameters=(CONTACT_ID,),
    ),
    Operation(
        "POST",
        "/v1/contacts/{contact_id}/unarchive",
        handlers.unarchive_contact,
        "unarchiveContact",
        "Bring an archived contact back",
        response=Contact,
        response_headers=("ETag",),
        errors=(404, 409),
        parameters=(CONTACT_ID,),
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
