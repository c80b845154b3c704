"""Latency over one keep-alive connection: `q` search pages and list pages, one at a time.

A scenario is a list of request paths (one per search term, or the one path of a list page).
Each round sends every path equally often, in a shuffled order, and keeps each request's
time from sending to the last byte read; the client is the same for the real server and the
ceiling, so its own cost is in both.
"""

from __future__ import annotations

import http.client
import math
import random
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.servers import HOST, Server


@dataclass(frozen=True)
class Probe:
    path: str
    label: str  # the search term, or the list page's name
    category: str = ""


@dataclass
class LatencyRun:
    scenario: str
    server: str
    round: int
    samples: dict[str, list[float]] = field(default_factory=dict)  # ms by probe label
    errors: int = 0

    @property
    def all_ms(self) -> list[float]:
        return [ms for values in self.samples.values() for ms in values]

    def percentile(self, q: float) -> float:
        return percentile(self.all_ms, q)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "server": self.server,
            "round": self.round,
            "requests": len(self.all_ms),
            "p50_ms": round(self.percentile(50), 3),
            "p99_ms": round(self.percentile(99), 3),
            "errors": self.errors,
            "p50_ms_by_probe": {
                label: round(statistics.median(values), 3) for label, values in self.samples.items()
            },
        }


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (no interpolation: p99 is a time that was measured)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def run(
    server: Server,
    headers: Mapping[str, str],
    scenario: str,
    probes: Sequence[Probe],
    requests: int,
    round_: int,
    rng: random.Random,
) -> LatencyRun:
    """At least `requests` requests, in whole passes over `probes`."""
    result = LatencyRun(scenario, server.name, round_)
    passes = max(math.ceil(requests / len(probes)), 1)
    connection = http.client.HTTPConnection(HOST, server.port, timeout=120)
    try:
        for _ in range(passes):
            for probe in rng.sample(list(probes), len(probes)):
                started = time.perf_counter()
                connection.request("GET", probe.path, headers=dict(headers))
                response = connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    result.errors += 1
                result.samples.setdefault(probe.label, []).append(elapsed)
    finally:
        connection.close()
    return result


@dataclass
class LatencySummary:
    scenario: str
    server: str
    runs: list[LatencyRun]

    def values(self, q: float) -> list[float]:
        return [run.percentile(q) for run in self.runs]

    def median(self, q: float) -> float:
        return statistics.median(self.values(q)) if self.runs else math.nan

    def by_category(self, probes: Sequence[Probe], q: float) -> dict[str, float]:
        """Percentile `q` of each category's requests, over all rounds."""
        category = {probe.label: probe.category for probe in probes}
        grouped: dict[str, list[float]] = {}
        for run in self.runs:
            for label, values in run.samples.items():
                grouped.setdefault(category.get(label, ""), []).extend(values)
        return {name: percentile(values, q) for name, values in grouped.items()}

    def slowest(self, count: int) -> list[tuple[str, float]]:
        """The probes with the highest median time, over all rounds."""
        merged: dict[str, list[float]] = {}
        for run in self.runs:
            for label, values in run.samples.items():
                merged.setdefault(label, []).extend(values)
        medians = {label: statistics.median(values) for label, values in merged.items()}
        return sorted(medians.items(), key=lambda item: -item[1])[:count]

    def as_dict(self) -> dict[str, Any]:
        p50, p99 = self.values(50), self.values(99)
        return {
            "scenario": self.scenario,
            "server": self.server,
            "rounds": len(self.runs),
            "p50_ms_median": round(self.median(50), 3),
            "p50_ms_min": round(min(p50), 3),
            "p50_ms_max": round(max(p50), 3),
            "p99_ms_median": round(self.median(99), 3),
            "p99_ms_min": round(min(p99), 3),
            "p99_ms_max": round(max(p99), 3),
            "errors": sum(run.errors for run in self.runs),
        }
