"""wrk: the Lua scripts of the throughput scenarios, one run, and its parsed output."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

THREADS = 1
CONNECTIONS = 32
# Far above any expected latency: a slow page must be measured as slow, not dropped as an error.
TIMEOUT = "30s"

SCENARIOS = ("get", "patch")
DESCRIPTIONS = {
    "get": "GET /v1/contacts/{id}",
    "patch": "PATCH /v1/contacts/{id} (merge patch: phone, notes)",
}


def _lua_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def lua_script(scenario: str, ids_file: Path, api_key: str, seed: int, nonce: str) -> str:
    """The wrk script of one scenario. Every run gets its own seed and nonce, so that runs
    draw different ids and every PATCH body differs from the contact's current state."""
    head = f"""
math.randomseed({seed})
local ids = {{}}
for line in io.lines({_lua_string(str(ids_file))}) do ids[#ids + 1] = line end
wrk.headers["Authorization"] = {_lua_string("Bearer " + api_key)}
"""
    if scenario == "get":
        return (
            head
            + """
request = function()
  return wrk.format("GET", "/v1/contacts/" .. ids[math.random(#ids)])
end
"""
        )
    if scenario == "patch":
        return (
            head
            + f"""
wrk.headers["Content-Type"] = "application/merge-patch+json"
local nonce = {_lua_string(nonce)}
local sent = 0
request = function()
  sent = sent + 1
  local body = string.format(
    '{{"phone":"+3120%07d","notes":"Called %s-%d about invoice %d; pays within 30 days."}}',
    math.random(0, 9999999), nonce, sent, math.random(10000, 99999))
  return wrk.format("PATCH", "/v1/contacts/" .. ids[math.random(#ids)], nil, body)
end
"""
        )
    raise ValueError(f"unknown scenario {scenario}")


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    socket_error_detail: dict[str, int]

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse(output: str) -> WrkResult:
    def find(pattern: str) -> re.Match[str] | None:
        return re.search(pattern, output, re.MULTILINE)

    done = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),")
    rate = find(r"^Requests/sec:\s+([\d.]+)")
    if done is None or rate is None:
        raise ValueError(f"unreadable wrk output:\n{output}")
    percentiles = {
        int(m.group(1)): _ms(m.group(2))
        for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE)
    }
    non_2xx = find(r"^\s*Non-2xx or 3xx responses:\s+(\d+)")
    sockets = find(r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    detail = {
        kind: int(sockets.group(i + 1)) if sockets else 0
        for i, kind in enumerate(("connect", "read", "write", "timeout"))
    }
    return WrkResult(
        requests=int(done.group(1)),
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
        requests_per_second=float(rate.group(1)),
        p50_ms=percentiles.get(50, float("nan")),
        p75_ms=percentiles.get(75, float("nan")),
        p90_ms=percentiles.get(90, float("nan")),
        p99_ms=percentiles.get(99, float("nan")),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(detail.values()),
        socket_error_detail=detail,
    )


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is needed: install it with your package manager (apt install wrk)")
    return found


def version() -> str:
    completed = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True)
    first_line = (completed.stdout + completed.stderr).strip().splitlines()[0]
    return first_line.split(" Copyright")[0]


def run(url: str, script: Path, seconds: int) -> WrkResult:
    command = [
        wrk_path(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
        "--timeout", TIMEOUT, "--latency", "-s", str(script), url,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    return parse(completed.stdout)
