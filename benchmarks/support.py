"""What the benchmarks and the tests share: a free loopback port, the ``oxigraph`` server
binary, a server started on loopback and waited for, stopped cleanly, and a percentile; and
a benchmark's :class:`Server` (restartable, loaded over HTTP) and :func:`settle`.

It lives in ``benchmarks/`` because the benchmarks run as plain scripts
(``python benchmarks/load.py``) and should not import the test suite; the tests import it
as ``benchmarks.support`` (the repository root is on ``sys.path`` under pytest). It imports
nothing of ``xsrv_kg``, so it serves any tree: the server under test is a subprocess.
"""

from __future__ import annotations

import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on at the moment (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values (nan when there are none)."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(len(ordered) * p / 100))
    return ordered[rank - 1]


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` server binary (PyPI package ``oxigraph``), or None.

    The one installed beside the running interpreter comes first, PATH second: the tests and
    benchmarks start ``xsrv-kg serve`` with ``sys.executable`` too, so the server binary of
    that same environment (the version its extras pinned) is the one meant, also when a
    venv's ``bin/`` is not on PATH (``venv/bin/python -m pytest`` without activating it), and
    even when PATH leads to another environment's ``oxigraph``.
    """
    beside = [str(Path(sys.executable).parent)]  # not resolved: a venv's python is a symlink
    beside += [sysconfig.get_path("scripts", scheme)
               for scheme in (sysconfig.get_default_scheme(),
                              sysconfig.get_preferred_scheme("user"))]
    found = shutil.which("oxigraph", path=os.pathsep.join(dict.fromkeys(beside)))
    return found or shutil.which("oxigraph")


def wait_until_up(url: str, process: subprocess.Popen, *, timeout: float = 60,
                  data: bytes | None = None, log: Path | None = None) -> float:
    """Poll ``url`` (GET, or POST ``data`` as a form) until it answers 2xx; the seconds it
    took. Raises, with the server's output, if the process exits first or time runs out."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}: "
                               f"{_output(process, log)}")
        try:
            with urllib.request.urlopen(url, data=data, timeout=2):
                return time.monotonic() - began
        except OSError:  # not listening yet, or an HTTP error status
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


def _output(process: subprocess.Popen, log: Path | None) -> str:
    if process.stdout is not None:
        return process.stdout.read()
    return log.read_text(errors="replace")[-2000:] if log is not None else ""


def stop(process: subprocess.Popen, *, timeout: float = 10) -> bool:
    """SIGTERM, then SIGKILL after ``timeout`` seconds (the whole process group if the
    server leads one, so its workers go too); close its output pipe. Whether SIGTERM was
    enough (False if the process had already ended)."""
    by_sigterm = False
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
            by_sigterm = True
        except subprocess.TimeoutExpired:
            _kill(process)
    if process.stdout is not None:
        process.stdout.close()
    return by_sigterm


def kill(process: subprocess.Popen) -> None:
    """SIGKILL at once (its process group if it leads one), and reap it."""
    if process.poll() is None:
        _kill(process)


def _kill(process: subprocess.Popen) -> None:
    try:
        own_group = os.getpgid(process.pid) == process.pid
    except ProcessLookupError:
        own_group = False
    if own_group:
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait(timeout=10)


@dataclass(frozen=True)
class Launched:
    """A server started by :func:`launched`."""

    url: str  # http://127.0.0.1:PORT
    port: int
    process: subprocess.Popen


@contextmanager
def launched(command: Sequence[str], *, probe: str, port: int | None = None,
             env: Mapping[str, str] | None = None, data: bytes | None = None,
             log: Path | None = None, own_group: bool = False, timeout: float = 60,
             stop_timeout: float = 15) -> Iterator[Launched]:
    """Run ``command`` (each ``{port}`` in it replaced by ``port`` or a free one) until the
    block ends, once ``probe`` (a path) answers; then :func:`stop` it.

    Its output goes to ``log`` if given, else to a pipe (text) the caller may read;
    ``own_group`` starts it in a session of its own (stopping it then kills its workers too).
    """
    port = port or free_port()
    cmd = [part.replace("{port}", str(port)) for part in command]
    output = open(log, "ab") if log is not None else subprocess.PIPE  # noqa: SIM115
    try:
        process = subprocess.Popen(cmd, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, text=log is None,
                                   env=None if env is None else dict(env),
                                   start_new_session=own_group)
    finally:
        if log is not None:
            output.close()  # the child has its own descriptor
    url = f"http://{LOOPBACK}:{port}"
    try:
        wait_until_up(url + probe, process, timeout=timeout, data=data, log=log)
        yield Launched(url, port, process)
    finally:
        stop(process, timeout=stop_timeout)


# --- a benchmark's server: restartable on its port, loaded over HTTP, waited for when busy ---

@dataclass
class Server:
    """One server process: how to start it, and where it answers."""

    name: str
    command: Sequence[str]  # "{port}" is replaced by the port, "{upstream}" by upstream's
    path: str               # the query path: /sparql or /query
    logdir: Path
    port: int = 0
    process: subprocess.Popen | None = None
    load: Path | None = None  # N-Quads to POST to /store once it answers (Oxigraph)
    upstream: Server | None = None
    restarts: int = 0
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 600) -> float:
        """Start (on its old port after a restart); the seconds until it answered."""
        self.port = self.port or free_port()
        up = str(self.upstream.port) if self.upstream else ""
        cmd = [c.replace("{port}", str(self.port)).replace("{upstream}", up)
               for c in self.command]
        log_path = self.logdir / f"{self.name}.log"
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        # Its own session: stopping it takes the workers it forked too.
        self.process = subprocess.Popen(cmd, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        try:
            took = wait_until_up(self.url + self.path, self.process, timeout=timeout,
                                 data=urlencode({"query": "ASK {}"}).encode(), log=log_path)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{self.name}: {exc}") from None
        if self.load is not None:
            status, body, _ = request(self.port, "POST", "/store", self.load.read_bytes(),
                                      {"Content-Type": "application/n-quads"}, timeout=600)
            if status not in (200, 201, 204):
                raise RuntimeError(f"{self.name}: loading {self.load.name} gave HTTP "
                                   f"{status}: {body[:200].decode(errors='replace')}")
        return took

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        if self.process is not None:
            kill(self.process)  # it would go on computing the query that failed
        self.stop()
        self.restarts += 1
        self.start()


def cpu_ticks(sessions: set[int]) -> int:
    """CPU time (clock ticks) used so far by the processes of these sessions."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        if int(fields[3]) in sessions:  # fields[3] is the session id
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def settle(servers: Sequence[Server], timeout: float) -> None:
    """Wait until the servers are idle: when wrk stops, the requests it had in flight go on
    running in the server, and would be counted against the next cell's server."""
    sessions = {s.process.pid for s in servers if s.process is not None}
    deadline, before = time.monotonic() + timeout, cpu_ticks(sessions)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = cpu_ticks(sessions)
        if now - before <= 1:
            return
        before = now


def request(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str],
            timeout: float) -> tuple[int, bytes, http.client.HTTPMessage]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body, headers)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.headers
    finally:
        conn.close()
