"""The contact page: every field by group, each identifier's check in words, the parent and
children, and the history of changes with links to each version."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from starlette.responses import Response

from counterparty.domain.contact import Check, Contact
from counterparty.domain.history import ContactEvent
from counterparty.domain.text import decimal_digits
from counterparty.errors import NotFound
from counterparty.ui import duplicates, i18n, words
from counterparty.ui.visits import Visit

HISTORY_PAGE = 20
SHOWN_VALUE_LENGTH = 200


def contact_id(visit: Visit) -> UUID:
    raw = visit.request.path_params["contact_id"]
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"no contact with id {raw}") from None


def check_words(visit: Visit, check: Check) -> str:
    """A check's result as a sentence: valid, invalid and why, or what VIES answered."""
    status = visit.gettext(words.CHECK_STATUSES.get(check.status, check.status))
    if check.status in ("invalid", "unverified") and check.reason in words.CHECK_REASONS:
        reason = visit.gettext(words.CHECK_REASONS[check.reason])
        return visit.gettext("%(status)s: %(reason)s", status=status, reason=reason)
    evidence = check.evidence or {}
    if evidence.get("checked_at"):
        when = i18n.moment(_parse_moment(evidence["checked_at"]), visit.language)
        status = visit.gettext("%(status)s (%(when)s)", status=status, when=when)
    if check.status == "verified" and evidence.get("name"):
        status += " · " + str(evidence["name"])
    return status


def _parse_moment(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text or "")
    except ValueError:
        return None


def shown_value(visit: Visit, value: Any) -> str:
    """An old or new value of a change, short enough for a history line."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return visit.gettext("Yes") if value else visit.gettext("No")
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        # Bank accounts and contact persons: their values without ids, one item after another.
        text = "; ".join(
            ", ".join(
                str(v)
                for k, v in item.items()
                if k != "id" and v not in (None, {}) and not isinstance(v, bool)
            )
            for item in value
        )
    elif isinstance(value, list):
        text = ", ".join(str(item) for item in value)
    else:
        text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= SHOWN_VALUE_LENGTH else text[: SHOWN_VALUE_LENGTH - 1] + "…"


def field_label(visit: Visit, path: str) -> str:
    """'address.city' -> 'City (Address)'; unknown paths are shown as they are."""
    if path in words.LABELS:
        return visit.gettext(words.LABELS[path])
    head, _, rest = path.partition(".")
    if head in words.LABELS and rest:
        return f"{visit.gettext(words.LABELS[head])}: {rest}"
    return path


def entry_point_words(visit: Visit, entry_point: str) -> str:
    kind, _, detail = entry_point.partition(":")
    label = visit.gettext(words.ENTRY_POINTS.get(kind, kind))
    if kind in ("dialect", "registry") and detail:
        return f"{label} ({detail})"
    return label


def history_lines(visit: Visit, events: list[ContactEvent]) -> list[dict[str, Any]]:
    """Each event with who made it (the API key's name or the user) in words."""
    keys: dict[UUID, str] = {}
    if any(event.api_key_id for event in events):
        slug = visit.actor.tenant.slug
        keys = {
            key.id: key.name or key.display_prefix for key in visit.services.tenancy.list_keys(slug)
        }
    user_ids = set()
    for event in events:
        if event.entry_point.startswith("ui:"):
            try:
                user_ids.add(UUID(event.entry_point[3:]))
            except ValueError:
                continue
    users = visit.ui.people.users.users_by_id(visit.actor.tenant_id, user_ids)
    lines = []
    for event in events:
        who = ""
        if event.api_key_id is not None:
            who = visit.gettext("API key %(name)s", name=keys.get(event.api_key_id, "?"))
        elif event.entry_point.startswith("ui:"):
            user = users.get(UUID(event.entry_point[3:])) if len(event.entry_point) == 35 else None
            who = user.email if user else visit.gettext("a former user")
        lines.append(
            {
                "event": event,
                "what": visit.gettext(words.EVENT_TYPES.get(event.type, event.type)),
                "who": who,
                "where": entry_point_words(visit, event.entry_point),
                "changes": [
                    (
                        field_label(visit, change.path),
                        shown_value(visit, change.old),
                        shown_value(visit, change.new),
                    )
                    for change in event.changes
                ],
            }
        )
    return lines


def _page_context(visit: Visit, contact: Contact) -> dict[str, Any]:
    checks = {check.field: check_words(visit, check) for check in contact.checks}
    statuses = {check.field: check.status for check in contact.checks}
    parent = None
    if contact.parent_id is not None:
        try:
            parent = visit.services.contacts.get(visit.actor, contact.parent_id)
        except NotFound:
            parent = None
    return {
        "contact": contact,
        "checks": checks,
        "statuses": statuses,
        "parent": parent,
        "shown": lambda value: shown_value(visit, value),
    }


async def show(visit: Visit) -> Response:
    target = contact_id(visit)
    contact = visit.services.contacts.get(visit.actor, target)
    cursor = visit.request.query_params.get("history") or None
    history = visit.services.history.history(visit.actor, target, cursor, HISTORY_PAGE)
    flash = visit.request.query_params.get("done", "")
    # Right after a create, or an edit that gave it another contact's identifiers; an
    # ordinary visit of the page does not look.
    after_write = flash == "created" or visit.request.query_params.get(duplicates.AFTER_WRITE)
    return visit.render(
        "contacts/show.html",
        **_page_context(visit, contact),
        children=visit.ui.people.hierarchy.children(visit.actor, target),
        history=history_lines(visit, history.events),
        older=history.next_cursor,
        as_version=None,
        flash=flash,
        lookalikes=duplicates.after_write(visit, contact.id) if after_write else [],
    )


async def version(visit: Visit) -> Response:
    target = contact_id(visit)
    raw = visit.request.path_params["version"]
    if not decimal_digits(raw) or len(raw) > 9:
        raise NotFound(f"no version {raw}")
    snapshot = visit.services.history.version(visit.actor, target, int(raw))
    contact = Contact.model_validate_json(snapshot)
    return visit.render(
        "contacts/show.html",
        **_page_context(visit, contact),
        children=[],
        history=[],
        older=None,
        as_version=int(raw),
        flash="",
        lookalikes=[],
    )
