"""Fatura Entegratör (Turkish e-invoicing): its customers API under /compat/faturaentegrator.

    GET    /api/customers        list (Laravel paginator; page, per_page, search, type)
    POST   /api/customers        create                              201 {"data": {...}}
    GET    /api/customers/{id}   one customer                        200 {"data": {...}}
    PATCH  /api/customers/{id}   partial update (documented)         200 {"data": {...}}
    PUT    /api/customers/{id}   whole-record update                 200 {"data": {...}}
    DELETE /api/customers/{id}   delete                              204, no body

Authentication: `Authorization: Bearer <API key>`. `{id}` is the contact's per-tenant `number`.
The field mapping is the table at the top of `fields.py`.

Decisions where the vendor is silent (seed-apis.md marks these [?] or [I]):
- Responses are Laravel API resources: `{"data": customer}` with `id` (the number), every vendor
  field (null when empty), `created_at` and `updated_at` as Carbon JSON ("...T09:30:00.000000Z").
- List: Laravel's LengthAwarePaginator, `{"data", "links": {first, last, prev, next}, "meta":
  {current_page, from, last_page, path, per_page, to, total}}` (no `meta.links` page-button list).
  `page` (an unusable value reads as 1, as in Laravel), `per_page` (default 15, 1-100, else 422),
  `search` (free text, every word must match: names, tax number, e-mail, district...), `type`
  (person|company). Ordered by id; archived contacts (archived elsewhere; the vendor has no
  archive) are left out of the list but can still be read, changed and deleted by id. Page
  links keep the other query parameters.
- Errors: 422 `{"message", "errors": {field: [..]}}` with Laravel's wording and its "(and N more
  errors)" summary; 401 `{"message": "Unauthenticated."}`; 404 `{"message": "No query results for
  model [App\\Models\\Customer] 7"}`; 400 bad JSON, 405, 409, 413, 415, 503 and 500 ("Server
  Error") are `{"message": "..."}` too. Unknown paths and methods under the prefix answer 404/405
  in this shape (after authentication, unlike Laravel, which routes first).
- Values: "" and null both mean "no value" and strings are trimmed (Laravel's default middleware).
  Non-strings are 422, and so is a body that is not a JSON object. Members the vendor does not
  document are ignored (Laravel's `validated()`), `id` and the timestamps included.
- PATCH: types and formats are checked on the values sent; the create rules (seed-apis.md) are
  checked on the merged record, so "" on a field its `type` requires is a 422 (e.g. the
  documented sample's `"tax_number": ""`), and changing `type` needs that type's fields.
- PUT (Laravel's apiResource routes it to the same update action; the vendor documents only PATCH):
  the body is validated like a create and replaces the vendor's view only: vendor fields left out
  are cleared, canonical fields the vendor does not map (tags, notes, other bank accounts...) stay.
- Limits (undocumented): those of the canonical field behind each vendor field; `tax_number` is
  10 or 11 digits (VKN/TCKN), `email` must be an address, `country` a name (or ISO code) that
  counterparty recognises.
- `title`: a company's title is its canonical `name`; a person's canonical `name` is
  "name surname" and a title sent for a person is kept in extensions.faturaentegrator.title.
- `country`: stored as `address.country_code`; the spelling written ("TÜRKİYE") is kept in
  extensions.faturaentegrator.country and returned while it still names the stored code, else
  the code's Turkish name in Turkish upper case ("ALMANYA").
- `phone`: stored in E.164; Turkish numbers of a TR address read back as the vendor writes them,
  10 digits without +90 ("5321234567"); `email` and `iban` read back in normalised form.
- `iban`: the IBAN of the default bank account (else the first); writing one sets that account's
  IBAN or adds a default account; clearing it drops that account unless it has an account number.
- New customers are `is_customer` (every Fatura Entegratör customer is an invoice buyer).
"""

from __future__ import annotations

from counterparty.dialects.base import Dialect, fallback_operations
from counterparty.dialects.faturaentegrator import handlers
from counterparty.dialects.faturaentegrator.responses import render_error
from counterparty.web.routing import Operation, Parameter, Surface

TAG = "faturaentegrator"
CUSTOMER = "/api/customers/{number}"
ID = Parameter("number", "path", {"type": "integer", "minimum": 1}, "The customer's id")
WRITE_ERRORS = (400, 401, 404, 409, 413, 415, 422)

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/api/customers",
        handlers.list_customers,
        "faturaentegratorListCustomers",
        "List customers, a page at a time",
        tag=TAG,
        errors=(401, 422),
        parameters=(
            Parameter("page", "query", {"type": "integer", "minimum": 1, "default": 1}),
            Parameter(
                "per_page",
                "query",
                {"type": "integer", "minimum": 1, "maximum": handlers.MAX_PER_PAGE, "default": 15},
            ),
            Parameter("search", "query", {"type": "string", "maxLength": 200}),
            Parameter("type", "query", {"type": "string", "enum": ["person", "company"]}),
        ),
    ),
    Operation(
        "POST",
        "/api/customers",
        handlers.create_customer,
        "faturaentegratorCreateCustomer",
        "Create a customer",
        tag=TAG,
        status=201,
        errors=(400, 401, 409, 413, 415, 422),
    ),
    Operation(
        "GET",
        CUSTOMER,
        handlers.show_customer,
        "faturaentegratorGetCustomer",
        "Fetch a customer",
        tag=TAG,
        errors=(401, 404),
        parameters=(ID,),
    ),
    Operation(
        "PATCH",
        CUSTOMER,
        handlers.update_customer,
        "faturaentegratorUpdateCustomer",
        "Change some fields of a customer",
        tag=TAG,
        errors=WRITE_ERRORS,
        parameters=(ID,),
    ),
    Operation(
        "PUT",
        CUSTOMER,
        handlers.replace_customer,
        "faturaentegratorReplaceCustomer",
        "Replace a customer's vendor fields",
        tag=TAG,
        errors=WRITE_ERRORS,
        parameters=(ID,),
    ),
    Operation(
        "DELETE",
        CUSTOMER,
        handlers.delete_customer,
        "faturaentegratorDeleteCustomer",
        "Delete a customer",
        tag=TAG,
        status=204,
        response_description="Deleted",
        errors=(401, 404, 409),
        parameters=(ID,),
    ),
    # Last: everything else under the prefix, so that it too answers in the vendor's shape.
    *fallback_operations(handlers.no_route, "faturaentegrator", TAG),
)

DIALECT = Dialect(
    name="faturaentegrator",
    title="Fatura Entegratör",
    surface=Surface(
        authenticate=handlers.authenticate, render_error=render_error, operations=OPERATIONS
    ),
)
