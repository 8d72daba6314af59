"""The remote backend: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB,
QLever…) over the SPARQL 1.1 Protocol and, for reading whole graphs, the Graph Store Protocol.

Answers are parsed into pyoxigraph's classes (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``), so the services above cannot tell this store from the embedded one.

Queries and updates are form POSTs (``application/x-www-form-urlencoded``; Virtuoso
mishandles direct POST) over kept-alive connections (:mod:`.http_client`); the text sent and
the answers read are :mod:`.sparql_protocol`'s (prologue, ``Accept``, errors); the dataset
travels as ``default-graph-uri`` / ``named-graph-uri``.

**Union default graph.** How a query gets the union of the named graphs as its default
graph is probed once, at open, by asking whether one triple of a named graph is in the
default graph (:meth:`SparqlStore._probe_union`), and kept in :attr:`SparqlStore.union`:

- ``native``: the server's default graph already is the union (Oxigraph with
  ``--union-default-graph``): the query is sent as it is;
- ``parameter``: it is not, but the server takes Oxigraph's ``union-default-graph`` request
  parameter (plain Oxigraph server): the query carries it;
- ``graphs``: neither (Fuseki, GraphDB…): the union is emulated by sending every named graph
  as ``default-graph-uri`` *and* as ``named-graph-uri`` (so ``GRAPH ?g`` still sees them
  all). Slower on Oxigraph (it merges the graphs per pattern), hence the parameter first.
  Virtuoso gets this too, without a probe: its native union holds its own system graphs.

An empty server cannot tell: the probe is repeated after the next write through this store.
A query with no union asked for (``union_default_graph=False``, no dataset) is sent without
dataset parameters, so on a ``native`` server it still sees the union.

**Writes.** ``update`` is one request; ``add`` is one ``INSERT DATA``; ``put`` is one request
``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }``, which Oxigraph applies in one
transaction. The Graph Store Protocol's PUT is *not* used for it: Oxigraph server clears the
graph and loads the new content in two transactions (a reader in between sees it empty, a
failed load leaves it empty). The Graph Store Protocol serves ``dump`` (one GET per graph)
when ``gsp_url`` is given; without it, one ``CONSTRUCT`` per graph does.

**Virtuoso** is told by the ``Server:`` header of its replies (or ``dialect="virtuoso"``);
:mod:`.virtuoso` lists what is done differently there and why. Its writes are Graph Store
``PUT``/``POST`` requests, one per graph, and **not atomic** (nor is any update request
there): a reader can see a graph half replaced, and a PUT that fails half-way leaves part of
the new content. ``add`` refuses quads in the default graph (Virtuoso has none of its own).

**Conformance.** Where the server's engine answers otherwise than SPARQL 1.1 says is probed on
first use of :attr:`SparqlStore.conformance` (at the latest when ``serve`` makes its workers'
replica, which carries the record): a few read-only queries and one scratch-graph write
(:mod:`.conformance`). :meth:`SparqlStore.query` refuses a query whose ``# relies-on:`` line
names a deviation found there.

Blank nodes keep their identity within one request only: two ``add`` calls naming the same
:class:`~pyoxigraph.BlankNode` make two nodes on the server.

``version`` counts the changes made through this object (caches and replicas key on it);
changes made to the server by others are not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..errors import BadInput, UpstreamError
from ..formats import N_TRIPLES
from . import conformance as probes
from . import virtuoso
from .conformance import Conformance
from .http_client import Connections, Reply, form_encode
from .protocol import QueryResult, graph_name, replace_graph_update, triples_text
from .sparql_protocol import (
    COUNT_ALL,
    COUNT_NAMED,
    GRAPH_ACCEPT,
    GRAPHS_QUERY,
    PROBE_SAMPLE,
    RESULTS_ACCEPT,
    UNION_REQUEST_PARAMETER,
    accept_for,
    check,
    graph_content,
    graph_store_url,
    parse_answer,
    prologue,
)
from .virtuoso import VIRTUOSO

#: Seconds to wait for an answer (query workers are stopped at the endpoint's time limit
#: before this; it bounds the CLI and the pages).
READ_TIMEOUT = 300.0

UNION_NATIVE, UNION_PARAMETER, UNION_GRAPHS = "native", "parameter", "graphs"

#: Dialects: plain SPARQL 1.1, and Virtuoso's (:mod:`.virtuoso`).
GENERIC = "sparql"
DIALECTS = (GENERIC, VIRTUOSO)


class SparqlStore:
    """A SPARQL 1.1 server behind the project's store interface (see the module docstring)."""

    persistent = True

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 gsp_url: str | None = None, read_timeout: float = READ_TIMEOUT,
                 union: str | None = None, probe: bool = True,
                 dialect: str | None = None) -> None:
        if dialect is not None and dialect not in DIALECTS:
            raise BadInput(f"unknown SPARQL dialect {dialect!r}: use {' or '.join(DIALECTS)}")
        for name, url in (("query", query_url), ("update", update_url), ("GSP", gsp_url)):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise BadInput(f"the {name} URL of a sparql: store must be http:// or "
                               f"https://, not {url!r}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.read_timeout = read_timeout
        self.spec = f"sparql:{query_url}"
        self.version = 0
        self._http = Connections(read_timeout)
        self._cached: dict[str, tuple[int, object]] = {}
        #: How the union default graph is had: ``native``, ``parameter`` or ``graphs``
        #: (see the module docstring); None while the server is too empty to tell.
        self.union = union
        self._probed_at: int | None = None  # the version an inconclusive probe was made at
        #: ``sparql`` (plain SPARQL 1.1) or ``virtuoso`` (:mod:`.virtuoso`); None until a
        #: reply's ``Server:`` header tells (see :meth:`_is_virtuoso`).
        self.dialect = dialect
        #: The conformance probe's record (:attr:`conformance`), kept once conclusive.
        self._conformance: Conformance | None = None
        if probe and union is None:
            self._union_mode()

    # --- server-specific behaviour, in one place --------------------------------------------

    def _probe_union(self) -> str | None:
        """How to query the union: is one triple of a named graph in the default graph as
        it is (``native``), or with :data:`UNION_REQUEST_PARAMETER` (``parameter``)? Else
        ``graphs``; None when no named graph has a triple to ask about."""
        sample = self._select(PROBE_SAMPLE)
        if self._is_virtuoso():
            # Its default graph is the union of every graph, its own (system) graphs included:
            # naming the project's graphs keeps those out of the answers.
            return UNION_GRAPHS
        if not sample:
            return None
        row = sample[0]
        ask = f"ASK {{ {row['s']} {row['p']} {row['o']} }}"
        if self._run_query(ask, ()):
            return UNION_NATIVE
        try:
            if self._run_query(ask, [UNION_REQUEST_PARAMETER]):
                return UNION_PARAMETER
        except (BadInput, UpstreamError):  # a server that refuses parameters it ignores
            pass
        return UNION_GRAPHS

    @property
    def answers_by_the_standard(self) -> bool:
        """Whether the server evaluates SPARQL as the standard says. Virtuoso does not (a
        FILTER inside an OPTIONAL misses outer variables, among others), so the in-store
        validation engine is not trusted on it."""
        return not self._is_virtuoso()

    @property
    def conformance(self) -> Conformance:
        """Where this server's engine deviates from SPARQL 1.1 (:mod:`.conformance`): probed
        on first use, kept once conclusive (a server failure during the probe is retried next
        time). The union finding follows :attr:`union`, which may be learnt later."""
        if self._conformance is None:
            record, conclusive = probes.probe(
                self.spec, run=lambda text: self._run_query(text, ()),
                update=self._scratch_update, union=self.union)
            if not conclusive:
                return record
            self._conformance = record
        self._union_mode()  # probed again after a write if the server was empty
        return self._conformance.with_finding(probes.union_finding(self.union))

    def _scratch_update(self, text: str) -> None:
        """An update of the conformance probe's scratch graph: not counted as a change (the
        graph is dropped again, and hidden from :meth:`graphs`)."""
        reply = self._post_form(self.update_url, [("update", text)], "*/*", idempotent=False)
        check(reply, self.update_url, "update", dialect=self.dialect)

    def _is_virtuoso(self) -> bool:
        """Whether the server speaks Virtuoso's dialect. Known from the ``dialect`` option or
        the ``Server:`` header of any reply; if no reply came yet, one ``ASK {}`` asks."""
        if self.dialect is None:
            reply = self._post_form(self.query_url, [("query", "ASK {}")], RESULTS_ACCEPT,
                                    idempotent=True)
            check(reply, self.query_url, "query", dialect=self.dialect)
        return self.dialect == VIRTUOSO

    def _learn_dialect(self, reply: Reply) -> None:
        # A 5xx may come from a proxy in front of the server: it does not tell.
        if self.dialect is None and (reply.status < 500 or virtuoso.is_virtuoso(reply.server)):
            self.dialect = VIRTUOSO if virtuoso.is_virtuoso(reply.server) else GENERIC

    def _graph_store_url(self, graph: str | None) -> str:
        """On ``gsp_url``, or on Virtuoso's own endpoint when that is not given."""
        return graph_store_url(self.gsp_url or virtuoso.graph_store_url(self.query_url), graph)

    def _send(self, method: str, url: str, *, body: bytes | None = None,
              headers: dict[str, str], idempotent: bool) -> Reply:
        reply = self._http.request(method, url, body, headers, idempotent=idempotent)
        self._learn_dialect(reply)
        return reply

    def _post_form(self, url: str, fields: Sequence[tuple[str, str]], accept: str, *,
                   idempotent: bool) -> Reply:
        """A form POST (what every server takes, Virtuoso included)."""
        return self._send("POST", url, body=form_encode(fields),
                          idempotent=idempotent, headers={
                              "Content-Type": "application/x-www-form-urlencoded",
                              "Accept": accept})

    # --- queries --------------------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None,
              prefixes: dict[str, str] | None = None,
              base_iri: str | None = None) -> QueryResult:
        dataset: list[tuple[str, str]] = []
        if default_graphs is not None or named_graphs is not None:
            # An explicit dataset: exactly the graphs named, as the Protocol says.
            dataset += [("default-graph-uri", graph_name(g).value) for g in default_graphs or ()]
            dataset += [("named-graph-uri", graph_name(g).value) for g in named_graphs or ()]
        elif union_default_graph:
            mode = self._union_mode()
            if mode == UNION_PARAMETER:
                dataset.append(UNION_REQUEST_PARAMETER)
            elif mode == UNION_GRAPHS:
                names = self.graphs()
                if not names and self.dialect == VIRTUOSO:
                    # No dataset would be Virtuoso's union of its own graphs: name none.
                    names = [virtuoso.NO_GRAPH]
                dataset += [("default-graph-uri", g) for g in names]
                dataset += [("named-graph-uri", g) for g in names]
        head = prologue(sparql, prefixes, base_iri)
        probes.check_query(lambda: self.conformance, sparql)
        return self._run_query(head + sparql, dataset, shift=len(head),
                               user=(sparql, prefixes))

    def _union_mode(self) -> str:
        """:attr:`union`, probed if not known and not probed at this version already."""
        if self.union is None and self._probed_at != self.version:
            self._probed_at = self.version
            self.union = self._probe_union()
        return self.union or UNION_GRAPHS

    def _run_query(self, text: str, dataset: Sequence[tuple[str, str]], *, shift: int = 0,
                   user: tuple[str, dict[str, str] | None] | None = None) -> QueryResult:
        if self.dialect != GENERIC:
            inlined = virtuoso.inline_trailing_values(text)
            if inlined is not text and self._is_virtuoso():
                text = inlined
        reply = self._post_form(self.query_url, [("query", text), *dataset], accept_for(text),
                                idempotent=True)
        check(reply, self.query_url, "query", dialect=self.dialect, shift=shift,
              text=user[0] if user else None, prefixes=user[1] if user else None)
        return parse_answer(reply, self.query_url, dialect=self.dialect)

    def _select(self, text: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        result = self._run_query(text, ())
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def _memo(self, key: str, compute):  # per-version memo of small answers
        found = self._cached.get(key)
        if found is not None and found[0] == self.version:
            return found[1]
        value = compute()
        self._cached[key] = (self.version, value)
        return value

    # --- updates --------------------------------------------------------------------------

    def update(self, sparql: str, *, prefixes: dict[str, str] | None = None,
               base_iri: str | None = None) -> None:
        head = prologue(sparql, prefixes, base_iri)
        try:
            reply = self._post_form(self.update_url, [("update", head + sparql)], "*/*",
                                    idempotent=False)
            check(reply, self.update_url, "update", dialect=self.dialect, shift=len(head),
                  text=sparql, prefixes=prefixes)
        finally:
            self.version += 1

    def add(self, quads: Iterable[ox.Quad]) -> None:
        by_graph: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(q)
        if not by_graph:
            return
        if self._is_virtuoso():
            # One Graph Store POST per graph (see the module docstring): not atomic.
            for g in by_graph:
                if not isinstance(g, ox.NamedNode):
                    raise BadInput("Virtuoso has no default graph of its own (its default "
                                   "graph is the union of all graphs): write to a named graph")
            try:
                for g, qs in by_graph.items():
                    self._graph_store_write("POST", g.value, qs)
            finally:
                self.version += 1
            return
        blocks = [triples_text(qs) if isinstance(g, ox.DefaultGraph)
                  else f"GRAPH {g} {{\n{triples_text(qs)}\n}}" for g, qs in by_graph.items()]
        self.update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

    def put(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace the named graph ``graph`` with ``quads``: in one update request, one
        transaction (see the module docstring: not the Graph Store PUT).

        **On Virtuoso, by a Graph Store PUT, which is not atomic**: readers can see the graph
        half replaced, and a PUT that fails half-way can leave part of the new content (the old
        gone). ``xsrv-kg load`` parses every file before writing, so a malformed file never
        gets here.
        """
        name = graph_name(graph)
        if self._is_virtuoso():
            try:
                self._graph_store_write("PUT", name.value, quads)
            finally:
                self.version += 1
            return
        self.update(replace_graph_update(name, quads))

    def _graph_store_write(self, method: str, graph: str, quads: Iterable[ox.Quad]) -> None:
        """``PUT`` (replace) or ``POST`` (add) the triples of ``quads`` into ``graph`` through
        the Graph Store Protocol, as N-Triples (an empty PUT removes the graph)."""
        url = self._graph_store_url(graph)
        reply = self._send(method, url, body=triples_text(quads).encode(),
                           idempotent=method == "PUT", headers={
                               "Content-Type": N_TRIPLES.content_type,
                               "Accept": "*/*"})
        check(reply, url, f"Graph Store {method}", dialect=self.dialect)

    # --- the dataset ----------------------------------------------------------------------

    def graphs(self) -> list[str]:
        def names() -> list[str]:
            if self._is_virtuoso():  # its own graphs left out
                return sorted({row["g"].value for row in self._select(virtuoso.GRAPHS_QUERY)
                               if isinstance(row["g"], ox.NamedNode)
                               and not virtuoso.is_system_graph(row["g"].value)
                               and row["g"].value != probes.SCRATCH_GRAPH})
            return sorted({row["g"].value for row in self._select(GRAPHS_QUERY)
                           if isinstance(row["g"], ox.NamedNode)
                           and row["g"].value != probes.SCRATCH_GRAPH})

        return list(self._memo("graphs", names))

    def __len__(self) -> int:
        def count() -> int:
            if self._is_virtuoso():  # the project's graphs only, not Virtuoso's own
                return sum(int(row["n"].value) for row in self._select(virtuoso.COUNT_BY_GRAPH)
                           if isinstance(row["g"], ox.NamedNode)
                           and not virtuoso.is_system_graph(row["g"].value)
                           and row["g"].value != probes.SCRATCH_GRAPH)
            query = COUNT_NAMED if self._union_mode() == UNION_NATIVE else COUNT_ALL
            return int(self._select(query)[0]["n"].value)

        return self._memo("len", count)

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        names: list[str | None] = list(self.graphs() if graphs is None else sorted(set(graphs)))
        if graphs is None and fmt.supports_datasets and not self._is_virtuoso() \
                and self._union_mode() != UNION_NATIVE:
            # The whole dataset, as the embedded store dumps it. (Virtuoso has no default
            # graph of its own: its default graph is the union, and a Graph Store GET of it
            # fails.)
            names.insert(0, None)
        scratch = ox.Store()
        for name in names:
            target = graph_name(name) if fmt.supports_datasets and name else ox.DefaultGraph()
            data, rdf_format = self._graph_content(name)
            if data:
                scratch.load(data, format=rdf_format, to_graph=target)
        if fmt.supports_datasets:
            return scratch.dump(format=fmt, prefixes=prefixes)
        return scratch.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def _graph_content(self, name: str | None) -> tuple[bytes, ox.RdfFormat]:
        """The triples of one named graph (the default graph for None), as the server sent
        them."""
        if self.gsp_url is not None:
            url = self._graph_store_url(name)
            reply = self._send("GET", url, idempotent=True, headers={"Accept": GRAPH_ACCEPT})
            return graph_content(reply, url, dialect=self.dialect)
        pattern = f"GRAPH {graph_name(name)} {{ ?s ?p ?o }}" if name else "?s ?p ?o"
        result = self._run_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", ())
        assert isinstance(result, ox.QueryTriples)
        return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"", ox.RdfFormat.N_TRIPLES

    # --- workers --------------------------------------------------------------------------

    def replica(self, workdir: Path) -> SparqlReplica:
        # The probe and the graph list are done here, once, not in every worker.
        mode = self._union_mode()
        self._is_virtuoso()  # the dialect too
        self.conformance  # noqa: B018 - and the conformance probe, so workers need not
        return SparqlReplica(self.query_url, self.update_url, self.gsp_url, self.version,
                             self.union, tuple(self.graphs()) if mode == UNION_GRAPHS else None,
                             self.read_timeout, self.dialect, self._conformance)

    def close(self) -> None:
        self._http.close()


@dataclass(frozen=True)
class SparqlReplica:
    """What a worker needs to talk to the same server: the URLs, the version, and what the
    main process learnt (how to query the union; the graph list if it is emulated; the
    dialect)."""

    query_url: str
    update_url: str | None
    gsp_url: str | None
    version: int
    union: str | None
    graphs: tuple[str, ...] | None
    read_timeout: float = READ_TIMEOUT
    dialect: str | None = None
    #: The conformance record, if the main process has one (workers then do not probe).
    conformance: Conformance | None = None

    def open(self) -> SparqlStore:
        store = SparqlStore(self.query_url, update_url=self.update_url, gsp_url=self.gsp_url,
                            read_timeout=self.read_timeout, union=self.union, probe=False,
                            dialect=self.dialect)
        store.version = self.version
        store._probed_at = self.version  # the main process probed at this version
        store._conformance = self.conformance
        if self.graphs is not None:
            store._cached["graphs"] = (self.version, list(self.graphs))
        return store

    def release(self) -> None:
        pass
