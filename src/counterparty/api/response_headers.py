"""The response headers the native operations document (OpenAPI `components`)."""

from __future__ import annotations

RESPONSE_HEADERS = {
    "ETag": {
        "description": "Strong entity tag of the contact's version",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "URL of what was created (a contact, an item, a webhook), or of the "
        "import that was accepted",
        "schema": {"type": "string"},
    },
    "Content-Location": {
        "description": "On a read of a merged contact's id or number: the URL of the contact "
        "it was merged into, whose document the response is",
        "schema": {"type": "string"},
    },
    "Counterparty-Duplicates": {
        "description": "Under the tenant's `warn` duplicate policy: the ids of other active "
        "contacts with the same VAT number, tax id or registration number (same country), "
        "comma-separated; absent when there are none (docs/duplicates.md)",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": 'RFC 8288 link to the next page, rel="next"; absent on the last',
        "schema": {"type": "string"},
    },
}
