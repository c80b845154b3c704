"""Handlers of probable duplicates: one contact's candidates, and the tenant's pairs."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from counterparty.api.contacts import contact_id
from counterparty.api.history import limit_parameter
from counterparty.domain.contact import Contact
from counterparty.domain.duplicates import Likeness
from counterparty.errors import FieldError, ValidationFailed
from counterparty.services.context import Actor
from counterparty.services.duplicate_scan import Paired
from counterparty.services.duplicates import DEFAULT_MIN_SCORE
from counterparty.web.http import json_response, next_link
from counterparty.web.state import services

CANDIDATE_LIMITS = (20, 100)
PAIR_LIMITS = (50, 200)


class ReasonOut(BaseModel):
    field: str
    rule: str
    detail: str


class ContactRef(BaseModel):
    id: UUID
    number: int
    name: str | None


class CandidateOut(ContactRef):
    score: float
    reasons: list[ReasonOut]


class CandidateList(BaseModel):
    data: list[CandidateOut]


class PairOut(BaseModel):
    """Two contacts that look alike; the lower number first."""

    score: float
    reasons: list[ReasonOut]
    contacts: list[ContactRef]


class PairList(BaseModel):
    data: list[PairOut]
    next_cursor: str | None
    has_more: bool


def min_score_parameter(request: Request, default: float) -> float:
    """The `min_score` query parameter: a number from 0 to 1."""
    raw = request.query_params.get("min_score")
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:  # also refuses NaN
        error = FieldError("out_of_range", "a number from 0 to 1", parameter="min_score")
        raise ValidationFailed(f"min_score: {error.detail}", errors=[error])
    return value


def _reasons(alike: Likeness) -> list[ReasonOut]:
    return [ReasonOut(field=r.field, rule=r.rule, detail=r.detail) for r in alike.reasons]


def _ref(contact: Contact | Paired) -> ContactRef:
    return ContactRef(id=contact.id, number=contact.number, name=contact.name)


async def contact_duplicates(request: Request, actor: Actor) -> Response:
    target = contact_id(request)
    min_score = min_score_parameter(request, 0.0)
    limit = limit_parameter(request, CANDIDATE_LIMITS)
    found = services(request).duplicates.candidates(actor, target, limit)
    data = [
        CandidateOut(
            **_ref(c.contact).model_dump(), score=c.likeness.score, reasons=_reasons(c.likeness)
        )
        for c in found
        if c.likeness.score >= min_score
    ]
    return json_response(CandidateList(data=data))


async def list_duplicates(request: Request, actor: Actor) -> Response:
    min_score = min_score_parameter(request, DEFAULT_MIN_SCORE)
    limit = limit_parameter(request, PAIR_LIMITS)
    page = services(request).duplicates.pairs(
        actor, min_score, limit, request.query_params.get("cursor")
    )
    body = PairList(
        data=[
            PairOut(
                score=pair.likeness.score,
                reasons=_reasons(pair.likeness),
                contacts=[_ref(pair.first), _ref(pair.second)],
            )
            for pair in page.pairs
        ],
        next_cursor=page.next_cursor,
        has_more=page.next_cursor is not None,
    )
    return json_response(body, headers=next_link(request, page.next_cursor))
