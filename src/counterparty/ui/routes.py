"""Every page of the web interface and what it requires: a session, a role, a CSRF token."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from counterparty.ui import account, admin, contact_page, editing, listing
from counterparty.ui.visits import Handler, Ui, Visit, endpoint

CONTACT = "/app/contacts/{contact_id}"


async def _home(visit: Visit) -> Response:
    return await listing.contacts(visit)


async def _not_found(visit: Visit) -> Response:
    return visit.error_page(
        404,
        visit.gettext("Not found"),
        visit.gettext("There is nothing here. It may have been deleted."),
    )


def pages(ui: Ui) -> list[Route]:
    def get(path: str, handler: Handler, **flags: bool) -> Route:
        return Route(path, endpoint(ui, handler, **flags), methods=["GET", "HEAD"])

    def post(path: str, handler: Handler, **flags: bool) -> Route:
        return Route(path, endpoint(ui, handler, **flags), methods=["POST"])

    return [
        get("/app/sign-in", account.sign_in_form, public=True),
        post("/app/sign-in", account.sign_in, public=True),
        post("/app/sign-out", account.sign_out, public=True),
        get("/app/language", account.choose_language, public=True),
        get("/app/account/password", account.password_form),
        post("/app/account/password", account.change_password),
        get("/app/", _home),
        get("/app/contacts", listing.contacts),
        get("/app/contacts/new", editing.new_form, write=True),
        post("/app/contacts/new", editing.create, write=True),
        get(CONTACT, contact_page.show),
        get(CONTACT + "/versions/{version}", contact_page.version),
        get(CONTACT + "/edit", editing.edit_form, write=True),
        post(CONTACT + "/edit", editing.save, write=True),
        post(CONTACT + "/archive", editing.archive, write=True),
        post(CONTACT + "/unarchive", editing.unarchive, write=True),
        get(CONTACT + "/delete", editing.confirm_delete, write=True),
        post(CONTACT + "/delete", editing.delete, write=True),
        get("/app/admin", admin.people, admin=True),
        post("/app/admin/people", admin.add_user, admin=True),
        post("/app/admin/people/change", admin.change_user, admin=True),
        post("/app/admin/keys", admin.add_key, admin=True),
        post("/app/admin/keys/revoke", admin.revoke_key, admin=True),
        Route("/app", _redirect_slash, methods=["GET", "HEAD"]),
        Route("/app/{rest:path}", endpoint(ui, _not_found), methods=["GET", "HEAD", "POST"]),
    ]


async def _redirect_slash(_: Request) -> Response:
    return Response(status_code=307, headers={"Location": "/app/"})
