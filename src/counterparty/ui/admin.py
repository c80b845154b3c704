"""Administration for a tenant's admins: its people and its API keys."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from counterparty.errors import DuplicateValue, NotFound, ValidationFailed
from counterparty.ui.visits import Visit

PAGE = "admin/people.html"


def _overview(visit: Visit, status: int = 200, **context: Any) -> Response:
    slug = visit.actor.tenant.slug
    context.setdefault("problem", None)
    context.setdefault("issued", None)
    return visit.render(
        PAGE,
        status,
        users=visit.ui.people.users.list_users(slug),
        keys=visit.services.tenancy.list_keys(slug),
        **context,
    )


async def people(visit: Visit) -> Response:
    return _overview(visit)


async def add_user(visit: Visit) -> Response:
    email = visit.form.get("email", "")
    try:
        issued = visit.ui.people.users.create_user(
            visit.actor.tenant.slug, email, visit.form.get("role", "")
        )
    except (ValidationFailed, DuplicateValue):
        problem = visit.gettext("Use an email address that no other person has.")
        return _overview(visit, 422, problem=problem, email=email)
    return _overview(visit, issued=(issued.user.email, issued.one_time_password))


async def change_user(visit: Visit) -> Response:
    """Disable, enable or give a new one-time password to a person of this tenant."""
    email, action = visit.form.get("email", ""), visit.form.get("action", "")
    users = visit.ui.people.users
    tenant_id = visit.actor.tenant_id
    if email == visit.user.email:
        return _overview(visit, 409, problem=visit.gettext("You cannot change your own access."))
    if action in ("disable", "enable"):
        users.set_disabled(email, action == "disable", tenant_id=tenant_id)
        return visit.redirect("/app/admin")
    if action == "reset":
        issued = users.reset_password(email, tenant_id=tenant_id)
        return _overview(visit, issued=(issued.user.email, issued.one_time_password))
    raise NotFound(f"no action {action}")


async def add_key(visit: Visit) -> Response:
    name = visit.form.get("name", "").strip()[:100] or None
    issued = visit.services.tenancy.create_key(visit.actor.tenant.slug, name)
    return _overview(visit, issued=(issued.key.name or issued.key.display_prefix, issued.secret))


async def revoke_key(visit: Visit) -> Response:
    prefix = visit.form.get("prefix", "")
    keys = visit.services.tenancy.list_keys(visit.actor.tenant.slug)
    if not any(key.display_prefix == prefix and key.revoked_at is None for key in keys):
        raise NotFound(f"this tenant has no active key {prefix}")
    visit.services.tenancy.revoke_key(prefix)
    return visit.redirect("/app/admin")
