"""WACS (Benelux accounting): the contact API of api.wacs.online, under /compat/wacs.

Paths, field names, types and limits are the vendor's (ASP.NET Web API help pages, seed-apis.md
section 2); the field mapping is the table in fields.py. Where the vendor is silent:

- Auth: the API key in `?key=` (documented) or, for the newer builds without it,
  `Authorization: Bearer <key>`; `key` wins when both are sent. No or a bad key is 401.
- Routing: as in ASP.NET, paths and query parameter names match without regard to case;
  `{version}` may be anything; an unknown path is 404 and a wrong method 405, in WACS shape.
- Ids: `{id}` and `ID`/`ParentID` are the contact's per-tenant `number`. ParentID 0 is no
  parent (what a .NET client sends for an unset int); an unknown ParentID is a 400.
- Bodies: `application/json` or `text/json`. Members match without regard to case; unknown
  members (the `ID` of a response sent back, fields of newer builds) are ignored, as Json.NET
  does. Numbers are accepted for strings, "true"/"false" for booleans and numeric strings for
  integers (Json.NET's conversions). Strings are trimmed; "" is no value (null).
- Create (`POST .../CreateContact`) is 201 with the contact DTO and a Location of its
  GetContact URL. Update (`PUT .../UpdateContact/{id}`) is 200 with the DTO; GetContact is
  200 with the DTO; DeleteContact is 204. The DTO is `{"ID": <number>, ...ContactInDTO}`,
  every field always present: booleans are never null, other unset values are null.
- PUT replaces the WACS view: a field left out or null is cleared (Company: company,
  FunctionalTypes: [1] customer, booleans: false). What WACS cannot see is kept: every canonical
  field WACS does not map (tags, website, first/last name, address.street2/district/state,
  other bank accounts, the account's number/name/currency, payment_terms_days, ...), a
  language WACS has no code for, and a GDPR consent of given/withdrawn while NonGDPR is false.
  There is no PATCH: WACS documents none.
- Language codes: 1 nl, 2 fr, 3 en, 4 de; another code is stored as written and read back.
- FunctionalTypes: 1 customer, 2 supplier; [] is neither; other codes, order and repeats are
  kept as written, and follow role changes made elsewhere.
- PaymentCondition is the id of a payment term, not a number of days: kept in
  extensions.wacs, payment_terms_days is left alone. ContactCategory, GroupBilling,
  Header1..3, Type and VatCode have no canonical home either: extensions.wacs.
- Iban/Bic are those of the default bank account; other accounts are not in the WACS view.
  Without a default account, a write adds one; clearing both removes the default account
  unless it holds something else (account number, bank name).
- VAT: vat_number is VATCountryISO + VATNr (Greece: EL); without VATCountryISO an unprefixed
  VATNr takes the CountryISO prefix. It reads back split, VATNr without its prefix.
- Values come back in the canonical normal form: compact upper-case IBAN/BIC/VAT/KvK, E.164
  phone numbers, ISO country codes (CountryISO accepts names too; any other text is kept in
  extensions.wacs.unheld and reported in `checks`), normalised e-mail.
  DateOfBirth keeps the date as written and reads back as "YYYY-MM-DDT00:00:00";
  GDPRConsentModifiedDate reads back in UTC ("Z"), to the microsecond.
- GetContacts returns a JSON array, ordered by ID: `page` (1..) and `pageSize` (1..1000,
  default 100), `search` (free text, every word must match), `externalId`, and
  `includeArchived` (default false: archived contacts are left out of the list but still
  readable by id). Totals in the `X-Total-Count` and `X-Total-Pages` headers.
- Checks: the vendor's rules (types, Bic pattern, Iban/Bic/KvK lengths) first, every broken
  one reported at once; then the canonical rules (other lengths, a name), reported under the
  WACS field name. Identifier checksums run lenient for dialects (a core policy): an IBAN or
  VAT number that fails one is stored and flagged in the native `checks`, not refused.
- Errors are ASP.NET `HttpError`s: 400 `{"Message": "The request is invalid.", "ModelState":
  {"contact.Bic": ["..."]}}` (also for bad JSON, under "contact"; for a bad id under "id"),
  otherwise `{"Message": "..."}` with 401, 404, 405, 409 (ExternalID taken, a parent still
  referenced), 413, 415, 503 or 500 ("An error has occurred.").
"""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.base import Dialect
from counterparty.dialects.wacs import handlers
from counterparty.dialects.wacs.errors import UNMATCHED, render_error
from counterparty.dialects.wacs.paths import fallback_operations, resolve
from counterparty.services.context import Actor
from counterparty.web.routing import Operation, Parameter, Surface

BASE = "/api/v{version}/Contacts"
VERSION = Parameter("version", "path", {"type": "string"}, "API version, e.g. 1", True)
ID = Parameter("id", "path", {"type": "integer"}, "The contact's ID", True)
KEY = Parameter("key", "query", {"type": "string"}, "API key (or Authorization: Bearer)")
MEDIA = handlers.MEDIA_TYPES

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        f"{BASE}/CreateContact",
        handlers.create_contact,
        "wacsCreateContact",
        "Create a contact",
        body_media_types=MEDIA,
        status=201,
        errors=(400, 401, 409, 413, 415),
        parameters=(VERSION, KEY),
    ),
    Operation(
        "PUT",
        f"{BASE}/UpdateContact/{{id}}",
        handlers.update_contact,
        "wacsUpdateContact",
        "Replace the WACS fields of a contact",
        body_media_types=MEDIA,
        errors=(400, 401, 404, 409, 413, 415),
        parameters=(VERSION, ID, KEY),
    ),
    Operation(
        "GET",
        f"{BASE}/GetContact/{{id}}",
        handlers.get_contact,
        "wacsGetContact",
        "Fetch a contact",
        errors=(400, 401, 404),
        parameters=(VERSION, ID, KEY),
    ),
    Operation(
        "GET",
        f"{BASE}/GetContacts",
        handlers.list_contacts,
        "wacsGetContacts",
        "List contacts, a page at a time",
        errors=(400, 401),
        parameters=(VERSION, KEY),
    ),
    Operation(
        "DELETE",
        f"{BASE}/DeleteContact/{{id}}",
        handlers.delete_contact,
        "wacsDeleteContact",
        "Delete a contact",
        status=204,
        errors=(400, 401, 404, 409),
        parameters=(VERSION, ID, KEY),
    ),
)


def authenticate(request: Request) -> Actor:
    if UNMATCHED in request.path_params:
        resolve(request, OPERATIONS)  # an unknown path is a 404 before it is a 401
    return handlers.authenticate(request)


DIALECT = Dialect(
    name="wacs",
    title="WACS (Benelux accounting)",
    surface=Surface(
        authenticate=authenticate,
        render_error=render_error,
        operations=(*OPERATIONS, *fallback_operations(OPERATIONS)),
    ),
)
