"""Rate limits per API key and per address for failed authentications, over real HTTP: the
429 with Retry-After and the IETF RateLimit headers, natively and in every dialect's shape.

The limits here are per day: a sliding window counter lets a few more requests through just
after its window turns (the previous window's count starts to fade), and a test that counts
exactly must not run across that moment."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from counterparty.app import create_app
from counterparty.config import Settings
from counterparty.db import Database
from counterparty.domain.api_keys import generate_key
from tests.api.conftest import StartLimited
from tests.conftest import running_server
from tests.dialects.test_idoklad import TOKEN_URL
from tests.dialects.vendors import Tenant, tenant_on

MISSING = "/v1/contacts/0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b"
QUOTA = re.compile(r'^"per-key";r=(\d+);t=(\d+)$')


def remaining(response: httpx.Response) -> int:
    found = QUOTA.match(response.headers["RateLimit"])
    assert found, response.headers["RateLimit"]
    return int(found[1])


def test_a_key_gets_429_with_retry_after_once_its_limit_is_used_up(limited: StartLimited) -> None:
    service = limited(rate_limit_per_key="3/day")
    api, other = service.tenant(), service.tenant()
    answers = [api.http.get(MISSING) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    for answer in answers:
        assert answer.headers["RateLimit-Policy"] == '"per-key";q=3;w=86400'
    assert [remaining(answer) for answer in answers] == [2, 1, 0]

    refused = api.http.get(MISSING)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["type"] == "/problems/rate-limited"
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 86400
    assert body["retry_after_seconds"] == retry_after
    assert refused.headers["RateLimit-Policy"] == '"per-key";q=3;w=86400'
    assert remaining(refused) == 0
    # A refused write changes nothing.
    assert api.http.post("/v1/contacts", json={"name": "Late Ltd"}).status_code == 429
    # The limit is the key's: another key is counted on its own.
    assert other.http.get(MISSING).status_code == 404
    assert other.http.get("/v1/contacts").json()["data"] == []


def test_limits_apply_to_every_authenticated_response_but_not_to_public_ones(
    limited: StartLimited,
) -> None:
    service = limited(rate_limit_per_key="1/day")
    api, url = service.tenant(), service.url
    first = api.http.post("/v1/contacts", json={"name": "Anker BV"})
    assert first.status_code == 201
    assert remaining(first) == 0
    assert api.http.get("/v1/contacts").status_code == 429
    health = httpx.get(f"{url}/healthz")
    assert health.status_code == 200
    assert "RateLimit" not in health.headers


def test_bad_keys_at_full_speed_are_slowed_while_the_good_key_keeps_working(
    limited: StartLimited,
) -> None:
    """400 bad keys from four connections at once, the good key in between from the same
    address: the first 100 failures are 401s, the other 300 are 429s; the good key never
    fails."""
    service = limited(rate_limit_failed_auth_per_address="100/day")
    api = service.tenant()
    with httpx.Client(base_url=service.url, timeout=30) as attacker:
        assert api.http.get(MISSING).status_code == 404  # the good key is known to the server

        def attempt(_: int) -> httpx.Response:
            return attacker.get(MISSING, headers={"Authorization": f"Bearer {generate_key()}"})

        with ThreadPoolExecutor(4) as pool:
            bad = pool.map(attempt, range(400))
            good = [api.http.get(MISSING).status_code for _ in range(20)]
            answers = list(bad)
        assert good == [404] * 20
        statuses = [answer.status_code for answer in answers]
        assert (statuses.count(401), statuses.count(429)) == (100, 300)
        for refused in (answer for answer in answers if answer.status_code == 429):
            assert int(refused.headers["Retry-After"]) >= 1
            assert refused.headers["RateLimit-Policy"] == '"failed-auth";q=100;w=86400'
            assert refused.json()["code"] == "rate_limited"
        assert api.http.get("/v1/contacts").status_code == 200
        # A key this server has not verified before is not even looked up from that address.
        late = service.tenant().http.get("/v1/contacts")
        assert late.status_code == 429
        assert "failed authentications" in late.json()["detail"]


def test_failed_authentications_are_counted_per_client_address(
    settings: Settings, database: Database
) -> None:
    """Clients behind a trusted proxy are told apart by X-Forwarded-For, which the server
    resolves as `counterparty serve` has it do for COUNTERPARTY_TRUSTED_PROXIES."""
    app = create_app(
        settings.model_copy(update={"rate_limit_failed_auth_per_address": "2/day"}), database
    )
    trusted = {"proxy_headers": True, "forwarded_allow_ips": ["127.0.0.1"]}
    with running_server(app, **trusted) as url, httpx.Client(base_url=url) as proxy:

        def attempts(client_address: str) -> list[int]:
            headers = {
                "Authorization": f"Bearer {generate_key()}",
                "X-Forwarded-For": client_address,
            }
            return [proxy.get(MISSING, headers=headers).status_code for _ in range(3)]

        assert attempts("198.51.100.7") == [401, 401, 429]
        assert attempts("198.51.100.8") == [401, 401, 429]


def test_requests_without_credentials_are_not_counted_as_failures(limited: StartLimited) -> None:
    service = limited(rate_limit_failed_auth_per_address="2/day")
    with httpx.Client(base_url=service.url) as client:
        assert [client.get(MISSING).status_code for _ in range(5)] == [401] * 5
        bad = {"Authorization": f"Bearer {generate_key()}"}
        assert [client.get(MISSING, headers=bad).status_code for _ in range(3)] == [401, 401, 429]
        assert client.get(MISSING).status_code == 401, "no key, nothing to refuse a lookup of"


def test_empty_limits_switch_rate_limiting_off(limited: StartLimited) -> None:
    answer = limited(rate_limit_per_key="").tenant().http.get(MISSING)
    assert answer.status_code == 404
    assert "RateLimit" not in answer.headers


def test_limits_that_cannot_be_read_are_refused_at_start() -> None:
    with pytest.raises(ValueError, match="rate_limit_per_key"):
        Settings(rate_limit_per_key="many per day")
    with pytest.raises(ValueError, match="rate_limit_url"):
        Settings(rate_limit_url="http://127.0.0.1:6379")


# --- dialects: the 429 in each vendor's own shape -----------------------------------------

UNKNOWN_ID = "0192f0c4-54b2-7d35-a0f6-1f0c2d5e6a7b"
DIALECT_REQUESTS: dict[str, Callable[[Tenant], httpx.Response]] = {
    "muhasip": lambda tenant: tenant.muhasip("GET", f"/{UNKNOWN_ID}"),
    "wacs": lambda tenant: tenant.wacs("GET", "GetContact/999999"),
    "faturaentegrator": lambda tenant: tenant.faturaentegrator("GET", "/999999"),
    "odyssee": lambda tenant: tenant.odyssee("GET", f"({UNKNOWN_ID})"),
    "idoklad": lambda tenant: tenant.idoklad("GET", "/999999"),
}
SHAPES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "muhasip": lambda body: body["status"] is False and body["code"] == "rate_limited",
    "wacs": lambda body: "limit" in body["Message"],
    "faturaentegrator": lambda body: body == {"message": "Too Many Attempts."},
    "odyssee": lambda body: body["error"]["code"] == "rate_limited",
    "idoklad": lambda body: "limit" in body["Message"],
}


@pytest.mark.parametrize("vendor", DIALECT_REQUESTS)
def test_dialects_answer_429_in_their_own_shape(limited: StartLimited, vendor: str) -> None:
    service = limited(rate_limit_per_key="1/day")
    api = service.tenant()
    with httpx.Client(base_url=service.url, timeout=30) as http:
        tenant = tenant_on(http, api.slug, api.key)
        first = DIALECT_REQUESTS[vendor](tenant)
        assert first.status_code == 404, first.text
        assert first.headers["RateLimit-Policy"] == '"per-key";q=1;w=86400'
        refused = DIALECT_REQUESTS[vendor](tenant)
        assert refused.status_code == 429, refused.text
        assert int(refused.headers["Retry-After"]) >= 1
        assert remaining(refused) == 0
        assert SHAPES[vendor](refused.json()), refused.text


def test_the_idoklad_token_endpoint_counts_bad_secrets_and_token_requests(
    limited: StartLimited,
) -> None:
    service = limited(rate_limit_failed_auth_per_address="2/day", rate_limit_per_key="2/day")
    api = service.tenant()
    with httpx.Client(base_url=service.url, timeout=30) as client:

        def token_request(secret: str) -> httpx.Response:
            fields = {"grant_type": "client_credentials", "client_secret": secret}
            return client.post(TOKEN_URL, data=fields)

        assert token_request(api.key).status_code == 200  # verified: usable from here on
        assert token_request(api.key).status_code == 200
        over_limit = token_request(api.key)
        assert over_limit.status_code == 429
        assert over_limit.headers["RateLimit-Policy"] == '"per-key";q=2;w=86400'
        bad = [token_request(generate_key()) for _ in range(3)]
        assert [answer.status_code for answer in bad] == [400, 400, 429]
        assert int(bad[-1].headers["Retry-After"]) >= 1
