"""The composition root: storage, services and every HTTP surface in one ASGI app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from counterparty import errors
from counterparty.api.operations import NATIVE
from counterparty.api.problems import problem_response
from counterparty.api.system import system_routes
from counterparty.config import Settings, get_settings, split_list
from counterparty.db import Database
from counterparty.db.import_uploads import UploadStore
from counterparty.db.secret_box import data_directory
from counterparty.db.users import people_units
from counterparty.dialects.presets import PRESETS
from counterparty.dialects.registry import DIALECTS, dialect_routes, documents
from counterparty.registries.vies import ViesClient
from counterparty.services.import_worker import ImportWorker
from counterparty.services.people_registry import PeopleServices
from counterparty.services.rate_limits import Policy, RateLimits
from counterparty.services.registry import Services
from counterparty.ui import web_interface
from counterparty.web.middleware import RequestContextMiddleware
from counterparty.web.rate_limiting import RateGate
from counterparty.web.redaction import install_log_redaction
from counterparty.web.routing import routes
from counterparty.web.state import Limits
from counterparty.webhook_setup import deliverer_thread, load_secret_key, webhook_service


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer in problem details too."""
    assert isinstance(exc, HTTPException)
    error: errors.CounterpartyError
    if exc.status_code == 405:
        error = errors.MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
    else:
        error = errors.NotFound(f"nothing at {request.url.path}")
    render: Callable[[Exception, Request], Response] = problem_response
    for dialect in DIALECTS:  # a vendor's client gets the vendor's error shape
        if request.url.path.startswith(dialect.prefix + "/"):
            render = dialect.surface.render_error
    response = render(error, request)
    response.headers.update(exc.headers or {})
    return response


def create_app(
    settings: Settings, database: Database | None = None, *, deliver_webhooks: bool = False
) -> Starlette:
    """The app; with `deliver_webhooks`, it also delivers webhooks in a thread of its own
    while it runs (as `counterparty serve` does)."""
    install_log_redaction()
    owned = database is None
    database = database or Database(settings.database_url, settings.db_pool_size)

    registry = (
        ViesClient(settings.vies_url, settings.vies_timeout_seconds) if settings.vies_url else None
    )
    services = Services.over(
        database.unit_of_work,
        timedelta(hours=settings.idempotency_retention_hours),
        registry,
        history_retention=settings.history_retention(),
        unmerge_window=timedelta(days=settings.unmerge_days),
    )
    import_worker = ImportWorker(
        services.imports, UploadStore(import_directory(settings)), PRESETS, settings.import_workers
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        webhook_deliverer = deliverer_thread(settings, database) if deliver_webhooks else None
        if webhook_deliverer:
            webhook_deliverer.start()
        import_worker.start()
        yield
        import_worker.stop()
        if webhook_deliverer:
            webhook_deliverer.stop()
        services.close()
        if owned:
            database.dispose()

    app = Starlette(
        routes=[
            *system_routes(documents()),
            *routes(NATIVE),
            *dialect_routes(),
            *web_interface(
                PeopleServices.over(people_units(database.lender)),
                secure_cookies=not settings.insecure_cookies,
            ),
        ],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.webhooks = webhook_service(settings, database)
    app.state.import_presets = PRESETS
    app.state.import_worker = import_worker
    app.state.limits = Limits(
        max_body_bytes=settings.max_body_bytes,
        require_if_match=settings.require_if_match,
        max_batch_body_bytes=settings.max_batch_body_bytes,
        max_import_bytes=settings.max_import_bytes,
        public_url=settings.public_url,
    )
    app.state.rate_gate = RateGate(rate_limits(settings))
    app.add_middleware(
        RequestContextMiddleware,
        log_requests=settings.access_log,
        allowed_hosts=frozenset(host.lower() for host in split_list(settings.allowed_hosts)),
    )
    return app


def import_directory(settings: Settings) -> Path:
    """COUNTERPARTY_IMPORT_DIR, else `imports` in the data directory."""
    if settings.import_dir:
        return Path(settings.import_dir)
    return data_directory(settings.database_url, settings.data_dir) / "imports"


def rate_limits(settings: Settings) -> RateLimits:
    return RateLimits(
        Policy.parsed("per-key", settings.rate_limit_per_key),
        Policy.parsed("failed-auth", settings.rate_limit_failed_auth_per_address),
        settings.rate_limit_url,
    )


def app_from_environment() -> Starlette:
    """Entry point for ASGI servers (`uvicorn --factory counterparty.app:app_from_environment`)."""
    settings = get_settings()
    load_secret_key(settings)  # made on the first start, checked on every one
    return create_app(settings, deliver_webhooks=settings.webhook_deliverer)
