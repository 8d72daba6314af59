"""Bounded load test: many clients, a mixed workload, the server's limits and memory watched.

    python benchmarks/load.py [--requests 5000] [--clients 32] [--time-limit 2] [--seed 1]
                              [--slow N] [--cache-mb MB] [--max-body BYTES] [--cold]
                              [--rss-growth-mb 300] [--variants] [--quiet]

Starts ``xsrv-kg serve --port 0`` on 127.0.0.1 (the embedded in-memory store, the default
number of query workers, the given time limit) as a subprocess, fires ``--requests``
requests from ``--clients`` threads (one keep-alive ``http.client`` connection each), then
stops the server with SIGTERM and checks that it exits cleanly. All traffic is loopback.

The workload is a seeded, deterministic mix of four classes:

- ``curated`` (80 %): the ``queries/*.rq`` files (not ``federated-*``) by GET, form POST and
  direct POST, in SPARQL JSON, XML, CSV or TSV chosen by ``Accept`` (once with Turtle
  preferred, which a SELECT cannot give) or by ``format=``; half of them accept gzip. Every
  answer must be 200 in the format asked for, with the row count of a reference pass;
- ``malformed`` (12 %): syntax errors, wrong or missing Content-Type, no query, unknown
  format, nothing acceptable, invalid UTF-8, a body over ``--max-body``, repeated
  parameters, updates on a read-only endpoint, a refused SERVICE, PUT, a bad graph IRI, an
  unknown resource. Every one must get its 4xx;
- ``slow`` (3 %, capped): queries that cannot finish (a 4-way cross join and a join of two
  any-predicate path closures, both counted so that no row cap can cut them short). Each
  must get 503 ``query-timeout`` within the time limit + 1 s. Each one holds a query worker
  for the whole time limit and then has it killed and replaced, so at most ``workers - 1``
  are in flight at once, each keeping its place for ``RESPAWN_GRACE`` after its answer while
  the replacement starts (one worker always serves everyone else, which is what the server
  promises; without that, the others wait for a worker and the wait counts against their
  own time limit). Their number is capped so that they fit in about 40 s of run time;
- ``page`` (5 %): ``/``, ``/overview``, ``/id/…`` (HTML and Turtle), ``/shacl``,
  ``/validation``, the service description, … Every one must be 200.

Before the load, a reference pass runs each curated query once (JSON: its row count) and,
unless ``--cold``, a warm-up pass fetches each page but ``/id/…`` once (the SHACL report is
computed on first use, by pySHACL in the server process); both are timed apart.

Meanwhile the RSS of the server and its worker processes (from /proc) is sampled every
0.5 s. The run prints PASS/FAIL lines and one Markdown table, and exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import io
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (ROOT, HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from endpoint import machine  # noqa: E402  (benchmarks/endpoint.py: the same description)

from xsrv_kg.config import Config  # noqa: E402

CLASSES = ("curated", "malformed", "slow", "page")
#: Nominal shares of the mix; the slow share is capped (see ``slow_cap``), the rest is curated.
SHARES = {"curated": 0.80, "malformed": 0.12, "slow": 0.03, "page": 0.05}
#: Seconds of run time the slow queries may take, one after another per free worker.
SLOW_BUDGET = 40.0
#: The whole run (server start to server stop) must take less than this.
WALL_LIMIT = 120.0
#: Seconds between memory samples.
SAMPLE_EVERY = 0.5
#: Client socket timeout: a request taking longer counts as a hang.
CLIENT_TIMEOUT = 60.0
#: Seconds a slow query keeps its place after its answer: its worker was killed, and the
#: replacement takes about 0.3 s to start on an idle 2-core machine, more under load.
RESPAWN_GRACE = 1.0

SOLUTION_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

SLOW_QUERIES = {
    "4-way cross join": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                        "?j ?k ?l }",
    # (p|!p)* is "any predicate, any number of times": ?p* is not SPARQL (a path needs IRIs).
    "any-path closure join": "SELECT (COUNT(*) AS ?n) WHERE { "
                             "?s (<urn:x:p>|!<urn:x:p>)* ?o . ?x (<urn:x:p>|!<urn:x:p>)* ?y }",
}


# --- the plan ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """One request to send, and what its answer must be."""

    cls: str
    variant: str
    method: str
    target: str                       # path and query string
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: int = 200                 # the status this request must get
    query: str | None = None          # curated: the query's name, for the row check
    fmt: str | None = None            # curated: the format the answer must be in
    content_type: str | None = None   # pages: the Content-Type the answer must start with


def curated_queries() -> dict[str, str]:
    """``queries/*.rq`` without the federated ones (they call a second endpoint)."""
    return {p.stem: p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "queries").glob("*.rq"))
            if not p.stem.startswith("federated-")}


def _query_request(cls: str, variant: str, how: str, text: str, headers: dict[str, str],
                   params: dict[str, str] | None = None, **kw: object) -> Spec:
    """A query sent ``how``: ``GET``, ``form`` (POST urlencoded) or ``direct`` (POST body)."""
    params = params or {}
    if how == "GET":
        return Spec(cls, variant, "GET", "/sparql?" + urlencode({"query": text, **params}),
                    None, tuple(headers.items()), **kw)
    if how == "form":
        body = urlencode({"query": text, **params}).encode()
        return Spec(cls, variant, "POST", "/sparql", body,
                    tuple({**headers, "Content-Type": FORM}.items()), **kw)
    target = "/sparql" + ("?" + urlencode(params) if params else "")
    return Spec(cls, variant, "POST", target, text.encode("utf-8"),
                tuple({**headers, "Content-Type": DIRECT}.items()), **kw)


def curated_spec(rng: random.Random, name: str, text: str) -> Spec:
    how = rng.choice(("GET", "form", "direct"))
    choice = rng.choice(("json", "xml", "csv", "tsv", "turtle>xml", "*/*", "format="))
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    if choice == "turtle>xml":
        # Turtle first: a SELECT has no Turtle form, so the next choice (XML) must win.
        headers["Accept"] = "text/turtle, application/sparql-results+xml;q=0.8"
        fmt = "xml"
    elif choice == "*/*":
        headers["Accept"] = "*/*"
        fmt = "json"
    elif choice == "format=":
        fmt = rng.choice(tuple(SOLUTION_TYPES))
        params["format"] = fmt
        headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"  # a browser's
    else:
        fmt = choice
        headers["Accept"] = SOLUTION_TYPES[fmt]
    if rng.random() < 0.5:
        headers["Accept-Encoding"] = "gzip"
    return _query_request("curated", f"{how} {choice}", how, text, headers, params,
                          query=name, fmt=fmt)


def malformed_specs(max_body: int) -> list[Spec]:
    """Requests the endpoint must refuse with a 4xx, one of each kind."""
    json_accept = {"Accept": SOLUTION_TYPES["json"]}
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (max_body + 1024)
    return [
        _query_request("malformed", "syntax error GET", "GET", "SELEC * WHERE { ?s ?p ?o }",
                       json_accept, expect=400),
        _query_request("malformed", "syntax error POST", "form",
                       "SELECT ?s WHERE { ?s ?p }", json_accept, expect=400),
        _query_request("malformed", "syntax error direct", "direct",
                       "SELECT * WHERE { ?s ?p ?o } LIMIT x", {}, expect=400),
        Spec("malformed", "Content-Type text/plain", "POST", "/sparql", b"ASK {}",
             (("Content-Type", "text/plain"),), expect=415),
        Spec("malformed", "Content-Type application/json", "POST", "/sparql",
             b'{"query": "ASK {}"}', (("Content-Type", "application/json"),), expect=415),
        Spec("malformed", "no Content-Type", "POST", "/sparql", b"ASK {}", (), expect=415),
        Spec("malformed", "charset latin-1", "POST", "/sparql", b"ASK {}",
             (("Content-Type", DIRECT + "; charset=latin-1"),), expect=415),
        Spec("malformed", "form without query", "POST", "/sparql", b"foo=bar",
             (("Content-Type", FORM),), expect=400),
        _query_request("malformed", "empty query", "GET", "", json_accept, expect=400),
        _query_request("malformed", "unknown format", "GET", "ASK {}", {},
                       {"format": "bogus"}, expect=400),
        _query_request("malformed", "nothing acceptable", "GET", "ASK {}",
                       {"Accept": "image/png"}, expect=406),
        Spec("malformed", "invalid UTF-8 GET", "GET", "/sparql?query=ASK%20%7B%FF%FE%7D",
             None, (), expect=400),
        Spec("malformed", "invalid UTF-8 direct", "POST", "/sparql", b"ASK {\xff\xfe}",
             (("Content-Type", DIRECT),), expect=400),
        _query_request("malformed", "oversize form", "form", big, json_accept, expect=413),
        _query_request("malformed", "oversize direct", "direct", big, json_accept,
                       expect=413),
        Spec("malformed", "query given twice", "GET",
             "/sparql?" + urlencode([("query", "ASK {}"), ("query", "SELECT * {}")]),
             None, (), expect=400),
        Spec("malformed", "update by GET", "GET", "/sparql?update=CLEAR%20ALL", None, (),
             expect=400),
        Spec("malformed", "update (read-only)", "POST", "/sparql", b"update=CLEAR+ALL",
             (("Content-Type", FORM),), expect=403),
        _query_request("malformed", "SERVICE not allowed", "form",
                       "SELECT * { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }",
                       json_accept, expect=403),
        Spec("malformed", "PUT", "PUT", "/sparql", b"ASK {}", (("Content-Type", DIRECT),),
             expect=405),
        _query_request("malformed", "bad graph IRI", "GET", "ASK {}", json_accept,
                       {"default-graph-uri": "not an iri"}, expect=400),
        Spec("malformed", "unknown resource", "GET", "/id/no/such-thing", None,
             (("Accept", "text/html"),), expect=404),
    ]


def slow_specs() -> list[Spec]:
    return [_query_request("slow", f"{name} {how}", how, text,
                           {"Accept": SOLUTION_TYPES["json"]}, expect=503)
            for name, text in SLOW_QUERIES.items() for how in ("GET", "form")]


def page_specs(iris: list[str], base: str) -> list[Spec]:
    """Pages and linked-data documents; ``/id/…`` pages weigh most."""
    def page(variant: str, target: str, accept: str, ctype: str) -> Spec:
        return Spec("page", variant, "GET", target, None,
                    (("Accept", accept), ("Accept-Encoding", "gzip")), content_type=ctype)

    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    specs = [
        page("/", "/", html, "text/html"),
        page("/overview", "/overview", html, "text/html"),
        page("/overview.json", "/overview.json", "application/json", "application/json"),
        page("/shacl turtle", "/shacl", "text/turtle", "text/turtle"),
        page("/shacl json", "/shacl?format=json&lang=en", "*/*", "application/json"),
        page("/shacl html", "/shacl", html, "text/html"),
        page("/validation", "/validation", html, "text/html"),
        page("/queries.json", "/queries.json", "application/json", "application/json"),
        page("/sparql description", "/sparql", "text/turtle", "text/turtle"),
        page("/ontology", "/ontology", html, "text/html"),
    ]
    for iri in iris:
        path = "/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~")
        specs.append(page("/id/… html", path, html, "text/html"))
        specs.append(page("/id/… turtle", path, "text/turtle", "text/turtle"))
    return specs


def slow_cap(time_limit: float, slow_concurrency: int) -> int:
    """How many slow queries fit in ``SLOW_BUDGET`` seconds, ``slow_concurrency`` at a time."""
    per_query = time_limit + RESPAWN_GRACE + 0.1  # the limit, the replacement, the rest
    return max(1, math.floor(SLOW_BUDGET * slow_concurrency / per_query))


def plan_counts(requests: int, cap: int, slow: int | None = None) -> dict[str, int]:
    """Requests per class: the nominal shares, the slow ones capped (or ``slow`` exactly)."""
    counts = {cls: round(requests * SHARES[cls]) for cls in ("malformed", "slow", "page")}
    counts["slow"] = min(counts["slow"], cap) if slow is None else min(slow, requests)
    counts["curated"] = requests - sum(counts.values())
    return {cls: counts[cls] for cls in CLASSES}


def build_plan(counts: dict[str, int], seed: int, queries: dict[str, str],
               malformed: list[Spec], slow: list[Spec], pages: list[Spec]) -> list[Spec]:
    """The requests in the order they are handed out; the same for the same seed.

    Within a class the variants take turns (curated queries too), so that even a small run
    covers each; the order is shuffled, and the slow queries are spread evenly over it.
    """
    rng = random.Random(seed)
    names = list(queries)
    rest: list[Spec] = []
    rest += [curated_spec(rng, names[i % len(names)], queries[names[i % len(names)]])
             for i in range(counts["curated"])]
    rest += [malformed[i % len(malformed)] for i in range(counts["malformed"])]
    rest += [pages[i % len(pages)] for i in range(counts["page"])]
    rng.shuffle(rest)
    n_slow = counts["slow"]
    plan: list[Spec] = []
    total = len(rest) + n_slow
    slots = {math.floor((k + 0.5) * total / n_slow) for k in range(n_slow)} if n_slow else set()
    slow_iter = (slow[k % len(slow)] for k in range(n_slow))
    rest_iter = iter(rest)
    for position in range(total):
        plan.append(next(slow_iter) if position in slots else next(rest_iter))
    return plan


# --- the server -------------------------------------------------------------------------------

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
            workers = re.search(r"(\d+) query workers", text)
            if served and workers:
                self.port, self.workers = int(served.group(1)), int(workers.group(1))
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
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
                self.stopped_by_sigterm = True
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(5)
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


# --- the client -------------------------------------------------------------------------------

@dataclass
class Outcome:
    spec: Spec
    status: int              # 0: no HTTP answer (a connection error or a timeout)
    seconds: float
    problem: str | None      # why this answer breaks an invariant, if it does
    error_type: str = ""     # the "type" of an error body, when there is one
    finished: float = 0.0    # seconds from the start of the load to this answer
    cached: bool = False     # the answer came from the result cache (Xsrv-Cache: hit)


def _error_type(body: bytes) -> str:
    text = body[:600].decode("utf-8", "replace")
    m = re.search(r'"type":\s*"([a-z-]+)"', text) or re.match(r"\d{3} ([a-z-]+):", text) \
        or re.search(r"<title>\d{3} ([a-z-]+)</title>", text)
    return m.group(1) if m else ""


def count_rows(fmt: str, body: bytes) -> int | None:
    """Rows in a SELECT answer of the given format (None for an ASK answer)."""
    if fmt == "json":
        doc = json.loads(body)
        return None if "boolean" in doc else len(doc["results"]["bindings"])
    if fmt == "xml":
        return None if b"<boolean>" in body else body.count(b"<result>")
    text = body.decode("utf-8")
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    return len(text.rstrip("\n").split("\n")) - 1  # TSV escapes newlines inside terms


def judge(spec: Spec, status: int, headers: http.client.HTTPMessage, body: bytes,
          seconds: float, reference: dict[str, int | None], time_limit: float) -> str | None:
    """What is wrong with this answer, or None."""
    if b"Traceback (most recent call last)" in body:
        return "the body has a stack trace"
    if spec.cls == "curated":
        if status != 200:
            return f"HTTP {status}: {body[:200].decode(errors='replace')}"
        ctype = headers.get("Content-Type", "")
        assert spec.fmt is not None and spec.query is not None
        if not ctype.startswith(SOLUTION_TYPES[spec.fmt]):
            return f"Content-Type {ctype!r}, expected {SOLUTION_TYPES[spec.fmt]}"
        want = reference[spec.query]
        rows_header = headers.get("Xsrv-Rows")
        if want is not None and rows_header != str(want):
            return f"Xsrv-Rows {rows_header}, expected {want}"
        try:
            got = count_rows(spec.fmt, body)
        except (ValueError, KeyError, UnicodeDecodeError) as exc:
            return f"the {spec.fmt} body does not parse: {exc}"
        if got != want:
            return f"{got} rows in the body, expected {want}"
        return None
    if spec.cls == "malformed":
        if not 400 <= status < 500:
            return f"HTTP {status}, expected a 4xx"
        if status != spec.expect:
            return f"HTTP {status}, expected {spec.expect}"
        return None
    if spec.cls == "slow":
        kind = _error_type(body)
        if status != 503 or kind != "query-timeout":
            return f"HTTP {status} {kind!r}, expected 503 'query-timeout'"
        if seconds > time_limit + 1:
            return f"answered after {seconds:.2f} s, over the time limit + 1 s"
        return None
    if status != 200:
        return f"HTTP {status}: {body[:200].decode(errors='replace')}"
    ctype = headers.get("Content-Type", "")
    if spec.content_type and not ctype.startswith(spec.content_type):
        return f"Content-Type {ctype!r}, expected {spec.content_type}"
    return None


class Client:
    """One keep-alive connection; reconnects when the server closed it or it broke."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, spec: Spec) -> tuple[int, http.client.HTTPMessage | None, bytes, float]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                   timeout=CLIENT_TIMEOUT)
        began = time.perf_counter()
        try:
            self.conn.request(spec.method, spec.target, spec.body, dict(spec.headers))
            resp = self.conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            took = time.perf_counter() - began
            self.close()
            return 0, None, f"{type(exc).__name__}: {exc}".encode(), took
        took = time.perf_counter() - began
        if resp.will_close:
            self.close()
        if resp.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return resp.status, resp.headers, body, took

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def fire(port: int, plan: list[Spec], clients: int, slow_concurrency: int,
         reference: dict[str, int | None], time_limit: float,
         progress: bool) -> tuple[list[Outcome], float]:
    """Send ``plan`` from ``clients`` threads; return the outcomes and the seconds taken."""
    outcomes: list[Outcome | None] = [None] * len(plan)
    next_index = [0]
    lock = threading.Lock()
    slow_gate = threading.Semaphore(slow_concurrency)
    start = threading.Barrier(clients + 1)

    def work() -> None:
        client = Client(port)
        start.wait()
        clock = time.perf_counter
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(plan):
                break
            spec = plan[i]
            gate = slow_gate if spec.cls == "slow" else None
            if gate:
                gate.acquire()
            try:
                status, headers, body, took = client.send(spec)
            finally:
                if gate:
                    # Hold the place while the killed worker's replacement starts.
                    timer = threading.Timer(RESPAWN_GRACE, gate.release)
                    timer.daemon = True
                    timer.start()
            if status == 0 or headers is None:
                outcomes[i] = Outcome(spec, 0, took, body.decode(errors="replace"),
                                      finished=clock() - began)
                continue
            try:
                problem = judge(spec, status, headers, body, took, reference, time_limit)
            except Exception as exc:  # noqa: BLE001 - a judging bug must not stop the run
                problem = f"could not check the answer: {type(exc).__name__}: {exc}"
            kind = _error_type(body) if status >= 400 else ""
            outcomes[i] = Outcome(spec, status, took, problem, kind, clock() - began,
                                  headers.get("Xsrv-Cache") == "hit")
        client.close()

    threads = [threading.Thread(target=work, daemon=True, name=f"client {k}")
               for k in range(clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()  # read by the clients only after the barrier
    start.wait()
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(timeout=5)
            if progress and t.is_alive():
                done = sum(o is not None for o in outcomes)
                print(f"  … {done}/{len(plan)} answered after "
                      f"{time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
                break
    took = time.perf_counter() - began
    missing = [plan[i] for i, o in enumerate(outcomes) if o is None]
    done = [o for o in outcomes if o is not None]
    done += [Outcome(s, 0, 0.0, "never sent") for s in missing]
    return done, took


def reference_rows(port: int, queries: dict[str, str]) -> dict[str, int | None]:
    """Each curated query once (JSON): its row count, the figure every answer must match."""
    client = Client(port)
    rows: dict[str, int | None] = {}
    try:
        for name, text in queries.items():
            spec = _query_request("curated", "reference", "form", text,
                                  {"Accept": SOLUTION_TYPES["json"]}, query=name, fmt="json")
            status, _, body, _ = client.send(spec)
            if status != 200:
                raise RuntimeError(f"reference pass: {name} gave HTTP {status}: "
                                   f"{body[:300].decode(errors='replace')}")
            rows[name] = count_rows("json", body)
    finally:
        client.close()
    return rows


def warm_up(port: int, pages: list[Spec]) -> dict[str, float]:
    """Each page but the ``/id/…`` ones once, one at a time: the seconds each took.

    Some pages compute once per store version (the SHACL report runs pySHACL in the server
    process: about 2 s idle, several times that under load), so the load measures the
    steady state, and these first-request costs are reported apart.
    """
    client = Client(port)
    took: dict[str, float] = {}
    try:
        for spec in pages:
            if spec.variant.startswith("/id/"):
                continue
            status, _, body, seconds = client.send(spec)
            if status != 200:
                raise RuntimeError(f"warm-up: {spec.target} gave HTTP {status}: "
                                   f"{body[:300].decode(errors='replace')}")
            took[spec.variant] = seconds
    finally:
        client.close()
    return took


def resource_iris(port: int, base: str, seed: int, how_many: int = 40) -> list[str]:
    """A seeded sample of the IRIs that ``/id/…`` pages describe."""
    text = (f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
            f'STRSTARTS(STR(?s), "{base}id/")) }} ORDER BY ?s')
    client = Client(port)
    try:
        status, _, body, _ = client.send(_query_request(
            "page", "setup", "form", text, {"Accept": SOLUTION_TYPES["json"]}))
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"listing /id/ resources gave HTTP {status}")
    iris = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    rng = random.Random(seed)
    return sorted(rng.sample(iris, min(how_many, len(iris))))


# --- results ----------------------------------------------------------------------------------

def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values (nan when there are none)."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(len(ordered) * p / 100))
    return ordered[rank - 1]


@dataclass
class ClassStats:
    name: str
    requests: int
    statuses: Counter
    p50_ms: float
    p99_ms: float
    max_ms: float
    #: Seconds from the start of the load to the last answer of this class.
    span_s: float
    #: Answers of this class per second of its span (the total: of the whole load).
    rate: float

    @classmethod
    def of(cls, name: str, outcomes: list[Outcome], seconds: float | None = None) -> ClassStats:
        lat = sorted(o.seconds for o in outcomes)
        span = max((o.finished for o in outcomes), default=0.0)
        over = seconds if seconds is not None else span
        return cls(name, len(outcomes), Counter(o.status for o in outcomes),
                   percentile(lat, 50) * 1000, percentile(lat, 99) * 1000,
                   (lat[-1] if lat else float("nan")) * 1000, span,
                   len(outcomes) / over if over else 0.0)

    def status_text(self) -> str:
        return ", ".join(f"{s or 'no answer'}×{n}" for s, n in sorted(self.statuses.items()))


@dataclass
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass
class LoadResult:
    """Everything the run measured; ``passed`` is what the exit status reports."""

    options: dict[str, object]
    machine: dict[str, str]
    plan: dict[str, int]
    workers: int
    slow_concurrency: int
    startup_s: float
    load_s: float
    wall_s: float
    throughput: float
    classes: dict[str, ClassStats]
    total: ClassStats
    rss_start_mb: float
    rss_peak_mb: float
    rss_end_mb: float
    rss_bound_mb: float
    #: The server process alone (without its workers): start, peak, end.
    server_rss_mb: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: Throughput of everything but the slow queries, up to their last answer.
    fast_throughput: float = 0.0
    fast_span_s: float = 0.0
    #: Curated answers, and how many of them came from the result cache.
    curated_hits: tuple[int, int] = (0, 0)
    #: 503 answers by error type and class, e.g. ``{"query-timeout (slow)": 12}``.
    unavailable: dict[str, int] = field(default_factory=dict)
    #: Seconds each page took in the warm-up pass (empty with ``--cold``).
    warm_up_s: dict[str, float] = field(default_factory=dict)
    #: Per kind of request: requests, statuses, p50 / max latency (``--variants`` prints it).
    variants: list[ClassStats] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a sample of failing answers

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def _mb(n: float) -> float:
    return n / (1 << 20)


def evaluate(outcomes: list[Outcome], time_limit: float) -> list[Check]:
    """The invariants over all answers (the server's own checks are added by ``run``)."""
    by = {cls: [o for o in outcomes if o.spec.cls == cls] for cls in CLASSES}
    checks = []

    no_answer = [o for o in outcomes if o.status == 0]
    checks.append(Check("every request got an HTTP answer (no hang, no broken connection)",
                        not no_answer, _sample(no_answer)))
    bad_5xx = [o for o in outcomes if o.status >= 500
               and not (o.status == 503 and o.error_type == "query-timeout")]
    checks.append(Check("no 5xx except 503 query-timeout", not bad_5xx, _sample(bad_5xx)))
    wrong = [o for o in by["curated"] if o.problem]
    checks.append(Check("every curated query 200, in the format asked for, with the "
                        "reference row count", not wrong, _sample(wrong)))
    not_4xx = [o for o in by["malformed"] if not 400 <= o.status < 500]
    checks.append(Check("every malformed request got a 4xx", not not_4xx, _sample(not_4xx)))
    not_expected = [o for o in by["malformed"] if o.problem and o not in not_4xx]
    checks.append(Check("every malformed request got the 4xx of its kind", not not_expected,
                        _sample(not_expected)))
    slow_wrong = [o for o in by["slow"] if o.problem]
    worst = max((o.seconds for o in by["slow"]), default=0.0)
    checks.append(Check(f"slow queries 503 query-timeout within the time limit + 1 s "
                        f"({time_limit + 1:g} s; slowest {worst:.2f} s)",
                        not slow_wrong, _sample(slow_wrong)))
    pages_wrong = [o for o in by["page"] if o.problem]
    checks.append(Check("every page 200 with its Content-Type", not pages_wrong,
                        _sample(pages_wrong)))
    return checks


def _sample(bad: list[Outcome], limit: int = 3) -> str:
    if not bad:
        return ""
    kinds = Counter(o.spec.variant for o in bad)
    first = bad[0]
    return (f"{len(bad)} answers ({', '.join(f'{k} ×{n}' for k, n in kinds.most_common(4))});"
            f" e.g. {first.spec.method} {first.spec.target[:80]}: {first.problem}")


def run(args: argparse.Namespace) -> LoadResult:
    """Start the server, fire the plan, check the invariants; print as it goes."""
    began = time.monotonic()
    info = machine()
    queries = curated_queries()
    workdir = Path(tempfile.mkdtemp(prefix="xsrv-load-"))
    server = Server(args, workdir)
    sampler: MemorySampler | None = None
    checks: list[Check] = []
    try:
        startup = server.wait_ready()
        print(f"server: {' '.join(server.command[1:])}\n  pid {server.pid}, port "
              f"{server.port}, {server.workers} query workers, up in {startup:.1f} s")
        slow_concurrency = args.slow_concurrency or max(1, server.workers - 1)
        cap = slow_cap(args.time_limit, slow_concurrency)
        counts = plan_counts(args.requests, cap, args.slow)
        base = Config.from_env().base_iri
        reference = reference_rows(server.port, queries)
        iris = resource_iris(server.port, base, args.seed)
        malformed = malformed_specs(args.max_body)
        slow = slow_specs()
        pages = page_specs(iris, base)
        plan = build_plan(counts, args.seed, queries, malformed, slow, pages)
        warm = {} if args.cold else warm_up(server.port, pages)
        if warm:
            print("warm-up (each page once, alone; not measured below): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in warm.items()))
        else:
            print("no warm-up: the first /shacl and /validation run pySHACL under the load")
        print(f"plan (seed {args.seed}): {args.requests} requests from {args.clients} clients: "
              + ", ".join(f"{counts[c]} {c} ({counts[c] / args.requests:.1%})"
                          for c in CLASSES))
        print(f"  curated: {len(queries)} queries × GET/form/direct × json/xml/csv/tsv/"
              f"turtle-first/*/*/format=; malformed: {len(malformed)} kinds; pages: "
              f"{len(pages)} ({len(iris)} /id/ resources × html/turtle + 10 others)")
        print(f"  slow: {counts['slow']} (nominal {SHARES['slow']:.0%} = "
              f"{round(args.requests * SHARES['slow'])}, "
              + ("capped" if args.slow is None else "set by --slow; the cap is")
              + f" {cap}: each holds a worker "
              f"for the {args.time_limit:g} s limit; at most {slow_concurrency} in flight, so "
              f"{server.workers - slow_concurrency} of {server.workers} workers stay free; each "
              f"keeps its place {RESPAWN_GRACE:g} s after its answer while the worker it "
              "cost is replaced)")

        sampler = MemorySampler(server.pid)
        rss_start = sampler.sample()
        sampler.start()
        outcomes, load_s = fire(server.port, plan, args.clients, slow_concurrency, reference,
                                args.time_limit, progress=not args.quiet)
        alive = server.alive()
        # The pool must be whole again once the last killed worker has been replaced.
        settle = time.monotonic() + 15
        while time.monotonic() < settle and len(workers_of(server.pid)) != server.workers:
            time.sleep(0.2)
        pool = len(workers_of(server.pid))
        after = Client(server.port)
        status, _, _, _ = after.send(_query_request(
            "curated", "after", "GET", "ASK {}", {"Accept": SOLUTION_TYPES["json"]}))
        after.close()
        sampler.stop()
        rss_end = sampler.sample()
        rss_peak = max(s[1] for s in sampler.samples)
        server_rss = (_mb(sampler.samples[0][2]), _mb(max(s[2] for s in sampler.samples)),
                      _mb(sampler.samples[-1][2]))
        worker_pids = workers_of(server.pid)
        server.stop()
        gone = not [p for p in worker_pids if running(p)]
        log = server.log()
        wall = time.monotonic() - began

        checks += evaluate(outcomes, args.time_limit)
        checks.append(Check("the server stayed up through the load", alive))
        checks.append(Check(f"the worker pool is back to {server.workers} after the load, and "
                            "answers", pool == server.workers and status == 200,
                            f"{pool} workers, ASK {{}} gave HTTP {status}"))
        growth = _mb(rss_peak - rss_start)
        checks.append(Check(f"peak RSS <= start + {args.rss_growth_mb:g} MB (grew "
                            f"{growth:.0f} MB)", growth <= args.rss_growth_mb))
        checks.append(Check("no traceback or unexpected error in the server log",
                            "Traceback" not in log and "unexpected error" not in log,
                            _log_excerpt(log)))
        checks.append(Check("SIGTERM stops the server: exit status 0, workers gone",
                            server.stopped_by_sigterm and server.exit_code == 0 and gone,
                            f"exit status {server.exit_code}, "
                            f"{'workers gone' if gone else 'workers left running'}"))
        checks.append(Check(f"total wall time < {WALL_LIMIT:g} s ({wall:.1f} s)",
                            wall < WALL_LIMIT))
    finally:
        server.stop()  # first: whatever failed, no server is left behind
        if sampler is not None:
            sampler.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    classes = {c: ClassStats.of(c, [o for o in outcomes if o.spec.cls == c]) for c in CLASSES}
    total = ClassStats.of("total", outcomes, load_s)
    fast = ClassStats.of("fast", [o for o in outcomes if o.spec.cls != "slow"])
    kinds: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        kinds.setdefault((o.spec.cls, o.spec.variant), []).append(o)
    variants = [ClassStats.of(f"{c} / {v}", kinds[c, v]) for c, v in sorted(kinds)]
    problems = [f"at {o.finished:.1f} s, {o.spec.cls} / {o.spec.variant}: "
                f"{(o.problem or '').strip()[:240]}" for o in outcomes if o.problem][:20]
    sparql = [o for o in outcomes if o.spec.target.startswith("/sparql") and o.status == 200
              and o.spec.cls == "curated"]
    shed = Counter(f"{o.error_type} ({o.spec.cls})" for o in outcomes if o.status == 503)
    return LoadResult(
        options={k: getattr(args, k) for k in ("requests", "clients", "time_limit", "seed",
                                                 "slow", "cache_mb", "max_body",
                                                 "rss_growth_mb", "cold")},
        machine=info, plan=counts, workers=server.workers,
        slow_concurrency=slow_concurrency, startup_s=startup, load_s=load_s, wall_s=wall,
        throughput=total.rate, classes=classes, total=total,
        rss_start_mb=_mb(rss_start), rss_peak_mb=_mb(rss_peak), rss_end_mb=_mb(rss_end),
        rss_bound_mb=_mb(rss_start) + args.rss_growth_mb, server_rss_mb=server_rss,
        fast_throughput=fast.rate, fast_span_s=fast.span_s, variants=variants, warm_up_s=warm,
        curated_hits=(sum(o.cached for o in sparql), len(sparql)), unavailable=dict(shed),
        checks=checks, problems=problems)


def _log_excerpt(log: str) -> str:
    at = log.find("Traceback")
    if at < 0:
        at = log.find("unexpected error")
    return "" if at < 0 else log[max(0, at - 200):at + 800]


def report(result: LoadResult, variants: bool = False) -> None:
    if variants:
        print("\nper kind of request:")
        width = max(len(v.name) for v in result.variants)
        for v in result.variants:
            print(f"  {v.name:<{width}} {v.requests:>5}  p50 {v.p50_ms:7.1f} ms  max "
                  f"{v.max_ms:7.1f} ms  {v.status_text()}")
    print()
    for check in result.checks:
        line = f"{'PASS' if check.passed else 'FAIL'}  {check.name}"
        if not check.passed and check.detail:
            line += f"\n      {check.detail}"
        print(line)
    if result.problems:
        print("\nfirst failing answers:")
        for p in result.problems:
            print(f"  {p}")
    opts = result.options
    cache = "default (64 MiB)" if opts["cache_mb"] is None else f"{opts['cache_mb']} MB"
    print(f"\n### Load test: {opts['requests']} requests, {opts['clients']} clients, "
          f"time limit {opts['time_limit']:g} s, seed {opts['seed']}\n")
    for key, value in result.machine.items():
        print(f"- {key}: {value}")
    print(f"- server: `xsrv-kg serve --port 0 --time-limit {opts['time_limit']:g}`, "
          f"{result.workers} query workers, result cache {cache}, max body "
          f"{opts['max_body']} bytes; up in {result.startup_s:.1f} s")
    print(f"- at most {result.slow_concurrency} slow "
          f"quer{'y' if result.slow_concurrency == 1 else 'ies'} in flight; pages "
          + ("not warmed up" if opts["cold"] else
             "warmed up (first /shacl took "
             f"{result.warm_up_s.get('/shacl turtle', float('nan')):.1f} s alone)") + "\n")
    header = ["class", "requests", "status codes", "p50 ms", "p99 ms", "max ms",
              "last answer s", "req/s"]
    print("| " + " | ".join(header) + " |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for stats in [*result.classes.values(), result.total]:
        name = f"**{stats.name}**" if stats.name == "total" else stats.name
        print(f"| {name} | {stats.requests} | {stats.status_text()} | {stats.p50_ms:.1f} | "
              f"{stats.p99_ms:.1f} | {stats.max_ms:.1f} | {stats.span_s:.1f} | "
              f"{stats.rate:.1f} |")
    srv = result.server_rss_mb
    hits, answers = result.curated_hits
    print(f"\nResult cache: {hits} of {answers} curated answers were hits. 503 answers: "
          + (", ".join(f"{k} ×{n}" for k, n in sorted(result.unavailable.items())) or "none")
          + ".")
    fast_n = result.total.requests - result.classes["slow"].requests
    print(f"\nThroughput {result.throughput:.1f} req/s over the {result.load_s:.1f} s of load "
          f"({fast_n} requests other than slow ones: {result.fast_throughput:.1f} req/s until "
          f"the last of them at {result.fast_span_s:.1f} s; the slow ones run "
          f"{result.slow_concurrency} at a time and finish last). Wall time "
          f"{result.wall_s:.1f} s (server start to stop). RSS of the server and its workers: "
          f"start {result.rss_start_mb:.0f} MB, peak {result.rss_peak_mb:.0f} MB, end "
          f"{result.rss_end_mb:.0f} MB (bound {result.rss_bound_mb:.0f} MB); the server "
          f"process alone {srv[0]:.0f} / {srv[1]:.0f} / {srv[2]:.0f} MB. "
          f"{sum(c.passed for c in result.checks)} of {len(result.checks)} checks pass: "
          f"{'PASS' if result.passed else 'FAIL'}.")


def main(argv: list[str] | None = None) -> LoadResult:
    parser = argparse.ArgumentParser(
        description="Bounded load test of xsrv-kg serve on loopback: curated, malformed, "
                    "slow and page requests from many clients; checks limits and memory.")
    parser.add_argument("--requests", type=int, default=5000, help="requests in all")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--time-limit", type=float, default=2.0,
                        help="the server's --time-limit in seconds (default: 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mix (default: 1)")
    parser.add_argument("--cache-mb", type=int, default=None,
                        help="the server's --cache-mb (default: the server's, 64)")
    parser.add_argument("--max-body", type=int, default=Config().max_body,
                        help="the server's --max-body; the oversize requests exceed it "
                             "(default: 1 MiB)")
    parser.add_argument("--slow", type=int, default=None,
                        help="number of slow queries (default: 3%% of the requests, capped "
                             f"so that they fit in about {SLOW_BUDGET:g} s)")
    parser.add_argument("--slow-concurrency", type=int, default=None,
                        help="slow queries in flight at most (default: workers - 1)")
    parser.add_argument("--rss-growth-mb", type=float, default=300.0,
                        help="the peak RSS may exceed the start by this much (default: 300)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up pass over the pages: the first /shacl and "
                             "/validation (pySHACL, in the server process) run under the load")
    parser.add_argument("--variants", action="store_true",
                        help="also print latency and statuses per kind of request")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1 or args.time_limit < 0.1 \
            or (args.slow is not None and args.slow < 0):
        parser.error("--requests and --clients must be positive, --time-limit >= 0.1, "
                     "--slow >= 0")
    result = run(args)
    report(result, args.variants)
    return result


if __name__ == "__main__":
    sys.exit(0 if main().passed else 1)
