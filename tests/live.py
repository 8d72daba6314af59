"""Start ``xsrv-kg serve`` on a free loopback port for a test (on :mod:`benchmarks.support`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from benchmarks.support import launched


@dataclass
class LiveServer:
    url: str  # e.g. http://127.0.0.1:54321
    process: subprocess.Popen
    token: str | None = None

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@contextmanager
def serve(*args: str, token: str | None = None,
          env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """Run ``xsrv-kg serve ARGS`` (with this interpreter, so this tree) on a free port until
    the block ends, then SIGTERM it."""
    full_env = {**os.environ, **(env or {})}
    if token:
        full_env["XSRV_UPDATE_TOKEN"] = token
    command = [sys.executable, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1",
               "--port", "{port}", *args]
    with launched(command, probe="/sparql", env=full_env) as server:
        yield LiveServer(server.url, server.process, token)
