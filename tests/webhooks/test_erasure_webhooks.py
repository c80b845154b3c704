"""GDPR erasure and webhooks: what waits to be sent goes out erased, receivers' answers
about the contact are forgotten, and the erasure is announced as `contact.erased`."""

from __future__ import annotations

from typing import Any

from counterparty.db import Database
from tests.api.test_erasure import distinct, traces
from tests.conftest import TenantClient
from tests.webhooks.conftest import Receiver, add_endpoint, drain


def test_pending_webhooks_and_the_delivery_log_lose_the_erased_values(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any, database: Database
) -> None:
    receiver.answer = lambda _headers, body: (200, body)  # a receiver that echoes
    endpoint = add_endpoint(hooks, receiver.url)
    email, later_email = (f"{distinct(label)}@example.org" for label in ("sent", "waiting"))
    person = hooks.create(kind="person", name="Kept Person", email=email)
    url = f"/v1/contacts/{person['id']}"
    drain(make_deliverer())
    assert traces(database, [email]) == {email}, "the delivery log holds the echo"
    assert hooks.http.patch(url, json={"email": later_email}).status_code == 200

    assert hooks.http.post(f"{url}/erase").status_code == 200
    assert traces(database, [email, later_email]) == set()

    sent_before = len(receiver.received)
    drain(make_deliverer())
    bodies = receiver.bodies(endpoint["secret"])[sent_before:]
    assert [body["type"] for body in bodies] == ["contact.updated", "contact.erased"]
    assert later_email not in str(bodies) and email not in str(bodies)
    erased = bodies[-1]["data"]
    assert erased["contact"]["email"] is None and erased["contact"]["name"] == "Kept Person"
    assert erased["changes"][0]["path"] == "erased" and "email" in erased["changes"][0]["new"]


def test_an_endpoint_can_subscribe_to_erasures_alone(hooks: TenantClient) -> None:
    created = hooks.http.post(
        "/v1/webhooks", json={"url": "https://example.org/hook", "events": ["contact.erased"]}
    )
    assert created.status_code == 201 and created.json()["events"] == ["contact.erased"]
