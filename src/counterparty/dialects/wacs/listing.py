"""GetContacts: `page`, `pageSize`, `search`, `externalId`, `includeArchived` (matched without
regard to case, as ASP.NET binds them); a JSON array ordered by ID, totals in headers."""

from __future__ import annotations

from starlette.requests import Request

from counterparty.dialects.aspnet import invalid
from counterparty.dialects.aspnet_routing import query_value
from counterparty.dialects.base import search_terms, whole_number
from counterparty.services.listing import MAX_QUERY_LENGTH, ContactQuery

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
INT32_MAX = 2**31 - 1


def _int_parameter(request: Request, name: str, default: int, maximum: int) -> int:
    raw = query_value(request, name)
    found = whole_number(raw, default, maximum)
    if found is None:
        raise invalid(name, f"The value '{raw}' is not valid for {name}; send 1 to {maximum}.")
    return found


def list_query(request: Request) -> ContactQuery:
    page = _int_parameter(request, "page", 1, INT32_MAX)
    size = _int_parameter(request, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    search = (query_value(request, "search") or "").strip()
    if len(search) > MAX_QUERY_LENGTH:
        raise invalid("search", f"The search may be at most {MAX_QUERY_LENGTH} characters.")
    archived = (query_value(request, "includeArchived") or "false").strip().lower()
    if archived not in ("true", "false"):
        raise invalid("includeArchived", "The value is not valid for includeArchived.")
    return ContactQuery(
        terms=search_terms(search),
        archived=None if archived == "true" else False,
        external_ref=(query_value(request, "externalId") or "").strip() or None,
        sort="number",
        limit=size,
        offset=(page - 1) * size,
    )
