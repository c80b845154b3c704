"""Deliveries to a real receiving server on 127.0.0.1: Standard Webhooks signatures (verified
with the `standardwebhooks` package), the payload of the change feed, order per contact,
retries on the shortened schedule, failed deliveries, disabling, rotation, replay, retry,
the delivery log, and the refusal of private addresses at delivery."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from counterparty import __version__
from tests.conftest import TenantClient
from tests.webhooks.conftest import (
    Receiver,
    add_endpoint,
    deliveries,
    drain,
    fixed_resolver,
)


def test_events_are_signed_and_carry_the_feeds_document(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    contact = hooks.create(name="Acme Trading BV")
    patched = hooks.http.patch(f"/v1/contacts/{contact['id']}", json={"email": "a@acme.example"})
    assert patched.status_code == 200
    hooks.http.post(f"/v1/contacts/{contact['id']}/archive")
    hooks.http.post(f"/v1/contacts/{contact['id']}/unarchive")
    assert hooks.http.delete(f"/v1/contacts/{contact['id']}").status_code == 204
    drain(make_deliverer())
    bodies = receiver.bodies(endpoint["secret"])  # every signature verifies
    assert [body["type"] for body in bodies] == [
        "contact.created",
        "contact.updated",
        "contact.archived",
        "contact.unarchived",
        "contact.deleted",
    ]
    feed = hooks.http.get("/v1/events").json()["data"]
    for body, event, request in zip(bodies, feed, receiver.received, strict=True):
        data = body["data"]
        assert (data["id"], data["number"], data["version"]) == (
            event["contact_id"],
            event["contact_number"],
            event["version"],
        )
        assert data["changes"] == event["changes"]
        assert data.get("contact") == event["contact"]
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == f"counterparty-webhooks/{__version__}"
        assert request.headers["webhook-id"].startswith("msg_")
    assert "contact" not in bodies[-1]["data"]
    assert {"path": "email", "old": None, "new": "a@acme.example"} in bodies[1]["data"]["changes"]
    assert all(d["state"] == "delivered" for d in deliveries(hooks, endpoint["id"]))


def test_only_subscribed_events_are_sent(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url, events=["contact.archived"])
    contact = hooks.create()
    hooks.http.post(f"/v1/contacts/{contact['id']}/archive")
    drain(make_deliverer())
    assert [b["type"] for b in receiver.bodies(endpoint["secret"])] == ["contact.archived"]


def test_a_contacts_next_event_waits_for_the_previous_one(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    slow = hooks.create(name="Slow")
    fast = hooks.create(name="Fast")
    for n in range(2):
        hooks.http.patch(f"/v1/contacts/{slow['id']}", json={"notes": f"slow {n}"})
        hooks.http.patch(f"/v1/contacts/{fast['id']}", json={"notes": f"fast {n}"})
    failures = {"left": 2}

    def answer(_headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        if b'"Slow"' in body and b'"version":1' in body and failures["left"]:
            failures["left"] -= 1
            return 500, b"try again"
        return 200, b""

    receiver.answer = answer
    deliverer = make_deliverer()
    deliverer.run_once()
    first_round = [r.verified(endpoint["secret"])["data"] for r in receiver.received]
    # The slow contact's first event failed: its later ones waited; the fast one went on.
    assert sorted((d["contact"]["name"], d["version"]) for d in first_round) == [
        ("Fast", 1),
        ("Slow", 1),
    ]
    drain(deliverer)
    bodies = receiver.bodies(endpoint["secret"])
    sent = [(b["data"]["contact"]["name"], b["data"]["version"]) for b in bodies]
    assert [v for name, v in sent if name == "Slow"] == [1, 1, 1, 2, 3]
    assert [v for name, v in sent if name == "Fast"] == [1, 2, 3]


def test_failing_deliveries_are_retried_then_failed_with_their_attempts_logged(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    receiver.answer = lambda _h, _b: (503, b"x" * 5000)
    hooks.create(name="Unlucky")
    drain(make_deliverer())
    assert len(receiver.received) == 3  # the first attempt and two retries ("0,0")
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    [failed] = deliveries(hooks, endpoint["id"])
    assert failed["state"] == "failed" and failed["attempts"] == 3
    assert failed["last_status"] == 503 and failed["last_error"] == "answered 503"
    assert deliveries(hooks, endpoint["id"], state="pending") == []
    detail = hooks.http.get(f"/v1/webhooks/{endpoint['id']}/deliveries/{failed['id']}").json()
    attempts = detail["attempts_made"]
    assert [a["number"] for a in attempts] == [1, 2, 3]
    assert attempts[0]["response"] == "x" * 4096
    sent = receiver.received[0].headers
    assert attempts[0]["request_headers"]["webhook-signature"] == sent["webhook-signature"]
    assert attempts[0]["request_headers"]["webhook-id"] == failed["event_id"]
    # A retry on request: one attempt, now.
    receiver.answer = lambda _h, _b: (204, b"")
    retried = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/deliveries/{failed['id']}/retry")
    assert retried.status_code == 202 and retried.json()["state"] == "pending"
    again = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/deliveries/{failed['id']}/retry")
    assert again.status_code == 409
    drain(make_deliverer())
    [delivered] = deliveries(hooks, endpoint["id"])
    assert delivered["state"] == "delivered" and delivered["attempts"] == 4


def test_redirects_timeouts_and_refused_connections_are_failed_attempts(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    redirect = add_endpoint(hooks, receiver.url + "redirect")
    closed = add_endpoint(hooks, "http://127.0.0.1:9/nothing-listens")
    receiver.answer = lambda _h, _b: (302, b"")
    hooks.create()
    drain(make_deliverer(webhook_retry_schedule=""))
    [redirected] = deliveries(hooks, redirect["id"])
    assert redirected["state"] == "failed"
    assert redirected["last_error"] == "answered 302 (redirects are not followed)"
    assert len(receiver.received) == 1  # not followed to the Location
    [refused] = deliveries(hooks, closed["id"])
    assert refused["state"] == "failed" and refused["last_status"] is None
    assert "Connect" in refused["last_error"]


def test_a_receiver_that_does_not_answer_in_time_fails_the_attempt(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    release = threading.Event()

    def hang(_headers: dict[str, str], _body: bytes) -> tuple[int, bytes]:
        release.wait(10)
        return 200, b""

    receiver.answer = hang
    hooks.create()
    try:
        drain(make_deliverer(webhook_retry_schedule="", webhook_timeout_seconds=0.5))
    finally:
        release.set()
    [late] = deliveries(hooks, endpoint["id"])
    assert late["state"] == "failed" and late["last_error"] == "no answer within 0.5 s"


def test_an_endpoint_failing_everything_is_disabled_with_the_reason(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    receiver.answer = lambda _h, _b: (500, b"")
    hooks.create()
    drain(make_deliverer(webhook_disable_after_hours=0))
    shown = hooks.http.get(f"/v1/webhooks/{endpoint['id']}").json()
    assert shown["enabled"] is False
    assert "every delivery failed since" in shown["disabled_reason"]
    hooks.create()  # nothing is queued for a disabled endpoint
    assert len(deliveries(hooks, endpoint["id"])) == 1
    enabled = hooks.http.patch(f"/v1/webhooks/{endpoint['id']}", json={"enabled": True}).json()
    assert enabled["enabled"] is True and enabled["disabled_reason"] is None


def test_after_a_rotation_both_secrets_sign_for_a_day(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url)
    rotated = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/rotate-secret").json()
    hooks.create()
    drain(make_deliverer())
    [request] = receiver.received
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert request.verified(endpoint["secret"]) == request.verified(rotated["secret"])


def test_a_replay_sends_the_events_after_a_feed_cursor_again(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url, events=["contact.created"])
    first = hooks.create(name="First")
    cursor = hooks.http.get("/v1/events").json()["next_cursor"]
    hooks.http.patch(f"/v1/contacts/{first['id']}", json={"notes": "not subscribed"})
    hooks.create(name="Second")
    hooks.create(name="Third")
    drain(make_deliverer())
    ids = {
        r.verified(endpoint["secret"])["data"]["contact"]["name"]: r.headers["webhook-id"]
        for r in receiver.received
    }
    replayed = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/replay", json={"since": cursor})
    assert replayed.status_code == 202 and replayed.json() == {"queued": 2}
    drain(make_deliverer())
    again = [r.headers["webhook-id"] for r in receiver.received[len(ids) :]]
    assert sorted(again) == sorted([ids["Second"], ids["Third"]])  # the same ids
    names = [b["data"]["contact"]["name"] for b in receiver.bodies(endpoint["secret"])]
    assert sorted(names) == ["First", "Second", "Second", "Third", "Third"]
    bad = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/replay", json={"since": "forged"})
    assert bad.status_code == 400
    assert hooks.http.post(f"/v1/webhooks/{endpoint['id']}/replay", json={}).status_code == 422


def test_a_test_event_is_delivered_on_request(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    endpoint = add_endpoint(hooks, receiver.url, events=["contact.deleted"])
    queued = hooks.http.post(f"/v1/webhooks/{endpoint['id']}/test")
    assert queued.status_code == 202 and queued.json()["type"] == "webhook.test"
    drain(make_deliverer())
    [body] = receiver.bodies(endpoint["secret"])
    assert body["type"] == "webhook.test" and body["data"]["endpoint_id"] == endpoint["id"]
    assert receiver.received[0].headers["webhook-id"] == queued.json()["event_id"]


def test_private_addresses_are_refused_at_delivery(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    """Created while private addresses were allowed; a deliverer that does not allow them
    refuses, also for a name that resolves to loopback, and says why."""
    port = httpx.URL(receiver.url).port
    literal = add_endpoint(hooks, receiver.url)
    named = add_endpoint(hooks, f"http://hooks.internal:{port}/")
    mapped = add_endpoint(hooks, f"http://[::ffff:127.0.0.1]:{port}/")
    hooks.create()
    strict = make_deliverer(
        webhook_allow_private=False,
        webhook_retry_schedule="",
        resolver=fixed_resolver({"hooks.internal": "127.0.0.1"}),
    )
    drain(strict)
    assert receiver.received == []
    for endpoint in (literal, named, mapped):
        [refused] = deliveries(hooks, endpoint["id"])
        assert refused["state"] == "failed", refused
        assert refused["last_error"].startswith("refused: the URL"), refused


def test_the_connection_goes_to_the_address_that_was_checked(
    hooks: TenantClient, receiver: Receiver, make_deliverer: Any
) -> None:
    """The host is resolved once (here by a resolver only the deliverer knows) and the
    request goes to that address, with the host name in the Host header."""
    port = httpx.URL(receiver.url).port
    endpoint = add_endpoint(hooks, f"http://hooks.internal:{port}/in")
    hooks.create()
    drain(make_deliverer(resolver=fixed_resolver({"hooks.internal": "127.0.0.1"})))
    [request] = receiver.received
    assert request.headers["host"] == f"hooks.internal:{port}"
    assert request.verified(endpoint["secret"])["type"] == "contact.created"
