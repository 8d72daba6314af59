"""The ``sparql:`` store against a live ``oxigraph serve``: every answer as the embedded
store gives it (query forms, terms, datasets, the union default graph native or not),
writes (put atomic and idempotent, add, update), dump, a server error and a server that
comes back, replicas, connections, and ``xsrv-kg serve`` in front of it serving the pages.

Without a server: test_store_sparql_units.py; when the server is wrong:
test_store_sparql_failures.py. The curated queries and the protocol tests run on this
backend too (conftest.py).
"""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from benchmarks.support import free_port
from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, UpstreamError, XsrvError
from xsrv_kg.query.console import read_query
from xsrv_kg.store import open_store
from xsrv_kg.store.oxigraph import OxigraphStore
from xsrv_kg.store.sparql import (
    GENERIC,
    UNION_GRAPHS,
    UNION_NATIVE,
    UNION_PARAMETER,
    SparqlStore,
)

from .backends import OxigraphServer, oxigraph_available, oxigraph_server
from .conftest import Runner, solutions

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not oxigraph_available(),
                                                    reason="the oxigraph server is not installed")]

EX = "https://example.org/"
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


def test_the_project_dumps_as_from_the_memory_store(sparql_store, inferred_store) -> None:
    # `xsrv-kg load` filled the server: the inferred graph is there too.
    for graphs in (None, [Config().graph_iri("shapes")]):
        got = sparql_store.dump(ox.RdfFormat.N_QUADS, graphs).decode().splitlines()
        want = inferred_store.dump(ox.RdfFormat.N_QUADS, graphs).decode().splitlines()
        assert len(got) == len(want)
        assert {q for q in got if "_:" not in q} == {q for q in want if "_:" not in q}


# --- errors -----------------------------------------------------------------------------------


def test_a_server_error_is_an_upstream_error_with_its_message(remote) -> None:
    with pytest.raises(UpstreamError, match=r"failed on the update \(HTTP 500\): The graph "
                                            r"<https://example.org/none> does not exist"):
        remote.update(f"DROP GRAPH <{EX}none>")
    assert UpstreamError.http_status == 502 and issubclass(UpstreamError, XsrvError)


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
