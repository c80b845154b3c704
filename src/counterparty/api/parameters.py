"""The parameters the native endpoints share, declared once for the router and OpenAPI."""

from __future__ import annotations

from counterparty.domain.contact import MAX_NUMBER
from counterparty.web.list_query import LIST_PARAMETERS
from counterparty.web.routing import Parameter

__all__ = ["LIST_PARAMETERS"]  # declared with the parser that reads them

CONTACT_ID = Parameter(
    "contact_id", "path", {"type": "string", "format": "uuid"}, "The contact's id"
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
