"""Micro-benchmark of the identifier checks of a write: `python -m bench.verification`.

Two cases, each in µs of CPU time per contact (the median of several passes; CPU time rather
than elapsed time, because a shared machine lengthens the second more than the first):

- `create`: `verify` of new contacts, every value unique, as in a bulk load;
- `patch`: `verify` of a stored contact whose phone number a PATCH changed, with the stored
  contact (and its checks) as `previous`, as the write path calls it.

Every pass starts with the checkers' bounded caches emptied: at a million contacts no value
repeats, so a pass must not be answered from values an earlier pass left behind.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bench.dataset.documents import COUNTRIES, contact_document
from bench.dataset.identifiers import phone
from counterparty.domain import identifiers
from counterparty.domain.contact import WRITABLE_FIELDS, Contact, ContactInput
from counterparty.domain.ids import new_id
from counterparty.domain.verification import Policy, verify

SEED = 20261205


def empty_caches() -> None:
    """Empty every bounded (lru) cache of the checkers; the unbounded ones hold code tables
    (countries, languages) that a server builds once."""
    names = pkgutil.iter_modules(identifiers.__path__, identifiers.__name__ + ".")
    for module in [identifiers, *(importlib.import_module(name) for _, name, _ in names)]:
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:
                value.cache_clear()


def stored(contact: ContactInput, policy: Policy) -> Contact:
    """The contact as the service stores it after a create: normalised, with its checks."""
    wanted, checks = verify(contact, policy)
    moment = datetime.now(UTC)
    return Contact.model_validate(
        {
            **{name: getattr(wanted, name) for name in WRITABLE_FIELDS},
            "id": new_id(),
            "number": 1,
            "checks": checks,
            "version": 1,
            "created_at": moment,
            "updated_at": moment,
        }
    )


def patched(current: Contact, new_phone: str) -> ContactInput:
    """What a PATCH {"phone": …} hands to `verify`: the stored document with one new value."""
    document = current.model_dump(include=set(WRITABLE_FIELDS))
    return ContactInput.model_validate({**document, "phone": new_phone})


def new_phone(rng: random.Random, country_code: str | None) -> str:
    country = next(c for c in COUNTRIES if c.code == country_code)
    return phone(rng, country, rng.choice(country.cities), mobile=False)


def per_contact(work: Callable[[], object], count: int, passes: int) -> list[float]:
    """CPU µs per contact of each pass."""
    timings = []
    for _ in range(passes):
        empty_caches()
        started = time.process_time()
        work()
        timings.append((time.process_time() - started) / count * 1e6)
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.verification", description=__doc__)
    parser.add_argument("--contacts", type=int, default=2_000, help="contacts per pass (2000)")
    parser.add_argument("--passes", type=int, default=7, help="passes per case (7)")
    parser.add_argument("--policy", choices=("strict", "lenient"), default="strict")
    options = parser.parse_args(argv)
    policy: Policy = options.policy
    rng = random.Random(SEED)
    documents = [contact_document(SEED, index) for index in range(1, options.contacts + 1)]
    created = [ContactInput.model_validate(document) for document in documents]
    current = [stored(contact, policy) for contact in created]
    changes = [patched(c, new_phone(rng, c.address.country_code)) for c in current]
    count = len(created)

    # Each result is dropped at once, as a server drops a request's, so that a pass does not
    # make the garbage collector walk thousands of kept results.
    def create() -> None:
        for contact in created:
            verify(contact, policy)

    def patch() -> None:
        for changed, before in zip(changes, current, strict=True):
            verify(changed, policy, previous=before)

    print(f"{count} contacts, {options.passes} passes, policy {policy}; CPU µs per contact")
    print(f"{'case':8} {'median':>8} {'min':>8} {'max':>8}")
    for name, work in (("create", create), ("patch", patch)):
        timings = per_contact(work, count, options.passes)
        print(f"{name:8} {statistics.median(timings):8.1f} {min(timings):8.1f} {max(timings):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
