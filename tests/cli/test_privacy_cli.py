"""`counterparty contacts erase`, `tenants update --retention-fields` and `db purge-history`,
run as a user runs them: a real process on a real database file."""

from __future__ import annotations

from uuid import uuid4

from tests.cli.test_cli import acme, environment, run

__all__ = ["environment"]


def test_contacts_erase_keeps_the_retention_fields(environment: dict[str, str]) -> None:
    with acme(environment) as (services, actor):
        updated = run(environment, "tenants", "update", "acme", "--retention-fields", "name,email")
        assert updated.returncode == 0 and "retention_fields=name,email" in updated.stdout
        bad = run(environment, "tenants", "update", "acme", "--retention-fields", "name,id")
        assert bad.returncode == 1 and "'id'" in bad.stderr
        person = services.contacts.create(
            actor, {"kind": "person", "name": "Ann", "email": "ann@example.org", "notes": "n"}
        )
        erased = run(environment, "contacts", "erase", "--tenant", "acme", str(person.id))
        assert erased.returncode == 0 and "kept: name, email" in erased.stdout
        contact = services.contacts.get(actor, person.id)
        assert (contact.email, contact.notes, contact.version) == ("ann@example.org", None, 2)
        events = services.history.history(actor, person.id, None, 10).events
        assert events[0].type == "erased" and events[0].entry_point == "cli"

    missing = run(environment, "contacts", "erase", "--tenant", "acme", str(uuid4()))
    assert missing.returncode == 1 and "no contact" in missing.stderr


def test_db_purge_history(environment: dict[str, str]) -> None:
    with acme(environment) as (services, actor):
        gone = services.contacts.create(actor, {"name": "Gone"})
        services.contacts.delete(actor, gone.id)
    unset = run(environment, "db", "purge-history")
    assert unset.returncode == 0 and "kept for ever" in unset.stdout
    configured = {**environment, "COUNTERPARTY_HISTORY_RETENTION_DAYS": "1"}
    assert "purged the history of 0 " in run(configured, "db", "purge-history").stdout


def test_db_purge_merges(environment: dict[str, str]) -> None:
    assert run(environment, "db", "upgrade").returncode == 0
    purged = run(environment, "db", "purge-merges")
    assert purged.returncode == 0, purged.stderr
    assert "emptied the records of 0 merges past their unmerge window" in purged.stdout
