"""The remote backend: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB,
QLever…) over the SPARQL 1.1 Protocol and, for reading whole graphs, the Graph Store Protocol.

Answers are parsed into pyoxigraph's classes (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``), so the services above cannot tell this store from the embedded one.

Wire format, chosen to work everywhere:

- queries and updates are form POSTs (``application/x-www-form-urlencoded``; Virtuoso
  mishandles direct POST), over keep-alive connections (one per thread and server);
- SELECT/ASK ask for SPARQL JSON results, CONSTRUCT/DESCRIBE for N-Triples; what the answer
  *is* is decided by its ``Content-Type``, not by the query text;
- predeclared ``prefixes`` and ``base_iri`` become a ``BASE``/``PREFIX`` prologue written on
  the query's first line, so the server's ``line:column`` positions still point into the
  user's text (columns on line 1 are shifted back);
- the dataset travels as ``default-graph-uri`` / ``named-graph-uri``.

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

**Virtuoso** (:mod:`.virtuoso`) is told by the ``Server:`` header of its replies (or the
``dialect="virtuoso"`` option), and then:

- ``put`` is a Graph Store ``PUT`` and ``add`` one Graph Store ``POST`` per graph, of
  N-Triples, to ``gsp_url`` or else the server's ``/sparql-graph-crud`` (its ``INSERT DATA``
  refuses blank nodes, takes ~1 400 triples at most and turns ``"10"^^xsd:decimal`` into an
  integer). **Neither is atomic on Virtuoso** (nor is any update request there): a reader can
  see a graph half replaced, and a PUT that fails half-way leaves part of the new content.
  ``add`` refuses quads in the default graph (Virtuoso has none of its own);
- ``graphs`` and ``len`` leave out Virtuoso's own graphs (quad map schema, LDP, service
  description, DAV), and ``dump`` does not ask for the default graph;
- blank nodes (``nodeID://b1`` there) and booleans (``"1"``/``"0"``) in SPARQL JSON results
  are read as SPARQL 1.1 writes them;
- a trailing ``VALUES`` clause is moved into the WHERE group, and the query the server echoes
  in its error messages is cut off.

Blank nodes keep their identity within one request only: two ``add`` calls naming the same
:class:`~pyoxigraph.BlankNode` make two nodes on the server.

``version`` counts the changes made through this object (caches and replicas key on it);
changes made to the server by others are not seen.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import select
import socket
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from ..errors import BadInput, UpstreamError
from ..sparql.errors import syntax_error, user_positions
from ..sparql.lexer import masked_text
from . import QueryResult, replace_graph_update, triples_text, virtuoso
from .virtuoso import VIRTUOSO

#: Seconds to wait for a TCP connection to the server.
CONNECT_TIMEOUT = 10.0
#: Seconds to wait for an answer (query workers are stopped at the endpoint's time limit
#: before this; it bounds the CLI and the pages).
READ_TIMEOUT = 300.0
#: The longest server message quoted in an error.
MAX_MESSAGE = 2000

UNION_NATIVE, UNION_PARAMETER, UNION_GRAPHS = "native", "parameter", "graphs"

#: Dialects: plain SPARQL 1.1, and Virtuoso's (:mod:`.virtuoso`).
GENERIC = "sparql"
DIALECTS = (GENERIC, VIRTUOSO)

_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_ANY_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
               "application/sparql-results+xml;q=0.8, text/turtle;q=0.8")

_FORM = re.compile(r"(?<![\w?$:.-])(?i:(SELECT|ASK|CONSTRUCT|DESCRIBE))(?![\w:-])")
# A prefixed name's prefix: a name right before a colon, not the tail of another name or
# variable. Over-matching (``http`` in an IRI, a word in a string) only declares one more.
_PREFIX_USE = re.compile(r"(?<![\w.\-:?$])([^\W\d_][\w.\-]*)?:")
_LOOKS_LIKE_SYNTAX = re.compile(r"error at \d+:\d+|syntax|parse|lexical", re.I)


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first such keyword outside
    strings, IRIs and comments (``None`` if there is none)."""
    m = _FORM.search(masked_text(text))
    return m[1].upper() if m else None


def prologue(text: str, prefixes: dict[str, str] | None, base_iri: str | None) -> str:
    """``BASE`` and the ``PREFIX`` declarations ``text`` may use, on one line (no newline).

    Only prefixes whose ``name:`` occurs in the text are declared (over-counting is
    harmless). The query's own declarations come later, so they win.
    """
    parts = [f"BASE {ox.NamedNode(base_iri)} "] if base_iri else []
    if prefixes:
        used = set(_PREFIX_USE.findall(text))
        parts += [_declaration(p, iri) for p, iri in prefixes.items() if p in used]
    return "".join(parts)


@lru_cache(maxsize=256)
def _declaration(prefix: str, iri: str) -> str:
    return f"PREFIX {prefix}: {ox.NamedNode(iri)} "


# application/x-www-form-urlencoded as urllib's urlencode writes it, by table (it is in the
# path of every query, and urlencode is slow on long non-ASCII text).
_FORM_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_FORM_BYTE = [chr(b) if b in _FORM_SAFE else "+" if b == 0x20 else f"%{b:02X}"
              for b in range(256)]


def form_encode(fields: Iterable[tuple[str, str]]) -> bytes:
    """``fields`` as a form body (UTF-8, percent-encoded; space as ``+``)."""
    return "&".join("".join([_FORM_BYTE[b] for b in k.encode()]) + "="
                    + "".join([_FORM_BYTE[b] for b in v.encode()])
                    for k, v in fields).encode("ascii")


def _graph(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadInput(f"graph IRI {iri!r} is not a valid IRI: {exc}") from exc


@dataclass(frozen=True)
class _Reply:
    status: int
    content_type: str
    body: bytes
    server: str = ""  # the Server: header (``Virtuoso/07.20.3229 …``)

    @property
    def text(self) -> str:
        charset = re.search(r"charset=([\w-]+)", self.content_type)
        try:
            return self.body.decode(charset[1] if charset else "utf-8", "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class _Connections:
    """Keep-alive HTTP connections: one per thread and server (``scheme://host:port``)."""

    def __init__(self, read_timeout: float) -> None:
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self.read_timeout = read_timeout

    def _open(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = kind(netloc, timeout=CONNECT_TIMEOUT)
        conn.connect()
        assert conn.sock is not None
        conn.sock.settimeout(self.read_timeout)
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._all.append(conn)
        return conn

    def _drop(self, key: tuple[str, str], conn: http.client.HTTPConnection) -> None:
        conn.close()
        pool: dict = self._local.__dict__.setdefault("pool", {})
        if pool.get(key) is conn:
            del pool[key]
        with self._lock, contextlib.suppress(ValueError):
            self._all.remove(conn)

    def request(self, method: str, url: str, body: bytes | None,
                headers: dict[str, str], *, idempotent: bool) -> _Reply:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        pool: dict = self._local.__dict__.setdefault("pool", {})
        for attempt in (1, 2):
            conn = pool.get(key)
            reused = conn is not None
            if conn is not None and _closed_by_peer(conn):
                self._drop(key, conn)
                conn, reused = None, False
            if conn is None:
                conn = pool[key] = self._open(*key)
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop(key, conn)
                # A keep-alive connection the server closed as we reused it: try once more.
                if reused and idempotent and attempt == 1:
                    continue
                raise
            except BaseException:
                self._drop(key, conn)
                raise
            if response.will_close:
                self._drop(key, conn)
            return _Reply(response.status, response.getheader("Content-Type") or "", data,
                          response.getheader("Server") or "")
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


def _closed_by_peer(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle keep-alive connection became readable: the server closed it (or sent
    something unasked), so it must not carry the next request."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        if hasattr(select, "poll"):  # no FD_SETSIZE limit, unlike select()
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


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
        self._http = _Connections(read_timeout)
        self._cached: dict[str, tuple[int, object]] = {}
        #: How the union default graph is had: ``native``, ``parameter`` or ``graphs``
        #: (see the module docstring); None while the server is too empty to tell.
        self.union = union
        self._probed_at: int | None = None  # the version an inconclusive probe was made at
        #: ``sparql`` (plain SPARQL 1.1) or ``virtuoso`` (:mod:`.virtuoso`); None until a
        #: reply's ``Server:`` header tells (see :meth:`_is_virtuoso`).
        self.dialect = dialect
        if probe and union is None:
            self._union_mode()

    # --- server-specific behaviour, in one place --------------------------------------------

    #: The named graphs. ``GRAPH ?g {}`` lists graphs without reading their triples.
    GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
    #: Quads in the named graphs; the default graph's triples are added on servers whose
    #: default graph is a graph of its own.
    COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    COUNT_ALL = ("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
                 "{ GRAPH ?g { ?s ?p ?o } } }")
    #: One triple of some named graph, without blank nodes (they cannot be asked about).
    PROBE_SAMPLE = ("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                    "FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1")

    #: Oxigraph server's request parameter for a union default graph (others ignore it).
    UNION_PARAMETER = ("union-default-graph", "true")

    def _probe_union(self) -> str | None:
        """How to query the union: is one triple of a named graph in the default graph as
        it is (``native``), or with :attr:`UNION_PARAMETER` (``parameter``)? Else
        ``graphs``; None when no named graph has a triple to ask about."""
        sample = self._select(self.PROBE_SAMPLE)
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
            if self._run_query(ask, [self.UNION_PARAMETER]):
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

    def _is_virtuoso(self) -> bool:
        """Whether the server speaks Virtuoso's dialect. Known from the ``dialect`` option or
        the ``Server:`` header of any reply; if no reply came yet, one ``ASK {}`` asks."""
        if self.dialect is None:
            reply = self._post_form(self.query_url, [("query", "ASK {}")], _RESULTS_ACCEPT,
                                    idempotent=True)
            self._check(reply, self.query_url, "query")
        return self.dialect == VIRTUOSO

    def _learn_dialect(self, reply: _Reply) -> None:
        # A 5xx may come from a proxy in front of the server: it does not tell.
        if self.dialect is None and (reply.status < 500 or virtuoso.is_virtuoso(reply.server)):
            self.dialect = VIRTUOSO if virtuoso.is_virtuoso(reply.server) else GENERIC

    def _graph_store_url(self, graph: str | None) -> str:
        """The Graph Store URL of one named graph (the default graph for None): on
        ``gsp_url``, or on Virtuoso's own endpoint when that is not given."""
        base = self.gsp_url or virtuoso.graph_store_url(self.query_url)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}{urlencode({'graph': graph}) if graph else 'default'}"

    def _server_message(self, reply: _Reply) -> str:
        text = reply.text.strip()
        if self.dialect == VIRTUOSO:
            text = virtuoso.server_message(text)
        if reply.media_type == "text/html":  # some servers wrap their message in a page
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", text)).strip()
        return text[:MAX_MESSAGE] + ("…" if len(text) > MAX_MESSAGE else "")

    # --- HTTP -----------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, body: bytes | None = None,
              headers: dict[str, str], idempotent: bool) -> _Reply:
        try:
            reply = self._http.request(method, url, body, headers, idempotent=idempotent)
            self._learn_dialect(reply)
            return reply
        except TimeoutError:
            raise UpstreamError(f"the SPARQL server at {url} did not answer within "
                                f"{self.read_timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else \
                (str(exc) or type(exc).__name__)
            raise UpstreamError(f"cannot reach the SPARQL server at {url}: {reason}") from None

    def _post_form(self, url: str, fields: Sequence[tuple[str, str]], accept: str, *,
                   idempotent: bool) -> _Reply:
        """A form POST (what every server takes, Virtuoso included)."""
        return self._send("POST", url, body=form_encode(fields),
                          idempotent=idempotent, headers={
                              "Content-Type": "application/x-www-form-urlencoded",
                              "Accept": accept})

    def _check(self, reply: _Reply, url: str, what: str, shift: int = 0) -> None:
        if 200 <= reply.status < 300:
            return
        message = self._server_message(reply) or f"HTTP {reply.status}"
        if reply.status == 400:
            if _LOOKS_LIKE_SYNTAX.search(message):
                raise syntax_error(message, shift=shift)
            raise BadInput(f"the SPARQL server refused the {what}: "
                           f"{user_positions(message, shift=shift)}")
        raise UpstreamError(f"the SPARQL server at {url} failed on the {what} "
                            f"(HTTP {reply.status}): {message}")

    # --- queries --------------------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None,
              prefixes: dict[str, str] | None = None,
              base_iri: str | None = None) -> QueryResult:
        dataset: list[tuple[str, str]] = []
        if default_graphs is not None or named_graphs is not None:
            # An explicit dataset: exactly the graphs named, as the Protocol says.
            dataset += [("default-graph-uri", _graph(g).value) for g in default_graphs or ()]
            dataset += [("named-graph-uri", _graph(g).value) for g in named_graphs or ()]
        elif union_default_graph:
            mode = self._union_mode()
            if mode == UNION_PARAMETER:
                dataset.append(self.UNION_PARAMETER)
            elif mode == UNION_GRAPHS:
                names = self.graphs()
                if not names and self.dialect == VIRTUOSO:
                    # No dataset would be Virtuoso's union of its own graphs: name none.
                    names = [virtuoso.NO_GRAPH]
                dataset += [("default-graph-uri", g) for g in names]
                dataset += [("named-graph-uri", g) for g in names]
        head = prologue(sparql, prefixes, base_iri)
        return self._run_query(head + sparql, dataset, shift=len(head))

    def _union_mode(self) -> str:
        """:attr:`union`, probed if not known and not probed at this version already."""
        if self.union is None and self._probed_at != self.version:
            self._probed_at = self.version
            self.union = self._probe_union()
        return self.union or UNION_GRAPHS

    def _run_query(self, text: str, dataset: Sequence[tuple[str, str]], *,
                   shift: int = 0) -> QueryResult:
        if self.dialect != GENERIC:
            inlined = virtuoso.inline_trailing_values(text)
            if inlined is not text and self._is_virtuoso():
                text = inlined
        form = query_form(text)
        accept = _RESULTS_ACCEPT if form in ("SELECT", "ASK") else \
            _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _ANY_ACCEPT
        reply = self._post_form(self.query_url, [("query", text), *dataset], accept,
                                idempotent=True)
        self._check(reply, self.query_url, "query", shift)
        return self._parse(reply)

    def _parse(self, reply: _Reply) -> QueryResult:
        media_type = reply.media_type
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                body = reply.body
                if self.dialect == VIRTUOSO and results_format == ox.QueryResultsFormat.JSON:
                    body = virtuoso.json_results(body)
                elif self.dialect == VIRTUOSO and results_format == ox.QueryResultsFormat.XML:
                    body = virtuoso.xml_results(body)
                return ox.parse_query_results(body, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return _query_triples(reply.body, rdf_format)
        except (SyntaxError, ValueError) as exc:
            raise UpstreamError(f"the SPARQL server at {self.query_url} sent an answer that "
                                f"does not parse as {media_type}: {exc}") from None
        raise UpstreamError(f"the SPARQL server at {self.query_url} answered in "
                            f"{media_type or 'no media type'}, which is neither SPARQL "
                            "results nor RDF")

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
            self._check(reply, self.update_url, "update", len(head))
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
        name = _graph(graph)
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
                               "Content-Type": "application/n-triples; charset=utf-8",
                               "Accept": "*/*"})
        self._check(reply, url, f"Graph Store {method}")

    # --- the dataset ----------------------------------------------------------------------

    def graphs(self) -> list[str]:
        def names() -> list[str]:
            if self._is_virtuoso():  # its own graphs left out
                return sorted({row["g"].value for row in self._select(virtuoso.GRAPHS_QUERY)
                               if isinstance(row["g"], ox.NamedNode)
                               and not virtuoso.is_system_graph(row["g"].value)})
            return sorted({row["g"].value for row in self._select(self.GRAPHS_QUERY)
                           if isinstance(row["g"], ox.NamedNode)})

        return list(self._memo("graphs", names))

    def __len__(self) -> int:
        def count() -> int:
            if self._is_virtuoso():  # the project's graphs only, not Virtuoso's own
                return sum(int(row["n"].value) for row in self._select(virtuoso.COUNT_BY_GRAPH)
                           if isinstance(row["g"], ox.NamedNode)
                           and not virtuoso.is_system_graph(row["g"].value))
            query = self.COUNT_NAMED if self._union_mode() == UNION_NATIVE else self.COUNT_ALL
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
            target = _graph(name) if fmt.supports_datasets and name else ox.DefaultGraph()
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
            reply = self._send("GET", url, idempotent=True, headers={"Accept": _GRAPH_ACCEPT})
            if reply.status == 404:  # no such graph: nothing to dump, as in the embedded store
                return b"", ox.RdfFormat.N_TRIPLES
            self._check(reply, url, "Graph Store GET")
            rdf_format = ox.RdfFormat.from_media_type(reply.media_type)
            if rdf_format is None:
                raise UpstreamError(f"the Graph Store at {self.gsp_url} answered in "
                                    f"{reply.media_type or 'no media type'}, not RDF")
            return reply.body, rdf_format
        pattern = f"GRAPH {_graph(name)} {{ ?s ?p ?o }}" if name else "?s ?p ?o"
        result = self._run_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", ())
        assert isinstance(result, ox.QueryTriples)
        return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"", ox.RdfFormat.N_TRIPLES

    # --- workers --------------------------------------------------------------------------

    def replica(self, workdir: Path) -> SparqlReplica:
        # The probe and the graph list are done here, once, not in every worker.
        mode = self._union_mode()
        self._is_virtuoso()  # the dialect too
        return SparqlReplica(self.query_url, self.update_url, self.gsp_url, self.version,
                             self.union, tuple(self.graphs()) if mode == UNION_GRAPHS else None,
                             self.read_timeout, self.dialect)

    def close(self) -> None:
        self._http.close()


def _query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """A graph the server sent, as the ``QueryTriples`` an embedded CONSTRUCT gives.

    pyoxigraph builds ``QueryTriples`` only from a query, so the triples go through a
    scratch store and a ``CONSTRUCT`` over it (blank nodes keep their labels).
    """
    scratch = ox.Store()
    if data:
        # parse + extend keeps blank node labels (Store.load renames them).
        scratch.extend(ox.parse(data, format=fmt))
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


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

    def open(self) -> SparqlStore:
        store = SparqlStore(self.query_url, update_url=self.update_url, gsp_url=self.gsp_url,
                            read_timeout=self.read_timeout, union=self.union, probe=False,
                            dialect=self.dialect)
        store.version = self.version
        store._probed_at = self.version  # the main process probed at this version
        if self.graphs is not None:
            store._cached["graphs"] = (self.version, list(self.graphs))
        return store

    def release(self) -> None:
        pass
