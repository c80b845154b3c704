"""Odyssee Mobile (field service, OData v4): `api/Contact` under /compat/odyssee.

An Odyssee contact is a canonical `kind: "person"` whose `parent_id` is its company (a
`kind: "company"` contact). The field mapping is data, in `fields.py`.

Decisions where the vendor is silent:
- Auth: HTTP Basic `user:<api key>@<tenant slug>`; the password is split at its last `@`;
  the user name is free; a tenant that is not the key's tenant is a 401 (slug compared
  case-insensitively, so `@TESTAPI` matches `testapi`).
- Keys: `Contact(<guid>)`, `Contact(guid'<guid>')` and `Contact('<guid>')` are accepted;
  a key that is not a GUID, or the id of a canonical company, is a 404. GUIDs are returned
  lower-case. On create the client may choose `id`; an id in a PUT/PATCH body must match.
- POST and PUT take the whole entity: fields left out take the vendor's defaults ("", false,
  0, the empty GUID; dates null, never an invented 1980-01-01), which also mean "no value"
  on input, as do null and 1980-01-01.
  `lastname` and one of `company_id` / `company_code` / `company` are required. PATCH
  changes only the members sent. A PUT resets only what this view maps: tags, address,
  bank accounts, title and every other canonical field survive it.
- `company_code` is the company's `external_ref`; `reference_back_office` is the person's
  own `external_ref` (both unique per tenant, in one namespace: 409 on a clash).
- An embedded `company` is found by `id`, else by `code`, and updated with the members
  sent (merge, whatever the contact's verb); otherwise it is created (`name` required).
  Its mapped members go to the canonical company, the others (nested entities included)
  are kept as sent in its `extensions.odyssee`. `street` + `street_number` become
  `address.street` ("Rue Haute 12"). The contact is checked before its company is written;
  if the contact's own write then fails (e.g. a 409), the company write stays.
- Responses embed `company` after a write that embedded one, or with `$expand=company`.
- `e_password` is stored only as a one-way hash and always read back as ""; an empty or
  absent value leaves the stored one unchanged.
- `functions`, `e_login`, `skype`, `private_*`, `db_title_id`, `db_language_id` have no
  canonical home and are kept as sent in `extensions.odyssee`. `create_date` is kept as
  sent when given, otherwise it is the canonical `created_at`; `modified_dateutc` is the
  canonical `updated_at` (read-only; ignored on input).
- Values the canonical model normalises (phones to E.164, e-mail domains, language and
  country codes, VAT/register numbers, dates sent as date-times) read back as typed: the
  typed form is kept in `extensions.odyssee.as_sent` and shown while the canonical value
  still corresponds to it; after a change through another API the canonical value shows.
  Surrounding spaces of mapped strings are not kept. Identifiers are never refused for a
  checksum: dialects write under the lenient validation policy (reported in `checks`).
- Lists hold persons only, archived ones too (filter with `archived eq false`), in creation
  order; page size 20, `$top` can only lower it; `@odata.nextLink` carries `$skip` (and
  the rest of `$top`). `modified_dateutc gt X` means "changed after X" at microsecond
  precision; since it is shown in milliseconds, a sync may see its last contact again.
- Status codes: POST 201, GET/PUT/PATCH 200, `Prefer: return=minimal` 204, DELETE 204;
  400 invalid values (type, length, format, unknown property, bad query option), 422 when
  every problem is a missing required value or an unknown/non-company reference, 401, 404,
  409 (duplicate id or reference, contact still named as a parent), 413, 415 (only JSON:
  `application/json`, `text/json`; no XML), 500.
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect
from counterparty.dialects.odyssee import handlers
from counterparty.dialects.odyssee.errors import NAME, authenticate, render_error
from counterparty.web.routing import Operation, Parameter, Surface

KEY = Parameter("key", "path", {"type": "string"}, "The contact's id (GUID), OData key syntax")
ENTITY = "/api/Contact({key})"
WRITE_ERRORS = (400, 404, 409, 413, 415, 422)

OPERATIONS = (
    Operation(
        "GET",
        "/api/$metadata",
        handlers.metadata,
        "odysseeMetadata",
        "The CSDL document of the service (OData 4.0)",
        tag=NAME,
    ),
    Operation(
        "GET",
        "/api/Contact/$count",
        handlers.count_contacts,
        "odysseeCountContacts",
        "How many contacts the $filter keeps",
        tag=NAME,
        errors=(400,),
    ),
    Operation(
        "GET",
        "/api/Contact",
        handlers.list_contacts,
        "odysseeListContacts",
        "List contacts, 20 per page ($top, $skip, $filter, $orderby, $count, $expand)",
        tag=NAME,
        errors=(400,),
    ),
    Operation(
        "POST",
        "/api/Contact",
        handlers.create_contact,
        "odysseeCreateContact",
        "Create a contact",
        tag=NAME,
        status=201,
        response_description="Created",
        errors=(400, 409, 413, 415, 422),
    ),
    Operation(
        "GET",
        ENTITY,
        handlers.get_contact,
        "odysseeGetContact",
        "Fetch a contact",
        tag=NAME,
        errors=(400, 404),
        parameters=(KEY,),
    ),
    Operation(
        "PUT",
        ENTITY,
        handlers.replace_contact,
        "odysseeReplaceContact",
        "Replace a contact (the whole Odyssee entity)",
        tag=NAME,
        errors=WRITE_ERRORS,
        parameters=(KEY,),
    ),
    Operation(
        "PATCH",
        ENTITY,
        handlers.patch_contact,
        "odysseePatchContact",
        "Change the members sent",
        tag=NAME,
        errors=WRITE_ERRORS,
        parameters=(KEY,),
    ),
    Operation(
        "DELETE",
        ENTITY,
        handlers.delete_contact,
        "odysseeDeleteContact",
        "Delete a contact",
        tag=NAME,
        status=204,
        response_description="Deleted",
        errors=(404, 409),
        parameters=(KEY,),
    ),
)

DIALECT = Dialect(
    name=NAME,
    title="Odyssee Mobile (field service, OData)",
    surface=Surface(authenticate=authenticate, render_error=render_error, operations=OPERATIONS),
)
