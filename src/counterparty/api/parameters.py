"""The parameters the native endpoints share, declared once for the router and OpenAPI."""

from __future__ import annotations

from counterparty.domain.contact import MAX_NUMBER
from counterparty.services.listing import CHECK_STATUSES, DEFAULT_LIMIT, MAX_LIMIT
from counterparty.web.routing import Parameter

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
    {"type": "string", "minLength": 1, "maxLength": 257, "pattern": '^"?[\\x20-\\x7E]{1,255}"?$'},
    "Makes a retry safe: the first response is stored for at least 24 hours (configurable) and "
    "replayed, with Idempotent-Replayed: true, for the same key and body; the same key with "
    "another body is a 422, and while the first request runs a 409. Keys are per API key: 1 to "
    "255 printable ASCII characters, bare or as a quoted structured-field string; anything "
    "else is a 400.",
)
ITEM_ID = Parameter("item_id", "path", {"type": "string", "format": "uuid"})
READ = (CONTACT_ID, IF_NONE_MATCH)
GUARDED = (CONTACT_ID, IF_MATCH)
ACTION = (CONTACT_ID, IF_MATCH, IDEMPOTENCY_KEY)
WRITE_ERRORS = (400, 404, 409, 412, 413, 415, 422, 428)
CONTACT_HEADERS = ("ETag",)
# What a create or change of a contact answers with.
WRITTEN_HEADERS = ("ETag", "Counterparty-Duplicates")
CURSOR = Parameter("cursor", "query", {"type": "string"}, "next_cursor of the previous page")
BY_NUMBER = Parameter(
    "number",
    "path",
    {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER},
    "A number outside this range names no contact (404)",
)
