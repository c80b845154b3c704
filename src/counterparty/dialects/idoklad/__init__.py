"""iDoklad API v2 (Czech/Slovak invoicing): its contacts API under /compat/idoklad.

    POST   identity/server/connect/token  OAuth2 client credentials -> Bearer access token
    GET    v2.0/Contacts                  list: {"Data", "TotalItems", "TotalPages"}
    POST   v2.0/Contacts                  create                           200 ContactApiModel
    GET    v2.0/Contacts/Default          the template for a new contact   200 ContactApiModel
    GET    v2.0/Contacts/{id}             one contact                      200 ContactApiModel
    PUT    v2.0/Contacts/{id}             full update (ContactPutModelV2)  200 ContactApiModel
    PATCH  v2.0/Contacts/{id}             partial update                   200 ContactApiModel
    DELETE v2.0/Contacts/{id}             delete                           204, no body

Authentication: `Authorization: Bearer <access token>` from the token endpoint (see auth.py),
or `Bearer <API key>`. `{id}` is the contact's per-tenant `number`. The field mapping is the
table at the top of mapping.py; the code lists (CountryId, CurrencyId) are in codes.py.

Decisions where the vendor is silent (seed-apis.md marks these [?] or [I]):
- Responses are bare ContactApiModel objects (the help pages' shape): `Id` (the number),
  `AddressIdg` (the canonical id, a GUID), `CreditCheck` 0 (unused by iDoklad),
  `DateLastChange` (updated_at, ISO 8601 with offset) and every vendor field, null when empty.
  CountryId is a non-nullable int: 0 when the contact has no country. `IsSendReminder` and
  `IsRegisteredForVatOnPay` are false when unset. Create answers 200, as ASP.NET does for a
  returned model; delete answers 204.
- Errors are ASP.NET Web API bodies, `{"Message"}`; validation is 400 with `ModelState`
  ({vendor field: [messages]}), canonical errors reported under the vendor's names (errors.py).
  401 `Authorization has been denied for this request.` with `WWW-Authenticate: Bearer`; 404,
  405, 409, 413, 415, 503 and 500 (`An error has occurred.`) are `{"Message"}` too. Unknown
  paths and methods under the prefix answer 404/405 in this shape, after authentication; the
  vendor's paths are matched without regard to letter case, as ASP.NET does.
- Bodies: JSON only (the vendor's XML is not served). Member names match without regard to case
  and members the vendor's model lacks, read-only ones (Id, DateLastChange...) included, are
  ignored, as JSON.NET does, so a fetched record can be sent back as it is. The vendor's own
  rules are checked first (400): types, lengths, code-list ids, and the documented data types
  (Email: one "@" not at either end, as .NET's EmailAddressAttribute; Phone: digits, spaces,
  + ( ) . -, as its PhoneAttribute). Then the canonical rules (discount 0-100 with 2 decimals,
  payment terms 0-3650 days, the IBAN's length...). Identifiers run lenient, as on
  every dialect: an IČO or DIČ that fails its checksum is stored and flagged in `checks`.
- Required: POST needs CompanyName and CountryId (and DefaultBankAccount.CurrencyId when an
  account is sent); PUT needs CompanyName; PATCH may not blank CompanyName. CountryId 0 or null
  clears the country on PUT and PATCH.
- PATCH sets the fields sent ("" or null clear one); DefaultBankAccount merges member by member.
  PUT and PATCH are one read-modify-write (services.contacts.edit) on the contact found by Id.
  PUT resets every field of ContactPutModelV2 it leaves out, DefaultBankAccount included (which
  removes that account); DefaultInvoiceMaturity and IsRegisteredForVatOnPay, absent from the PUT
  model, are applied when sent and kept when not. Canonical fields the vendor does not map (tags,
  notes, other bank accounts...) survive every vendor write.
- DefaultBankAccount is the default canonical bank account (else the first); writing it changes
  only that account. Its `Id` is the contact's Id; `Bank` is null (iDoklad's bank list is not
  kept, BankId round-trips); `Currency` is `{"Id", "Code"}`.
- Round trip: text is stored in canonical form (E.164 phones, compact upper-case identifiers, ""
  as null, trimmed); what was written is kept in extensions.idoklad.AsWritten and returned while
  it still normalises to the stored value, so a dialect read returns what the dialect wrote and
  the native API sees the canonical form.
- List: page (1-based), pagesize (default 20, at most 200), filter/filtertype/sort as the
  vendor's SDK sends them (subset in listing.py), ordered by Id. Archived contacts (archived
  through the native API; the vendor has no archive) are left out of the list but can still be
  read, changed and deleted by Id.
- Default: every field empty except CountryId 2 (Czechia, iDoklad.cz's home country); Id 0.
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect, fallback_operations
from counterparty.dialects.idoklad import handlers
from counterparty.dialects.idoklad.auth import TOKEN_PATH, authenticate, token_endpoint
from counterparty.dialects.idoklad.errors import render_error
from counterparty.dialects.idoklad.listing import DEFAULT_PAGE_SIZE
from counterparty.services.listing import MAX_LIMIT
from counterparty.web.routing import Operation, Parameter, Surface

TAG = "idoklad"
CONTACT = "/v2.0/Contacts/{id}"
ID = Parameter("id", "path", {"type": "integer", "minimum": 1}, "The contact's Id")
WRITE_ERRORS = (400, 401, 404, 409, 413, 415)
LIST_PARAMETERS = (
    Parameter("page", "query", {"type": "integer", "minimum": 1, "default": 1}),
    Parameter(
        "pagesize",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_PAGE_SIZE},
    ),
    Parameter("filter", "query", {"type": "string"}, "Field~op~value, several joined by |"),
    Parameter("filtertype", "query", {"type": "string", "enum": ["and", "or"]}),
    Parameter("sort", "query", {"type": "string"}, "Field~asc or Field~desc"),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        TOKEN_PATH,
        token_endpoint,
        "idokladToken",
        "Exchange an API key (client_secret) for an access token",
        tag=TAG,
        body_media_types=("application/x-www-form-urlencoded",),
        errors=(400,),
    ),
    Operation(
        "GET",
        "/v2.0/Contacts",
        handlers.list_contacts,
        "idokladListContacts",
        "List contacts, a page at a time",
        tag=TAG,
        errors=(400, 401),
        parameters=LIST_PARAMETERS,
    ),
    Operation(
        "POST",
        "/v2.0/Contacts",
        handlers.create_contact,
        "idokladCreateContact",
        "Create a contact",
        tag=TAG,
        errors=(400, 401, 409, 413, 415),
    ),
    # Before CONTACT, which would otherwise take "Default" for an id.
    Operation(
        "GET",
        "/v2.0/Contacts/Default",
        handlers.default_contact,
        "idokladDefaultContact",
        "The template for a new contact",
        tag=TAG,
        errors=(401,),
    ),
    Operation(
        "GET",
        CONTACT,
        handlers.get_contact,
        "idokladGetContact",
        "Fetch a contact",
        tag=TAG,
        errors=(401, 404),
        parameters=(ID,),
    ),
    Operation(
        "PUT",
        CONTACT,
        handlers.replace_contact,
        "idokladReplaceContact",
        "Update a contact: the vendor fields left out are reset",
        tag=TAG,
        errors=WRITE_ERRORS,
        parameters=(ID,),
    ),
    Operation(
        "PATCH",
        CONTACT,
        handlers.update_contact,
        "idokladUpdateContact",
        "Update some fields of a contact",
        tag=TAG,
        errors=WRITE_ERRORS,
        parameters=(ID,),
    ),
    Operation(
        "DELETE",
        CONTACT,
        handlers.delete_contact,
        "idokladDeleteContact",
        "Delete a contact",
        tag=TAG,
        status=204,
        response_description="Deleted",
        errors=(401, 404, 409),
        parameters=(ID,),
    ),
    # Last: everything else under the prefix, so that it too answers in the vendor's shape.
    *fallback_operations(handlers.no_route, "idoklad", TAG),
)

DIALECT = Dialect(
    name="idoklad",
    title="iDoklad API v2",
    surface=Surface(authenticate=authenticate, render_error=render_error, operations=OPERATIONS),
)
