"""The tenant-wide duplicate scan, streamed: the key groups are read one at a time (in key
order, a page of keys at a time), each group's candidate pairs are scored a batch at a time
with only their own contacts loaded, and only the pairs at `min_score` are kept. Memory holds
one batch of candidates and their contacts, never all the tenant's candidate pairs.

A pair sharing several keys is a candidate in each of their groups, yet it is scored and
reported in one only, its owner: the least (field, value) of the identifier keys the two share
(the keys but names' that at most MAX_SHARED_IDENTIFIER contacts hold, the only identifier
groups the scan pairs up), or their name block when they share none (a contact has one name
key, so two contacts share at most one block)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from uuid import UUID

from rapidfuzz import process
from rapidfuzz.fuzz import token_sort_ratio

from counterparty.domain.contact import Contact
from counterparty.domain.duplicates import SIMILAR_NAME_MIN, Likeness, identifier_keys, likeness
from counterparty.domain.legal_forms import name_key
from counterparty.services.ports import Holder, KeyGroup, UnitOfWork

# An identifier shared by more contacts than this is not a duplicate signal (a parent
# company's e-mail on all its branches).
MAX_SHARED_IDENTIFIER = 50
# Nor is a name key carried by more contacts of one country than this: such contacts are
# namesakes (a common family name) or branches, and alone the name would pair each with every
# other, none more likely than the rest. Copies made by mistake come in twos and threes, and
# copies a repeated import made share identifiers, which still pair them.
MAX_SHARED_NAME = 10
# Names are compared within windows of this many consecutive name keys (in key order) of
# one country's part of a name block: a block of thousands of members costs at most
# NAME_BLOCK comparisons per member and holds one window, and names alike across two windows
# are not paired.
NAME_BLOCK = 2000
# Candidates are scored this many at a time, with their contacts loaded together.
SCORING_BATCH = 2000
# The results kept for the next pages of GET /v1/duplicates, in each process: at most this
# many, of at most KEPT_PAIRS pairs each (a bigger result is found again for each page).
KEPT_SCANS = 4
KEPT_PAIRS = 50_000

Key = tuple[str, str]
# A candidate pair, with the identifier key of the group it comes from (None: a name block).
Candidate = tuple[UUID, UUID, Key | None]
Keyed = tuple[str, UUID, str | None]  # a name block member's name key, contact id and country


@dataclass(frozen=True, slots=True)
class Paired:
    """What a pair keeps of each of its contacts: the scan may keep many pairs, and a whole
    contact is many times bigger."""

    id: UUID
    number: int
    name: str | None

    @classmethod
    def of(cls, contact: Contact) -> Paired:
        return cls(contact.id, contact.number, contact.name)


@dataclass(frozen=True, slots=True)
class Pair:
    first: Paired  # the lower number
    second: Paired
    likeness: Likeness

    @property
    def position(self) -> tuple[float, int, int]:
        return (-self.likeness.score, self.first.number, self.second.number)


def _windows(members: list[Keyed]) -> Iterator[list[tuple[str, UUID]]]:
    keyed = sorted((key, contact_id) for key, contact_id, _ in members)
    for start in range(0, len(keyed), NAME_BLOCK):
        yield keyed[start : start + NAME_BLOCK]


def _uncrowded(members: list[Holder]) -> list[Keyed]:
    """The members with their name keys, but those whose key more than MAX_SHARED_NAME
    members of their country (or of those without one) carry."""
    keyed = [(name_key(m.folded_name), m.contact_id, m.country_code) for m in members]
    carried = Counter((key, country) for key, _, country in keyed)
    return [member for member in keyed if carried[member[0], member[2]] <= MAX_SHARED_NAME]


def _similar_in(window: list[tuple[str, UUID]]) -> Iterator[tuple[UUID, UUID]]:
    keys = [key for key, _ in window]
    cutoff = SIMILAR_NAME_MIN * 100
    for index, (key, contact_id) in enumerate(window[:-1]):
        later = keys[index + 1 :]
        for _, _, offset in process.extract(
            key, later, scorer=token_sort_ratio, score_cutoff=cutoff, limit=None
        ):
            yield contact_id, window[index + 1 + offset][1]


def name_pairs(members: list[Holder]) -> Iterator[tuple[UUID, UUID]]:
    """The pairs of a name block whose name keys are alike enough to score, each once. A
    similar name counts only within one country, or where a country is missing (then the city
    decides, when scored): the members without a country are compared with everyone, then
    each country's members with each other, but for the pairs already compared in one window
    with everyone. A name too many carry is left out (MAX_SHARED_NAME)."""
    countries: dict[str | None, list[Keyed]] = {}
    for member in _uncrowded(members):
        countries.setdefault(member[2], []).append(member)
    unplaced = countries.pop(None, [])
    window_of: dict[UUID, int] = {}
    if unplaced:
        everyone = [*unplaced, *(member for part in countries.values() for member in part)]
        for number, window in enumerate(_windows(everyone)):
            window_of.update((contact_id, number) for _, contact_id in window)
            yield from _similar_in(window)
        if len(everyone) <= NAME_BLOCK:
            return
    for part in countries.values():
        for window in _windows(part):
            for a, b in _similar_in(window):
                if not unplaced or window_of[a] != window_of[b]:
                    yield a, b


def group_candidates(group: KeyGroup) -> Iterator[Candidate]:
    """The pairs of one key group worth scoring: contacts sharing an identifier (unless too
    many share it), or alike in name."""
    if group.field == "name":
        for a, b in name_pairs(group.members):
            yield a, b, None
    elif len(group.members) <= MAX_SHARED_IDENTIFIER:
        key = (group.field, group.value)
        for a, b in combinations((member.contact_id for member in group.members), 2):
            yield a, b, key


def _owns(group_key: Key | None, shared: set[Key]) -> bool:
    if group_key is None:
        return not shared
    return not any(key < group_key for key in shared)


class _Batches:
    """Scores candidates a batch at a time. The contacts of the batch before are kept: a name
    block's candidates often go on into the next batch. The pairs kept share what they can:
    a contact is in many pairs, and the pairs of a name many contacts carry are alike for
    the same reasons."""

    def __init__(self, uow: UnitOfWork, tenant_id: UUID, min_score: float) -> None:
        self._uow, self._tenant_id, self._min_score = uow, tenant_id, min_score
        self._crowded = uow.duplicates.crowded_keys(tenant_id, MAX_SHARED_IDENTIFIER)
        self._contacts: dict[UUID, tuple[Contact, set[Key]]] = {}
        self._paired: dict[UUID, Paired] = {}
        self._likenesses: dict[Likeness, Likeness] = {}

    def _kept(self, first: Contact, second: Contact, alike: Likeness) -> Pair:
        one, other = (self._paired.setdefault(c.id, Paired.of(c)) for c in (first, second))
        return Pair(one, other, self._likenesses.setdefault(alike, alike))

    def _load(self, candidates: list[Candidate]) -> dict[UUID, tuple[Contact, set[Key]]]:
        """Each candidate's contact, with the identifier keys it may be paired by."""
        ids = dict.fromkeys(contact_id for a, b, _ in candidates for contact_id in (a, b))
        kept = {i: self._contacts[i] for i in ids if i in self._contacts}
        missing = [i for i in ids if i not in kept]
        for i, stored in self._uow.contacts.get_many(self._tenant_id, missing).items():
            contact = stored.contact()
            kept[i] = (contact, identifier_keys(contact) - self._crowded)
        self._contacts = kept
        return kept

    def scored(self, candidates: list[Candidate]) -> Iterator[Pair]:
        """The candidates at `min_score` whose group owns them."""
        contacts = self._load(candidates)
        for a, b, group_key in candidates:
            if a not in contacts or b not in contacts:
                continue  # deleted since the scan read its keys
            (one, one_keys), (other, other_keys) = contacts[a], contacts[b]
            if not _owns(group_key, one_keys & other_keys):
                continue  # scored in the group of a key the two share that comes first
            first, second = sorted((one, other), key=lambda c: c.number)
            alike = likeness(first, second)
            if alike is not None and alike.score >= self._min_score:
                yield self._kept(first, second, alike)


def scan(uow: UnitOfWork, tenant_id: UUID, min_score: float) -> list[Pair]:
    """Every pair of the tenant's active contacts scoring at least `min_score`, each once,
    in no particular order."""
    batches = _Batches(uow, tenant_id, min_score)
    found: list[Pair] = []
    batch: list[Candidate] = []
    for group in uow.duplicates.key_groups(tenant_id):
        for candidate in group_candidates(group):
            batch.append(candidate)
            if len(batch) >= SCORING_BATCH:
                found += batches.scored(batch)
                batch = []
    found += batches.scored(batch)
    return found


class KeptScans:
    """The last scans' sorted results, by tenant, min_score and the state of the tenant's
    contacts when scanned (DuplicateRepository.contacts_state): valid while it is the same."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scans: OrderedDict[tuple[object, ...], list[Pair]] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> list[Pair] | None:
        with self._lock:
            found = self._scans.get(key)
            if found is not None:
                self._scans.move_to_end(key)
            return found

    def keep(self, key: tuple[object, ...], pairs: list[Pair]) -> None:
        if len(pairs) > KEPT_PAIRS:
            return
        with self._lock:
            self._scans[key] = pairs
            self._scans.move_to_end(key)
            while len(self._scans) > KEPT_SCANS:
                self._scans.popitem(last=False)
