"""Rate limits at the door: each API key's requests and each address's failed
authentications are counted where a surface authenticates (web/routing.py), and every
authenticated response states the key's quota in the IETF `RateLimit-Policy` and `RateLimit`
headers (draft-ietf-httpapi-ratelimit-headers, structured fields).

An address that failed to authenticate too often is remembered in this process until its
window lets it try again. Until then its keys that this process has not verified before are
refused (429) without a database lookup, while keys it has verified keep working: whoever
shares the address with a client sending bad keys is not locked out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from counterparty.errors import Unauthenticated
from counterparty.services.context import Actor
from counterparty.services.rate_limits import Quota, RateLimits
from counterparty.web.state import CREDENTIAL_PRESENTED, LOOKUPS_REFUSED_SECONDS

QUOTA = "counterparty.quota"
MAX_REMEMBERED_ADDRESSES = 10_000


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (the server
    resolves X-Forwarded-For only from COUNTERPARTY_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "-"


def policy_header(quota: Quota) -> str:
    return quota.policy.header


def quota_header(quota: Quota) -> str:
    return f'"{quota.policy.name}";r={quota.remaining};t={quota.reset_seconds}'


def with_quota(response: Response, request: Request) -> Response:
    """The response with the quota headers of the request's key, if it has a limit."""
    quota: Quota | None = request.scope.get(QUOTA)
    if quota is not None:
        response.headers["RateLimit-Policy"] = policy_header(quota)
        response.headers["RateLimit"] = quota_header(quota)
    return response


def gate(request: Request) -> RateGate | None:
    found: RateGate | None = getattr(request.app.state, "rate_gate", None)
    return found


async def authentication_failed(request: Request) -> None:
    """Count a failed authentication that a handler checked itself (a token endpoint's client
    credentials); RateLimited when the address has had too many."""
    if (found := gate(request)) is not None:
        await found.failed(request, client_address(request))


async def key_used(request: Request, key_id: UUID) -> None:
    """Count a use of a key that a handler authenticated itself."""
    if (found := gate(request)) is not None:
        await found.key_used(request, key_id)


class RateGate:
    def __init__(self, limits: RateLimits) -> None:
        self._limits = limits
        # address -> (monotonic time its lookups may resume, the quota that refused it)
        self._refused: dict[str, tuple[float, Quota]] = {}

    async def admitted(
        self, request: Request, authenticate: Callable[[], Awaitable[Actor]]
    ) -> Actor:
        """The authenticated actor, counted against its key's limit and, when authentication
        fails, against the address's limit of failures."""
        address = client_address(request)
        refusal = self._refusal(address)
        if refusal is not None:
            request.scope[QUOTA] = refusal
            request.scope[LOOKUPS_REFUSED_SECONDS] = refusal.reset_seconds
        try:
            actor = await authenticate()
        except Unauthenticated:
            await self.failed(request, address)
            raise
        request.scope.pop(QUOTA, None)
        if actor.api_key_id is not None:
            await self.key_used(request, actor.api_key_id)
        return actor

    async def key_used(self, request: Request, key_id: UUID) -> None:
        """Count a request of a key; RateLimited when its limit is used up."""
        quota = await self._limits.key_used(key_id.hex)
        if quota is None:
            return
        request.scope[QUOTA] = quota
        if not quota.allowed:
            policy = quota.policy
            raise quota.refusal(
                f"the API key's limit of {policy.quota} requests per "
                f"{policy.window_seconds} seconds is used up"
            )

    async def failed(self, request: Request, address: str) -> None:
        """Count a failed authentication; RateLimited when the address has had too many."""
        if not request.scope.get(CREDENTIAL_PRESENTED):
            return
        quota = await self._limits.authentication_failed(address)
        if quota is None or quota.allowed:
            return
        self._remember(address, quota)
        request.scope[QUOTA] = quota  # the 429 names the policy that refused it
        policy = quota.policy
        raise quota.refusal(
            f"more than {policy.quota} failed authentications from this address in "
            f"{policy.window_seconds} seconds"
        )

    def _refusal(self, address: str) -> Quota | None:
        """The failed-authentication quota of an address this process refuses lookups for."""
        found = self._refused.get(address)
        if found is None:
            return None
        until, quota = found
        left = until - time.monotonic()
        if left <= 0:
            del self._refused[address]
            return None
        return replace(quota, reset_seconds=max(math.ceil(left), 1))

    def _remember(self, address: str, quota: Quota) -> None:
        if len(self._refused) >= MAX_REMEMBERED_ADDRESSES:
            now = time.monotonic()
            self._refused = {a: found for a, found in self._refused.items() if found[0] > now}
            if len(self._refused) >= MAX_REMEMBERED_ADDRESSES:
                self._refused.pop(next(iter(self._refused)))
        self._refused[address] = (time.monotonic() + max(quota.reset_seconds, 1), quota)
