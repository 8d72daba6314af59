"""Start ``xsrv-kg serve`` (or any server command) on a free loopback port for a test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


def free_port() -> int:
    """A TCP port nobody listens on at the moment (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str  # e.g. http://127.0.0.1:54321
    process: subprocess.Popen
    token: str | None = None

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"server exited with {process.returncode}: {out}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up in {timeout} s")


@contextmanager
def serve(*args: str, token: str | None = None, env: dict[str, str] | None = None,
          command: Sequence[str] | None = None, probe: str = "/sparql") -> Iterator[LiveServer]:
    """Run ``xsrv-kg serve ARGS`` on a free port until the block ends, then SIGTERM it."""
    port = free_port()
    cmd = list(command) if command else [sys.executable, "-m", "xsrv_kg", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), *args]
    full_env = {**os.environ, **(env or {})}
    if token:
        full_env["XSRV_UPDATE_TOKEN"] = token
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=full_env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + probe, process)
        yield LiveServer(url, process, token)
    finally:
        stop(process, timeout=15)


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds; close its output pipe."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()
