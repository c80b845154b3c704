"""The streamed tenant-wide scan (services/duplicate_scan.py): each pair reported once, in the
group of the first key its two contacts share, with the score the two contacts give; the
same pairs as scoring the set of every candidate pair at once; a name block bigger than
NAME_BLOCK compared in windows."""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any
from uuid import UUID

import pytest
from rapidfuzz.fuzz import token_sort_ratio

from counterparty.db import Database
from counterparty.db import duplicates as db_duplicates
from counterparty.domain.contact import Contact
from counterparty.domain.duplicates import SIMILAR_NAME_MIN, likeness
from counterparty.domain.legal_forms import name_key
from counterparty.services import duplicate_scan
from counterparty.services.context import Actor
from counterparty.services.ports import KeyGroup
from counterparty.services.registry import Services

VAT_NUMBERS = ("BE0403019261", "BE0417497106")
IBANS = ("NL91ABNA0417164300", "BE68539007547034", "BE43068999999501")
FAMILIES = ("Jansen", "Janssen", "Peeters")
TRADES = ("Bouw", "Bouwe", "Garage")


def belgian_vat_number(rng: random.Random) -> str:
    """A valid one: 97 minus the first eight digits mod 97."""
    first = f"0{rng.randrange(10**6, 10**7):07d}"
    return f"BE{first}{97 - int(first) % 97:02d}"


def belgian_iban(rng: random.Random) -> str:
    """A valid one: the account's own check (mod 97), then the IBAN's (ISO 7064)."""
    account = f"{rng.randrange(10**9, 10**10):010d}"
    bban = f"{account}{int(account) % 97 or 97:02d}"
    return f"BE{98 - int(bban + '111400') % 97:02d}{bban}"


def tenant(services: Services) -> Actor:
    slug = f"scan-{random.randrange(10**9)}"
    return Actor(services.tenancy.create_tenant(slug), None, "test")


def add(services: Services, actor: Actor, documents: list[dict[str, Any]]) -> list[Contact]:
    result = services.batch.apply(actor, documents)
    made = [item.contact for item in result.results if item.contact is not None]
    assert len(made) == len(documents)
    return made


def found(services: Services, actor: Actor, min_score: float = 0) -> list[tuple[int, int, float]]:
    return [
        (pair.first.number, pair.second.number, pair.likeness.score)
        for pair in services.duplicates.scan(actor, min_score)
    ]


def test_a_pair_sharing_a_vat_number_an_iban_and_a_name_is_reported_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicate_scan, "SCORING_BATCH", 1)
    actor = tenant(services)
    nl = {"country_code": "NL", "city": "Utrecht"}
    account = [{"iban": IBANS[0]}]
    twins = [
        {"name": name, "vat_number": VAT_NUMBERS[0], "bank_accounts": account, "address": nl}
        for name in ("Jansen Bouw B.V.", "JANSEN BOUW")
    ]
    first, second = add(services, actor, twins)
    expected = likeness(first, second)
    assert expected is not None
    assert {r.rule for r in expected.reasons} == {
        "same_vat_number",
        "same_iban",
        "same_name_and_city",
    }
    assert found(services, actor) == [(first.number, second.number, expected.score)]
    [pair] = services.duplicates.scan(actor, 0)
    assert pair.likeness == expected
    assert (pair.first.id, pair.first.name) == (first.id, "Jansen Bouw B.V.")


def test_a_key_too_many_share_leaves_the_pair_to_the_next_key(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An e-mail held by three contacts is not paired up (more than MAX_SHARED_IDENTIFIER),
    # though 'email' comes before 'vat_number': the two of them with a VAT number in common
    # are paired by it, once; the third and a fourth alike in name are paired by the name.
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_IDENTIFIER", 2)
    actor = tenant(services)
    shared = "office@holding.example"
    gent = {"country_code": "BE", "city": "Gent"}
    made = add(
        services,
        actor,
        [
            {"name": "Klok Noord", "email": shared, "vat_number": VAT_NUMBERS[1]},
            {"name": "Wiel Zuid", "email": shared, "vat_number": VAT_NUMBERS[1]},
            {"name": "Brouwerij Zwaan", "email": shared, "address": gent},
            {"name": "Brouwerij Zwaan", "email": "other@example.com", "address": gent},
        ],
    )
    numbers = [contact.number for contact in made]
    pairs = found(services, actor)
    assert [(a, b) for a, b, _ in pairs] == [(numbers[0], numbers[1]), (numbers[2], numbers[3])]
    assert pairs[0][2] == likeness(made[0], made[1]).score  # type: ignore[union-attr]


def test_only_active_holders_make_a_key_too_shared(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three hold the e-mail, but one is archived: the e-mail pairs the other two, who also
    # share a VAT number, and the pair is reported once (by the e-mail, which comes first).
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_IDENTIFIER", 2)
    actor = tenant(services)
    shared = {"email": "office@example.com", "vat_number": VAT_NUMBERS[0]}
    made = add(services, actor, [{"name": name, **shared} for name in ("Klok", "Wiel", "Mees")])
    services.contacts.set_archived(actor, made[2].id, True)
    [pair] = services.duplicates.scan(actor, 0)
    assert (pair.first.number, pair.second.number) == (made[0].number, made[1].number)
    assert [reason.rule for reason in pair.likeness.reasons] == ["same_vat_number", "same_email"]


def test_a_name_block_bigger_than_name_block_is_compared_in_windows(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seven like names in one country, in windows of three consecutive name keys: the pairs
    # within a window only, each scored once, whatever the scoring batch.
    monkeypatch.setattr(duplicate_scan, "NAME_BLOCK", 3)
    monkeypatch.setattr(duplicate_scan, "SCORING_BATCH", 2)
    actor = tenant(services)
    gent = {"country_code": "BE", "city": "Gent"}
    made = add(
        services, actor, [{"name": f"Peeters Garage {n}", "address": gent} for n in "ABCDEFG"]
    )
    ordered = sorted((name_key(c.name or ""), c.id) for c in made)
    windows = [ordered[start : start + 3] for start in range(0, len(ordered), 3)]
    by_id = {contact.id: contact for contact in made}
    expected = {
        tuple(sorted((by_id[a].number, by_id[b].number)))
        for window in windows
        for (_, a), (_, b) in combinations(window, 2)
    }
    pairs = found(services, actor)
    assert {(a, b) for a, b, _ in pairs} == expected and len(pairs) == 6


def test_a_name_too_many_contacts_of_one_country_carry_pairs_them_only_by_identifiers(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four "Peeters Bouw" in Belgium (more than MAX_SHARED_NAME): their name pairs none of
    # them, not even with a like name, but two of them share a VAT number. Two in the
    # Netherlands, and one like name there, still pair by name.
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_NAME", 3)
    actor = tenant(services)
    gent = {"country_code": "BE", "city": "Gent"}
    utrecht = {"country_code": "NL", "city": "Utrecht"}
    crowded = [{"name": "Peeters Bouw", "address": gent} for _ in range(4)]
    for document in crowded[:2]:
        document["vat_number"] = VAT_NUMBERS[0]
    few = [{"name": name, "address": utrecht} for name in ("Peeters Bouw", "Peeters Bouw",
                                                           "Peeters Bouwe")]  # fmt: skip
    made = add(services, actor, [*crowded, {"name": "Peeters Bouwe", "address": gent}, *few])
    numbers = [contact.number for contact in made]
    pairs = {(a, b): score for a, b, score in found(services, actor)}
    dutch = {(numbers[5], numbers[6]), (numbers[5], numbers[7]), (numbers[6], numbers[7])}
    assert set(pairs) == {(numbers[0], numbers[1]), *dutch}
    assert pairs[numbers[0], numbers[1]] == likeness(made[0], made[1]).score  # type: ignore[union-attr]
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_NAME", 4)
    assert len(found(services, actor)) == len(dutch) + 10  # the five Belgians, paired by name


def all_candidates(groups: list[KeyGroup]) -> set[tuple[UUID, UUID]]:
    """What the scan scored before it was streamed: the set of every candidate pair."""
    pairs: set[tuple[UUID, UUID]] = set()
    for group in groups:
        if group.field != "name":
            if len(group.members) <= duplicate_scan.MAX_SHARED_IDENTIFIER:
                ids = [member.contact_id for member in group.members]
                pairs.update(combinations(ids, 2))
            continue
        carriers: dict[tuple[str, str | None], int] = {}
        for member in group.members:
            named = (name_key(member.folded_name), member.country_code)
            carriers[named] = carriers.get(named, 0) + 1
        members = [
            member
            for member in group.members
            if carriers[name_key(member.folded_name), member.country_code]
            <= duplicate_scan.MAX_SHARED_NAME
        ]
        countries: dict[str | None, list[Any]] = {}
        for member in members:
            countries.setdefault(member.country_code, []).append(member)
        unplaced = countries.pop(None, [])
        parts = list(countries.values()) + ([members] if unplaced else [])
        for part in parts:
            keyed = sorted((name_key(member.folded_name), member.contact_id) for member in part)
            for start in range(0, len(keyed), duplicate_scan.NAME_BLOCK):
                window = keyed[start : start + duplicate_scan.NAME_BLOCK]
                for (one, a), (other, b) in combinations(window, 2):
                    if token_sort_ratio(one, other) >= SIMILAR_NAME_MIN * 100:
                        pairs.add((a, b))
    return {(a, b) if str(a) < str(b) else (b, a) for a, b in pairs}


def scored_at_once(
    database: Database, actor: Actor, min_score: float
) -> list[tuple[int, int, float]]:
    with database.unit_of_work(write=False, wait=True) as uow:
        candidates = all_candidates(list(uow.duplicates.key_groups(actor.tenant_id)))
        ids = list({contact_id for pair in candidates for contact_id in pair})
        contacts = {i: s.contact() for i, s in uow.contacts.get_many(actor.tenant_id, ids).items()}
    found = []
    for a, b in candidates:
        first, second = sorted((contacts[a], contacts[b]), key=lambda c: c.number)
        if (alike := likeness(first, second)) is not None and alike.score >= min_score:
            found.append((first.number, second.number, alike.score))
    return sorted(found, key=lambda pair: (-pair[2], pair[0], pair[1]))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_streamed_scan_finds_what_scoring_every_candidate_at_once_finds(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # Small limits, so that crowded keys, windows and batches all come into play.
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_IDENTIFIER", 3)
    monkeypatch.setattr(duplicate_scan, "MAX_SHARED_NAME", 3)
    monkeypatch.setattr(duplicate_scan, "NAME_BLOCK", 4)
    monkeypatch.setattr(duplicate_scan, "SCORING_BATCH", 3)
    rng = random.Random(seed)
    actor = tenant(services)
    places = ({"country_code": "NL", "city": "Utrecht"}, {"country_code": "BE"}, {"city": "Gent"})
    vat_numbers = [belgian_vat_number(rng) for _ in range(12)]
    ibans = [belgian_iban(rng) for _ in range(12)]
    emails = [f"{n}@example.com" for n in range(12)]
    documents = []
    for _ in range(40):
        document: dict[str, Any] = {
            "name": f"{rng.choice(FAMILIES)} {rng.choice(TRADES)}",
            "address": rng.choice(places),
        }
        # Contacts of one company share some of its identifiers, most often several.
        company = rng.randrange(len(emails))
        if rng.random() < 0.6:
            document["vat_number"] = vat_numbers[company]
        if rng.random() < 0.6:
            document["bank_accounts"] = [{"iban": ibans[company]}]
        if rng.random() < 0.6:
            document["email"] = emails[company]
        documents.append(document)
    add(services, actor, documents)
    for min_score in (0, 0.8):
        expected = scored_at_once(database, actor, min_score)
        assert found(services, actor, min_score) == expected
        assert len(expected) > 20 or min_score


def test_the_next_pages_reuse_the_scan_of_the_first_while_the_contacts_are_unchanged(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = tenant(services)
    made = add(
        services,
        actor,
        [
            {"name": "Klok", "vat_number": VAT_NUMBERS[0]},
            {"name": "Wiel", "vat_number": VAT_NUMBERS[0]},
            {"name": "Zwaan", "email": "one@example.com"},
            {"name": "Kraai", "email": "one@example.com"},
            {"name": "Mees", "email": "two@example.com"},
            {"name": "Merel", "email": "two@example.com"},
        ],
    )
    scans: list[UUID] = []
    real_scan = duplicate_scan.scan

    def counted(uow: Any, tenant_id: UUID, min_score: float) -> list[duplicate_scan.Pair]:
        scans.append(tenant_id)
        return real_scan(uow, tenant_id, min_score)

    monkeypatch.setattr(duplicate_scan, "scan", counted)
    first = services.duplicates.pairs(actor, 0, 1)
    second = services.duplicates.pairs(actor, 0, 1, first.next_cursor)
    assert len(scans) == 1 and len(second.pairs) == 1 and second.next_cursor is not None
    services.contacts.patch(actor, made[2].id, {"email": "three@example.com"})
    after_the_change = services.duplicates.pairs(actor, 0, 1, first.next_cursor)
    assert len(scans) == 2
    assert [pair.first.number for pair in after_the_change.pairs] == [made[4].number]
    assert after_the_change.next_cursor is None
    # A result of more than KEPT_PAIRS pairs is not kept: each page scans again.
    monkeypatch.setattr(duplicate_scan, "KEPT_PAIRS", 1)
    services.contacts.patch(actor, made[3].id, {"notes": "a change the scan was not kept for"})
    first = services.duplicates.pairs(actor, 0, 1)
    services.duplicates.pairs(actor, 0, 1, first.next_cursor)
    assert len(scans) == 4


def test_the_key_groups_read_page_after_page_are_those_read_at_once(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = tenant(services)
    made = add(
        services,
        actor,
        [
            {"name": f"{family} {trade}", "email": f"{n % 3}@example.com"}
            for n, (family, trade) in enumerate(
                [(family, trade) for family in FAMILIES for trade in TRADES]
            )
        ],
    )
    assert len(made) == 9

    def groups() -> list[tuple[str, str, list[UUID]]]:
        with database.unit_of_work(write=False) as uow:
            return [
                (group.field, group.value, [member.contact_id for member in group.members])
                for group in uow.duplicates.key_groups(actor.tenant_id)
            ]

    at_once = groups()
    monkeypatch.setattr(db_duplicates, "SCAN_PAGE", 2)
    assert groups() == at_once and len(at_once) >= 6


def test_a_next_page_of_keys_starts_at_the_last_key_read(database: Database) -> None:
    # Not at the tenant's first key: the pages of a million contacts' keys read them all again.
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's plans are its own")
    statement = db_duplicates._SCAN.format(after=db_duplicates._AFTER)
    with database.engine.connect() as connection:
        steps = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", ("t", "email", "a@b.c", "id", 10)
        ).all()
    assert any("(field,value,contact_id)>(?,?,?)" in str(step[-1]) for step in steps), steps
