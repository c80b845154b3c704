"""Signing in and out, one's own password, and the language switch."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counterparty.errors import Unauthenticated, ValidationFailed
from counterparty.ui.i18n import LANGUAGES
from counterparty.ui.visits import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Visit,
    safe_next,
)

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


async def sign_in_form(visit: Visit) -> Response:
    if visit.signed_in is not None:
        return visit.redirect(safe_next(visit.request.query_params.get("next")))
    return visit.render(
        "sign_in.html", email="", failed=False, next=visit.request.query_params.get("next", "")
    )


async def sign_in(visit: Visit) -> Response:
    email = visit.form.get("email", "")
    try:
        # Password hashing takes a few hundred milliseconds on purpose; argon2 releases the
        # GIL, so a thread keeps other requests moving meanwhile.
        signed_in = await run_in_threadpool(
            visit.ui.people.sign_in.sign_in, email, visit.form.get("password", "")
        )
    except Unauthenticated:
        return visit.render(
            "sign_in.html", 401, email=email, failed=True, next=visit.form.get("next", "")
        )
    visit.set_cookie(SESSION_COOKIE, signed_in.token, None)
    visit.set_cookie(SIGN_IN_COOKIE, "", 0)
    visit.new_sign_in_secret = None
    return visit.redirect(safe_next(visit.form.get("next")))


async def sign_out(visit: Visit) -> Response:
    if visit.signed_in is not None:
        visit.ui.people.sign_in.sign_out(visit.signed_in)
    visit.set_cookie(SESSION_COOKIE, "", 0)
    return visit.redirect("/app/sign-in")


async def password_form(visit: Visit) -> Response:
    return visit.render("password.html", problems={})


async def change_password(visit: Visit) -> Response:
    assert visit.signed_in is not None
    try:
        await run_in_threadpool(
            visit.ui.people.sign_in.change_password,
            visit.signed_in,
            visit.form.get("password", ""),
            visit.form.get("new_password", ""),
        )
    except ValidationFailed as failed:
        problems = {
            (error.pointer or "").lstrip("/"): {
                "wrong_password": visit.gettext("The current password is not right."),
                "weak_password": visit.gettext("Use at least 12 characters."),
                "unchanged": visit.gettext("Choose a password other than the current one."),
            }.get(error.code, error.detail)
            for error in failed.errors
        }
        return visit.render("password.html", 422, problems=problems)
    return visit.redirect("/app/?password_changed=1")


async def choose_language(visit: Visit) -> Response:
    chosen = visit.request.query_params.get("set", "")
    if chosen in LANGUAGES:
        visit.set_cookie(LANGUAGE_COOKIE, chosen, LANGUAGE_COOKIE_AGE)
    return visit.redirect(safe_next(visit.request.query_params.get("next")))
