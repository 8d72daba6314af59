"""Running queries where they can be stopped: a pool of worker processes.

pyoxigraph cannot cancel a running query, so a query that runs past the time limit would
hold a thread (and a core) until it ends by itself. Each query therefore runs in a worker
process that holds its own read-only copy of the store (opened from the store's
:class:`~xsrv_kg.store.Replica`); when the limit passes, the worker is killed and replaced,
and the client gets an explicit error instead of a truncated answer.

:class:`InlineExecutor` runs in the calling thread without a limit, for the CLI and for
stores that enforce limits themselves.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Protocol

import pyoxigraph as ox

from .. import errors, vocab
from ..errors import LimitExceeded, QueryTimeout, XsrvError
from ..store import Replica, Store
from .negotiation import Negotiated
from .results import Written, write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryJob:
    """One query and everything that decides its answer (and so its cache key)."""

    text: str
    negotiated: Negotiated
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int = 0
    max_bytes: int = 0
    #: The query calls SERVICE endpoints: their failures are the upstream's (502), not ours.
    federated: bool = False
    #: Relative IRIs in the query resolve against this (the endpoint's URL).
    base_iri: str | None = None

    def key(self, version: int) -> tuple[object, ...]:
        return (version, self.text, self.negotiated.key, self.union_default_graph,
                self.default_graphs, self.named_graphs, self.max_rows, self.max_bytes,
                self.base_iri)


def execute(store: Store, job: QueryJob) -> Written:
    """Run ``job`` on ``store`` and serialize its result (the project prefixes predeclared)."""
    try:
        result = store.query(job.text, union_default_graph=job.union_default_graph,
                             default_graphs=job.default_graphs, named_graphs=job.named_graphs,
                             prefixes=vocab.PREFIXES, base_iri=job.base_iri)
        # Evaluation is lazy: errors also surface while the results are read.
        written = write(result, job.negotiated.solutions, job.negotiated.graph,
                        max_rows=job.max_rows, max_bytes=job.max_bytes,
                        prefixes=vocab.PREFIXES)
    except OSError as exc:
        if job.federated:
            raise errors.UpstreamError("query evaluation failed: a SERVICE endpoint of the "
                                       f"query failed: {exc}") from exc
        raise XsrvError(f"query evaluation failed: {exc}") from exc
    if written is None:
        kind = "a graph (CONSTRUCT/DESCRIBE)" if isinstance(result, ox.QueryTriples) \
            else "solutions (SELECT/ASK)"
        raise errors.NoFormatForResult(f"this query yields {kind}, and the request accepts "
                                       "no format for that kind of result")
    return written


class Executor(Protocol):
    def run(self, job: QueryJob) -> Written:
        """Run a query job; raise :class:`XsrvError` subclasses for every failure."""

    def close(self) -> None:
        """Stop workers, if any."""

    def describe(self) -> str:
        """Where queries run, for the server's start-up line."""

    @property
    def retiring(self) -> bool:
        """Whether the process is being replaced (only :mod:`.threads` ever is)."""


class InlineExecutor:
    """Runs queries in the calling thread: no time limit."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def run(self, job: QueryJob) -> Written:
        return execute(self._store, job)

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return "queries in the request thread (no time limit)"

    retiring = False


# --- worker processes --------------------------------------------------------------------

def _worker_main(conn: Connection) -> None:
    """A worker's loop: open the replica it is sent, say ready, answer jobs until told to stop."""
    replica: Replica = conn.recv()
    store = replica.open()
    version = replica.version
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        replica, job = message
        try:
            if replica is not None and replica.version != version:
                store, version = replica.open(), replica.version
            conn.send(("ok", execute(store, job)))
        except XsrvError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the client, worker lives on
            conn.send(("error", "XsrvError", f"query failed: {type(exc).__name__}: {exc}"))


class _Worker:
    """One worker process, talking over a socket pair.

    A fresh interpreter (``python -m xsrv_kg.query.executor``), not a fork of the server: forking
    a process that runs threads can deadlock the child, and multiprocessing's spawn would
    re-run the server's main module.
    """

    def __init__(self, replica: Replica) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xsrv_kg.query.executor", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(replica)
        #: The store version the worker has open: a job carries a replica only when it
        #: differs, so the usual message is the job alone.
        self.version = replica.version

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.warning("query worker %s did not exit after SIGKILL", self.process.pid)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; a query past ``time_limit`` seconds kills its worker."""

    #: Seconds a new worker may take to open its copy of the store.
    START_TIMEOUT = 600.0

    def __init__(self, replicas: Callable[[], Replica], *, size: int,
                 time_limit: float) -> None:
        if size < 1:
            raise errors.BadInput("the query worker pool needs at least one worker")
        self._replicas = replicas
        self._time_limit = time_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.size = size
        started = [self._start() for _ in range(size)]
        for worker in started:
            if not worker.wait_ready(self.START_TIMEOUT):
                self.close()
                raise XsrvError("a query worker failed to start")
            self._idle.put(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self._replicas())
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def start() -> None:
            # Retry until a worker comes up: the pool must not shrink for good because one
            # start failed (e.g. it was handed a snapshot an update had just replaced).
            for attempt in range(1, 11):
                fresh = self._start()
                if fresh.wait_ready(self.START_TIMEOUT) and not self._closed:
                    self._idle.put(fresh)
                    return
                fresh.kill()
                with self._lock:
                    self._all.discard(fresh)
                if self._closed:
                    return
                log.warning("query worker failed to start (attempt %d); retrying", attempt)
                time.sleep(min(0.2 * attempt, 2.0))
            log.error("giving up on a query worker: the pool runs with one fewer")

        threading.Thread(target=start, daemon=True, name="xsrv-kg worker start").start()

    def run(self, job: QueryJob) -> Written:
        replica = self._replicas()
        # Waiting for a free worker is bounded on its own: a query queued behind others
        # still gets its full time limit once it runs, and a healthy worker is never killed
        # for time the query spent waiting.
        try:
            worker = self._idle.get(timeout=self._time_limit)
        except queue.Empty:
            raise LimitExceeded(f"all {self.size} query workers stayed busy for "
                                f"{self._time_limit:g} s; try again later") from None
        try:
            if worker.version != replica.version:
                worker.conn.send((replica, job))
                worker.version = replica.version
            else:
                worker.conn.send((None, job))
            if not worker.conn.poll(self._time_limit):
                self._replace(worker)
                raise QueryTimeout(f"query stopped at the time limit of {self._time_limit:g} s")
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise XsrvError("the query worker ended unexpectedly (out of memory?)") from exc
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        error_class = getattr(errors, reply[1], XsrvError)
        raise error_class(reply[2])

    def describe(self) -> str:
        return f"{self.size} query workers"

    retiring = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(1)
            worker.kill()


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1])))
