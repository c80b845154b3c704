"""The EU's VIES VAT registry over its REST API (`GET {base}/ms/{country}/vat/{number}`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

from counterparty.services.registry_checks import RegistryAnswer

# userError values VIES answers when it could not decide: the number may still be valid.
_UNDECIDED = {
    "MS_UNAVAILABLE",
    "TIMEOUT",
    "SERVICE_UNAVAILABLE",
    "MS_MAX_CONCURRENT_REQ",
    "GLOBAL_MAX_CONCURRENT_REQ",
    "SERVER_BUSY",
}
_MAX_ANSWER_BYTES = 64 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A registry that redirects is not answering: never follow it elsewhere."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:500] if value and value != "---" else None


class ViesClient:
    name = "VIES"

    def __init__(self, base_url: str, timeout_seconds: float = 5.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._opener = urllib.request.build_opener(_NoRedirects())

    def lookup(self, vat_number: str) -> RegistryAnswer:
        now = datetime.now(UTC)
        country, number = vat_number[:2], vat_number[2:]
        url = f"{self._base_url}/ms/{country}/vat/{number}"
        try:
            with self._opener.open(url, timeout=self._timeout) as response:
                body = json.loads(response.read(_MAX_ANSWER_BYTES))
        except (OSError, ValueError, urllib.error.URLError):
            return RegistryAnswer("unavailable", now)
        if not isinstance(body, dict) or not isinstance(body.get("isValid"), bool):
            return RegistryAnswer("unavailable", now)
        if body.get("userError") in _UNDECIDED:
            return RegistryAnswer("unavailable", now)
        if not body["isValid"]:
            return RegistryAnswer("not_found", now)
        return RegistryAnswer("verified", now, _text(body.get("name")), _text(body.get("address")))
