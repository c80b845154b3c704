"""Duplicates benchmark: `python -m bench.duplicates` (`--quick` for a smoke run).

1. The write path: PATCHes through `ContactService.patch` (what the API's PATCH calls) with
   the matching keys of issue 10 and with only the batch's identifier keys that were written
   before it, in interleaved rounds; each PATCH changes the name (so the name key is derived
   anew; every name is new, so no cache helps) or only the notes. PATCH/s (median) and ratio.
2. Candidates of one contact: p50 and p99 over random contacts of a tenant of `--contacts`.
3. The tenant-wide scan (`GET /v1/duplicates`' work): seconds, pairs found.

A fresh SQLite database, one process, no HTTP; or, with `--loaded 1000000`, 2 and 3 on the
database `make bench` loaded (its realistic contacts, read only).
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

from bench.cli import CACHE, SEED
from bench.database import TENANT_SLUG
from bench.loaded import cache_key
from counterparty.db import Database
from counterparty.db import contacts as contact_storage
from counterparty.domain.contact import Contact
from counterparty.services.context import Actor
from counterparty.services.registry import Services

_WORD_LINES = (
    "demir celik yapi gida insaat tekstil mobilya otomotiv enerji lojistik",
    "jansen bakker visser smit meijer bouw handel techniek transport groep",
    "novak svoboda dvorak cerny stavby servis obchod doprava",
    "muller schmidt schneider fischer weber bau technik handel logistik",
    "peeters janssens maes jacobs brouwerij bakkerij garage",
)
WORDS = [word for line in _WORD_LINES for word in line.split()]
FORMS = ("A.Ş.", "Ltd. Şti.", "B.V.", "BV", "N.V.", "s.r.o.", "a.s.", "GmbH", "AG", "BVBA", "")
PLACES = (("TR", "İstanbul"), ("NL", "Utrecht"), ("CZ", "Praha"), ("DE", "Köln"), ("BE", "Gent"))


SYLLABLES = ("ka", "ro", "mi", "te", "lu", "sa", "no", "be", "di", "fa", "go", "hu", "ja", "ke")


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()


def contact_document(rng: random.Random, n: int) -> dict[str, Any]:
    """A company with a made-up name (most names are nobody else's, as in a real book)."""
    country, city = rng.choice(PLACES)
    name = f"{made_up_word(rng)} {rng.choice(WORDS).title()} {rng.choice(FORMS)}"
    return {
        "name": name.strip(),
        "email": f"info{n}@example.com",
        "address": {"country_code": country, "city": city},
    }


def load(services: Services, slug: str, count: int) -> tuple[Actor, list[UUID]]:
    actor = Actor(services.tenancy.create_tenant(slug), None, "bench")
    rng = random.Random(slug)
    ids: list[UUID] = []
    for start in range(0, count, 1000):
        documents = [contact_document(rng, start + n) for n in range(min(1000, count - start))]
        # One in twenty typed twice: the name in capitals with another legal form, the same
        # e-mail.
        documents += [
            {**document, "name": document["name"].upper().removesuffix(" B.V.") + " BV"}
            for document in documents[::20]
        ]
        result = services.batch.apply(actor, documents)
        ids += [item.contact.id for item in result.results if item.contact is not None]
    return actor, ids


def identifier_keys_only(contact: Contact) -> list[tuple[str, str]]:
    """What contact_keys held before issue 10: the batch's identifiers."""
    fields = contact_storage.KEY_FIELDS
    return [(name, value) for name in fields if (value := getattr(contact, name))]


def patch_rate(
    services: Services, actor: Actor, ids: Sequence[UUID], count: int, tag: str
) -> tuple[float, float]:
    """PATCH/s and CPU µs per PATCH."""
    rng = random.Random(tag)
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        change = {"name": f"Renamed {tag} {n} B.V."} if n % 2 else {"notes": f"{tag} {n}"}
        services.contacts.patch(actor, rng.choice(ids), change)
    cpu = (time.process_time() - cpu) / count * 1e6
    return count / (time.perf_counter() - started), cpu


def write_path(services: Services, options: argparse.Namespace) -> None:
    actor, ids = load(services, "writes", options.write_contacts)
    real: Callable[[Contact], list[tuple[str, str]]] = contact_storage.lookup_keys
    rates: dict[str, list[float]] = {"before": [], "with keys": []}
    cpu: dict[str, list[float]] = {"before": [], "with keys": []}
    for round_number in range(options.rounds):
        for name, derive in (("before", identifier_keys_only), ("with keys", real)):
            contact_storage.lookup_keys = derive  # type: ignore[assignment]
            try:
                tag = f"{name} {round_number}"
                rate, micros = patch_rate(services, actor, ids, options.patches, tag)
                rates[name].append(rate)
                cpu[name].append(micros)
            finally:
                contact_storage.lookup_keys = real  # type: ignore[assignment]
    for name, values in rates.items():
        print(
            f"PATCH/s {name}: median {statistics.median(values):.0f} "
            f"(min {min(values):.0f}, max {max(values):.0f}); "
            f"CPU per PATCH: median {statistics.median(cpu[name]):.0f} µs"
        )
    ratio = statistics.median(rates["with keys"]) / statistics.median(rates["before"])
    print(f"ratio with keys / before: {ratio:.3f} (target: >= 0.90)")
    cpu_ratio = statistics.median(cpu["before"]) / statistics.median(cpu["with keys"])
    print(f"CPU ratio before / with keys: {cpu_ratio:.3f}")


def detection(services: Services, options: argparse.Namespace) -> None:
    started = time.perf_counter()
    actor, ids = load(services, "book", options.contacts)
    print(f"loaded {len(ids)} contacts in {time.perf_counter() - started:.1f} s")
    candidates_and_scan(services, actor, ids, options.samples)


def candidates_and_scan(
    services: Services, actor: Actor, ids: Sequence[UUID], samples: int
) -> None:
    rng = random.Random(7)
    timings = []
    for contact_id in rng.sample(list(ids), min(samples, len(ids))):
        started = time.perf_counter()
        services.duplicates.candidates(actor, contact_id, 20)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"candidates of one contact: p50 {statistics.median(timings):.1f} ms, p99 {p99:.1f} ms")
    started = time.perf_counter()
    pairs = services.duplicates.scan(actor, 0.8)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"tenant-wide scan: {time.perf_counter() - started:.1f} s, {len(pairs)} pairs >= 0.8; "
        f"peak RSS of the process {peak:.0f} MiB"
    )


def on_loaded(options: argparse.Namespace) -> None:
    """Candidates and the scan on the database `make bench` loaded (read only)."""
    path = CACHE / f"{cache_key(options.seed, options.loaded)}.db"
    if not path.exists():
        raise SystemExit(f"no loaded database for {options.loaded:,} contacts: run make bench")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        # A random sample in SQL, so that the process's peak memory is the scan's own.
        sampled = "SELECT id FROM contacts ORDER BY random() LIMIT ?"
        rows = connection.execute(sampled, (options.samples,)).fetchall()
        count = connection.execute("SELECT count(*) FROM contacts").fetchone()[0]
    ids = [UUID(bytes=raw) if isinstance(raw, bytes) else UUID(raw) for (raw,) in rows]
    database = Database(f"sqlite:///{path}")
    try:
        services = Services.over(database.unit_of_work)
        actor = Actor(services.tenancy.get_tenant(TENANT_SLUG), None, "bench")
        print(f"{count:,} contacts loaded by make bench ({path.name})")
        candidates_and_scan(services, actor, ids, options.samples)
    finally:
        database.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.duplicates", description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--write-contacts", type=int, default=1000)
    parser.add_argument("--patches", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes")
    parser.add_argument(
        "--loaded",
        type=int,
        metavar="CONTACTS",
        help="only candidates and the scan, on the database make bench loaded with CONTACTS",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args(argv)
    if options.loaded:
        on_loaded(options)
        return 0
    if options.quick:
        options.contacts, options.samples, options.write_contacts = 2000, 100, 200
        options.patches, options.rounds = 200, 3
    with tempfile.TemporaryDirectory() as scratch:
        database = Database(f"sqlite:///{Path(scratch) / 'bench.db'}")
        database.migrate()
        services = Services.over(database.unit_of_work)
        try:
            write_path(services, options)
            detection(services, options)
        finally:
            database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
