"""One request to the web interface: who signs it (session cookie), its language, its CSRF
token and form, and how pages answer (templates, redirects, security headers, errors)."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from counterparty import errors
from counterparty.domain.users import User
from counterparty.services.context import Actor
from counterparty.services.people_registry import PeopleServices
from counterparty.services.registry import Services
from counterparty.services.sign_in import SignedIn
from counterparty.ui import i18n, words
from counterparty.ui.assets import Assets
from counterparty.web.http import media_type, read_body
from counterparty.web.state import limits, request_id, services
from counterparty.web.statuses import status_for
from counterparty.web.waiting import when_free

log = logging.getLogger("counterparty")

SESSION_COOKIE = "cp_session"
SIGN_IN_COOKIE = "cp_signin"  # before signing in: the key of the sign-in form's CSRF token
LANGUAGE_COOKIE = "cp_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
FORM = "application/x-www-form-urlencoded"
PASSWORD_PAGE = "/app/account/password"
SIGN_IN_PAGE = "/app/sign-in"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Language, HX-Request",
}


@dataclass(frozen=True)
class Ui:
    """What every page needs, built once when the app starts."""

    people: PeopleServices
    templates: Environment
    assets: Assets
    secure_cookies: bool


def csrf_token(secret: str) -> str:
    """The CSRF token for a cookie's secret: readable only by pages of this site, since
    the cookie itself is HttpOnly and another site cannot read the page."""
    return hmac.new(secret.encode("ascii"), b"counterparty csrf", "sha256").hexdigest()[:32]


@dataclass
class Visit:
    request: Request
    ui: Ui
    language: str
    signed_in: SignedIn | None
    csrf: str
    form: QueryParams = field(default_factory=QueryParams)
    new_sign_in_secret: str | None = None
    cookies: list[tuple[str, str, int | None]] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return services(self.request)

    @property
    def user(self) -> User:
        assert self.signed_in is not None, "a signed-in page"
        return self.signed_in.user

    @property
    def actor(self) -> Actor:
        """Who acts, for the services and the history: the tenant, and the user in the entry
        point (`ui:<user id>`), since a change records no user of its own."""
        assert self.signed_in is not None, "a signed-in page"
        return Actor(
            self.signed_in.tenant,
            None,
            f"ui:{self.signed_in.user.id.hex}",
            request_id(self.request),
        )

    def gettext(self, message: str, **values: Any) -> str:
        translated = i18n.translations(self.language).gettext(message)
        return translated % values if values else translated

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        translated = i18n.translations(self.language).ngettext(singular, plural, count)
        return translated % {"num": count, **values}

    @property
    def is_htmx(self) -> bool:
        headers = self.request.headers
        return "hx-request" in headers and "hx-history-restore-request" not in headers

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        body = self.ui.templates.get_template(template).render(
            visit=self,
            translations=i18n.translations(self.language),
            language=self.language,
            languages=i18n.LANGUAGES,
            static=self.ui.assets.url,
            words=words,
            **context,
        )
        return HTMLResponse(body, status_code=status)

    def redirect(self, url: str) -> Response:
        if self.is_htmx:  # htmx follows a redirect inside the target: make it a page load
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    def set_cookie(self, name: str, value: str, max_age: int | None) -> None:
        self.cookies.append((name, value, max_age))

    def error_page(self, status: int, title: str, message: str) -> Response:
        return self.render("error.html", status, title=title, message=message)


Handler = Callable[[Visit], Awaitable[Response]]


def _finish(visit: Visit, response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if visit.new_sign_in_secret:
        visit.set_cookie(SIGN_IN_COOKIE, visit.new_sign_in_secret, None)
    for name, value, max_age in visit.cookies:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/app",
            secure=visit.ui.secure_cookies,
            httponly=name != LANGUAGE_COOKIE,
            samesite="lax",
        )
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in or switching language: a page of ours, never elsewhere."""
    if target and target.startswith("/app/") and "\\" not in target and "//" not in target:
        return target
    return "/app/"


def endpoint(
    ui: Ui, handler: Handler, *, public: bool = False, write: bool = False, admin: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint around a page handler: the session, roles, CSRF and errors."""

    async def run(request: Request) -> Response:
        try:
            return await when_free(lambda: one_visit(request, final=False))
        except errors.WouldWait:
            return await one_visit(request, final=True)  # a busy database: shown as such

    async def one_visit(request: Request, *, final: bool) -> Response:
        language = i18n.negotiate(
            request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE)
        )
        visit = Visit(request, ui, language, None, "")
        try:
            signed_in = visit.signed_in = ui.people.sign_in.session(
                request.cookies.get(SESSION_COOKIE)
            )
            if signed_in is not None:
                visit.csrf = csrf_token(signed_in.token)
            else:
                secret = request.cookies.get(SIGN_IN_COOKIE, "")
                if not 20 <= len(secret) <= 64 or not secret.isascii():
                    secret = visit.new_sign_in_secret = secrets.token_urlsafe(24)
                visit.csrf = csrf_token(secret)
            response = await _guarded(visit, handler, public=public, write=write, admin=admin)
        except errors.WouldWait:
            if not final:
                raise  # the whole visit runs again once the lock is free
            response = _error_response(visit, errors.TransientFailure("the database is busy"))
        except errors.CounterpartyError as error:
            response = _error_response(visit, error)
        except Exception:
            log.exception("unhandled error in %s %s", request.method, request.url.path)
            response = visit.error_page(
                500,
                visit.gettext("Something went wrong"),
                visit.gettext("The page could not be shown. Please try again."),
            )
        return _finish(visit, response)

    return run


async def _guarded(
    visit: Visit, handler: Handler, *, public: bool, write: bool, admin: bool
) -> Response:
    request = visit.request
    if not public and visit.signed_in is None:
        return visit.redirect(f"{SIGN_IN_PAGE}?next={quote(_here(request))}")
    if request.method == "POST":
        if media_type(request) != FORM:
            raise errors.UnsupportedMediaType("send a form", accepted=[FORM])
        body = await read_body(request, limits(request).max_body_bytes)
        visit.form = QueryParams(body.decode("utf-8", errors="replace"))
        sent = visit.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), visit.csrf.encode()):
            return visit.error_page(
                403,
                visit.gettext("This form has expired"),
                visit.gettext("Go back, reload the page and send the form again."),
            )
    if visit.signed_in is not None:
        user = visit.signed_in.user
        if user.must_change_password and request.url.path not in (PASSWORD_PAGE, "/app/sign-out"):
            return visit.redirect(PASSWORD_PAGE)
        if (write and not user.can_write) or (admin and not user.is_admin):
            return visit.error_page(
                403,
                visit.gettext("Not allowed"),
                visit.gettext("Your role does not allow this. Ask an administrator."),
            )
    return await handler(visit)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query and request.method == "GET" else "")


def _error_response(visit: Visit, error: errors.CounterpartyError) -> Response:
    status = status_for(error)
    if isinstance(error, errors.NotFound):
        return visit.error_page(
            404,
            visit.gettext("Not found"),
            visit.gettext("There is nothing here. It may have been deleted."),
        )
    if isinstance(error, errors.TransientFailure):
        message = visit.gettext("The service is busy. Please try again in a moment.")
    else:
        message = error.detail
    return visit.error_page(status, visit.gettext("The request could not be completed"), message)
