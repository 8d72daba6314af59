"""Running queries in this process's threads; a runaway query recycles the process.

pyoxigraph releases the GIL while it evaluates, so queries in threads of the serving
process use every core without the cost of a hop to another process (pickling, three
context switches: a third of a small query's time). What threads cannot do is stop a query:
when one passes the time limit, its client gets the 503 at the limit, and ``recycle`` asks
the server to replace the whole process (granian starts a fresh one, then stops this one,
within a second), which is the only way to take the query's CPU back.

That is safe only when a process holds nothing that a fresh one would not load again: a
read-only service on an in-memory store. A service that takes updates keeps its queries in
worker processes (:class:`~xsrv_kg.query.executor.WorkerPool`), which can be killed without
touching the store they copy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable

from ..errors import ProcessReplaced, QueryTimeout
from ..store import Store
from .executor import QueryJob, execute
from .results import Written

log = logging.getLogger(__name__)

#: Seconds the queries of a process being replaced get to finish. The server stops the process
#: a little later (serving.RESPAWN_INTERVAL), so every query there gets an answer.
GRACE = 0.5

REPLACED = ("this server process is being replaced (a query in it ran past the time limit); "
            "send the query again")


class _Job:
    """One query handed to a thread, and the slot its outcome comes back in.

    The waiting request blocks on a held lock that settling releases: a bare lock costs a
    fraction of an ``Event`` (a condition variable), which showed in profiles of small
    queries.
    """

    __slots__ = ("job", "latch", "settled", "result", "error")

    def __init__(self, job: QueryJob) -> None:
        self.job = job
        self.latch = threading.Lock()
        self.latch.acquire()
        self.settled = False
        self.result: Written | None = None
        self.error: BaseException | None = None

    def settle(self, result: Written | None, error: BaseException | None) -> None:
        """Hand the outcome over, once: the query's thread and a process being replaced may
        both try."""
        if self.settled:
            return
        self.settled = True
        self.result, self.error = result, error
        with contextlib.suppress(RuntimeError):  # the other one released it first
            self.latch.release()

    def wait(self, timeout: float) -> bool:
        return self.latch.acquire(timeout=timeout)


class ThreadExecutor:
    """``size`` daemon threads evaluating queries; past ``time_limit``, ``recycle()``.

    Daemon threads, not a ``ThreadPoolExecutor``: a process being replaced must be able to
    exit while a runaway query still runs in one of them.
    """

    def __init__(self, store: Store, *, size: int, time_limit: float,
                 recycle: Callable[[], None]) -> None:
        self._store = store
        self._time_limit = time_limit
        self._recycle = recycle
        self._recycling = threading.Event()
        self._past_grace = threading.Event()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.size = size
        self._started_in = 0
        self._start_lock = threading.Lock()
        #: Queries waiting for their answer, failed together when the process goes.
        self._pending: set[_Job] = set()
        self._pending_lock = threading.Lock()

    def _start(self) -> None:
        """Start the threads in this process. Lazily: the server builds the executor before
        it forks its workers, and a fork keeps no thread but the one that forked."""
        with self._start_lock:
            if self._started_in == os.getpid():
                return
            self._queue = queue.SimpleQueue()
            for n in range(self.size):
                threading.Thread(target=self._loop, daemon=True,
                                 name=f"xsrv-kg query {n}").start()
            self._started_in = os.getpid()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                item.settle(execute(self._store, item.job), None)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                item.settle(None, exc)

    @property
    def retiring(self) -> bool:
        """Whether this process is being replaced: its answers should close their
        connections, so that no client keeps one to a process about to go."""
        return self._recycling.is_set()

    def run(self, job: QueryJob) -> Written:
        if self._started_in != os.getpid():
            self._start()
        if self._past_grace.is_set():
            raise ProcessReplaced(REPLACED)
        item = _Job(job)
        with self._pending_lock:
            self._pending.add(item)
        try:
            self._queue.put(item)
            finished = item.wait(self._time_limit)
        finally:
            with self._pending_lock:
                self._pending.discard(item)
        if not finished:
            self._runaway()
            raise QueryTimeout(f"query stopped at the time limit of {self._time_limit:g} s")
        if item.error is not None:
            raise item.error
        assert item.result is not None
        return item.result

    def _runaway(self) -> None:
        """Ask once for this process to be replaced: the query's thread cannot be stopped.

        The server stops this process within a second; queries still running here
        :data:`GRACE` seconds from now are answered with a 503 that says to send them again
        rather than cut off without an answer.
        """
        if self._recycling.is_set():
            return
        self._recycling.set()
        log.warning("a query ran past the time limit: replacing this server process")
        timer = threading.Timer(GRACE, self._fail_pending)
        timer.daemon = True
        timer.start()
        self._recycle()

    def _fail_pending(self) -> None:
        """Past the grace: the queries still running, and any that come, get the 503 that
        says to send them again (the fresh process is serving by now)."""
        self._past_grace.set()
        with self._pending_lock:
            pending = list(self._pending)
        for item in pending:
            item.settle(None, ProcessReplaced(REPLACED))

    def describe(self) -> str:
        return f"queries in {self.size} threads of each server process"

    def close(self) -> None:
        if self._started_in == os.getpid():
            for _ in range(self.size):
                self._queue.put(None)
