"""The Index's query parameters -> the service's `ContactQuery`, and mongoose-paginate-v2's
page around the result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counterparty import errors
from counterparty.dialects.base import search_terms, whole_number
from counterparty.dialects.muhasip.errors import summary
from counterparty.services.listing import MAX_LIMIT, MAX_QUERY_LENGTH, ContactQuery, SortField

DEFAULT_PAGE_SIZE = 25  # the old official client's defaults: page 1, pageSize 25, archived false
MAX_PAGE = 1_000_000
LIST_ORDER: SortField = "name"


def list_query(params: Mapping[str, str]) -> tuple[int, int, ContactQuery]:
    """page, pageSize, query, archived; other parameters are ignored, as Muhasip does."""
    problems: list[errors.FieldError] = []

    def whole(name: str, default: int, top: int) -> int:
        found = whole_number(params.get(name), default, top)
        if found is None:
            detail = f"a whole number from 1 to {top}"
            problems.append(errors.FieldError("out_of_range", detail, parameter=name))
        return found or default

    page = whole("page", 1, MAX_PAGE)
    size = whole("pageSize", DEFAULT_PAGE_SIZE, MAX_LIMIT)
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
