"""The store interface every backend implements, and the helpers backends share.

pyoxigraph's term and result classes are the lingua franca: a remote backend parses its
server's answers into the same classes, so services never know which backend they run on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import BadInput
from .conformance import Conformance

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Replica(Protocol):
    """A picklable recipe for opening a read-only copy of a store in another process.

    Query workers (:mod:`xsrv_kg.query.executor`) run in separate processes so a runaway query can
    be stopped; each opens the store through its replica.
    """

    version: int

    def open(self) -> Store:
        """Open the copy (called in the worker process)."""

    def release(self) -> None:
        """Free what the copy holds (files) once a newer replica replaces it."""


class Store(Protocol):
    """A quad store with SPARQL 1.1 query and update."""

    #: Increases with every change made through this object, so caches and replicas can
    #: tell they are stale. (A remote server changed by others is not seen here.)
    version: int
    #: The ``--store`` spec it was opened from, for messages (``memory``, ``oxigraph:DIR``…).
    spec: str
    #: Whether the data outlives the process (so ``serve`` does not load files into it).
    persistent: bool
    #: Whether queries are evaluated as SPARQL 1.1 says (Virtuoso's are not always), so
    #: services may trust subtle queries to it (the in-store validation engine does).
    answers_by_the_standard: bool
    #: Where the engine deviates from SPARQL 1.1, by its conformance probe
    #: (:mod:`.conformance`); a query whose ``# relies-on:`` line names a deviation found
    #: here is refused by :meth:`query` with :class:`~xsrv_kg.errors.EngineDeviation`.
    conformance: Conformance

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

    def put(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace the named graph ``graph`` with ``quads`` (whose graph is ignored), atomically:
        afterwards it holds the old content or the new, never a mix (Graph Store PUT)."""

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        """Serialize the given named graphs (all when ``None``)."""

    def replica(self, workdir: Path) -> Replica:
        """A recipe for a read-only copy as of now (may write files under ``workdir``)."""

    def close(self) -> None:
        """Release files and connections (an on-disk store can then be opened elsewhere)."""

    def __len__(self) -> int:
        """Number of quads."""


def triples_text(quads: Iterable[ox.Quad | ox.Triple]) -> str:
    """The triples of ``quads`` as N-Triples lines (also valid inside ``INSERT DATA``)."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def replace_graph_update(graph: ox.NamedNode | ox.DefaultGraph,
                         quads: Iterable[ox.Quad | ox.Triple]) -> str:
    """One SPARQL update that makes ``graph`` hold exactly the triples of ``quads``: a single
    request, so one transaction on stores that apply a request in one (Oxigraph)."""
    if isinstance(graph, ox.DefaultGraph):
        return f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{triples_text(quads)}\n}}"
    return (f"DROP SILENT GRAPH {graph} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{\n{triples_text(quads)}\n}} }}")


def graph_name(iri: str) -> ox.NamedNode:
    """A graph named by a caller, as a term; :class:`BadInput` when ``iri`` is not one."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadInput(f"graph IRI {iri!r} is not a valid IRI: {exc}") from exc
