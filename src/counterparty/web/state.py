"""What every handler may reach through the request: services, settings, request id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import Request

from counterparty.errors import RateLimited
from counterparty.services.context import Actor
from counterparty.services.import_worker import ImportWorker
from counterparty.services.imports import Preset
from counterparty.services.registry import Services


@dataclass(frozen=True)
class Limits:
    """Per-deployment request rules the handlers apply."""

    max_body_bytes: int
    require_if_match: bool = False
    max_batch_body_bytes: int = 16 * 1_048_576
    max_import_bytes: int = 1 << 30
    public_url: str | None = None  # absolute links start with it; without it they are relative


# Set (to the seconds left) while the client's address may not have keys looked up
# (web/rate_limiting.py): it failed to authenticate too often.
LOOKUPS_REFUSED_SECONDS = "counterparty.lookups_refused_seconds"
# Set when the request presented a credential to check: only then is a failure to
# authenticate counted against the client's address (a request without one costs nothing).
CREDENTIAL_PRESENTED = "counterparty.credential_presented"


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def limits(request: Request) -> Limits:
    found: Limits = request.app.state.limits
    return found


def import_presets(request: Request) -> Mapping[str, Preset]:
    """The vendor presets an import may name (the composition root puts them here)."""
    found: Mapping[str, Preset] = getattr(request.app.state, "import_presets", {})
    return found


def import_worker(request: Request) -> ImportWorker:
    found: ImportWorker = request.app.state.import_worker
    return found


def request_id(request: Request) -> str | None:
    found: str | None = request.scope.get("state", {}).get("request_id")
    return found


def actor_for(request: Request, presented_key: str | None, entry_point: str) -> Actor:
    """Authenticate a presented key and describe who acts, for the history."""
    tenancy = services(request).tenancy
    if presented_key:
        request.scope[CREDENTIAL_PRESENTED] = True
    refused_for: int | None = request.scope.get(LOOKUPS_REFUSED_SECONDS)
    if refused_for and presented_key and not tenancy.is_verified(presented_key):
        raise RateLimited(
            "too many failed authentications from this address; only keys already in use "
            "from it are accepted until the window passes",
            retry_after_seconds=refused_for,
        )
    return tenancy.actor(presented_key, entry_point, request_id(request))
