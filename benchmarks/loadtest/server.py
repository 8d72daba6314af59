"""The server under load: ``xsrv-kg serve --port 0`` as a subprocess (its port read from its
announcement), its query workers, and the RSS of both sampled from /proc."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.support import stop

ROOT = Path(__file__).resolve().parents[2]
#: Seconds between memory samples.
SAMPLE_EVERY = 0.5


class Server:
    """``xsrv-kg serve --port 0`` as a subprocess; the port is read from its announcement."""

    def __init__(self, args: argparse.Namespace, logdir: Path) -> None:
        self.log_path = logdir / "server.log"
        cmd = [sys.executable, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1", "--port", "0",
               "--time-limit", f"{args.time_limit:g}", "--max-body", str(args.max_body)]
        if args.cache_mb is not None:
            cmd += ["--cache-mb", str(args.cache_mb)]
        self.command = cmd
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.began = time.monotonic()
        # Its own session: if SIGTERM is not enough, the group (server and workers) is killed.
        self.process = subprocess.Popen(cmd, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        self.pid = self.process.pid
        self.port = 0
        self.workers = 0
        self.exit_code: int | None = None
        self.stopped_by_sigterm = False

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 120) -> float:
        while time.monotonic() - self.began < timeout:
            text = self.log()
            served = re.search(r"serving http://127\.0\.0\.1:(\d+)/", text)
            # Query worker processes only where queries do not run in the server's threads.
            workers = re.search(r"(\d+) query workers", text)
            if served:
                self.port = int(served.group(1))
                self.workers = int(workers.group(1)) if workers else 0
                return time.monotonic() - self.began
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n"
                                   f"{text[-2000:]}")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not announce its port within {timeout:g} s")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM and wait; SIGKILL the process group only if that is not enough."""
        if stop(self.process, timeout=timeout):
            self.stopped_by_sigterm = True
        self.exit_code = self.process.returncode
        if not self._log.closed:
            self._log.close()


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the server's query workers), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may contain spaces: split after it.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def workers_of(pid: int) -> list[int]:
    out = []
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"xsrv_kg.query.executor" in cmdline:
            out.append(child)
    return out


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return not stat[stat.rfind(")") + 2:].startswith("Z")


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0  # the process is gone (a worker just killed)


class MemorySampler(threading.Thread):
    """RSS of the server plus its child processes, every ``SAMPLE_EVERY`` seconds."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True, name="rss sampler")
        self.pid = pid
        #: (time, bytes of the server and its children, bytes of the server alone, processes)
        self.samples: list[tuple[float, int, int, int]] = []
        self._halt = threading.Event()

    def sample(self) -> int:
        pids = [self.pid, *children(self.pid)]
        sizes = [rss_bytes(p) for p in pids]
        self.samples.append((time.monotonic(), sum(sizes), sizes[0], len(pids)))
        return sum(sizes)

    def run(self) -> None:
        while not self._halt.wait(SAMPLE_EVERY):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join()

