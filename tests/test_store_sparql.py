"""The ``sparql:`` store against a live ``oxigraph serve``: every answer as the embedded
store gives it (query forms, terms, datasets, the union default graph native or not),
writes (put atomic and idempotent, add, update), dump, errors, replicas, connections, and
``xsrv-kg serve`` in front of it serving the pages.

The curated queries and the protocol tests run on this backend too (conftest.py).
"""

from __future__ import annotations

import http.server
import json
import pickle
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from benchmarks.support import free_port
from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, UpstreamError, XsrvError
from xsrv_kg.query.console import read_query
from xsrv_kg.store import open_store, virtuoso
from xsrv_kg.store.oxigraph import OxigraphStore
from xsrv_kg.store.sparql import (
    GENERIC,
    UNION_GRAPHS,
    UNION_NATIVE,
    UNION_PARAMETER,
    SparqlStore,
    form_encode,
    prologue,
    query_form,
)

from .backends import OxigraphServer, oxigraph_available, oxigraph_server
from .conftest import Runner, xsrv_load

pytestmark = pytest.mark.skipif(not oxigraph_available(),
                                reason="the oxigraph server is not installed")

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1, G2 = EX + "graph/one", EX + "graph/two"


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def sample_quads() -> list[ox.Quad]:
    """Two graphs; typed, language-tagged and awkward literals, a blank node, a triple in
    both graphs (the union counts it once)."""
    b = ox.BlankNode("b1")
    return [
        ox.Quad(n("a"), n("p"), ox.Literal("一", language="zh"), ox.NamedNode(G1)),
        ox.Quad(n("a"), n("p"), ox.Literal("1.50", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#decimal")), ox.NamedNode(G1)),
        ox.Quad(n("a"), n("q"), b, ox.NamedNode(G1)),
        ox.Quad(b, n("p"), ox.Literal('say "hi"\nback\\slash\ttab'), ox.NamedNode(G1)),
        ox.Quad(n("a"), n("p"), ox.Literal("一", language="zh"), ox.NamedNode(G2)),
        ox.Quad(n("c"), n("p"), n("a"), ox.NamedNode(G2)),
    ]


# --- servers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_server():
    """``oxigraph serve`` whose default graph is a graph of its own (emptied per test)."""
    with oxigraph_server() as server:
        yield server


@pytest.fixture(scope="module")
def union_server():
    """``oxigraph serve --union-default-graph`` (emptied per test)."""
    with oxigraph_server(union_default_graph=True) as server:
        yield server


def emptied(server: OxigraphServer, **options) -> SparqlStore:
    """A store opened on ``server`` once it has been emptied."""
    cleaner = server.open(probe=False)
    cleaner.update("DROP SILENT ALL")
    cleaner.close()
    return server.open(**options)


@pytest.fixture
def remote(plain_server):
    store = emptied(plain_server)
    yield store
    store.close()


@pytest.fixture
def sample(remote):
    """The sample quads on the plain server, and the same in an embedded store."""
    remote.add(sample_quads())
    embedded = OxigraphStore()
    embedded.add(sample_quads())
    return remote, embedded


def solutions(result) -> object:
    """A result as comparable plain data (terms kept; blank nodes as one placeholder)."""
    def term(t):
        return "_:" if isinstance(t, ox.BlankNode) else t

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(ox.Triple(term(t.subject), t.predicate, term(t.object)))
                      if not isinstance(t.subject, ox.BlankNode)
                      and not isinstance(t.object, ox.BlankNode) else "bnode triple"
                      for t in result)
    names = [v.value for v in result.variables]
    return names, [tuple(term(row[v]) for v in names) for row in result]


# --- helpers without a server -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("prefix ask: <urn:x> # CONSTRUCT in a comment\n construct { ?s ask:p ?o } where {}",
     "CONSTRUCT"),
    ('BASE <urn:select> PREFIX x: <urn:y> ASK { ?s ?p "SELECT" }', "ASK"),
    ("DESCRIBE <urn:x>", "DESCRIBE"),
    ("SELECT ?ask WHERE { ?ask ?p ?o }", "SELECT"),
    ("INSERT DATA {}", None),
])
def test_query_form_is_read_outside_strings_iris_and_comments(text: str, form: str) -> None:
    assert query_form(text) == form


def test_prologue_declares_the_prefixes_used_on_one_line() -> None:
    head = prologue("SELECT * WHERE { ?s a xsrv:Plan ; rdfs:label/skos:x ?l }",
                    vocab.PREFIXES, "https://example.org/sparql")
    assert "\n" not in head
    assert head.startswith("BASE <https://example.org/sparql> ")
    declared = {part.split(":")[0] for part in head.split("PREFIX ")[1:]}
    assert declared == {"xsrv", "rdfs", "skos"}
    assert prologue("ASK {}", vocab.PREFIXES, None) == ""


def test_form_encoding_is_urlencode() -> None:
    from urllib.parse import urlencode

    fields = [("query", 'SELECT ?x { "涌洞乡 a+b" ~ & = % \n\t }'), ("named-graph-uri", G1 + "?a=1")]
    assert form_encode(fields).decode() == urlencode(fields)


def test_only_http_urls() -> None:
    with pytest.raises(BadInput, match="http:// or https://"):
        SparqlStore("ftp://example.org/sparql", probe=False)
    with pytest.raises(BadInput, match="http:// or https://"):
        open_store("sparql:/tmp/x")


# --- Virtuoso's dialect, without a server (tests/test_virtuoso.py has one) -------------------


@pytest.mark.parametrize(("query", "moved"), [
    # rq.bind's form: one variable, on a line of its own after the solution modifiers.
    ("SELECT * WHERE { ?iri ?p ?o } ORDER BY ?p\nVALUES ?iri { <urn:a> <urn:b> }\n",
     "SELECT * WHERE { ?iri ?p ?o  VALUES ?iri { <urn:a> <urn:b> } } ORDER BY ?p\n\n"),
    ("ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } }\nVALUES ?iri { <urn:a> }",
     "ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri }  VALUES ?iri { <urn:a> } }\n"),
    # bind_row's form; no WHERE keyword; a CONSTRUCT template is not the WHERE group.
    ("SELECT * { ?a ?b ?c } VALUES (?a ?b) { (<urn:a> 1) }",
     "SELECT * { ?a ?b ?c  VALUES (?a ?b) { (<urn:a> 1) } } "),
    ("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c } values ?a { <urn:a> }",
     "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c  values ?a { <urn:a> } } "),
    # Braces, keywords and '#' in strings, IRIs and comments are not read; a comment on the
    # group's last line stays one (the block goes after it, before the brace).
    ('SELECT * WHERE { ?s ?p "VALUES ?x { }" # } VALUES\n} VALUES ?s { "}" }',
     'SELECT * WHERE { ?s ?p "VALUES ?x { }" # } VALUES\n VALUES ?s { "}" } } '),
    # Groups in subqueries and in HAVING (EXISTS {…}) are not the WHERE group.
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } GROUP BY ?s "
     "HAVING (EXISTS { ?s ?p ?o }) VALUES ?s { <urn:a> }",
     "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } }  VALUES ?s { <urn:a> } } GROUP BY ?s "
     "HAVING (EXISTS { ?s ?p ?o }) "),
    # Left as they are: no trailing VALUES, VALUES inside the group, no WHERE group, more text
    # after the block, unbalanced braces.
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT * WHERE { VALUES ?s { <urn:a> } ?s ?p ?o }", None),
    ("DESCRIBE <urn:a> VALUES ?x { 1 }", None),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:a> } LIMIT 1", None),
    ("SELECT * WHERE { ?s ?p ?o VALUES ?s { <urn:a> }", None),
])
def test_virtuoso_trailing_values_move_into_the_where_group(query: str, moved: str | None) -> None:
    got = virtuoso.inline_trailing_values(query)
    assert got == (query if moved is None else moved)
    # Same answers on a SPARQL 1.1 store (Oxigraph).
    if moved is not None:
        data = ox.Store()
        data.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1")))
        data.add(ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.NamedNode("urn:a")))
        assert solutions(data.query(moved)) == solutions(data.query(query))


def test_virtuoso_json_results_are_read_as_sparql_11() -> None:
    body = json.dumps({"head": {"vars": ["b", "t", "s"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10001"},
         "t": {"type": "typed-literal", "datatype": XSD + "boolean", "value": "1"},
         "s": {"type": "literal", "value": "nodeID://b1 乡"}},
        {"t": {"type": "typed-literal", "datatype": XSD + "boolean", "value": "0"}},
    ]}}).encode()
    rows = list(ox.parse_query_results(virtuoso.json_results(body),
                                       format=ox.QueryResultsFormat.JSON))
    assert rows[0]["b"] == ox.BlankNode("b10001")
    assert rows[0]["t"] == ox.Literal(True) and rows[1]["t"] == ox.Literal(False)
    assert rows[0]["s"] == ox.Literal("nodeID://b1 乡")  # a string is a string
    plain = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    assert virtuoso.json_results(plain) is plain
    assert virtuoso.xml_results(b"<bnode>nodeID://b1</bnode>") == b"<bnode>b1</bnode>"


def test_virtuoso_messages_and_graphs() -> None:
    assert virtuoso.server_message(
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}'\n\n"
        "SPARQL query:\ndefine sql:big-data-const 0 SELECT * WHERE { ?s ?p }") == \
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}'"
    assert virtuoso.server_message(
        "<html><body><h1>HTTP/1.1 500 Request Failed</h1>\n<h3>Error 22023</h3>\n"
        "<xmp>The PUT request … is rejected</xmp></body></html>") == \
        "Error 22023: The PUT request … is rejected"
    system = ["http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
              "http://127.0.0.1:8890/sparql", "http://localuriqaserver/sparql",
              "http://127.0.0.1:8890/DAV/"]
    ours = ["https://w3id.org/xsrv-kg/graph/shapes", "http://www.w3.org/ns/ldp#x",
            "http://example.org/x/sparql", "http://example.org/DAV/x"]
    assert [virtuoso.is_system_graph(g) for g in system + ours] == [True] * 5 + [False] * 4
    assert virtuoso.graph_store_url("http://127.0.0.1:8890/sparql?x=1") == \
        "http://127.0.0.1:8890/sparql-graph-crud"
    assert virtuoso.is_virtuoso("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu  ")
    with pytest.raises(BadInput, match="unknown SPARQL dialect"):
        SparqlStore("http://127.0.0.1:1/sparql", probe=False, dialect="fuseki")


# --- queries: the same answers as the embedded store ----------------------------------------


QUERIES = [
    "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o",
    "SELECT ?o WHERE { ex:a ex:p ?o } ORDER BY ?o",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ex:c ex:p ex:a }",
    "ASK { ex:nothing ?p ?o }",
    "CONSTRUCT { ?o ex:of ?s } WHERE { ?s ex:p ?o }",
    "DESCRIBE ex:c",
    "SELECT ?x WHERE { OPTIONAL { ex:none ex:p ?x } }",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("union", [True, False])
def test_query_forms_and_terms_as_the_embedded_store(sample, query: str, union: bool) -> None:
    remote, embedded = sample
    prefixes = {"ex": EX}
    got = remote.query(query, union_default_graph=union, prefixes=prefixes)
    want = embedded.query(query, union_default_graph=union, prefixes=prefixes)
    assert type(got) is type(want)
    assert solutions(got) == solutions(want)


def test_every_curated_query_gives_the_embedded_answer_term_for_term(sparql_store, store,
                                                                      config: Config) -> None:
    # The curated tests compare plain values; this compares terms: datatypes, languages.
    for path in sorted(config.queries_dir.glob("*.rq")):
        if path.name.startswith("federated-"):
            continue
        text = read_query(path.name, queries_dir=config.queries_dir)
        got = sparql_store.query(text, prefixes=vocab.PREFIXES)
        want = store.query(text, prefixes=vocab.PREFIXES)
        assert solutions(got) == solutions(want), path.name


def test_predeclared_prefixes_give_way_to_the_query_s_own(sample) -> None:
    remote, _ = sample
    query = f"PREFIX ex: <{EX}graph/> ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = ex:one) }}"
    assert bool(remote.query(query, prefixes={"ex": "urn:wrong:"}))


def test_base_iri_resolves_relative_iris(sample) -> None:
    remote, embedded = sample
    query = "SELECT ?o WHERE { <a> <p> ?o } ORDER BY ?o"
    assert solutions(remote.query(query, base_iri=EX)) == solutions(
        embedded.query(query, base_iri=EX))
    # <a> <p> "一"@zh is in both graphs: the union default graph has it once per graph.
    assert len(solutions(remote.query(query, base_iri=EX))[1]) == 3


@pytest.mark.parametrize(("default", "named"), [
    ([G1], None), ([G2], []), ([G1, G2], [G1]), ([], [G2]), (None, [G1, G2]),
])
def test_dataset_parameters_choose_the_graphs_as_in_the_embedded_store(sample, default,
                                                                       named) -> None:
    remote, embedded = sample
    for query in ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                  "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
                  "ORDER BY ?g"):
        # The endpoint always passes both lists once one is given.
        d, g = (default or [], named or []) if default is not None or named is not None \
            else (None, None)
        assert solutions(remote.query(query, default_graphs=d, named_graphs=g)) == \
            solutions(embedded.query(query, default_graphs=d, named_graphs=g)), query


def test_an_invalid_graph_iri_is_bad_input(remote) -> None:
    with pytest.raises(BadInput, match="not a valid IRI"):
        remote.query("ASK {}", default_graphs=["not an iri"], named_graphs=[])


# --- the union default graph: probed, native or emulated -------------------------------------


UNION_QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?s ?o",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
]


def test_the_probe_tells_the_servers_apart(plain_server, union_server) -> None:
    for server, mode in ((plain_server, UNION_PARAMETER), (union_server, UNION_NATIVE)):
        empty = emptied(server)
        assert empty.dialect == GENERIC  # from the Server: header of the probe's reply
        # An empty server cannot tell; the probe is not repeated until a write.
        assert empty.union is None
        empty.query("ASK {}")
        assert empty.union is None
        empty.add(sample_quads())
        empty.query("ASK {}")
        assert empty.union == mode
        assert server.open().union == mode  # probed at open
        empty.close()


@pytest.mark.parametrize("mode", [UNION_NATIVE, UNION_PARAMETER, UNION_GRAPHS])
def test_every_union_mode_gives_the_embedded_union(plain_server, union_server,
                                                   mode: str) -> None:
    server = union_server if mode == UNION_NATIVE else plain_server
    emptied(server).add(sample_quads())
    # Forcing the mode: graphs is what a server without Oxigraph's parameter gets.
    remote = server.open(union=mode, probe=False)
    embedded = OxigraphStore()
    embedded.add(sample_quads())
    for query in UNION_QUERIES:
        assert solutions(remote.query(query)) == solutions(embedded.query(query)), query
    assert len(remote) == len(embedded) == 6


def test_emulated_union_sends_every_graph(plain_server) -> None:
    remote = emptied(plain_server, union=UNION_GRAPHS, probe=False)
    remote.add(sample_quads())
    assert remote.graphs() == [G1, G2]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    # 6 quads, one triple in both graphs. Oxigraph counts it once per graph, in its union
    # and in a default graph of two graphs alike (a server that merges would say 5).
    assert int(next(iter(remote.query(count)))["n"].value) == 6
    # No union asked for: the server's own default graph, empty here.
    assert int(next(iter(remote.query(count, union_default_graph=False)))["n"].value) == 0


# --- writes ----------------------------------------------------------------------------------


def test_put_replaces_one_graph_idempotently(remote) -> None:
    remote.add(sample_quads())
    version = remote.version
    new = [ox.Quad(n("z"), n("p"), ox.Literal('new "one"\r\nx \\ y 乡'), ox.DefaultGraph())]
    remote.put(G1, new)
    remote.put(G1, new)
    assert remote.version > version
    quads = set(ox.parse(remote.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert ox.Quad(n("z"), n("p"), ox.Literal('new "one"\r\nx \\ y 乡'), ox.NamedNode(G1)) \
        in quads
    assert {q.graph_name.value for q in quads} == {G1, G2}
    assert len(quads) == 1 + 2  # G1 replaced (twice: same result), G2 untouched
    remote.put(G1, [])
    assert remote.graphs() == [G2]


def test_put_is_atomic_for_readers(plain_server) -> None:
    """A reader running while the graph is replaced again and again sees the old content
    or the new, never an empty or half-written graph."""
    writer = emptied(plain_server)
    size = 2000
    contents = [[ox.Quad(n(f"s{i}"), n("p"), ox.Literal(f"{tag}{i}"), ox.DefaultGraph())
                 for i in range(size)] for tag in ("a", "b")]
    writer.put(G1, contents[0])
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        reader = plain_server.open(probe=False)
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
        while not stop.is_set():
            seen.add(int(next(iter(reader.query(query, union_default_graph=False)))["n"].value))
        reader.close()

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for i in range(20):
            writer.put(G1, contents[i % 2])
    finally:
        stop.set()
        thread.join()
    assert seen == {size}


def test_add_writes_every_graph_in_one_request(remote) -> None:
    quads = [*sample_quads(), ox.Quad(n("d"), n("p"), n("e"), ox.DefaultGraph())]
    remote.add(quads)
    remote.add([])
    assert len(remote) == 7
    assert remote.graphs() == [G1, G2]
    # The blank node is one node across the two triples that name it (one request).
    linked = remote.query(f"ASK {{ GRAPH <{G1}> {{ ?a <{EX}q> ?b . ?b <{EX}p> ?o }} }}",
                          union_default_graph=False)
    assert bool(linked)


def test_update_bumps_the_version_even_when_it_fails(remote) -> None:
    version = remote.version
    remote.update("INSERT DATA { GRAPH ex:g { ex:a ex:p 1 } }", prefixes={"ex": EX})
    assert remote.graphs() == [EX + "g"]
    with pytest.raises(BadInput, match="SPARQL syntax error: error at 1:"):
        remote.update("INSERT DATA { oops }")
    assert remote.version == version + 2


def test_graphs_are_cached_per_version(plain_server, remote) -> None:
    remote.add(sample_quads())
    assert remote.graphs() == [G1, G2]
    other = plain_server.open()  # someone else writes to the server
    other.put(EX + "graph/three", [ox.Quad(n("x"), n("p"), n("y"), ox.DefaultGraph())])
    assert remote.graphs() == [G1, G2]  # documented: changes by others are not seen…
    remote.update("DROP SILENT GRAPH <urn:nothing>")
    assert remote.graphs() == [G1, EX + "graph/three", G2]  # …until our own next write


# --- dump -------------------------------------------------------------------------------------


@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store", "construct"])
@pytest.mark.parametrize("fmt", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG,
                                 ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES])
def test_dump_is_the_embedded_dump(plain_server, gsp: bool, fmt: ox.RdfFormat) -> None:
    remote = emptied(plain_server)
    remote.add(sample_quads())
    remote = plain_server.open(gsp=gsp)
    embedded = OxigraphStore()
    embedded.add(sample_quads())

    def parsed(data: bytes) -> tuple[int, set[str]]:
        quads = list(ox.parse(data, format=fmt))
        return len(quads), {str(q) for q in quads if "_:" not in str(q)}

    for graphs in (None, [G2], [G1, G2], [EX + "graph/none"]):
        assert parsed(remote.dump(fmt, graphs)) == parsed(embedded.dump(fmt, graphs)), graphs
    turtle = remote.dump(ox.RdfFormat.TURTLE, [G1], prefixes={"ex": EX})
    assert turtle.startswith(b"@prefix ex: <https://example.org/>")


def test_the_project_dumps_as_from_the_memory_store(sparql_store, store) -> None:
    for graphs in (None, [Config().graph_iri("shapes")]):
        got = sparql_store.dump(ox.RdfFormat.N_QUADS, graphs).decode().splitlines()
        want = store.dump(ox.RdfFormat.N_QUADS, graphs).decode().splitlines()
        assert len(got) == len(want)
        assert {q for q in got if "_:" not in q} == {q for q in want if "_:" not in q}


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "SELEC ?x",
    "SELECT ?x WHERE { ?x rdfs:label ?y",
    "SELECT ?x WHERE {\n  ?x ?y\n}",
    "ASK { xsrv:a rdfs:label 'x' . undeclared:b ?p ?o }",
])
def test_syntax_errors_are_bad_input_with_the_embedded_position(sparql_store, store,
                                                                query: str) -> None:
    """The prologue is on the query's first line, and columns there are shifted back: the
    server's message points where the embedded store's does."""
    with pytest.raises(BadInput) as remote_error:
        sparql_store.query(query, prefixes=vocab.PREFIXES, base_iri="http://127.0.0.1/s")
    with pytest.raises(BadInput) as embedded_error:
        store.query(query, prefixes=vocab.PREFIXES, base_iri="http://127.0.0.1/s")
    assert str(remote_error.value) == str(embedded_error.value)
    assert str(remote_error.value).startswith("SPARQL syntax error: error at ")


def test_a_server_error_is_an_upstream_error_with_its_message(remote) -> None:
    with pytest.raises(UpstreamError, match=r"failed on the update \(HTTP 500\): The graph "
                                            r"<https://example.org/none> does not exist"):
        remote.update(f"DROP GRAPH <{EX}none>")
    assert UpstreamError.http_status == 502 and issubclass(UpstreamError, XsrvError)


def test_nobody_listening_is_a_clear_error_naming_the_server() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(UpstreamError, match=f"cannot reach the SPARQL server at {url}: "):
        open_store(f"sparql:{url}")
    store = SparqlStore(url, probe=False)
    with pytest.raises(UpstreamError, match="cannot reach the SPARQL server"):
        store.query("ASK {}")


def test_a_server_that_went_away_and_came_back(tmp_path: Path) -> None:
    port = free_port()
    with oxigraph_server(tmp_path / "db", port=port) as server:
        store = server.open()
        store.add(sample_quads())
        assert len(store) == 6
    with pytest.raises(UpstreamError, match=f"cannot reach the SPARQL server at {server.update}: "):
        store.update("DROP SILENT ALL")
    # Same port, same data: the stale keep-alive connection is replaced transparently.
    with oxigraph_server(tmp_path / "db", port=port):
        assert bool(store.query("ASK { ?s ?p ?o }"))
        assert store.graphs() == [G1, G2]
    store.close()


def test_a_slow_answer_is_a_timeout_error() -> None:
    with oxigraph_server(union_default_graph=True) as server:
        xsrv_load(*server.store_args())
        store = server.open(read_timeout=0.3)
        began = time.monotonic()
        with pytest.raises(UpstreamError, match="did not answer within 0.3 s"):
            # It runs on in the server until the server stops, at the end of the block.
            store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                        "?j ?k ?l }")
        assert time.monotonic() - began < 2


@pytest.fixture
def not_sparql():
    """A loopback HTTP server that answers every POST with an HTML page."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b"<html><body>hello</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_an_answer_that_is_not_sparql_is_an_upstream_error(not_sparql: str) -> None:
    with pytest.raises(UpstreamError, match="answered in text/html, which is neither"):
        SparqlStore(not_sparql)


# --- replicas and connections -----------------------------------------------------------------


def test_replica_round_trip_opens_without_probing(plain_server, remote, tmp_path, monkeypatch
                                                  ) -> None:
    remote.add(sample_quads())
    replica = pickle.loads(pickle.dumps(remote.replica(tmp_path)))
    assert (replica.version, replica.union, replica.graphs) == \
        (remote.version, UNION_PARAMETER, None)
    assert list(tmp_path.iterdir()) == []  # nothing written: the data stays on the server

    def no_probe(self):
        raise AssertionError("a replica must not probe")

    monkeypatch.setattr(SparqlStore, "_probe_union", no_probe)
    copy = replica.open()
    assert (copy.version, copy.union, copy.spec, copy.dialect) == (
        remote.version, UNION_PARAMETER, remote.spec, GENERIC)
    assert solutions(copy.query(UNION_QUERIES[0])) == solutions(remote.query(UNION_QUERIES[0]))
    replica.release()
    copy.close()
    # An emulated union carries the graph list, so workers need not ask for it either.
    emulated = plain_server.open(union=UNION_GRAPHS, probe=False).replica(tmp_path)
    assert emulated.graphs == (G1, G2)
    monkeypatch.setattr(SparqlStore, "_select", no_probe)
    assert emulated.open().graphs() == [G1, G2]


def test_one_keep_alive_connection_per_thread(sample) -> None:
    remote, _ = sample
    for _ in range(20):
        remote.query("ASK {}")
    assert len(remote._http._all) == 1
    threads = [threading.Thread(target=lambda: [remote.query("ASK {}") for _ in range(5)])
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(remote._http._all) == 4
    remote.close()
    assert remote._http._all == []


def test_spec_and_persistence(remote, plain_server) -> None:
    assert remote.spec == f"sparql:{plain_server.query}"
    assert remote.persistent
    store = open_store(plain_server.spec)
    assert (store.update_url, store.gsp_url) == (plain_server.query, None)


# --- the CLI and the web pages on a sparql: store --------------------------------------------


def test_cli_query_and_export_on_a_sparql_store(runner: Runner, oxigraph_project,
                                                store) -> None:
    result = runner.invoke(args=["query", *oxigraph_project.store_args(), "--format", "csv",
                                 "townships-by-category.rq"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 + 27
    export = runner.invoke(args=["export", *oxigraph_project.store_args(), "--format",
                                 "nquads"])
    assert export.exit_code == 0
    assert len(export.output.splitlines()) == len(store)
    wrong = runner.invoke(args=["query", "--store", "sparql:http://127.0.0.1:1/query",
                                "ASK {}"])
    assert wrong.exit_code == 2
    assert "cannot reach the SPARQL server at http://127.0.0.1:1/query" in wrong.output


PAGES = ["/", "/overview", "/overview.json", "/validation", "/validation.json", "/queries.json",
         "/id/division/xiushan-yongdong", "/id/division/xiushan-yongdong.json",
         "/ontology", "/graph/documents/xiushan-plan"]


def test_serve_on_a_sparql_store_serves_the_same_pages(sparql_server, live_server) -> None:
    """``xsrv-kg serve --store sparql:…`` in front of ``oxigraph serve``: every page is
    byte for byte the page the memory store gives; /sparql answers from the server."""
    for path in PAGES:
        remote = requests.get(sparql_server.url + path, timeout=60)
        memory = requests.get(live_server.url + path, timeout=60)
        assert remote.status_code == memory.status_code == 200, path
        assert remote.content == memory.content, path
    graph = requests.get(sparql_server.url + "/graph/documents/xiushan-plan.nt", timeout=60)
    assert len(graph.text.splitlines()) == len(requests.get(
        live_server.url + "/graph/documents/xiushan-plan.nt", timeout=60).text.splitlines())
    description = requests.get(sparql_server.sparql, timeout=60)
    assert "xiushan-plan" in description.text
    answer = requests.post(sparql_server.sparql, timeout=60, data={
        "query": "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"},
        headers={"Accept": "text/csv"})
    assert answer.text.split() == ["n", "27"]


def test_serve_reports_a_server_that_went_away_and_recovers(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .live import serve

    port = free_port()
    query = {"query": "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"}
    with oxigraph_server(tmp_path / "db", port=port) as server:
        xsrv_load(*server.store_args())
        args = server.store_args()
    # Nobody listens: serve does not start, and says why.
    started = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--port", "0", *args],
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 2
    assert f"cannot reach the SPARQL server at http://127.0.0.1:{port}/query" in started.stderr
    with oxigraph_server(tmp_path / "db", port=port) as server, \
            serve("--cache-mb", "0", "--workers", "1", *args) as xsrv:
        assert requests.post(xsrv.sparql, data=query, timeout=30).status_code == 200
        server.process.terminate()
        server.process.wait(10)
        # The server went: the endpoint says which server it cannot reach (from its worker).
        down = requests.post(xsrv.sparql, data=query, timeout=30)
        assert down.status_code == 502
        assert f"cannot reach the SPARQL server at http://127.0.0.1:{port}/query" in down.text
        with oxigraph_server(tmp_path / "db", port=port):
            again = requests.post(xsrv.sparql, data=query, timeout=30,
                                  headers={"Accept": "text/csv"})
            assert again.text.split() == ["n", "27"]
