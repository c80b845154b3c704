"""Deleted contacts' history is purged after COUNTERPARTY_HISTORY_RETENTION_DAYS: by
`counterparty db purge-history` (ErasureService.purge_history) and on the way by deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from counterparty.db import Database
from counterparty.errors import NotFound
from counterparty.services.context import Actor
from counterparty.services.registry import Services
from tests.api.test_erasure import distinct


def _actor(services: Services) -> Actor:
    return Actor(services.tenancy.create_tenant(distinct("t")[:30]), None, "test")


def _history(services: Services, actor: Actor, contact_id: object) -> list[str]:
    try:
        page = services.history.history(actor, contact_id, None, 200)  # type: ignore[arg-type]
    except NotFound:
        return []
    return [event.type for event in page.events]


def test_purge_removes_only_the_history_of_contacts_deleted_long_enough_ago(
    services: Services,
) -> None:
    actor = _actor(services)
    gone = services.contacts.create(actor, {"name": "Gone"})
    services.contacts.delete(actor, gone.id)
    kept = services.contacts.create(actor, {"name": "Kept"})
    reborn = services.contacts.create(actor, {"name": "Reborn"})
    services.contacts.delete(actor, reborn.id)
    services.contacts.create(actor, {"id": str(reborn.id), "name": "Reborn again"})

    now = datetime.now(UTC)
    assert services.erasure.purge_history(now, timedelta(days=1)) == 0
    assert _history(services, actor, gone.id) == ["deleted", "created"]

    assert services.erasure.purge_history(now + timedelta(days=2), timedelta(days=1)) >= 1
    assert _history(services, actor, gone.id) == []
    assert _history(services, actor, kept.id) == ["created"]
    assert _history(services, actor, reborn.id) == ["created", "deleted", "created"]


def test_without_a_retention_period_history_is_kept(services: Services) -> None:
    actor = _actor(services)
    gone = services.contacts.create(actor, {"name": "Gone"})
    services.contacts.delete(actor, gone.id)
    assert services.erasure.purge_history(datetime.now(UTC) + timedelta(days=9999)) == 0
    assert _history(services, actor, gone.id) == ["deleted", "created"]


def test_a_delete_purges_expired_history_on_the_way_once_an_hour(database: Database) -> None:
    services = Services.over(database.unit_of_work, history_retention=timedelta(0))
    actor = _actor(services)
    gone = services.contacts.create(actor, {"name": "Gone"})
    services.contacts.delete(actor, gone.id)  # expired at once: purged by its own delete
    assert _history(services, actor, gone.id) == []
    later = services.contacts.create(actor, {"name": "Later"})
    services.contacts.delete(actor, later.id)
    assert _history(services, actor, later.id) == ["deleted", "created"]
    fresh = Services.over(database.unit_of_work, history_retention=timedelta(days=1))
    kept = fresh.contacts.create(actor, {"name": "Kept"})
    fresh.contacts.delete(actor, kept.id)
    assert _history(fresh, actor, kept.id) == ["deleted", "created"]


@pytest.mark.parametrize("days", [0, -1])
def test_the_setting_refuses_a_period_under_a_day(days: int) -> None:
    from pydantic import ValidationError

    from counterparty.config import Settings

    with pytest.raises(ValidationError):
        Settings(history_retention_days=days)
