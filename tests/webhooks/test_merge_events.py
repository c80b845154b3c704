"""Merges reach webhooks: contact.merged on the survivor, contact.merged_into (without a
contact, like a deletion) on each merged one, contact.unmerged when undone."""

from __future__ import annotations

from typing import Any

from tests.conftest import TenantClient
from tests.webhooks.conftest import Receiver, add_endpoint, drain


def test_merge_and_unmerge_events_are_sent(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    events = ["contact.merged", "contact.merged_into", "contact.unmerged"]
    endpoint = add_endpoint(hooks, receiver.url, events=events)
    survivor = hooks.create(name="Acme Trading BV")
    merged = hooks.create(name="ACME Trading B.V.", email="info@acme.example")
    url = f"/v1/contacts/{survivor['id']}"
    assert hooks.http.post(f"{url}/merge", json={"from": [merged["id"]]}).status_code == 200
    assert hooks.http.post(f"{url}/unmerge").status_code == 200
    drain(make_deliverer())
    bodies = receiver.bodies(endpoint["secret"])
    sent = sorted((body["type"], body["data"]["id"]) for body in bodies)
    assert sent == sorted(
        [
            ("contact.merged_into", merged["id"]),
            ("contact.merged", survivor["id"]),
            ("contact.unmerged", survivor["id"]),
            ("contact.unmerged", merged["id"]),
        ]
    )
    by_type = {(body["type"], body["data"]["id"]): body["data"] for body in bodies}
    assert "contact" not in by_type[("contact.merged_into", merged["id"])]
    assert by_type[("contact.merged", survivor["id"])]["contact"]["email"] == "info@acme.example"
    assert by_type[("contact.unmerged", merged["id"])]["contact"]["version"] == 2
