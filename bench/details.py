"""What explains the headline figures: search time by kind of term, where the bytes are."""

from __future__ import annotations

from bench.dataset.terms import CATEGORIES
from bench.loaded import Loaded
from bench.measure import SEARCH, Measures

SLOWEST = 6


def print_search_detail(measures: Measures) -> None:
    real = measures.latency_of(SEARCH, "real")
    probes = measures.probes[SEARCH]
    p50, p99 = real.by_category(probes, 50), real.by_category(probes, 99)
    print("\n| q terms (counterparty, all rounds) | terms | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- |")
    for category in CATEGORIES:
        if category in p50:
            count = sum(probe.category == category for probe in probes)
            print(f"| {category} | {count} | {p50[category]:.2f} | {p99[category]:.2f} |")
    slowest = ", ".join(f"{term!r} {ms:.1f} ms" for term, ms in real.slowest(SLOWEST))
    print(f"\nSlowest terms (median): {slowest}")


def print_load_detail(loaded: Loaded) -> None:
    size = loaded.storage
    contacts = loaded.load.contacts
    parts = ", ".join(
        f"{name} {value / contacts:,.0f}" for name, value in size.parts.items() if value
    )
    print(f"\nBytes per contact by part: {parts} ({size.method})")
    matches = ", ".join(f"{term!r} {count:,}" for term, count in loaded.term_matches.items())
    print(f"Active contacts each q term matches: {matches}")
    origin = "reused from the cache, loaded" if loaded.cached else "loaded"
    print(
        f"Load and baseline {origin} {loaded.loaded_at} at commit {loaded.commit}: "
        f"{loaded.load.requests:,} requests, {loaded.load.seconds:,.1f} s; baseline "
        f"{loaded.baseline.rows:,} rows in {loaded.baseline.seconds:,.1f} s "
        f"({loaded.baseline.method})"
    )


def print_growth_detail(measures: Measures) -> None:
    growth = measures.growth
    if growth is None:
        return
    parts = ", ".join(f"{part} {size:,.0f}" for part, size in growth.per_patch_by_part().items())
    print(
        f"\nOne-field PATCH ({growth.contacts} contacts x 32 versions): "
        f"{growth.bytes_per_patch:,.0f} B each; by part: {parts}"
    )
