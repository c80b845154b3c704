"""Webhooks put together from the settings: the services, the deliverer and the secret key.

The composition root (app.py) and the command line (cli/webhooks.py) both build from here.
"""

from __future__ import annotations

from datetime import timedelta

from counterparty import __version__
from counterparty.config import Settings, split_list
from counterparty.db import Database
from counterparty.db.secret_box import SecretBox, data_directory, secret_box
from counterparty.db.webhooks import webhook_units
from counterparty.registries.webhook_http import HttpSender, system_resolver
from counterparty.services.deliverer import Deliverer, DelivererThread
from counterparty.services.webhook_ports import DeliveryPolicy, Resolver, WebhookTransactions
from counterparty.services.webhooks import WebhookService

USER_AGENT = f"counterparty-webhooks/{__version__}"


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    try:
        schedule = tuple(float(item) for item in split_list(settings.webhook_retry_schedule))
    except ValueError:
        schedule = (-1.0,)
    if any(seconds < 0 for seconds in schedule):
        raise ValueError(
            "COUNTERPARTY_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 5,300,1800"
        )
    return DeliveryPolicy(
        retry_schedule=schedule,
        timeout_seconds=settings.webhook_timeout_seconds,
        concurrency=settings.webhook_concurrency,
        lease_seconds=max(settings.webhook_lease_seconds, settings.webhook_timeout_seconds + 2),
        disable_after=timedelta(hours=settings.webhook_disable_after_hours),
        allow_private=settings.webhook_allow_private,
        poll_seconds=settings.webhook_poll_seconds,
    )


def load_secret_key(settings: Settings) -> SecretBox:
    """The key that encrypts stored secrets, read now (and made, on a first start)."""
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    box = secret_box(key, data_directory(settings.database_url, settings.data_dir))
    box.load()
    return box


def webhook_transactions(settings: Settings, database: Database) -> WebhookTransactions:
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    box = secret_box(key, data_directory(database.url, settings.data_dir))
    return WebhookTransactions(webhook_units(database.lender, box))


def webhook_service(
    settings: Settings, database: Database, resolver: Resolver = system_resolver
) -> WebhookService:
    return WebhookService(
        webhook_transactions(settings, database), delivery_policy(settings), resolver
    )


def deliverer(
    settings: Settings, database: Database, resolver: Resolver = system_resolver
) -> Deliverer:
    policy = delivery_policy(settings)
    return Deliverer(
        webhook_transactions(settings, database),
        HttpSender(USER_AGENT, policy.allow_private, resolver),
        policy,
        USER_AGENT,
    )


def deliverer_thread(settings: Settings, database: Database) -> DelivererThread:
    return DelivererThread(deliverer(settings, database), delivery_policy(settings).poll_seconds)
