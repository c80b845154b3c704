"""The deliverer: from the outbox to deliveries, and deliveries to their endpoints.

Each round, for every tenant that has endpoints: the outbox's events become one delivery per
subscribed endpoint (in one transaction that also takes them out of the outbox), then the due
deliveries are claimed with a lease, sent concurrently (at most `concurrency` at a time, from
an event loop the deliverer owns), and their attempts stored in one transaction. A contact's
next event at an endpoint waits until its previous one is delivered or failed; deliveries of
different contacts and endpoints go out side by side.

Delivery is at least once: a deliverer that dies mid-send leaves its lease to run out, and the
delivery is claimed and sent again (with the same `webhook-id`).
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from counterparty.domain.ids import new_id
from counterparty.domain.tenancy import Tenant
from counterparty.domain.webhooks import (
    TEST_EVENT,
    Attempt,
    Delivery,
    Endpoint,
    event_payload,
    event_type,
    ping_payload,
    signature,
)
from counterparty.services.context import Actor
from counterparty.services.history import documents_after
from counterparty.services.webhook_ports import (
    DeliveryPolicy,
    Response,
    Sender,
    WebhookTransactions,
    WebhookUnitOfWork,
)
from counterparty.services.webhooks import event_delivery

log = logging.getLogger("counterparty.webhooks")

OUTBOX_PAGE = 500
CLAIMS_PER_SLOT = 4  # deliveries claimed per round for each concurrent send
MAX_ERROR = 500

Outcome = tuple[Delivery, Attempt, Endpoint]

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


class Deliverer:
    def __init__(
        self,
        transactions: WebhookTransactions,
        sender: Sender,
        policy: DeliveryPolicy,
        user_agent: str,
    ) -> None:
        self._tx = transactions
        self._sender = sender
        self._policy = policy
        self._user_agent = user_agent
        # The sender's connections belong to this loop, run in a thread of its own: the thread
        # that calls run_once (one at a time) may itself be running another loop (a server's,
        # a test runner's), in which no second loop can run.
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(
            target=self._loop.run_forever, name="webhook-sender", daemon=True
        )
        self._loop_thread.start()
        self._sending = threading.Lock()

    def run_once(self) -> int:
        """One round over every tenant with endpoints; the number of attempts made."""
        made = 0
        for tenant in self._tx.read(lambda uow: uow.endpoints.enrolled()):
            self.fan_out(tenant.id)
            made += self.deliver(tenant)
        return made

    def close(self) -> None:
        if self._loop.is_closed():
            return
        if not self._sending.acquire(blocking=False):  # a round still under way elsewhere
            log.warning("webhook deliverer closed during a round; connections left open")
            return
        try:
            self._in_loop(self._sender.close())
            self._in_loop(self._loop.shutdown_default_executor())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop_thread.join()
            self._loop.close()
            self._sending.release()

    def _in_loop(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    # --- outbox to deliveries ------------------------------------------------------------

    def fan_out(self, tenant_id: UUID) -> None:
        while self._tx.read(lambda uow: uow.deliveries.outbox(tenant_id, 1)):
            if self._tx.write(lambda uow: self._fan_out_page(uow, tenant_id)) < OUTBOX_PAGE:
                return

    def _fan_out_page(self, uow: WebhookUnitOfWork, tenant_id: UUID) -> int:
        sequences = uow.deliveries.outbox(tenant_id, OUTBOX_PAGE)
        if not sequences:
            return 0
        endpoints = [e for e in uow.endpoints.list_for_tenant(tenant_id) if e.enabled]
        moment = _now()
        uow.deliveries.add_many(
            [
                event_delivery(endpoint, event, moment, self._policy)
                for event in uow.deliveries.events(tenant_id, sequences)
                for endpoint in endpoints
                if event.sequence > endpoint.starts_after and endpoint.subscribes(event_type(event))
            ]
        )
        uow.deliveries.take_outbox(tenant_id, sequences)
        return len(sequences)

    # --- deliveries to endpoints ---------------------------------------------------------

    def deliver(self, tenant: Tenant) -> int:
        policy = self._policy
        moment = _now()
        limit = policy.concurrency * CLAIMS_PER_SLOT
        ids = self._tx.read(lambda uow: uow.deliveries.claimable(tenant.id, moment, limit))
        if not ids:
            return 0
        token = new_id()
        lease = timedelta(seconds=policy.lease_seconds)
        # Nothing is sent once too little of the lease is left for a whole attempt: another
        # deliverer may claim the delivery when the lease ends.
        send_until = time.monotonic() + policy.lease_seconds - policy.timeout_seconds - 1
        claimed = self._tx.write(
            lambda uow: uow.deliveries.claim(tenant.id, ids, moment, moment + lease, token)
        )
        if not claimed:
            return 0
        endpoints, bodies = self._tx.read(lambda uow: self._prepare(uow, tenant, claimed))
        jobs = [
            (delivery, endpoints[delivery.endpoint_id], bodies[delivery.id])
            for delivery in claimed
            if delivery.endpoint_id in endpoints
        ]
        with self._sending:
            outcomes = self._in_loop(self._send_all(jobs, send_until))
        if outcomes:
            self._tx.write(lambda uow: self._record(uow, tenant.id, token, outcomes))
        return len(outcomes)

    def _prepare(
        self, uow: WebhookUnitOfWork, tenant: Tenant, claimed: Sequence[Delivery]
    ) -> tuple[dict[UUID, Endpoint], dict[UUID, bytes]]:
        """The claimed deliveries' enabled endpoints and bodies; the document after each
        event is the change feed's (services/history.py)."""
        endpoints = {e.id: e for e in uow.endpoints.list_for_tenant(tenant.id) if e.enabled}
        sequences = sorted({d.sequence for d in claimed if d.sequence is not None})
        events = list(uow.deliveries.events(tenant.id, sequences)) if sequences else []
        documents = documents_after(uow, Actor(tenant, None, "webhooks"), events)
        by_sequence = {event.sequence: event for event in events}
        bodies = {}
        for delivery in claimed:
            if delivery.sequence is None:
                bodies[delivery.id] = ping_payload(delivery.endpoint_id, delivery.created_at)
            else:
                event = by_sequence[delivery.sequence]
                bodies[delivery.id] = event_payload(event, documents[event.sequence])
        return endpoints, bodies

    async def _send_all(
        self, jobs: Sequence[tuple[Delivery, Endpoint, bytes]], send_until: float
    ) -> list[Outcome]:
        slots = asyncio.Semaphore(self._policy.concurrency)

        async def attempt(job: tuple[Delivery, Endpoint, bytes]) -> Outcome | None:
            async with slots:
                return await self._attempt(job, send_until)

        done = await asyncio.gather(*(attempt(job) for job in jobs))
        return [outcome for outcome in done if outcome is not None]

    async def _attempt(
        self, job: tuple[Delivery, Endpoint, bytes], send_until: float
    ) -> Outcome | None:
        delivery, endpoint, body = job
        if time.monotonic() > send_until:
            return None
        started = _now()
        stamp = int(started.timestamp())
        headers = {
            "content-type": "application/json",
            "user-agent": self._user_agent,
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": signature(
                endpoint.signing_secrets(started), delivery.message_id, stamp, body
            ),
        }
        try:
            response = await self._sender.send(
                endpoint, headers, body, self._policy.timeout_seconds
            )
        except Exception as error:  # a sender's bug must not stop the deliveries
            log.exception("webhook %s to endpoint %s failed", delivery.id, endpoint.id)
            response = Response(None, b"", f"failed: {type(error).__name__}", 0)
        attempt = Attempt(
            number=delivery.attempts + 1,
            attempted_at=started,
            request_headers=headers,
            status=response.status,
            response=response.body.decode("utf-8", "replace") if response.body else None,
            error=response.error,
            duration_ms=response.duration_ms,
        )
        return self._outcome(delivery, attempt, response, started), attempt, endpoint

    def _outcome(
        self, delivery: Delivery, attempt: Attempt, response: Response, moment: datetime
    ) -> Delivery:
        ok = response.status is not None and 200 <= response.status < 300
        error = response.error
        if not ok and error is None:
            error = f"answered {response.status}"
            if response.status is not None and 300 <= response.status < 400:
                error += " (redirects are not followed)"
        attempted = replace(
            delivery,
            attempts=attempt.number,
            last_status=response.status,
            last_error=None if ok else (error or "")[:MAX_ERROR],
            last_duration_ms=response.duration_ms,
        )
        if ok:
            return replace(attempted, state="delivered", finished_at=moment)
        if delivery.retries_left <= 0:
            return replace(attempted, state="failed", finished_at=moment)
        schedule = self._policy.retry_schedule
        wait = schedule[len(schedule) - delivery.retries_left] * random.uniform(0.9, 1.1)
        return replace(
            attempted,
            retries_left=delivery.retries_left - 1,
            next_attempt_at=moment + timedelta(seconds=wait),
        )

    def _record(
        self,
        uow: WebhookUnitOfWork,
        tenant_id: UUID,
        token: UUID,
        outcomes: Sequence[Outcome],
    ) -> None:
        uow.deliveries.finish(tenant_id, token, [(d, a) for d, a, _ in outcomes])
        succeeded: dict[UUID, bool] = {}
        for delivery, _, endpoint in outcomes:
            ok = delivery.state == "delivered"
            succeeded[endpoint.id] = succeeded.get(endpoint.id, False) or ok
        for endpoint_id, ok in succeeded.items():
            self._note_health(uow, tenant_id, endpoint_id, ok)

    def _note_health(
        self, uow: WebhookUnitOfWork, tenant_id: UUID, endpoint_id: UUID, ok: bool
    ) -> None:
        """An endpoint that failed everything for `disable_after` is disabled, with why."""
        endpoint = uow.endpoints.get(tenant_id, endpoint_id)
        if endpoint is None or not endpoint.enabled:
            return
        moment = _now()
        if ok:
            if endpoint.failing_since is not None:
                uow.endpoints.update(replace(endpoint, failing_since=None))
            return
        since = endpoint.failing_since or moment
        if moment - since >= self._policy.disable_after:
            reason = (
                f"disabled at {moment:%Y-%m-%d %H:%M} UTC: every delivery failed since "
                f"{since:%Y-%m-%d %H:%M} UTC"
            )
            uow.endpoints.update(
                replace(endpoint, enabled=False, disabled_reason=reason, failing_since=since)
            )
            uow.endpoints.changed(tenant_id)
            log.warning("webhook endpoint %s of tenant %s %s", endpoint_id, tenant_id, reason)
        elif endpoint.failing_since is None:
            uow.endpoints.update(replace(endpoint, failing_since=since))


class DelivererThread:
    """Runs a deliverer in its own thread (never in a server's event loop) until stopped."""

    def __init__(self, deliverer: Deliverer, poll_seconds: float) -> None:
        self._deliverer = deliverer
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run, name="webhook-deliverer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def run(self) -> None:
        """The loop itself (`counterparty worker` runs it in its main thread)."""
        while not self._stop.is_set():
            try:
                made = self._deliverer.run_once()
            except Exception:  # the database may be away for a while; try again later
                log.exception("webhook delivery round failed")
                made = 0
            if not made:
                self._stop.wait(self._poll)

    def request_stop(self) -> None:
        """Let the current round finish, then stop (safe from a signal handler)."""
        self._stop.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._deliverer.close()


__all__ = ["TEST_EVENT", "Deliverer", "DelivererThread"]
