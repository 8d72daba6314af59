"""What the benchmarks and the tests share: a free loopback port, the ``oxigraph`` server
binary, a server started on loopback and waited for, stopped cleanly, and a percentile.

It lives in ``benchmarks/`` because the benchmarks run as plain scripts
(``python benchmarks/load.py``) and should not import the test suite; the tests import it
as ``benchmarks.support`` (the repository root is on ``sys.path`` under pytest). It imports
nothing of ``xsrv_kg``, so it serves any tree: the server under test is a subprocess.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"


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
