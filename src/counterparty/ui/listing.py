"""The contacts list: search as one types, filters, order and keyset paging, all in the URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from counterparty.errors import InvalidCursor, ValidationFailed
from counterparty.services.contacts import ContactPage
from counterparty.ui import i18n, words
from counterparty.ui.visits import Visit
from counterparty.web.list_query import parse_list_parameters

# The list's own parameters are the native API's; `back` holds the cursors of the pages
# before this one, so that "Previous" works although keyset cursors only go forwards.
FILTERS = ("q", "is_customer", "is_supplier", "archived", "country_code", "tag", "check_status")
STATE = (*FILTERS, "sort", "limit")
PAGE_SIZE = 50
MAX_BACK = 30  # deeper than this, "Previous" restarts at the oldest page remembered
FIRST_PAGE = "-"


def _state(visit: Visit) -> dict[str, str]:
    params = visit.request.query_params
    return {name: value for name in STATE if (value := params.get(name, "").strip())}


def _link(state: dict[str, str], cursor: str | None, back: list[str]) -> str:
    pairs = list(state.items())
    if cursor:
        pairs.append(("cursor", cursor))
    pairs += [("back", entry) for entry in back[-MAX_BACK:]]
    return "/app/contacts" + (f"?{urlencode(pairs)}" if pairs else "")


def _row(contact: Any) -> dict[str, Any]:
    return {
        "contact": contact,
        "badge": words.worst_status([check.status for check in contact.checks]),
    }


async def contacts(visit: Visit) -> Response:
    state = _state(visit)
    params = visit.request.query_params
    cursor = params.get("cursor") or None
    back = params.getlist("back")
    problems: dict[str, str] = {}
    notice = None
    page = ContactPage([], None)
    try:
        query, _ = parse_list_parameters({"limit": str(PAGE_SIZE), **state})
        try:
            page = visit.services.contacts.list(visit.actor, query, cursor)
        except InvalidCursor:
            notice = visit.gettext("That page link no longer fits this list; here is its start.")
            cursor, back = None, []
            page = visit.services.contacts.list(visit.actor, query, None)
    except ValidationFailed as failed:
        problems = {error.parameter or "": _problem(visit, error.code) for error in failed.errors}
    previous = None
    if cursor:
        earlier = back[-1] if back else FIRST_PAGE
        previous = _link(state, None if earlier == FIRST_PAGE else earlier, back[:-1])
    following = None
    if page.next_cursor:
        following = _link(state, page.next_cursor, [*back, cursor or FIRST_PAGE])
    context: dict[str, Any] = {
        "state": state,
        "rows": [_row(contact) for contact in page.contacts],
        "previous": previous,
        "next": following,
        "problems": problems,
        "notice": notice,
        "countries": i18n.countries(visit.language),
        "first_page": cursor is None,
    }
    if visit.is_htmx:
        return visit.render("contacts/_results.html", **context)
    return visit.render("contacts/list.html", **context)


def _problem(visit: Visit, code: str) -> str:
    if code == "invalid_country":
        return visit.gettext("This is not a country we know.")
    if code == "too_long":
        return visit.gettext("This value is too long.")
    return visit.gettext("This value cannot be used here.")
