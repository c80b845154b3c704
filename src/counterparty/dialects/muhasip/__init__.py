"""Muhasip (Turkish pre-accounting), "Cariler" API, under /compat/muhasip/accounting/contacts.

Source: Muhasip's own Update page (seed 000_1ea25dbb26d212d4) and seed-apis.md section 1. The
field mapping is the table in mapping.py. Where Muhasip is silent, this dialect decides:

- Ids: `_id` is the canonical contact id (a UUID, not a 24-hex ObjectId) and the `{id}` of every
  path; anything that is not a known UUID is a 404. A contact person's `_id` is its canonical
  id: sent back in a PUT it keeps the person (and its canonical-only fields); any other `_id`
  makes a new person (a UUID becomes its id, an ObjectId is dropped).
- Auth: HTTP Basic, the API key is the password, the user name is ignored (the tenant slug is a
  good habit). No IP allow-list.
- PUT replaces Muhasip's view of the contact: every member of the table left out (or null)
  returns to its default (strings null, isCustomer true, person false, lists empty); canonical
  fields Muhasip does not map (tags, notes, is_supplier, mobile, first/last name, postal code,
  other dialects' extensions...) are untouched. `archived` left out keeps its state (it has its
  own operations). Bank accounts whose IBAN is sent again keep their BIC, bank name, currency
  and default flag; accounts without an IBAN are outside the view and kept.
- Bodies: unknown members are a 400 (never dropped silently); the server members of a result
  (`_id`, `companiesId`, `__v`, `createdDate`, ...) are ignored, so a fetched result can be sent
  back as it is. Strings must be strings, flags true/false; no coercion.
- `countries` is a country NAME (any spelling `country_code_for` knows, or an ISO-2 code);
  an unknown name is a 400. The exact spelling is kept and shown while it still names the
  stored country; a country set elsewhere shows its ISO 3166 short name. `cities` (ilçe) is
  address.city, `states` (il) address.state, `address` address.street.
- Values the canonical model normalises (phone to E.164, e-mail domain, compact tax id and
  IBAN, "" to null) read back as sent, until the value is changed elsewhere. Identifiers are
  checked leniently (as for every dialect): invalid ones, like the seed's TCKN and IBANs, are
  stored and reported in the native `checks`, never refused.
- `variables` keys become custom_fields keys in snake case ("crmID" -> "crm_id"; two keys
  that collide are a 400); the original key, `title` and order are kept in extensions.muhasip.
  Custom fields set through the native API appear after them, under their own key.
- isCustomer is is_customer only: `false` does not make the contact a supplier (undocumented).
- `__v` is the canonical version (1 on create, +1 per change). `employees` and `default` are
  always false, `statesCode` always null; `isAbroad` is true when a country other than Türkiye
  is set (false when none is).
- Create answers 200 (Muhasip's envelope carries the outcome); Delete answers the deleted
  contact; Archive and unArchive take no body and answer the contact.
- Index: page (1), pageSize (25, at most 200), query (free text, every word must match),
  archived (false: active only, true: archived only); ordered by name; other parameters are
  ignored. `result` is mongoose-paginate-v2's page: {docs, totalDocs, limit, page, totalPages,
  pagingCounter, hasPrevPage, hasNextPage, prevPage, nextPage}.
- Errors: {"status": false, "message": "...", "code": "<stable code>"} with 400 (validation,
  bad JSON), 401 (+ WWW-Authenticate: Basic), 404, 409, 413, 415 or 500; validation errors
  also list {"field", "code", "message"} under `errors`, fields named as Muhasip names them
  ("contactPeoples.0.email").
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect
from counterparty.dialects.muhasip import handlers
from counterparty.web.routing import Operation, Parameter, Surface

CONTACT_ID = Parameter(
    "id", "path", {"type": "string", "format": "uuid"}, "The contact's `_id` (canonical id)"
)
LIST_PARAMETERS = (
    Parameter("page", "query", {"type": "integer", "minimum": 1, "default": 1}),
    Parameter(
        "pageSize", "query", {"type": "integer", "minimum": 1, "maximum": 200, "default": 25}
    ),
    Parameter("query", "query", {"type": "string", "maxLength": 200}, "Free text search"),
    Parameter(
        "archived", "query", {"type": "string", "enum": ["false", "true"], "default": "false"}
    ),
)
WRITE_ERRORS = (400, 401, 404, 409, 413, 415)
PATH = "/accounting/contacts"

DIALECT = Dialect(
    name="muhasip",
    title="Muhasip (Turkish pre-accounting): Cariler",
    surface=Surface(
        authenticate=handlers.authenticate,
        render_error=handlers.render_error,
        operations=(
            Operation(
                "GET", PATH, handlers.list_contacts, "muhasipListContacts", "Index",
                tag="muhasip", errors=(400, 401), parameters=LIST_PARAMETERS,
            ),
            Operation(
                "POST", PATH, handlers.create_contact, "muhasipCreateContact", "Create",
                tag="muhasip", errors=(400, 401, 409, 413, 415),
            ),
            Operation(
                "GET", PATH + "/{id}", handlers.get_contact, "muhasipGetContact", "Details",
                tag="muhasip", errors=(401, 404), parameters=(CONTACT_ID,),
            ),
            Operation(
                "PUT", PATH + "/{id}", handlers.update_contact, "muhasipUpdateContact", "Update",
                tag="muhasip", errors=WRITE_ERRORS, parameters=(CONTACT_ID,),
            ),
            Operation(
                "DELETE", PATH + "/{id}", handlers.delete_contact, "muhasipDeleteContact",
                "Delete", tag="muhasip", errors=(401, 404, 409), parameters=(CONTACT_ID,),
            ),
            Operation(
                "PATCH", PATH + "/{id}/archive", handlers.archive_contact,
                "muhasipArchiveContact", "Archive", tag="muhasip", errors=(401, 404),
                parameters=(CONTACT_ID,),
            ),
            Operation(
                "PATCH", PATH + "/{id}/unArchive", handlers.unarchive_contact,
                "muhasipUnarchiveContact", "unArchive", tag="muhasip", errors=(401, 404),
                parameters=(CONTACT_ID,),
            ),
        ),
    ),
)  # fmt: skip
