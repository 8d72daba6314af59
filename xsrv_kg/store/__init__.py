"""The store interface: what every backend offers to the services above it.

pyoxigraph's term and result classes are the lingua franca: a remote backend parses its
server's answers into the same classes, so services never know which backend they run on.
A new backend is a new module here plus one line in :func:`open_store`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox

from ..errors import BadInput

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    """A quad store with SPARQL 1.1 query."""

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads atomically: all of them or none."""

    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        """Run a SPARQL query; raise :class:`BadInput` on a syntax error."""

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        """Serialize the given named graphs (all when ``None``)."""

    def __len__(self) -> int:
        """Number of quads."""


def open_store(spec: str = "memory") -> Store:
    """A store from a ``--store`` spec. Only the embedded in-memory Oxigraph exists so far."""
    if spec == "memory":
        from .oxigraph import OxigraphStore

        return OxigraphStore()
    raise BadInput(f"unknown store {spec!r}: only 'memory' is available")
