"""Handlers of /v1/tenant (the caller's own tenant) and /v1/validate (checks, no storage)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import PATCH_MEDIA_TYPES
from counterparty.domain.contact import Model, no_controls
from counterparty.domain.erasure import PERSON_FIELDS
from counterparty.domain.tenancy import Tenant
from counterparty.domain.validation import validate_document
from counterparty.services import checking
from counterparty.services.context import Actor
from counterparty.web.http import json_response, read_json
from counterparty.web.state import limits, services


class TenantOut(BaseModel):
    id: UUID
    slug: str
    name: str
    validation_policy: Literal["strict", "lenient"]
    retention_fields: list[str]
    duplicate_policy: Literal["warn", "refuse"]
    created_at: datetime


RetentionFields = Annotated[
    list[Annotated[str, StringConstraints(max_length=40)]],
    Field(max_length=len(PERSON_FIELDS)),
]


class TenantChanges(Model):
    """`validation_policy`: strict refuses invalid identifiers (422); lenient stores them
    and reports them `invalid` in each contact's `checks`. `retention_fields`: the fields a
    GDPR erasure (POST /v1/contacts/{id}/erase) keeps for bookkeeping; the others of the
    contact's personal fields are emptied. `duplicate_policy`: under warn (the default) a
    write whose VAT number, tax id or registration number another active contact has
    succeeds with a `Counterparty-Duplicates` header; under refuse it is a 409
    `duplicate_contact` problem (dialects always warn)."""

    name: Annotated[str, AfterValidator(no_controls)] | None = Field(
        None, min_length=1, max_length=200
    )
    validation_policy: Literal["strict", "lenient"] | None = None
    retention_fields: RetentionFields | None = None
    duplicate_policy: Literal["warn", "refuse"] | None = None


class CheckOut(BaseModel):
    field: str
    status: str
    scheme: str | None
    reason: str | None
    message: str | None


class SuggestionOut(BaseModel):
    field: str
    value: str
    source: str
    message: str


class ValidationReport(BaseModel):
    values: dict[str, str]
    formatted: dict[str, str]
    checks: list[CheckOut]
    suggestions: list[SuggestionOut]


def _tenant(request: Request, tenant: Tenant) -> Response:
    shown = {
        "id": tenant.id,
        "slug": tenant.slug,
        "name": tenant.name,
        "validation_policy": tenant.validation_policy,
        "retention_fields": list(tenant.retention_fields),
        "duplicate_policy": services(request).tenancy.duplicate_policy(tenant.id),
        "created_at": tenant.created_at,
    }
    return json_response(TenantOut.model_validate(shown))


async def get_tenant(request: Request, actor: Actor) -> Response:
    return _tenant(request, services(request).tenancy.get_tenant(actor.tenant.slug))


async def patch_tenant(request: Request, actor: Actor) -> Response:
    body = await read_json(request, limits(request).max_body_bytes, PATCH_MEDIA_TYPES)
    changes = validate_document(TenantChanges, body)
    tenant = services(request).tenancy.update_tenant(
        actor.tenant.slug,
        name=changes.name,
        validation_policy=changes.validation_policy,
        retention_fields=changes.retention_fields,
        duplicate_policy=changes.duplicate_policy,
    )
    return _tenant(request, tenant)


async def validate_identifiers(request: Request, _actor: Actor) -> Response:
    body = await read_json(request, limits(request).max_body_bytes)
    return json_response(checking.report_document(checking.check(checking.identifiers_of(body))))
