"""Interleaved rounds: every scenario on every server, the servers' order alternating.

Warm-up runs first (measured and kept, never summarised); then each round runs every
scenario on each server in turn, the first server of odd rounds going last in even ones, so
that slow drift of a shared machine spreads evenly over both.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from bench import latency, wrk
from bench.report import Run
from bench.servers import Server, machine_cpu

T = TypeVar("T")


def interleave(
    servers: Sequence[Server],
    scenarios: Sequence[str],
    rounds: int,
    measure: Callable[[str, Server, int], T],
    warmup: bool,
) -> tuple[list[T], list[T]]:
    warmups = [measure(s, server, 0) for s in scenarios for server in servers] if warmup else []
    runs: list[T] = []
    for round_ in range(1, rounds + 1):
        order = list(servers) if round_ % 2 else list(reversed(servers))
        for scenario in scenarios:
            runs += [measure(scenario, server, round_) for server in order]
    return runs, warmups


class WrkRounds:
    """wrk -c32 runs of the throughput scenarios (GET and PATCH by id)."""

    def __init__(self, workdir: Path, ids_file: Path, api_key: str, seed: int) -> None:
        self._workdir = workdir
        self._ids_file = ids_file
        self._api_key = api_key
        self._seed = seed
        self._scripts = 0

    def run(self, scenario: str, server: Server, round_: int, seconds: int) -> Run:
        self._scripts += 1
        label = f"w{server.workers}r{round_}n{self._scripts}"
        script = self._workdir / f"{scenario}-{server.name}-{label}.lua"
        script.write_text(
            wrk.lua_script(
                scenario, self._ids_file, self._api_key, self._seed + self._scripts, label
            )
        )
        cpu_before, machine_before = server.cpu_seconds(), machine_cpu()
        result = wrk.run(server.url, script, seconds)
        cpu_after, machine_after = server.cpu_seconds(), machine_cpu()
        total = max(machine_after.total - machine_before.total, 1)
        run = Run(
            scenario=scenario,
            server=server.name,
            round=round_,
            result=result,
            server_cpu_seconds=cpu_after - cpu_before,
            machine_busy=1 - (machine_after.idle - machine_before.idle) / total,
            steal=(machine_after.steal - machine_before.steal) / total,
        )
        if round_:
            print(f"  round {round_} {progress(run)}", flush=True)
        if result.errors:
            print(
                f"\n!!! {scenario} on {server.name}: {result.non_2xx} non-2xx responses and "
                f"{result.socket_errors} socket errors {result.socket_error_detail} !!!\n",
                flush=True,
            )
        return run


def progress(run: Run) -> str:
    result = run.result
    return (
        f"{run.scenario:6} {run.server:7} {result.requests_per_second:9,.0f} req/s  "
        f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
        f"server CPU {run.server_cpu_us_per_request:6,.0f} µs/req  "
        f"machine busy {run.machine_busy:4.0%}  errors {result.errors}"
    )


class LatencyRounds:
    """One-connection runs of the page scenarios (`q` search, list pages)."""

    def __init__(
        self,
        headers: Mapping[str, str],
        probes: Mapping[str, Sequence[latency.Probe]],
        requests: int,
        seed: int,
    ) -> None:
        self._headers = headers
        self._probes = probes
        self._requests = requests
        self._rng = random.Random(seed)

    def run(self, scenario: str, server: Server, round_: int) -> latency.LatencyRun:
        headers = self._headers if server.name == "real" else {}
        # A warm-up pass sends each probe once.
        requests = self._requests if round_ else 1
        result = latency.run(
            server, headers, scenario, self._probes[scenario], requests, round_, self._rng
        )
        if round_:
            print(
                f"  round {round_} {scenario:22} {server.name:7} "
                f"p50 {result.percentile(50):8.2f} ms  p99 {result.percentile(99):8.2f} ms  "
                f"requests {len(result.all_ms)}  errors {result.errors}",
                flush=True,
            )
        return result
