"""The remote store's HTTP client: its ``http.client`` keep-alive pool against urllib3's.

    python benchmarks/remote_store.py [--queries 2000] [--rounds 5] [--threads 1,4,16]

Starts ``oxigraph serve`` (in memory, on a free loopback port), adds a few hundred triples,
and sends the same small queries through :class:`~xsrv_kg.store.sparql.SparqlStore` with
each HTTP client in turn: ``http.client`` (:class:`xsrv_kg.store.http_client.Connections`,
the product's: one kept-alive connection per thread) and ``urllib3`` (its ``PoolManager``,
the maintained alternative, behind the same interface below). Each cell is cut into
``--rounds`` rounds taken in turn with the other client's (A B A B …), so drift of a shared
machine hits both alike. With ``--threads N``, N threads share one store and send
``--queries`` queries between them.

Prints one table: queries per second and the median and p99 latency per client, and the
ratio urllib3 / http.client (above 1: urllib3 is faster). urllib3 would replace the
hand-written pool unless it is more than 10 % slower; it was (results in ``RESULTS.md``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import urllib3  # noqa: E402
from urllib3.exceptions import ProtocolError  # noqa: E402

from tests.backends import oxigraph_available, oxigraph_server  # noqa: E402
from xsrv_kg.store.http_client import CONNECT_TIMEOUT, Connections, Reply  # noqa: E402
from xsrv_kg.store.sparql import GENERIC, UNION_NATIVE, SparqlStore  # noqa: E402

#: Small queries of each form, as pages and the endpoint send them.
QUERIES = (
    "ASK { ?s ?p ?o }",
    "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } LIMIT 10",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s <https://example.org/q> ?o } LIMIT 5",
)


class Urllib3Client:
    """The candidate: the same interface as the store's client, over urllib3's pool (one
    pool per server shared by the threads; no retries or redirects, one resend of an
    idempotent request whose kept-alive connection dropped)."""

    def __init__(self, read_timeout: float) -> None:
        self._pools = urllib3.PoolManager(
            maxsize=32, retries=False,
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=read_timeout))

    def request(self, method: str, url: str, body: bytes | None,
                headers: dict[str, str], *, idempotent: bool) -> Reply:
        for attempt in (1, 2):
            try:
                response = self._pools.request(method, url, body=body, headers=headers,
                                               redirect=False, retries=False)
            except ProtocolError:
                if idempotent and attempt == 1:
                    continue
                raise
            return Reply(response.status, response.headers.get("Content-Type", ""),
                         response.data, response.headers.get("Server", ""))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._pools.clear()


CLIENTS = {"urllib3": Urllib3Client, "http.client": Connections}


def open_store(query_url: str, client: str) -> SparqlStore:
    store = SparqlStore(query_url, union=UNION_NATIVE, probe=False, dialect=GENERIC)
    store._http = CLIENTS[client](store.read_timeout)
    return store


def run(store: SparqlStore, queries: int, threads: int) -> tuple[float, list[float]]:
    """Wall time and per-query latencies of ``queries`` queries over ``threads`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()

    def work(share: int, offset: int) -> None:
        own = []
        for i in range(share):
            began = time.perf_counter()
            result = store.query(QUERIES[(offset + i) % len(QUERIES)])
            if not isinstance(result, ox.QueryBoolean):
                list(result)
            own.append(time.perf_counter() - began)
        with lock:
            latencies.extend(own)

    shares = [queries // threads + (1 if t < queries % threads else 0) for t in range(threads)]
    workers = [threading.Thread(target=work, args=(share, t)) for t, share in enumerate(shares)]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - began, latencies


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=2000, help="queries per cell")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per cell")
    parser.add_argument("--threads", default="1,4,16", help="concurrency levels")
    args = parser.parse_args()
    if not oxigraph_available():
        sys.exit("the oxigraph server is not installed (pip install -e '.[bench]')")
    levels = [int(t) for t in args.threads.split(",")]
    with oxigraph_server() as server:
        loader = server.open()
        ex = "https://example.org/"
        loader.add([ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(ex + ("p" if i % 2 else "q")),
                            ox.Literal(f"value {i}"), ox.NamedNode(ex + "g"))
                    for i in range(300)])
        loader.close()
        print(f"{len(QUERIES)} small queries to oxigraph serve at {server.url}, "
              f"{args.queries} per cell in {args.rounds} interleaved rounds\n")
        print("| threads | client | queries/s | p50 ms | p99 ms | urllib3 / http.client |")
        print("|---:|---|---:|---:|---:|---:|")
        for threads in levels:
            stores = {name: open_store(server.query, name) for name in CLIENTS}
            for store in stores.values():  # warm: connections open, code paths hot
                run(store, 50 * threads, threads)
            wall = dict.fromkeys(CLIENTS, 0.0)
            lat: dict[str, list[float]] = {name: [] for name in CLIENTS}
            per_round = max(args.queries // args.rounds, threads)
            for _ in range(args.rounds):
                for name, store in stores.items():
                    took, latencies = run(store, per_round, threads)
                    wall[name] += took
                    lat[name] += latencies
            rate = {name: len(lat[name]) / wall[name] for name in CLIENTS}
            for name in CLIENTS:
                ordered = sorted(lat[name])
                ratio = f"{rate['urllib3'] / rate['http.client']:.2f}" \
                    if name == "urllib3" else ""
                print(f"| {threads} | {name} | {rate[name]:.0f} | "
                      f"{statistics.median(ordered) * 1000:.2f} | "
                      f"{percentile(ordered, 99) * 1000:.2f} | {ratio} |")
            for store in stores.values():
                store.close()


if __name__ == "__main__":
    main()
