"""`counterparty webhooks …` and `counterparty worker`: endpoints from the command line, a
development receiver that prints verified events, and the deliverer run on its own."""

from __future__ import annotations

import json
import logging
import signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any
from uuid import UUID

import click

from counterparty.cli.reporting import database as _database
from counterparty.cli.reporting import reports_errors
from counterparty.cli.reporting import services as _services
from counterparty.config import get_settings
from counterparty.db.secret_box import new_key
from counterparty.domain.webhooks import EVENT_TYPES, verify_signature
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.deliverer import DelivererThread
from counterparty.services.webhooks import WebhookService
from counterparty.webhook_setup import (
    deliverer,
    delivery_policy,
    load_secret_key,
    webhook_service,
)

log = logging.getLogger("counterparty.webhooks")


def _service() -> tuple[WebhookService, Any]:
    settings = get_settings()
    database = _database(settings)
    load_secret_key(settings)
    return webhook_service(settings, database), database


def _actor(slug: str) -> Actor:
    return Actor(_services().tenancy.get_tenant(slug), None, "cli")


def _endpoint_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"no webhook endpoint with id {raw}") from None


@click.group()
def webhooks() -> None:
    """Webhook endpoints of a tenant, their deliveries, and a receiver for development."""


tenant_option = click.option("--tenant", "slug", required=True, help="The tenant's slug")


@webhooks.command("list")
@tenant_option
@reports_errors
def webhooks_list(slug: str) -> None:
    """List the tenant's endpoints."""
    service, _ = _service()
    click.echo("id\tenabled\tevents\turl")
    for endpoint in service.list(_actor(slug)):
        shown = "yes" if endpoint.enabled else f"no ({endpoint.disabled_reason or 'by request'})"
        click.echo(f"{endpoint.id}\t{shown}\t{','.join(endpoint.events)}\t{endpoint.url}")


@webhooks.command("create")
@tenant_option
@click.argument("url")
@click.option(
    "--events",
    default="*",
    show_default=True,
    help=f"Comma-separated: {', '.join(EVENT_TYPES)}, or * for all",
)
@click.option("--description")
@reports_errors
def webhooks_create(slug: str, url: str, events: str, description: str | None) -> None:
    """Add an endpoint; prints its id on stderr and its signing secret alone on stdout, once."""
    service, _ = _service()
    wanted = [name.strip() for name in events.split(",") if name.strip()]
    document = {"url": url, "events": wanted, "description": description}
    created = service.create(_actor(slug), document)
    click.echo(f"created endpoint {created.id}", err=True)
    click.echo(created.secret)


@webhooks.command("delete")
@tenant_option
@click.argument("endpoint_id")
@reports_errors
def webhooks_delete(slug: str, endpoint_id: str) -> None:
    """Delete an endpoint and its delivery log."""
    service, _ = _service()
    service.delete(_actor(slug), _endpoint_id(endpoint_id))
    click.echo(f"deleted endpoint {endpoint_id}")


@webhooks.command("deliveries")
@tenant_option
@click.argument("endpoint_id")
@click.option("--state", type=click.Choice(["pending", "delivered", "failed"]))
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@reports_errors
def webhooks_deliveries(slug: str, endpoint_id: str, state: str | None, limit: int) -> None:
    """An endpoint's latest deliveries, newest first."""
    service, _ = _service()
    page = service.deliveries(_actor(slug), _endpoint_id(endpoint_id), None, limit, state)  # type: ignore[arg-type]
    click.echo("id\tevent id\ttype\tstate\tattempts\tlast status\tlast error")
    for d in page.deliveries:
        status = "-" if d.last_status is None else str(d.last_status)
        click.echo(
            f"{d.id}\t{d.message_id}\t{d.event_type}\t{d.state}\t{d.attempts}\t{status}\t"
            f"{d.last_error or '-'}"
        )


@webhooks.command("secret-key")
def webhooks_secret_key() -> None:
    """Print a new key for COUNTERPARTY_SECRET_KEY (without storing it)."""
    click.echo(new_key())


@webhooks.command("listen")
@click.option("--port", type=int, default=8900, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--secret",
    envvar="COUNTERPARTY_WEBHOOK_SECRET",
    required=True,
    help="The endpoint's signing secret (whsec_…) [COUNTERPARTY_WEBHOOK_SECRET]",
)
def webhooks_listen(port: int, host: str, secret: str) -> None:
    """Receive webhooks (for development): print each verified event, refuse the others."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = dict(self.headers.items())
            if not verify_signature(secret, headers, body):
                click.echo(f"refused a request with a bad signature ({self.path})", err=True)
                self.send_response(400)
                self.end_headers()
                return
            event = json.loads(body)
            click.echo(f"{headers.get('webhook-id')} {event.get('type')}")
            click.echo(json.dumps(event, indent=2, ensure_ascii=False), nl=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    click.echo(f"listening on http://{host}:{server.server_port}/", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command()
def worker() -> None:
    """Deliver webhooks (as each `counterparty serve` process also does) until stopped."""
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    database = _database(settings)
    load_secret_key(settings)
    running = DelivererThread(deliverer(settings, database), delivery_policy(settings).poll_seconds)

    def stop(_signal: int, _frame: FrameType | None) -> None:
        running.request_stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo("delivering webhooks; stop with Ctrl-C or SIGTERM", err=True)
    running.run()
    running.stop()
    database.dispose()
