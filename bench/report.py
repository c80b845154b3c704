"""What ran where, and the results as a table and as JSON."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.wrk import DESCRIPTIONS, SCENARIOS, WrkResult

PACKAGES = (
    "counterparty", "starlette", "uvicorn", "uvloop", "httptools", "pydantic", "pydantic-core",
    "sqlalchemy", "orjson", "psycopg", "zstandard",
)  # fmt: skip


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine(wrk_version: str, postgres_version: str | None = None) -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory": _memory(),
        "kernel": platform.release(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version,
        "postgresql": postgres_version,
        "packages": {name: _package_version(name) for name in PACKAGES},
        "load_average": list(os.getloadavg()),
        "executable_is_venv": sys.prefix != sys.base_prefix,
    }


def print_machine(description: dict[str, Any]) -> None:
    packages = ", ".join(f"{name} {v}" for name, v in description["packages"].items())
    print("| item | value |\n| --- | --- |")
    print(f"| CPU | {description['cpu']}, {description['cpus']} CPUs |")
    print(f"| memory | {description['memory']} |")
    print(f"| kernel | {description['kernel']} |")
    print(f"| Python | {description['python']} |")
    print(f"| SQLite | {description['sqlite']} |")
    if description["postgresql"]:
        print(f"| PostgreSQL | {description['postgresql']} |")
    print(
        f"| load generator | {description['wrk']} for GET and PATCH; Python http.client for "
        "pages (one keep-alive connection) and loading |"
    )
    print(f"| packages | {packages} |")
    load = ", ".join(f"{value:.2f}" for value in description["load_average"])
    print(f"| load average at start | {load} |")


@dataclass
class Run:
    scenario: str
    server: str
    round: int
    result: WrkResult
    server_cpu_seconds: float
    machine_busy: float
    steal: float

    @property
    def server_cpu_us_per_request(self) -> float:
        return self.server_cpu_seconds / max(self.result.requests, 1) * 1e6

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "server": self.server,
            "round": self.round,
            **self.result.as_dict(),
            "server_cpu_seconds": round(self.server_cpu_seconds, 3),
            "server_cpu_us_per_request": round(self.server_cpu_us_per_request, 1),
            "machine_busy": round(self.machine_busy, 3),
            "steal": round(self.steal, 4),
        }


@dataclass
class Summary:
    scenario: str
    server: str
    runs: list[Run] = field(default_factory=list)

    @property
    def rps(self) -> list[float]:
        return [run.result.requests_per_second for run in self.runs]

    def median(self, measure: Callable[[Run], float]) -> float:
        return statistics.median(measure(run) for run in self.runs) if self.runs else math.nan

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "server": self.server,
            "n": len(self.runs),
            "rps_median": round(self.median(lambda run: run.result.requests_per_second), 1),
            "rps_min": min(self.rps, default=0),
            "rps_max": max(self.rps, default=0),
            "p50_ms_median": self.median(lambda run: run.result.p50_ms),
            "p99_ms_median": self.median(lambda run: run.result.p99_ms),
            "server_cpu_us_per_request_median": round(
                self.median(lambda run: run.server_cpu_us_per_request), 1
            ),
            "errors": sum(run.result.errors for run in self.runs),
        }


def summarize(runs: Sequence[Run]) -> list[Summary]:
    summaries: dict[tuple[str, str], Summary] = {}
    for run in runs:
        key = (run.scenario, run.server)
        summaries.setdefault(key, Summary(*key)).runs.append(run)
    order = {name: index for index, name in enumerate(SCENARIOS)}
    return sorted(summaries.values(), key=lambda s: (order[s.scenario], s.server != "real"))


def ratios(summaries: Sequence[Summary]) -> dict[str, float]:
    """Median real req/s over median ceiling req/s, per scenario."""
    by_key = {
        (s.scenario, s.server): s.median(lambda run: run.result.requests_per_second)
        for s in summaries
    }
    return {
        scenario: round(by_key[(scenario, "real")] / by_key[(scenario, "ceiling")], 3)
        for scenario in SCENARIOS
        if by_key.get((scenario, "ceiling")) and (scenario, "real") in by_key
    }


def print_table(summaries: Sequence[Summary]) -> None:
    found = ratios(summaries)
    header = (
        "| scenario | server | req/s median (min–max) | p50 ms | p99 ms | server CPU µs/req "
        "| real/ceiling | errors |"
    )
    print(header)
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for summary in summaries:
        ratio = found.get(summary.scenario) if summary.server == "real" else None
        rps = summary.rps
        # Whole numbers from the unrounded values, so that the median never falls outside
        # its own min–max by rounding.
        low, middle, high = (
            f"{value:,.0f}" for value in (min(rps), statistics.median(rps), max(rps))
        )
        print(
            f"| {DESCRIPTIONS[summary.scenario]} | {summary.server} "
            f"| **{middle}** ({low}–{high}) "
            f"| {summary.median(lambda run: run.result.p50_ms):.2f} "
            f"| {summary.median(lambda run: run.result.p99_ms):.2f} "
            f"| {summary.median(lambda run: run.server_cpu_us_per_request):,.0f} "
            f"| {'' if ratio is None else f'{ratio:.2f}'} "
            f"| {sum(run.result.errors for run in summary.runs)} |"
        )
