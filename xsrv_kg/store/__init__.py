"""The store interface: what every backend offers to the services above it.

pyoxigraph's term and result classes are the lingua franca: a remote backend parses its
server's answers into the same classes, so services never know which backend they run on.
A new backend is a new module here plus one line in :func:`open_store`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import BadInput

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Replica(Protocol):
    """A picklable recipe for opening a read-only copy of a store in another process.

    Query workers (:mod:`xsrv_kg.executor`) run in separate processes so a runaway query can
    be stopped; each opens the store through its replica.
    """

    version: int

    def open(self) -> Store:
        """Open the copy (called in the worker process)."""

    def release(self) -> None:
        """Free what the copy holds (files) once a newer replica replaces it."""


class Store(Protocol):
    """A quad store with SPARQL 1.1 query and update."""

    #: Increases with every change, so caches and replicas can tell they are stale.
    version: int

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads atomically: all of them or none."""

    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None,
              prefixes: dict[str, str] | None = None,
              base_iri: str | None = None) -> QueryResult:
        """Run a SPARQL query; raise :class:`BadInput` on a syntax error.

        ``default_graphs`` / ``named_graphs`` set the dataset (as the Protocol's
        ``default-graph-uri`` / ``named-graph-uri`` do) and then win over
        ``union_default_graph``. ``prefixes`` are declared for the query unless it
        declares them itself; relative IRIs resolve against ``base_iri``.
        """

    def update(self, sparql: str, *, prefixes: dict[str, str] | None = None,
               base_iri: str | None = None) -> None:
        """Run a SPARQL update atomically; raise :class:`BadInput` on a syntax error."""

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        """Serialize the given named graphs (all when ``None``)."""

    def replica(self, workdir: Path) -> Replica:
        """A recipe for a read-only copy as of now (may write files under ``workdir``)."""

    def __len__(self) -> int:
        """Number of quads."""


def open_store(spec: str = "memory") -> Store:
    """A store from a ``--store`` spec. Only the embedded in-memory Oxigraph exists so far."""
    if spec == "memory":
        from .oxigraph import OxigraphStore

        return OxigraphStore()
    raise BadInput(f"unknown store {spec!r}: only 'memory' is available")
