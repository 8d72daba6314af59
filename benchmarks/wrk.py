"""The load generators of ``benchmarks/endpoint.py``: wrk (a C program, so the client is not
what is measured), and the Python client it falls back to when wrk is not installed.

Both return a :class:`Tally`: requests, seconds, errors and a latency histogram in whole
microseconds, so that the slices of one cell merge exactly.

wrk runs ``loadtest/rotate.lua``, which POSTs the form bodies in rotation and prints its
totals and histogram as one ``WRK-JSON`` line (no text output is parsed). wrk 4 "corrects"
its histogram for coordinated omission, adding made-up samples for every response slower
than twice the mean interval; :func:`uncorrect` takes them out again, so p50 and p99 are of
the requests actually sent, as with the Python client.
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "loadtest" / "rotate.lua"
MARK = "WRK-JSON "
HEADERS = {"Content-Type": "application/x-www-form-urlencoded",
           "Accept": "application/sparql-results+json"}


def executable() -> str | None:
    return shutil.which("wrk")


def version() -> str:
    exe = executable()
    if not exe:
        return "not installed"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0].strip()


@dataclass
class Tally:
    """What one or more runs against one server measured."""

    requests: int = 0
    seconds: float = 0.0
    errors: Counter = field(default_factory=Counter)
    histogram: Counter = field(default_factory=Counter)  # microseconds -> responses

    def add(self, other: Tally) -> None:
        self.requests += other.requests
        self.seconds += other.seconds
        self.errors += other.errors
        self.histogram += other.histogram

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the histogram, in milliseconds (nan when empty)."""
        total = sum(self.histogram.values())
        if not total:
            return math.nan
        rank, seen = max(1, math.ceil(total * p / 100)), 0
        for value in sorted(self.histogram):
            seen += self.histogram[value]
            if seen >= rank:
                return value / 1000
        raise AssertionError("unreachable")

    def error_text(self) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in sorted(self.errors.items()) if n) or "0"


def uncorrect(histogram: dict[int, int], duration_us: int, requests: int,
              connections: int) -> Counter:
    """wrk's histogram without the samples its ``stats_correct`` added.

    wrk added the count at each value ``n >= 2e`` to ``n - e``, ``n - 2e``, … while above
    ``e``, where ``e = duration / (requests // connections)`` (integer division, as in wrk.c).
    Going down from the largest value, each value's own count is what remains once the
    counts of ``n + e``, ``n + 2e``, … (already restored) are taken away.
    """
    per_connection = requests // connections
    if not per_connection or not histogram:
        return Counter(histogram)
    e = duration_us // per_connection
    if e <= 0:
        return Counter(histogram)
    own: dict[int, int] = {}
    tail: dict[int, int] = {}  # value -> the sum of own counts at value + e, value + 2e, …
    for value in sorted(histogram, reverse=True):
        above = tail.get(value, 0) if value > e else 0
        own[value] = histogram[value] - above
        below = value - e
        if below > e:  # pass the sum down to the next value in this value's chain
            tail[below] = tail.get(value, 0) + own[value]
    # Values that only the correction filled (no response of their own) come out as 0.
    return Counter({v: n for v, n in own.items() if n > 0})


def run_wrk(url: str, bodies_file: Path, path: str, *, connections: int, seconds: int,
            threads: int = 1, timeout_s: float = 10, start: int = 0) -> Tally:
    """wrk for ``seconds`` whole seconds with ``connections`` keep-alive connections, the
    rotation starting at body ``start`` (0-based)."""
    exe = executable()
    if exe is None:
        raise RuntimeError("wrk is not installed")
    threads = max(1, min(threads, connections))
    cmd = [exe, f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
           f"--timeout={math.ceil(timeout_s)}s", "-s", str(LUA), url, "--",
           str(bodies_file), path, str(threads), str(start)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout_s + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith(MARK)), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk exited with {done.returncode} and no summary: "
                           f"{done.stderr.strip()[-500:] or done.stdout.strip()[-500:]}")
    doc = json.loads(line[len(MARK):])
    histogram = uncorrect({int(v): int(n) for v, n in doc["histogram"]}, doc["duration_us"],
                          doc["requests"], connections)
    return Tally(doc["requests"], doc["duration_us"] / 1e6,
                 Counter({k: v for k, v in doc["errors"].items() if v}), histogram)


def run_python(port: int, bodies: list[bytes], path: str, *, connections: int,
               seconds: float, timeout_s: float = 10, start: int = 0) -> Tally:
    """The fallback: one thread and keep-alive ``http.client`` connection per connection,
    each looping over ``bodies`` from its own offset. Its ceiling is the client's (a few
    thousand requests a second at best), not the server's."""
    tallies = [Tally() for _ in range(connections)]
    barrier = threading.Barrier(connections + 1)
    deadline = [0.0]

    def client(k: int) -> None:
        mine, n = tallies[k], len(bodies)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
        i, clock = start + (k * n) // connections, time.perf_counter
        barrier.wait()
        while clock() < deadline[0]:
            began = clock()
            try:
                conn.request("POST", path, bodies[i % n], HEADERS)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                mine.errors["connection"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
                continue
            finally:
                i += 1
            mine.requests += 1
            mine.histogram[round((clock() - began) * 1e6)] += 1
            if resp.status >= 400:
                mine.errors["status"] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True)
               for k in range(connections)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    barrier.wait()
    for t in threads:
        t.join()
    total = Tally(seconds=time.perf_counter() - began)
    for t in tallies:
        total.requests += t.requests
        total.errors += t.errors
        total.histogram += t.histogram
    return total
