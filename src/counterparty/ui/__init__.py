"""The web interface for people: server-rendered pages under /app/ over the same services as
the API. A sibling of `api` and `dialects`: it imports `web`, `services` and `domain` only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from counterparty.services.people_registry import PeopleServices
from counterparty.ui.assets import PREFIX, Assets
from counterparty.ui.routes import pages
from counterparty.ui.templating import environment
from counterparty.ui.visits import Ui


async def _to_app(_: Request) -> Response:
    return RedirectResponse("/app/", status_code=307)


def web_interface(people: PeopleServices, *, secure_cookies: bool = True) -> list[BaseRoute]:
    """The routes of the web interface, and `/` redirecting to it."""
    assets = Assets()
    ui = Ui(people, environment(), assets, secure_cookies)
    return [
        Route("/", _to_app, methods=["GET", "HEAD"]),
        Route(PREFIX + "/{digest}/{name}", assets.serve, methods=["GET", "HEAD"]),
        *pages(ui),
    ]
