"""Settings, read from the environment with the prefix COUNTERPARTY_ and passed in explicitly."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from limits import parse
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNTERPARTY_", extra="ignore")

    database_url: str = Field(
        "sqlite:///./counterparty.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    host: str = Field("127.0.0.1", description="Address the HTTP service listens on")
    port: int = Field(8000, ge=1, le=65535, description="Port the HTTP service listens on")
    workers: int = Field(1, ge=1, le=64, description="Number of server processes")
    bootstrap_key: SecretStr | None = Field(
        None, description="On first start with an empty database, the key of tenant 'default'"
    )
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Largest accepted request body; larger is a 413"
    )
    max_import_bytes: int = Field(
        1 << 30, ge=1024, description="Largest accepted upload of POST /v1/imports; larger is a 413"
    )
    import_dir: str | None = Field(
        None,
        description="Where uploads of POST /v1/imports wait for their import (each is "
        "deleted when its import ends). Unset: `imports` in the data directory",
    )
    import_workers: int = Field(
        1, ge=1, le=16, description="Imports run at once per server process; more wait queued"
    )
    max_batch_body_bytes: int = Field(
        16 * 1_048_576,
        ge=1024,
        description="Largest accepted body of POST /v1/contacts/batch; larger is a 413",
    )
    public_url: str | None = Field(
        None,
        description="The service's public base URL (https://contacts.example.com); absolute "
        "links are built from it. Unset: links are relative, never from the request's Host",
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated host names the service answers for; others get a 400. "
        "Empty: any",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses whose X-Forwarded-For/-Proto are believed. "
        "Empty: none",
    )
    access_log: bool = Field(True, description="Log one line per request (secrets redacted)")
    log_level: str = Field("info", description="Python logging level name")
    require_if_match: bool = Field(
        False, description="Refuse contact writes without If-Match (428)"
    )
    idempotency_retention_hours: int = Field(
        24, ge=24, description="How long an Idempotency-Key and its response are kept"
    )

    def history_retention(self) -> timedelta | None:
        days = self.history_retention_days
        return None if days is None else timedelta(days=days)

    history_retention_days: int | None = Field(
        None,
        ge=1,
        description="Days a deleted contact's history is kept before it is purged; unset: for ever",
    )
    unmerge_days: int = Field(
        30, ge=0, le=3650, description="Days after a merge during which it can be undone"
    )
    vies_url: str | None = Field(
        None,
        description="Base URL of the VIES REST API (e.g. "
        "https://ec.europa.eu/taxation_customs/vies/rest-api); unset: no registry checks",
    )
    vies_timeout_seconds: float = Field(5.0, gt=0, le=60, description="Per VIES request")
    insecure_cookies: bool = Field(
        False, description="Web interface cookies without Secure, for plain http on a laptop"
    )
    db_pool_size: int = Field(8, ge=1, description="Connections kept per server process")

    # Rate limits (README, "Rate limits"), in the `limits` notation: "6000/minute",
    # "100 per 10 seconds"; empty: no limit.
    rate_limit_per_key: str = Field(
        "6000/minute", description="Requests one API key may make in a sliding window"
    )
    rate_limit_failed_auth_per_address: str = Field(
        "600/minute",
        description="Failed authentications one client address may cause in a sliding window",
    )
    rate_limit_url: str | None = Field(
        None,
        pattern=r"^(redis|rediss|redis\+unix)://",
        description="Redis that every process shares the counters in (redis://host:6379/0). "
        "Unset: each process counts alone, in memory",
    )

    # Webhooks (docs/architecture.md, "Webhooks").
    secret_key: SecretStr | None = Field(
        None,
        description="32 bytes in URL-safe base64 that encrypt stored secrets (webhook signing "
        "secrets). Unset: generated into the data directory's secret.key on first start",
    )
    data_dir: str | None = Field(
        None,
        description="Where secret.key is kept (and uploads wait for their import, unless "
        "import_dir is set). Unset: the SQLite database's directory, or "
        "$XDG_DATA_HOME/counterparty on PostgreSQL",
    )
    webhook_deliverer: bool = Field(
        True, description="Deliver webhooks from each `counterparty serve` process"
    )
    webhook_allow_private: bool = Field(
        False, description="Allow http:// and private addresses (local development, tests)"
    )
    webhook_retry_schedule: str = Field(
        "5,300,1800,7200,18000,36000,36000",
        description="Seconds before each retry of a failed delivery (±10 % jitter)",
    )
    webhook_timeout_seconds: float = Field(15, gt=0, le=60, description="Per webhook attempt")
    webhook_concurrency: int = Field(8, ge=1, le=256, description="Webhooks sent at once")
    webhook_lease_seconds: float = Field(
        120, gt=0, description="How long a deliverer holds the deliveries it claimed"
    )
    webhook_disable_after_hours: float = Field(
        120, ge=0, description="An endpoint failing every delivery this long is disabled"
    )
    webhook_poll_seconds: float = Field(1.0, gt=0, description="Pause of an idle deliverer")

    @field_validator("rate_limit_per_key", "rate_limit_failed_auth_per_address")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        if value.strip():
            parse(value)  # a ValueError names the text it could not read
        return value


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of the real entry points (server and CLI); tests build their own."""
    return Settings()
