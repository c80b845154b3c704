"""GET api/customers: Laravel's paginator over `page`, `per_page`, `search` and `type`."""

from __future__ import annotations

from collections.abc import Mapping

from counterparty.dialects import laravel
from counterparty.dialects.base import search_terms
from counterparty.domain.text import decimal_digits
from counterparty.services.listing import ContactQuery

DEFAULT_PER_PAGE = 15  # Laravel's Model::$perPage
MAX_PER_PAGE = 100
MAX_PAGE = 10**9
MAX_SEARCH_LENGTH = 200


def list_query(params: Mapping[str, str]) -> tuple[int, ContactQuery]:
    """The page number and the query; ordered by id, archived contacts left out."""
    raw_page = params.get("page", "1")
    # Laravel's paginator reads an unusable page as page 1.
    page = min(int(raw_page), MAX_PAGE) if decimal_digits(raw_page) and int(raw_page) >= 1 else 1
    raw_per_page = params.get("per_page", str(DEFAULT_PER_PAGE))
    search = params.get("search", "").strip()
    kind = params.get("type") or None
    messages: laravel.Messages = {}
    if not (decimal_digits(raw_per_page) and 1 <= int(raw_per_page) <= MAX_PER_PAGE):
        messages["per_page"] = [f"The per page field must be between 1 and {MAX_PER_PAGE}."]
    if len(search) > MAX_SEARCH_LENGTH:
        messages["search"] = [
            f"The search field must not be greater than {MAX_SEARCH_LENGTH} characters."
        ]
    if kind is not None and kind not in ("person", "company"):
        messages["type"] = ["The selected type is invalid."]
    if messages:
        raise laravel.invalid(messages)
    per_page = int(raw_per_page)
    return page, ContactQuery(
        terms=search_terms(search),
        kind=kind,
        sort="number",
        limit=per_page,
        offset=(page - 1) * per_page,
    )
