"""Endpoint benchmark: the curated query mix against five SPARQL servers, side by side.

    python benchmarks/endpoint.py [--seconds 5] [--clients 1,4,8,16] [--slices 5]
                                  [--servers xsrv-cold,xsrv-warm,oxigraph,oxigraph-mem,rdflib]
                                  [--check-timeout 5] [--markdown]

Servers (each on a free loopback port, all started before measuring and stopped after):

- ``xsrv-cold``: ``xsrv-kg serve --cache-mb 0``: every request runs its query in a worker;
- ``xsrv-warm``: ``xsrv-kg serve`` with the result cache on, warmed by one pass over the mix;
- ``oxigraph``: ``oxigraph serve --union-default-graph`` over the same data (TriG export),
  loaded with ``oxigraph load`` into RocksDB (``--location``);
- ``oxigraph-mem``: the same server on its in-memory storage (as ours), loaded by POST /store;
- ``rdflib``: ``benchmarks/rdflib_endpoint.py``, a plain rdflib Dataset under waitress.

The mix is every ``queries/*.rq`` file with the project's PREFIX lines prepended (other
servers do not predeclare them; ours gets the same bytes). Before measuring, each query is
run once on every server and the row counts compared; a query that fails or takes longer
than ``--check-timeout`` on a server is left out of that server's mix (the server is then
restarted, since it would go on computing), and our server is also measured on that smaller
mix so that the ratio to it compares like with like.

Each client is a thread with one keep-alive ``http.client`` connection, looping over the
mix from its own offset; at each concurrency, each cell's ``--seconds`` are cut into
``--slices`` slices taken in turn with the other servers', so drift hits all alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import (  # noqa: E402
    free_port,
    kill,
    oxigraph_executable,
    percentile,
    stop,
    wait_until_up,
)
from xsrv_kg.vocab import sparql_prologue  # noqa: E402

SERVERS = ("xsrv-cold", "xsrv-warm", "oxigraph", "oxigraph-mem", "rdflib")
XSRV = ("xsrv-cold", "xsrv-warm")
REFERENCES = ("oxigraph", "oxigraph-mem", "rdflib")
HEADERS = {"Content-Type": "application/x-www-form-urlencoded",
           "Accept": "application/sparql-results+json"}


# --- the machine ----------------------------------------------------------------------------

def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _oxigraph_cli() -> str:
    exe = oxigraph_executable()
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: other work on the box skews every cell."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def speed_probe() -> str:
    """Seconds for a fixed pure-Python loop: compare start and end to see the box drift."""
    began = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return f"{time.perf_counter() - began:.3f} s for 3M Python additions"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "xsrv-kg": f"{_version('xsrv-kg')} at commit {commit or 'unknown'}",
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical, {usable or '?'} usable by this process "
                 "(shared by the clients and the server)",
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(f"{d} {_version(d)}" for d in
                              ("pyoxigraph", "rdflib", "flask", "waitress")),
        "oxigraph server": f"{_oxigraph_cli()} (PyPI package oxigraph {_version('oxigraph')})",
        "load average at start": loadavg(),
        "speed probe at start": speed_probe(),
    }


# --- servers --------------------------------------------------------------------------------

@dataclass
class Server:
    """One server process: how to start it, and where it answers."""

    name: str
    command: Sequence[str]  # "{port}" is replaced by the port
    path: str               # the query path: /sparql or /query
    logdir: Path
    port: int = 0
    process: subprocess.Popen | None = None
    #: A TriG file to POST to /store once the server answers (in-memory oxigraph).
    load: Path | None = None
    restarts: int = 0
    _log: object = field(default=None, repr=False)

    def start(self, timeout: float = 180) -> float:
        """Start on a free port; return the seconds until it answered a query."""
        self.port = free_port()
        cmd = [c.replace("{port}", str(self.port)) for c in self.command]
        log_path = self.logdir / f"{self.name}.log"
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        # Its own session: stopping it takes the workers it forked too.
        self.process = subprocess.Popen(cmd, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        try:
            took = wait_until_up(f"http://127.0.0.1:{self.port}{self.path}", self.process,
                                 timeout=timeout, data=urlencode({"query": "ASK {}"}).encode(),
                                 log=log_path)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{self.name}: {exc}") from None
        if self.load is not None:
            self._load(self.load)
        return took

    def _load(self, trig: Path) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request("POST", "/store", trig.read_bytes(), {"Content-Type": "application/trig"})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status not in (200, 201, 204):
            raise RuntimeError(f"{self.name}: loading {trig.name} gave HTTP {resp.status}: "
                               f"{body[:200].decode(errors='replace')}")

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
        self.process = None
        self.stop()
        self.restarts += 1
        self.start()


def make_servers(names: Sequence[str], workdir: Path) -> dict[str, Server]:
    py = sys.executable
    xsrv = [py, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    trig = workdir / "data.trig"
    if {"oxigraph", "oxigraph-mem", "rdflib"} & set(names):
        with open(trig, "wb") as out:
            subprocess.run([py, "-m", "xsrv_kg", "export", "--format", "trig"], cwd=ROOT,
                           stdout=out, check=True)
    oxigraph = oxigraph_executable() or "oxigraph"  # beside this Python first, then PATH
    if "oxigraph" in names:
        subprocess.run([oxigraph, "load", "--location", str(workdir / "oxigraph"),
                        "--file", str(trig)], check=True, capture_output=True)
    commands = {
        "xsrv-cold": (xsrv + ["--cache-mb", "0"], "/sparql"),
        "xsrv-warm": (xsrv, "/sparql"),
        "oxigraph": ([oxigraph, "serve", "--location", str(workdir / "oxigraph"),
                      "--bind", "127.0.0.1:{port}", "--union-default-graph"], "/query"),
        # No --location: Oxigraph's in-memory storage, like our server's; loaded over HTTP.
        "oxigraph-mem": ([oxigraph, "serve", "--bind", "127.0.0.1:{port}",
                          "--union-default-graph"], "/query"),
        "rdflib": ([py, str(HERE / "rdflib_endpoint.py"), str(trig), "--host", "127.0.0.1",
                    "--port", "{port}", "--threads", "16"], "/sparql"),
    }
    return {n: Server(n, commands[n][0], commands[n][1], workdir,
                      load=trig if n == "oxigraph-mem" else None) for n in names}


# --- the client -----------------------------------------------------------------------------

def post(port: int, path: str, query: str, timeout: float) -> tuple[int, bytes, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, urlencode({"query": query}), HEADERS)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.getheader("Xsrv-Cache")
    finally:
        conn.close()


def row_count(body: bytes) -> int:
    doc = json.loads(body)
    if "boolean" in doc:
        return 1
    return len(doc["results"]["bindings"])


@dataclass
class Cell:
    """One server, mix and concurrency: the slices measured so far, merged."""

    server: str
    mix: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    cache_hits: int = 0

    def add(self, other: Cell) -> None:
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.errors += other.errors
        self.cache_hits += other.cache_hits

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: float) -> float:
        return percentile(sorted(self.latencies), p) * 1000

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(50)

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(99)


def measure(server: Server, mix_name: str, bodies: list[bytes], clients: int,
            seconds: float) -> Cell:
    """``clients`` threads, one keep-alive connection each, looping over ``bodies``."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    hits = [0] * clients
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]
    n = len(bodies)
    path, port = server.path, server.port

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.connect()
        mine, clock = latencies[k], time.perf_counter
        i = (k * n) // clients
        barrier.wait()
        end = deadline[0]
        while clock() < end:
            body = bodies[i % n]
            i += 1
            began = clock()
            try:
                conn.request("POST", path, body, HEADERS)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                errors[k] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            if resp.status != 200:
                errors[k] += 1
                continue
            mine.append(clock() - began)
            if resp.getheader("Xsrv-Cache") == "hit":
                hits[k] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return Cell(server.name, mix_name, clients, [x for per in latencies for x in per],
                elapsed, sum(errors), sum(hits))


# --- the run --------------------------------------------------------------------------------

def curated_mix() -> dict[str, str]:
    prologue = sparql_prologue()
    return {p.stem: prologue + p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "queries").glob("*.rq"))}


def check(servers: dict[str, Server], mix: dict[str, str],
          timeout: float) -> tuple[dict[str, list[str]], list[str]]:
    """Run every query once on every server; return each server's usable mix and warnings.

    This pass also warms the result cache of ``xsrv-warm``.
    """
    counts: dict[str, dict[str, str]] = {name: {} for name in servers}
    usable: dict[str, list[str]] = {name: [] for name in servers}
    for name, server in servers.items():
        for query, text in mix.items():
            began = time.perf_counter()
            try:
                status, body, _ = post(server.port, server.path, text, timeout)
            except TimeoutError:
                counts[name][query] = f"timed-out (> {timeout:g} s)"
                server.restart()  # it would go on computing, stealing a core
                continue
            except OSError as exc:
                counts[name][query] = f"failed: {exc}"
                server.restart()
                continue
            took = time.perf_counter() - began
            if status != 200:
                counts[name][query] = f"HTTP {status}: {body[:80].decode(errors='replace')}"
                continue
            counts[name][query] = str(row_count(body))
            usable[name].append(query)
            if took > timeout / 2:
                counts[name][query] += f" ({took:.1f} s)"
    warnings = []
    for query in mix:
        seen = {name: counts[name][query] for name in servers}
        if len({v.split(" ")[0] for v in seen.values()}) > 1:
            warnings.append(f"{query}: " + ", ".join(f"{n} {v}" for n, v in seen.items()))
    return usable, warnings


def run(args: argparse.Namespace) -> None:
    info = machine()
    out = Printer(args.markdown)
    out.heading("SPARQL endpoint benchmark: the curated query mix on loopback")
    out.facts(info)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    out.line(f"NOTE: {cores} cores for everything: the client threads (Python, one process) and "
             "the server's processes compete for them, so the numbers measure client + server "
             "on one box; above 2 clients more concurrency cannot add CPU.")

    mix = curated_mix()
    bodies_of = {q: urlencode({"query": t}).encode() for q, t in mix.items()}
    workdir = Path(tempfile.mkdtemp(prefix="xsrv-bench-"))
    servers = make_servers(args.servers, workdir)
    try:
        for server in servers.values():
            took = server.start()
            out.item(f"started {server.name} on port {server.port} in {took:.1f} s")
        usable, warnings = check(servers, mix, args.check_timeout)
        out.heading("Row counts (each query once on each server; this pass warms xsrv-warm)")
        if warnings:
            for w in warnings:
                out.item(f"WARNING row counts differ: {w}")
        else:
            out.line(f"all {len(servers)} servers return the same row counts for all "
                     f"{len(mix)} queries")
        for name, queries in usable.items():
            if len(queries) < len(mix):
                left = sorted(set(mix) - set(queries))
                out.item(f"{name}: measured on {len(queries)} of {len(mix)} queries; "
                         f"left out: {', '.join(left)}")

        # The mixes to measure: each server's own, and ours on every reference's mix.
        plan: list[tuple[str, str, list[str]]] = []
        for name, queries in usable.items():
            plan.append((name, _mix_name(queries, mix), queries))
        for ref in REFERENCES:
            if ref not in usable:
                continue
            for ours in XSRV:
                if ours not in usable:
                    continue
                common = [q for q in usable[ours] if q in usable[ref]]
                label = _mix_name(common, mix)
                if label != _mix_name(usable[ours], mix) and \
                        (ours, label) not in {(p[0], p[1]) for p in plan}:
                    plan.append((ours, label, common))
        # Each cell is measured in --slices slices, interleaved with the other servers'
        # (at one concurrency: A B C A B C …), so drift of a shared machine hits all alike.
        cells: list[Cell] = []
        plan = [p for p in plan if p[2]]
        for clients in args.clients:
            merged = [Cell(name, label, clients) for name, label, _ in plan]
            for _ in range(args.slices):
                for cell, (name, label, queries) in zip(merged, plan, strict=True):
                    cell.add(measure(servers[name], label, [bodies_of[q] for q in queries],
                                     clients, args.seconds / args.slices))
            for cell in merged:
                print(f"  {cell.server:<12} {cell.mix:<6} {clients:>2} clients: "
                      f"{cell.rate:8.1f} req/s", file=sys.stderr, flush=True)
            cells += merged
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    out.heading(f"Results ({args.seconds:g} s per cell in {args.slices} interleaved slices, "
                "POST form query=, Accept: application/sparql-results+json)")
    out.table(["server", "mix", "clients", "req/s", "p50 ms", "p99 ms", "requests", "errors"],
              [[c.server, c.mix, c.clients, f"{c.rate:.1f}", f"{c.p50_ms:.2f}",
                f"{c.p99_ms:.2f}", c.requests, c.errors]
               for c in sorted(cells, key=lambda c: (SERVERS.index(c.server), c.mix != "all",
                                                     c.clients))])
    for name in XSRV:
        mine = [c for c in cells if c.server == name]
        if mine:
            done = sum(c.requests for c in mine)
            hits = sum(c.cache_hits for c in mine)
            out.item(f"{name}: {hits} of {done} answers came from the result cache")
    out.item(f"load average at the end: {loadavg()} (with this run's own load); speed probe "
             f"at the end: {speed_probe()}: compare both with the start")
    restarted = [f"{s.name} ({s.restarts}x)" for s in servers.values() if s.restarts]
    if restarted:
        out.item("restarted after a query past the check timeout: " + ", ".join(restarted))
    ratios(out, cells, args.clients)


def _mix_name(queries: list[str], mix: dict[str, str]) -> str:
    return "all" if len(queries) == len(mix) else f"{len(queries)}/{len(mix)}"


def ratios(out: Printer, cells: list[Cell], clients: Sequence[int]) -> None:
    """Throughput (and p50) of ours over each reference's, same concurrency, same mix."""
    def find(server: str, mix: str, n: int) -> Cell | None:
        return next((c for c in cells if (c.server, c.mix, c.clients) == (server, mix, n)),
                    None)

    rows = []
    for ref in REFERENCES:
        for ours in XSRV:
            for n in clients:
                theirs = next((c for c in cells if c.server == ref and c.clients == n), None)
                if theirs is None:
                    continue
                mine = find(ours, theirs.mix, n)
                if mine is None or not theirs.rate:
                    continue
                rows.append([f"{ours} / {ref}", theirs.mix, n,
                             f"{mine.rate / theirs.rate:.2f}x",
                             f"{mine.p50_ms / theirs.p50_ms:.2f}x"])
    if rows:
        out.heading("Ratios, measured side by side (req/s: >1 means ours is faster; "
                    "p50: <1 means ours answers sooner)")
        out.table(["ratio", "mix", "clients", "req/s", "p50 latency"], rows)


class Printer:
    """Plain text or Markdown."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def heading(self, text: str) -> None:
        print(f"\n### {text}\n" if self.markdown else f"\n== {text}")

    def line(self, text: str) -> None:
        print(text + ("\n" if self.markdown else ""))

    def item(self, text: str) -> None:
        print(f"- {text}" if self.markdown else text)

    def facts(self, facts: dict[str, str]) -> None:
        for key, value in facts.items():
            print(f"- {key}: {value}" if self.markdown else f"{key:>16}: {value}")
        if self.markdown:
            print()

    def table(self, header: list[str], rows: list[list[object]]) -> None:
        cells = [[str(v) for v in row] for row in rows]
        if self.markdown:
            print("| " + " | ".join(header) + " |")
            print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
            for row in cells:
                print("| " + " | ".join(row) + " |")
            print()
            return
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
        fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
        print(fmt.format(*header))
        print(fmt.format(*("-" * w for w in widths)))
        for row in cells:
            print(fmt.format(*row))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Throughput and latency of the curated query mix: xsrv-kg serve (cache "
                    "off and on) beside oxigraph serve and a plain rdflib endpoint.")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each cell")
    parser.add_argument("--clients", default="1,4,8,16",
                        help="comma-separated concurrency levels (default: 1,4,8,16)")
    parser.add_argument("--servers", default=",".join(SERVERS),
                        help=f"comma-separated subset of {','.join(SERVERS)}")
    parser.add_argument("--slices", type=int, default=5,
                        help="measure each cell in this many slices, interleaved with the "
                             "other servers' (default: 5)")
    parser.add_argument("--check-timeout", type=float, default=5.0,
                        help="seconds a query may take in the row-count check before it is "
                             "left out of that server's mix (default: 5)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",") if c.strip()]
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = set(args.servers) - set(SERVERS)
    if unknown or not args.servers or not args.clients or min(args.clients) < 1 \
            or args.slices < 1:
        parser.error(f"--servers takes some of {', '.join(SERVERS)}; --clients positive "
                     "integers")
    args.servers = [s for s in SERVERS if s in args.servers]
    run(args)


if __name__ == "__main__":
    main()
