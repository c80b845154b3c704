"""Every measure beside its baseline, their ratio and the target it is held to."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.latency import LatencySummary
from bench.loaded import Loaded
from bench.measure import LISTS, SEARCH, Measures
from bench.report import Summary

MIB = 2**20


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: no target for this configuration
    number: float  # the value the target is about, for the JSON file

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio_target(measure: str, real: Summary, ceiling: Summary, goal: float | None) -> Row:
    def rate(summary: Summary) -> str:
        rps = summary.rps
        return f"{statistics.median(rps):,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) req/s"

    ratio = real.median(_rps) / ceiling.median(_rps)
    return Row(
        measure,
        rate(real),
        "ceiling " + rate(ceiling),
        f"{ratio:.3f}",
        "" if goal is None else f"≥ {goal:.2f}",
        None if goal is None else ratio >= goal,
        ratio,
    )


def _rps(run: Any) -> float:
    value: float = run.result.requests_per_second
    return value


def _latency_row(
    measure: str, real: LatencySummary, ceiling: LatencySummary, q: float, goal: float | None
) -> Row:
    def ms(summary: LatencySummary) -> str:
        values = summary.values(q)
        return f"{summary.median(q):.2f} ({min(values):.2f}–{max(values):.2f}) ms"

    value = real.median(q)
    return Row(
        measure,
        ms(real),
        "ceiling " + ms(ceiling),
        f"{value / ceiling.median(q):,.1f}×",
        "" if goal is None else f"≤ {goal:g} ms",
        None if goal is None else value <= goal,
        value,
    )


@dataclass(frozen=True)
class Goals:
    get: float | None
    patch: float | None
    search_p50: float | None = None
    search_p99: float | None = None
    list_p50: float | None = None
    patch_growth: bool = False


SQLITE_GOALS = Goals(
    get=0.50, patch=0.33, search_p50=20, search_p99=100, list_p50=5, patch_growth=True
)
POSTGRES_GOALS = Goals(get=0.30, patch=0.10)
NO_GOALS = Goals(get=None, patch=None)


def measure_rows(measures: Measures, goals: Goals) -> list[Row]:
    by_key = {(s.scenario, s.server): s for s in measures.wrk}
    rows = [
        _ratio_target(
            "GET /v1/contacts/{id}, random ids, wrk -c32",
            by_key[("get", "real")],
            by_key[("get", "ceiling")],
            goals.get,
        ),
        _ratio_target(
            "PATCH /v1/contacts/{id} (phone and notes), wrk -c32",
            by_key[("patch", "real")],
            by_key[("patch", "ceiling")],
            goals.patch,
        ),
    ]

    def search(server: str) -> LatencySummary:
        return measures.latency_of(SEARCH, server)

    rows += [
        _latency_row(
            "q page of 50, p50, 1 connection",
            search("real"),
            search("ceiling"),
            50,
            goals.search_p50,
        ),
        _latency_row(
            "q page of 50, p99, 1 connection",
            search("real"),
            search("ceiling"),
            99,
            goals.search_p99,
        ),
    ]
    for scenario in LISTS:
        label = measures.probes[scenario][0].label
        rows.append(
            _latency_row(
                f"list page without q, {label}, p50",
                measures.latency_of(scenario, "real"),
                measures.latency_of(scenario, "ceiling"),
                50,
                goals.list_p50,
            )
        )
    growth = measures.growth
    if growth is not None:
        limit = 400 + growth.value_bytes_per_patch
        rows.append(
            Row(
                f"bytes a one-field PATCH adds ({growth.patches:,} PATCHes)",
                f"{growth.bytes_per_patch:,.0f} B",
                f"changed values {growth.value_bytes_per_patch:,.0f} B",
                "",
                f"≤ 400 B + values = {limit:,.0f} B" if goals.patch_growth else "",
                growth.bytes_per_patch <= limit if goals.patch_growth else None,
                growth.bytes_per_patch,
            )
        )
    return rows


def load_rows(loaded: Loaded, with_goals: bool) -> list[Row]:
    load, raw, size = loaded.load, loaded.baseline, loaded.storage
    rate, raw_rate = load.contacts_per_second, raw.rows_per_second
    ratio = rate / raw_rate if raw_rate else 0.0
    per_contact = size.per_contact(load.contacts)
    rss = load.server_peak_rss_bytes
    return [
        Row(
            f"load through POST /v1/contacts/batch ({load.contacts:,}, "
            f"{load.connections} connection(s))",
            f"{rate:,.0f} contacts/s",
            f"executemany {raw_rate:,.0f} rows/s",
            f"{ratio:.3f}",
            "≥ 20,000/s and ≥ 0.20" if with_goals else "",
            (rate >= 20_000 and ratio >= 0.20) if with_goals else None,
            rate,
        ),
        Row(
            "server peak RSS while loading",
            f"{rss / MIB:,.0f} MiB",
            "",
            "",
            "< 300 MB" if with_goals else "",
            rss < 300e6 if with_goals else None,
            rss,
        ),
        Row(
            "database bytes per contact after loading",
            f"{per_contact:,.0f} B",
            f"{size.total_bytes / MIB:,.0f} MiB in all",
            "",
            "≤ 3,000 B" if with_goals else "",
            per_contact <= 3000 if with_goals else None,
            per_contact,
        ),
    ]


def print_rows(title: str, rows: Sequence[Row]) -> None:
    print(f"\n### {title}\n")
    print("| measure | counterparty | baseline | ratio | target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        print(
            f"| {row.measure} | {row.value} | {row.baseline} | {row.ratio} | {row.target} | {met} |"
        )
