"""Servers under test: uvicorn subprocesses on 127.0.0.1, always stopped by their PID."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0
STARTUP_LINE = b"Application startup complete."
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    workers: int = 1

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pids(self) -> list[int]:
        """The server process and its descendants (uvicorn's workers)."""
        found, pending = [], [self.process.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    pending += [int(child) for child in task.read_text().split()]
                except OSError:
                    continue
        return found

    def _proc(self, name: str) -> Iterator[str]:
        """/proc/<pid>/<name> of each server process still running."""
        for pid in self.pids():
            try:
                yield Path(f"/proc/{pid}/{name}").read_text()
            except OSError:
                continue

    def cpu_seconds(self) -> float:
        """User + system CPU the server's processes have used so far (the workers count
        their own: a process's children are counted once they exit only)."""
        ticks = 0
        for stat in self._proc("stat"):
            fields = stat.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / CLOCK_TICKS

    def peak_rss_bytes(self) -> int:
        """The peak resident memory (VmHWM) of each server process, summed."""
        return sum(
            int(line.split()[1]) * 1024
            for status in self._proc("status")
            for line in status.splitlines()
            if line.startswith("VmHWM:")
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def request(
    server: Server,
    method: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Servers:
    """Starts uvicorn apps with identical settings and stops every one of them on exit,
    whatever ended the benchmark (error, Ctrl-C, SIGTERM)."""

    def __init__(self, workdir: Path, log_dir: Path) -> None:
        self._workdir = workdir
        self._log_dir = log_dir
        self._running: list[Server] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        started = list(self._running)
        self.stop_all()
        if isinstance(exc, Exception):
            # The server's own traceback usually explains the failure; its log is about to
            # be deleted with the scratch directory.
            for server in started:
                print(f"--- {server.name} server log ---\n{server.log_tail()}", file=sys.stderr)

    def start(self, name: str, factory: str, env: Mapping[str, str], workers: int = 1) -> Server:
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "--factory", factory,
            "--host", HOST, "--port", str(port), "--workers", str(workers),
            "--no-access-log", "--log-level", "info",
        ]  # fmt: skip
        # Settings must come from this benchmark alone, not from whatever the shell exports.
        clean = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERPARTY_")}
        log_path = self._log_dir / f"{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=self._workdir,
                env={**clean, **env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: Ctrl-C reaches only the benchmark, which then stops the servers
                # in order instead of racing their shutdown.
                start_new_session=True,
            )
        server = Server(name, process, port, log_path, workers)
        self._running.append(server)
        self._wait_ready(server)
        return server

    def stop(self, server: Server) -> None:
        if server in self._running:
            self._running.remove(server)
        stop(server)

    def _wait_ready(self, server: Server) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
                )
            # Every worker must be up: uvicorn's workers share the socket, and one still
            # starting would leave the others all the work. Each logs its startup.
            started = server.log_path.read_bytes().count(STARTUP_LINE)
            try:
                if started >= server.workers and request(server, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{server.name} did not listen within {STARTUP_SECONDS:.0f} s")

    def stop_all(self) -> None:
        while self._running:
            stop(self._running.pop())


def stop(server: Server) -> None:
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class CpuSample:
    total: int
    idle: int
    steal: int


def machine_cpu() -> CpuSample:
    """Jiffies of all CPUs from /proc/stat, to tell a busy or stolen machine from a slow server."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    steal = values[7] if len(values) > 7 else 0
    return CpuSample(total=sum(values[:8]), idle=idle, steal=steal)
