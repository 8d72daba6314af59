"""The clients: keep-alive connections sending the plan from many threads, each answer judged
against what its request must get; and the passes before the load (the reference row counts,
the warm-up, the ``/id/…`` resources to ask for)."""

from __future__ import annotations

import csv
import gzip
import http.client
import io
import json
import random
import re
import select
import sys
import threading
import time
from dataclasses import dataclass

from .mix import RESPAWN_GRACE, SOLUTION_TYPES, Spec, query_request

#: Client socket timeout: a request taking longer counts as a hang.
CLIENT_TIMEOUT = 60.0


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


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """Whether the server has closed this idle connection (it reads as ready, at its end)."""
    sock = conn.sock
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class Client:
    """One keep-alive connection; reconnects when the server closed it or it broke."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, spec: Spec) -> tuple[int, http.client.HTTPMessage | None, bytes, float]:
        if self.conn is not None and _dropped(self.conn):
            # The server closed the idle connection (a server process replaced after a
            # runaway query closes its own): reconnect, as urllib3 and browsers do, rather
            # than write a request into a closed socket.
            self.close()
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
            spec = query_request("curated", "reference", "form", text,
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
        status, _, body, _ = client.send(query_request(
            "page", "setup", "form", text, {"Accept": SOLUTION_TYPES["json"]}))
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"listing /id/ resources gave HTTP {status}")
    iris = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    rng = random.Random(seed)
    return sorted(rng.sample(iris, min(how_many, len(iris))))

