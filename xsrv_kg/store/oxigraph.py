"""The embedded Oxigraph backend: in memory, or on disk (RocksDB) under a folder.

Every write is one Oxigraph transaction (``extend`` or a SPARQL update), so a crash leaves
an on-disk store as it was before the write or after it, never in between.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput, XsrvError
from ..sparql.errors import syntax_error
from .conformance import Conformance, check_query
from .protocol import QueryResult, graph_name, replace_graph_update


class OxigraphStore:
    """pyoxigraph's :class:`~pyoxigraph.Store`, kept behind the project's store interface."""

    def __init__(self, store: ox.Store | None = None, *, path: Path | None = None,
                 spec: str = "memory") -> None:
        self._store = store if store is not None else ox.Store()
        self.path = path
        self.spec = spec
        self.persistent = path is not None
        self.answers_by_the_standard = True
        #: No deviation: Oxigraph is the reference engine (:meth:`Conformance.standard`).
        self.conformance = Conformance.standard(spec)
        self.version = 0

    @classmethod
    def on_disk(cls, path: Path) -> OxigraphStore:
        """Open (creating if needed) the store in folder ``path``; one process at a time."""
        path = path.expanduser().resolve()
        if path.exists() and not path.is_dir():
            raise BadInput(f"oxigraph:{path}: not a folder")
        try:
            store = ox.Store(str(path))
        except OSError as exc:
            raise BadInput(f"cannot open the store in {path}: {exc} (is another process "
                           "using it? An on-disk store is opened by one process at a time)"
                           ) from exc
        return cls(store, path=path, spec=f"oxigraph:{path}")

    def add(self, quads: Iterable[ox.Quad]) -> None:
        # bulk_extend is not transactional; extend is, which is what "all or none" needs.
        self._store.extend(quads)
        self.version += 1

    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None,
              prefixes: dict[str, str] | None = None,
              base_iri: str | None = None) -> QueryResult:
        dataset: dict[str, object] = {}
        if default_graphs is not None or named_graphs is not None:
            # An explicit dataset: exactly the graphs named, nothing merged in.
            dataset["default_graph"] = [graph_name(g) for g in default_graphs or ()] \
                or ox.DefaultGraph()
            dataset["named_graphs"] = [graph_name(g) for g in named_graphs or ()]
        else:
            dataset["use_default_graph_as_union"] = union_default_graph
        check_query(lambda: self.conformance, sparql)  # refuses nothing; checks the ids named
        try:
            return self._store.query(sparql, prefixes=prefixes, base_iri=base_iri, **dataset)
        except SyntaxError as exc:
            raise syntax_error(exc, text=sparql, prefixes=prefixes) from exc

    def update(self, sparql: str, *, prefixes: dict[str, str] | None = None,
               base_iri: str | None = None) -> None:
        # pyoxigraph applies one update request in one transaction.
        try:
            self._store.update(sparql, prefixes=prefixes, base_iri=base_iri)
        except SyntaxError as exc:
            raise syntax_error(exc, text=sparql, prefixes=prefixes) from exc
        except RuntimeError as exc:  # e.g. CLEAR/DROP of a graph that does not exist
            raise BadInput(f"update failed: {exc} (SILENT makes this a no-op)") from exc
        except OSError as exc:
            raise XsrvError(f"update failed: {exc}") from exc
        finally:
            self.version += 1

    def put(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        # One update request is one transaction: the graph is dropped and refilled together.
        self.update(replace_graph_update(graph_name(graph), quads))

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

    def replica(self, workdir: Path) -> NQuadsSnapshot | Checkpoint:
        if self.path is not None:
            # RocksDB checkpoint: hard links where it can, so cheap at any size. Workers
            # open it read-only; nobody writes it, which read-only opening requires.
            target = workdir / f"checkpoint-{self.version}"
            if not target.exists():
                self._store.flush()
                self._store.backup(str(target))
            return Checkpoint(str(target), self.version)
        # An in-memory store cannot be shared between processes: write it out once per
        # version; each worker reads the file back.
        path = workdir / f"snapshot-{self.version}.nq"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            self._store.dump(output=str(tmp), format=ox.RdfFormat.N_QUADS)
            tmp.replace(path)
        return NQuadsSnapshot(str(path), self.version)

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()
        # pyoxigraph closes the database when the object goes; drop our reference.
        self._store = ox.Store()

    def __len__(self) -> int:
        return len(self._store)


@dataclass(frozen=True)
class NQuadsSnapshot:
    """An N-Quads dump of an in-memory store, re-read into memory by a worker process."""

    path: str
    version: int

    def open(self) -> OxigraphStore:
        store = ox.Store()
        store.bulk_load(path=self.path, format=ox.RdfFormat.N_QUADS)
        opened = OxigraphStore(store)
        opened.version = self.version
        return opened

    def release(self) -> None:
        Path(self.path).unlink(missing_ok=True)


@dataclass(frozen=True)
class Checkpoint:
    """A RocksDB checkpoint of an on-disk store, opened read-only by a worker process."""

    path: str
    version: int

    def open(self) -> OxigraphStore:
        opened = OxigraphStore(ox.Store.read_only(self.path), spec=f"oxigraph:{self.path}")
        opened.version = self.version
        return opened

    def release(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
