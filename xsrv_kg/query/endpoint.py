"""The query service behind ``/sparql`` and ``xsrv-kg query``: dataset rules, limits,
cache, updates.

It knows nothing of HTTP: the protocol blueprint turns requests into calls here and
:class:`~xsrv_kg.errors.XsrvError` into statuses; the CLI runs its queries here too, so both
answer alike. Every limit (query length, the SERVICE allow-list, whether writes are allowed)
is checked here and nowhere else. One :class:`Endpoint` per app.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .. import vocab
from ..config import Config
from ..errors import BadInput, Forbidden, QueryTooLong
from ..sources import inference
from ..sources.loader import load_project
from ..sparql.text import read_text, with_using
from ..store import Replica, Store, open_configured
from .cache import ResultCache
from .executor import Executor, InlineExecutor, QueryJob, WorkerPool
from .negotiation import Negotiated
from .results import Written
from .threads import ThreadExecutor


def queries_in_threads(config: Config) -> bool:
    """Whether a served process may run queries in its own threads: when a fresh process
    would serve exactly the same data (an in-memory store loaded from files, no updates), so
    a runaway query can be stopped by replacing the process (:mod:`.threads`)."""
    return config.store == "memory" and not config.allow_update


@dataclass(frozen=True)
class Answer:
    """A serialized result, and whether it came from the cache."""

    written: Written
    cached: bool


class Endpoint:
    """Runs queries and updates against one store under the configured limits."""

    def __init__(self, config: Config, store: Store, *, workers: bool = True,
                 recycle: Callable[[], None] | None = None) -> None:
        """``workers=False`` runs queries in the calling thread without a time limit (the
        CLI, tests). Otherwise the time limit is enforced: by recycling the process when the
        server can (``recycle``) and nothing would be lost doing so, else by worker
        processes (:meth:`_executor` says which)."""
        self.config = config
        self.store = store
        self.cache = ResultCache(config.cache_bytes)
        #: Where replicas for worker processes are written (made on first use).
        self._workdir: Path | None = None
        self._write_lock = threading.Lock()
        self._replica_lock = threading.Lock()
        self._replica: Replica | None = None
        self.executor: Executor = self._executor(workers, recycle)

    def _executor(self, workers: bool, recycle: Callable[[], None] | None) -> Executor:
        """Where queries run: the one place that decides.

        In this process's threads when a fresh process would serve the very same data (an
        in-memory store loaded from files, no updates): a runaway then costs a process
        restart. Otherwise in worker processes, which a runaway costs alone.
        """
        if not workers:
            return InlineExecutor(self.store)
        if recycle is not None and queries_in_threads(self.config):
            return ThreadExecutor(self.store, size=self.config.threads,
                                  time_limit=self.config.time_limit, recycle=recycle)
        return WorkerPool(self.replica, size=self.config.workers,
                          time_limit=self.config.time_limit)

    @classmethod
    def open(cls, config: Config, *, workers: bool = True,
             recycle: Callable[[], None] | None = None) -> Endpoint:
        """The configured store; a ``memory`` store is filled with the project's ontology,
        shapes and data (or ``config.data_paths``), a persistent one is served as it is."""
        store = open_configured(config)
        if not store.persistent:
            load_project(store, config, list(config.data_paths) or None)
        elif config.data_paths:
            store.close()
            raise BadInput(f"data files are loaded at start only into a memory store; put "
                           f"them into {store.spec} with `xsrv-kg load PATH --store "
                           f"{store.spec}` first")
        inference.ensure(store, config)
        return cls(config, store, workers=workers, recycle=recycle)

    def replica(self) -> Replica:
        """The store as of its current version, for worker processes (made once per version)."""
        with self._replica_lock:
            if self._replica is None or self._replica.version != self.store.version:
                if self._workdir is None:
                    self._workdir = Path(tempfile.mkdtemp(prefix="xsrv-kg-"))
                old = self._replica
                self._replica = self.store.replica(self._workdir)
                if old is not None:
                    # A worker reading it keeps its open file; one about to open it
                    # fails to start and is started again with the new replica.
                    old.release()
            return self._replica

    # --- queries --------------------------------------------------------------------------

    def query(self, text: str, negotiated: Negotiated, *,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None,
              base_iri: str | None = None) -> Answer:
        """Run a query under the time and row limits; answers may come from the cache."""
        self._check_length(text, "query")
        if not text.strip():
            raise BadInput("the query is empty")
        scanned = read_text(text)
        scanned.check_nesting()
        self._check_services(scanned.services)
        job = QueryJob(
            text=text,
            negotiated=negotiated,
            # A query with FROM / FROM NAMED chooses its own dataset: no union over it.
            union_default_graph=self.config.union_default_graph
            and not scanned.has_dataset_clause,
            default_graphs=tuple(default_graphs) if default_graphs is not None else None,
            named_graphs=tuple(named_graphs) if named_graphs is not None else None,
            max_rows=self.config.max_rows,
            max_bytes=self.config.max_result_bytes,
            federated=bool(scanned.services),
            base_iri=base_iri,
        )
        if job.default_graphs is not None and job.named_graphs is None:
            job = replace(job, named_graphs=())
        elif job.named_graphs is not None and job.default_graphs is None:
            job = replace(job, default_graphs=())
        key = job.key(self.store.version)
        found = self.cache.get(key)
        if found is not None:
            return Answer(found, cached=True)
        written = self.executor.run(job)
        self.cache.put(key, written)
        return Answer(written, cached=False)

    def _check_length(self, text: str, what: str) -> None:
        """413 for a query or update text longer than ``max_query_length`` characters."""
        limit = self.config.max_query_length
        if len(text) > limit:
            raise QueryTooLong(f"the {what} is {len(text)} characters long; this endpoint "
                               f"accepts at most {limit} (--max-query-length, "
                               "XSRV_MAX_QUERY_LENGTH)")

    def _check_services(self, services: Sequence[str]) -> None:
        allowed = set(self.config.service_allow_list)
        for service in services:
            if service not in allowed:
                listed = ", ".join(sorted(allowed)) or "none is configured"
                raise Forbidden(
                    f"SERVICE {service or '(missing endpoint)'} is not allowed: this endpoint "
                    f"calls only endpoints on its allow-list ({listed})")

    # --- updates --------------------------------------------------------------------------

    def update(self, text: str, *, using: Sequence[str] = (), using_named: Sequence[str] = (),
               base_iri: str | None = None) -> None:
        """Apply a SPARQL update atomically, then drop cached answers.

        ``using`` / ``using_named`` are the Protocol's ``using-graph-uri`` /
        ``using-named-graph-uri``: the dataset of the update's ``WHERE``. Updates run in
        this process, one at a time, without a time limit: they need the update token, so
        only trusted clients send them.
        """
        self.require_writes("SPARQL Update")
        self._check_length(text, "update")
        if not text.strip():
            raise BadInput("the update is empty")
        scanned = read_text(text)
        scanned.check_nesting()
        if using or using_named:
            if {"USING", "WITH"} & scanned.operations:
                raise BadInput("using-graph-uri / using-named-graph-uri cannot be combined "
                               "with USING or WITH in the update text")
            text = with_using(text, using, using_named)
        if "LOAD" in scanned.operations:
            raise Forbidden("LOAD is refused: this endpoint fetches nothing from the network "
                            "on a client's behalf")
        self._check_services(scanned.services)
        with self.writing("SPARQL Update") as store:
            store.update(text, prefixes=vocab.PREFIXES, base_iri=base_iri)

    def require_writes(self, operation: str = "writing") -> None:
        """403 unless writes are allowed (``--allow-update``): the one gate of every write,
        which the HTTP layer also asks first, before it looks at the token or the body."""
        if not self.config.allow_update:
            raise Forbidden(f"{operation} is disabled on this endpoint "
                            "(start it with --allow-update and XSRV_UPDATE_TOKEN)")

    @contextmanager
    def writing(self, operation: str = "writing") -> Iterator[Store]:
        """The store, held for one write (SPARQL Update, Graph Store PUT/POST/DELETE):
        writes go one at a time; the inferred graph is recomputed after each, and cached
        answers are dropped afterwards."""
        self.require_writes(operation)
        with self._write_lock:
            try:
                yield self.store
                inference.refresh(self.store, self.config)
            finally:
                self.cache.clear()

    def graphs(self) -> list[str]:
        return self.store.graphs()

    def close(self) -> None:
        self.executor.close()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self.store.close()
