"""`counterparty contacts merge` and `contacts unmerge`: the API's merge and unmerge for an
operator, its errors as one line on stderr."""

from __future__ import annotations

from uuid import uuid4

from tests.cli.test_cli import acme, environment, run

__all__ = ["environment"]


def test_merge_and_unmerge_from_the_command_line(environment: dict[str, str]) -> None:
    with acme(environment) as (services, actor):
        survivor = services.contacts.create(actor, {"name": "Demir", "email": "a@demir.example"})
        other = services.contacts.create(actor, {"name": "DEMIR A.S.", "email": "b@demir.example"})

        merged = run(environment, "contacts", "merge", "--tenant", "acme",
                     "--field", f"email={other.id}", str(survivor.id), str(other.id))  # fmt: skip
        assert merged.returncode == 0, merged.stderr
        assert f"merged 1 contacts into {survivor.id} (now version 2)" in merged.stdout
        assert services.contacts.get(actor, survivor.id).email == "b@demir.example"
        assert services.contacts.get(actor, other.id).id == survivor.id  # an alias now

        unmerged = run(environment, "contacts", "unmerge", "--tenant", "acme", str(survivor.id))
        assert unmerged.returncode == 0, unmerged.stderr
        assert f"restored 1 contacts: {other.id}" in unmerged.stdout
        assert services.contacts.get(actor, other.id).name == "DEMIR A.S."
        assert services.contacts.get(actor, survivor.id).email == "a@demir.example"


def test_merge_errors_are_one_line_and_change_nothing(environment: dict[str, str]) -> None:
    with acme(environment) as (services, actor):
        kept = services.contacts.create(actor, {"name": "Kept"})
        unknown = str(uuid4())
        missing = run(environment, "contacts", "merge", "--tenant", "acme", str(kept.id), unknown)
        assert missing.returncode == 1 and f"no contact with id {unknown}" in missing.stderr
        assert "Traceback" not in missing.stderr
        not_an_id = run(environment, "contacts", "unmerge", "--tenant", "acme", "nope")
        assert not_an_id.returncode == 1 and "no contact with id nope" in not_an_id.stderr
        bad_field = run(environment, "contacts", "merge", "--tenant", "acme", "--field", "email",
                        str(kept.id), unknown)  # fmt: skip
        assert bad_field.returncode == 2 and "FIELD=CONTACT_ID" in bad_field.stderr
        assert services.contacts.get(actor, kept.id).version == 1
