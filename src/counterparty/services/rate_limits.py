"""Rate limits: how many requests an API key may make, and how many failed authentications an
address may cause, in a sliding window (the `limits` library's sliding window counter).

Counters live in this process by default; with a Redis URL every process of a deployment
shares them. Counting in this process costs a few microseconds and runs inline; a Redis round
trip runs in a worker thread, so that a slow Redis never holds the event loop. When Redis
cannot be reached the request is let through (and the failure logged): a limit is a guard of
the service, and its store failing must not stop the service itself.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from counterparty.errors import RateLimited

log = logging.getLogger("counterparty")
REDIS_TIMEOUT_SECONDS = 0.5
REDIS_KEY_PREFIX = "counterparty-rate"
STORE_FAILURE_LOG_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Policy:
    """One limit: `quota` requests in `window_seconds`, under a name the headers show."""

    name: str
    item: RateLimitItem
    quota: int
    window_seconds: int
    header: str  # its RateLimit-Policy item, made once

    @classmethod
    def parsed(cls, name: str, text: str) -> Policy | None:
        """A policy from the `limits` notation ("6000/minute", "100 per 10 seconds");
        None for an empty text (no limit)."""
        if not text.strip():
            return None
        item = parse(text)
        quota, window = item.amount, item.get_expiry()
        return cls(name, item, quota, window, f'"{name}";q={quota};w={window}')


# Made for every request: a plain (not frozen) dataclass is built several times faster.
@dataclass(slots=True)
class Quota:
    """What is left of a policy for one partition after a request counted against it."""

    policy: Policy
    allowed: bool
    remaining: int
    reset_seconds: int

    def refusal(self, detail: str) -> RateLimited:
        return RateLimited(detail, retry_after_seconds=max(self.reset_seconds, 1))


class RateLimits:
    """The per-key limit and the per-address limit of failed authentications."""

    def __init__(
        self, per_key: Policy | None, failures_per_address: Policy | None, url: str | None = None
    ) -> None:
        self.per_key = per_key
        self.failures_per_address = failures_per_address
        self._shared = url is not None
        storage: Storage = (
            RedisStorage(
                url,
                key_prefix=REDIS_KEY_PREFIX,
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            if url
            else MemoryStorage()
        )
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._store_failed_at = -math.inf

    async def key_used(self, key_id: str) -> Quota | None:
        """Count one request of an API key; None when keys have no limit (or the store
        is unreachable)."""
        return await self._count(self.per_key, key_id)

    async def authentication_failed(self, address: str) -> Quota | None:
        """Count one failed authentication from a client address."""
        return await self._count(self.failures_per_address, address)

    async def _count(self, policy: Policy | None, partition: str) -> Quota | None:
        if policy is None:
            return None
        if not self._shared:
            return self._counted(policy, partition)
        return await asyncio.to_thread(self._counted, policy, partition)

    def _counted(self, policy: Policy, partition: str) -> Quota | None:
        try:
            allowed = self._limiter.hit(policy.item, policy.name, partition)
            stats = self._limiter.get_window_stats(policy.item, policy.name, partition)
        except StorageError as error:
            self._note_store_failure(error)
            return None
        reset = max(math.ceil(stats.reset_time - time.time()), 0)
        return Quota(policy, allowed, stats.remaining, reset)

    def _note_store_failure(self, error: StorageError) -> None:
        now = time.monotonic()
        if now - self._store_failed_at >= STORE_FAILURE_LOG_INTERVAL_SECONDS:
            self._store_failed_at = now
            log.warning("rate limits not applied: their store failed (%s)", error.storage_error)
