"""Probable duplicates: the candidates of one contact, and the tenant's pairs, scored with
their reasons (domain/duplicates.py). Only active (unarchived) contacts are candidates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from counterparty.domain.contact import Contact
from counterparty.domain.duplicates import Likeness, likeness, matching_keys
from counterparty.errors import InvalidCursor, NotFound
from counterparty.services import duplicate_scan
from counterparty.services.context import Actor
from counterparty.services.duplicate_policy import holders_of_identifiers
from counterparty.services.duplicate_scan import Pair
from counterparty.services.ports import UnitOfWork
from counterparty.services.tokens import seal, unseal
from counterparty.services.transactions import Transactions

DEFAULT_MIN_SCORE = 0.8
# How many holders of one key a contact's candidates are read from: a key many contacts
# share (a switchboard's phone, a common first word) says little about any one of them.
HOLDERS_PER_KEY = 200
RESEMBLANCES = 10  # at most this many shown to a person after a write
_PAIRS_CURSOR = "duplicates"


@dataclass(frozen=True)
class Candidate:
    contact: Contact
    likeness: Likeness


@dataclass(frozen=True)
class Resemblance:
    """Another active contact that is probably the same, and the rules that say so."""

    contact: Contact
    rules: tuple[str, ...]


@dataclass(frozen=True)
class PairPage:
    pairs: list[Pair]
    next_cursor: str | None


def _active_others(found: dict[UUID, Any], subject: UUID) -> Iterator[Contact]:
    for contact_id, stored in found.items():
        if contact_id != subject and not (contact := stored.contact()).archived:
            yield contact


def _subject(uow: UnitOfWork, actor: Actor, contact_id: UUID) -> Contact:
    stored = uow.contacts.get(actor.tenant_id, contact_id)
    if stored is None:
        raise NotFound(f"no contact with id {contact_id}")
    return stored.contact()


def _candidates(uow: UnitOfWork, actor: Actor, subject: Contact) -> list[Candidate]:
    """Every scored candidate of `subject`, best first (then by number)."""
    holders = uow.duplicates.holders(actor.tenant_id, matching_keys(subject), HOLDERS_PER_KEY)
    holders.pop(subject.id, None)
    found = uow.contacts.get_many(actor.tenant_id, list(holders))
    scored = [
        Candidate(other, alike)
        for other in _active_others(found, subject.id)
        if (alike := likeness(subject, other)) is not None
    ]
    scored.sort(key=lambda c: (-c.likeness.score, c.contact.number))
    return scored


def _sorted_scan(uow: UnitOfWork, actor: Actor, min_score: float) -> list[Pair]:
    found = duplicate_scan.scan(uow, actor.tenant_id, min_score)
    return sorted(found, key=lambda pair: pair.position)


class DuplicateService:
    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions
        self._kept = duplicate_scan.KeptScans()

    def candidates(self, actor: Actor, contact_id: UUID, limit: int) -> list[Candidate]:
        """The contact's probable duplicates, best first."""

        def work(uow: UnitOfWork) -> list[Candidate]:
            return _candidates(uow, actor, _subject(uow, actor, contact_id))[:limit]

        return self._tx.read(work, actor)

    def resemblances(
        self, actor: Actor, contact_id: UUID, min_score: float = DEFAULT_MIN_SCORE
    ) -> list[Resemblance]:
        """What a person is warned of after writing a contact: the other active contacts
        with its VAT number, tax id or registration number (what the duplicate policy looks
        for), and the candidates scoring at least `min_score`; best first, those found only
        by the identifiers last (by number)."""

        def work(uow: UnitOfWork) -> list[Resemblance]:
            subject = _subject(uow, actor, contact_id)
            rules: dict[UUID, list[str]] = {}
            others: dict[UUID, Contact] = {}
            for candidate in _candidates(uow, actor, subject):
                if candidate.likeness.score >= min_score:
                    others[candidate.contact.id] = candidate.contact
                    rules[candidate.contact.id] = [r.rule for r in candidate.likeness.reasons]
            notices = holders_of_identifiers(uow, actor, subject, itself=subject.id)
            unscored = [notice.contact_id for notice in notices if notice.contact_id not in others]
            for other_id, stored in uow.contacts.get_many(actor.tenant_id, unscored).items():
                others[other_id] = stored.contact()
            for notice in notices:
                if notice.rule not in (found := rules.setdefault(notice.contact_id, [])):
                    found.append(notice.rule)
            return [Resemblance(others[i], tuple(rules[i])) for i in others][:RESEMBLANCES]

        return self._tx.read(work, actor)

    def scan(self, actor: Actor, min_score: float) -> list[Pair]:
        """Every pair of the tenant's active contacts scoring at least `min_score`, each
        once, best first (then by the pair's contact numbers)."""

        def work(uow: UnitOfWork) -> list[Pair]:
            return _sorted_scan(uow, actor, min_score)

        return self._tx.read(work, actor)

    def pairs(
        self, actor: Actor, min_score: float, limit: int, cursor: str | None = None
    ) -> PairPage:
        """One page of `scan`, after the page the cursor ends. A first page scans; the next
        pages reuse its scan while the tenant's contacts are unchanged."""
        secret = actor.tenant.cursor_secret
        after = self._position(secret, cursor, min_score) if cursor else None

        def work(uow: UnitOfWork) -> list[Pair]:
            state = uow.duplicates.contacts_state(actor.tenant_id)
            key = (actor.tenant_id, min_score, state)
            found = self._kept.get(key) if after is not None else None
            if found is None:
                found = _sorted_scan(uow, actor, min_score)
                self._kept.keep(key, found)
            return found

        found = self._tx.read(work, actor)
        if after is not None:
            found = [pair for pair in found if pair.position > after]
        page = found[:limit]
        next_cursor = None
        if len(found) > limit:
            score, first, second = page[-1].position
            next_cursor = seal(secret, [_PAIRS_CURSOR, min_score, score, first, second])
        return PairPage(page, next_cursor)

    @staticmethod
    def _position(secret: bytes, cursor: str, min_score: float) -> tuple[float, int, int]:
        payload = unseal(secret, cursor)
        if len(payload) != 5 or payload[:2] != [_PAIRS_CURSOR, min_score]:
            raise InvalidCursor("the cursor belongs to another list or another min_score")
        return (float(payload[2]), int(payload[3]), int(payload[4]))
