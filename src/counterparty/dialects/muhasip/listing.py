"""The Index's query parameters (as published, and read into the service's `ContactQuery`),
and mongoose-paginate-v2's page around the result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counterparty import errors
from counterparty.dialects.base import search_terms, whole_number
from counterparty.dialects.muhasip.errors import summary
from counterparty.dialects.openapi import SPACE
from counterparty.domain.text import WITHOUT_CONTROLS
from counterparty.services.listing import MAX_LIMIT, MAX_QUERY_LENGTH, ContactQuery, SortField
from counterparty.web.routing import Parameter

DEFAULT_PAGE_SIZE = 25  # the old official client's defaults: page 1, pageSize 25, archived false
MAX_PAGE = 1_000_000
PAGING = {"page": (1, MAX_PAGE), "pageSize": (DEFAULT_PAGE_SIZE, MAX_LIMIT)}  # (default, top)
LIST_ORDER: SortField = "name"


def _whole(default: int, top: int) -> dict[str, Any]:
    """A whole-number parameter; sent empty, it takes its default, as Muhasip does."""
    return {"anyOf": [{"type": "integer", "minimum": 1, "maximum": top}, {"const": ""}],
            "default": default}  # fmt: skip


PARAMETERS = (
    *(Parameter(name, "query", _whole(*limits)) for name, limits in PAGING.items()),
    Parameter("query", "query",
              {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": WITHOUT_CONTROLS},
              "Free text search"),
    Parameter("archived", "query",
              {"type": "string", "default": "false",
               "pattern": rf"^{SPACE}*([Ff][Aa][Ll][Ss][Ee]|[Tt][Rr][Uu][Ee])?{SPACE}*$"},
              "true or false, in any case; empty: false"),
)  # fmt: skip


def list_query(params: Mapping[str, str]) -> tuple[int, int, ContactQuery]:
    """page, pageSize, query, archived; other parameters are ignored, as Muhasip does."""
    problems: list[errors.FieldError] = []

    def whole(name: str) -> int:
        default, top = PAGING[name]
        found = whole_number(params.get(name), default, top)
        if found is None:
            detail = f"a whole number from 1 to {top}"
            problems.append(errors.FieldError("out_of_range", detail, parameter=name))
        return found or default

    page, size = whole("page"), whole("pageSize")
    archived = params.get("archived", "").strip().lower() or "false"
    if archived not in ("true", "false"):
        problems.append(errors.FieldError("invalid_choice", "true or false", parameter="archived"))
    text = params.get("query", "")
    if len(text) > MAX_QUERY_LENGTH:
        detail = f"at most {MAX_QUERY_LENGTH} characters"
        problems.append(errors.FieldError("too_long", detail, parameter="query"))
    if problems:
        raise errors.ValidationFailed(summary(problems), errors=problems)
    query = ContactQuery(
        terms=search_terms(text),
        archived=archived == "true",
        sort=LIST_ORDER,
        limit=size,
        offset=(page - 1) * size,
    )
    return page, size, query


def paginate(docs: list[dict[str, Any]], total: int, page: int, limit: int) -> dict[str, Any]:
    """mongoose-paginate-v2's result shape (totalPages is 1 for an empty list, as there)."""
    pages = max(1, -(-total // limit))
    return {
        "docs": docs,
        "totalDocs": total,
        "limit": limit,
        "page": page,
        "totalPages": pages,
        "pagingCounter": (page - 1) * limit + 1,
        "hasPrevPage": page > 1,
        "hasNextPage": page < pages,
        "prevPage": page - 1 if page > 1 else None,
        "nextPage": page + 1 if page < pages else None,
    }


PAGE_MEMBERS = {  # the schema of `paginate`'s members
    "docs": {"type": "array"}, "totalDocs": {"type": "integer", "minimum": 0},
    "limit": {"type": "integer"}, "page": {"type": "integer"}, "totalPages": {"type": "integer"},
    "pagingCounter": {"type": "integer"}, "hasPrevPage": {"type": "boolean"},
    "hasNextPage": {"type": "boolean"}, "prevPage": {"type": ["integer", "null"]},
    "nextPage": {"type": ["integer", "null"]},
}  # fmt: skip
