"""The embedded Oxigraph backend (in memory)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..errors import BadInput
from . import QueryResult


class OxigraphStore:
    """pyoxigraph's :class:`~pyoxigraph.Store`, kept behind the project's store interface."""

    def __init__(self) -> None:
        self._store = ox.Store()

    def add(self, quads: Iterable[ox.Quad]) -> None:
        # bulk_extend is not transactional; extend is, which is what "all or none" needs.
        self._store.extend(quads)

    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        try:
            return self._store.query(sparql, use_default_graph_as_union=union_default_graph)
        except SyntaxError as exc:
            raise BadInput(f"SPARQL syntax error: {exc}") from exc

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        wanted = None if graphs is None else set(graphs)
        if wanted is None and fmt.supports_datasets:
            return self._store.dump(format=fmt, prefixes=prefixes)
        # Copy the wanted graphs into a scratch store: pyoxigraph dumps one graph or all.
        scratch = ox.Store()
        names = self.graphs() if wanted is None else sorted(wanted)
        for name in names:
            graph = ox.NamedNode(name)
            target = graph if fmt.supports_datasets else ox.DefaultGraph()
            scratch.extend(ox.Quad(q.subject, q.predicate, q.object, target)
                           for q in self._store.quads_for_pattern(None, None, None, graph))
        if fmt.supports_datasets:
            return scratch.dump(format=fmt, prefixes=prefixes)
        return scratch.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def __len__(self) -> int:
        return len(self._store)
