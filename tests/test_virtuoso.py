"""The ``sparql:`` store against a real Virtuoso (opt-in: ``XSRV_TEST_VIRTUOSO=1``).

A private Virtuoso instance is started by ``scripts/virtuoso/setup.sh`` (which installs the
Debian package ``virtuoso-opensource`` if needed) in a temporary folder on free loopback
ports, the project is loaded into it with ``xsrv-kg load --store sparql:…/sparql``, and then:

- every curated query's expectations (the tests of test_curated_queries.py that take
  ``run_curated``) run twice: in-process on a ``SparqlStore`` and over HTTP through
  ``xsrv-kg serve --store sparql:…``;
- every curated query gives the embedded store's answer term for term, rows in order, and
  every page query (xsrv_kg/sparql/*.rq) the embedded store's rows;
- the store gives what the embedded store gives: graphs, size, terms, blank nodes, dump;
- the endpoint in front of Virtuoso answers as the one on the memory store, pages included.

``.ci/run`` installs Virtuoso (scripts/virtuoso/install.sh) and sets ``XSRV_TEST_VIRTUOSO=1``.

The instance is stopped by ``scripts/virtuoso/stop.sh`` at the end of the module. Virtuoso's
quirks, which these tests are about, are listed in scripts/virtuoso/README.md; the store speaks
its dialect (:mod:`xsrv_kg.store.virtuoso`). What it cannot mend, Virtuoso's query engine
answering otherwise than SPARQL says, is marked ``xfail(strict=True)`` test by test with the
behaviour as the reason (:data:`KNOWN`, :data:`KNOWN_PAGE_QUERIES`, :data:`KNOWN_PAGES`);
the project's queries are written so that the list is short. A fixed engine or a portable
rewrite of the query makes the test pass, and then fail until its mark is removed.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from benchmarks.support import free_port
from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import EngineDeviation
from xsrv_kg.query.console import read_query
from xsrv_kg.sources import inference
from xsrv_kg.sources.loader import load_project
from xsrv_kg.sparql import rq
from xsrv_kg.store import Store, open_store
from xsrv_kg.store.sparql import UNION_GRAPHS
from xsrv_kg.store.virtuoso import VIRTUOSO

from . import test_curated_queries as curated
from .conftest import curated_text, http_rows, rows, solutions
from .live import serve

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts" / "virtuoso"
ENABLED = os.environ.get("XSRV_TEST_VIRTUOSO") == "1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.virtuoso,
    pytest.mark.skipif(not ENABLED, reason=(
        "Virtuoso tests are opt-in: set XSRV_TEST_VIRTUOSO=1 (scripts/virtuoso/setup.sh "
        "installs virtuoso-opensource with apt if needed and starts a private instance; "
        "see scripts/virtuoso/README.md)")),
]

# --- what Virtuoso's query engine answers otherwise (no store can mend it) -------------------

#: Curated queries (``queries/<name>``) and curated tests, with what Virtuoso answers instead:
#: none today. Each query the project ships is written so that Virtuoso 7.2 evaluates it as
#: SPARQL says (see scripts/virtuoso/README.md, *Query semantics that differ*): no FILTER
#: inside an OPTIONAL that relies on variables bound outside it (Virtuoso evaluates it without
#: them: the fund rules' tier test once counted 6 recipients where the text names 5), no EXISTS
#: over ``skos:broader*`` between two bound tiers, computed booleans cast with
#: ``xsd:boolean(…)``, language-tagged labels sorted by ``STR(…)``, no aggregate subquery
#: shape that Virtuoso's compiler fails on (SQ156). A query that Virtuoso answers otherwise
#: goes here with the behaviour as the reason, and is marked ``xfail(strict=True)``.
KNOWN: dict[str, str] = {}
KNOWN_TESTS: dict[str, str] = {}
#: What Virtuoso cannot run, and no portable formulation was found for: the blank nodes
#: under a resource (xsrv_kg/sparql/describe-blank-nodes.rq, ``?b (<x>|!<x>)* ?s``, any
#: predicate any number of times) fail there with SR066 'Unsupported case in CONVERT (INTEGER
#: -> IRI_ID)' (also !<x>* and (…)+, bound or not). A path over a fixed list of predicates
#: works, but would leave out blank nodes under any other predicate. The conformance probe
#: finds it (``any-predicate-path``) and the query says it relies on it, so the store refuses
#: it (EngineDeviation) and the pages that run it are a 501 naming the deviation.
ANY_PATH = "any-predicate-path"
#: Page queries (``xsrv_kg/sparql/<name>.rq``) refused on Virtuoso, by the deviation named.
REFUSED_PAGE_QUERIES = {"describe-blank-nodes": ANY_PATH}
#: Pages refused on Virtuoso (every assignment and fund rule page: their source spans and
#: durations are blank nodes), by the deviation named.
REFUSED_PAGES = {"/id/doc/xiushan-plan/rule-county-key-townships.json": ANY_PATH,
                 "/id/doc/xiushan-plan/assign-yongdong.json": ANY_PATH}
KNOWN_PAGE_QUERIES: dict[str, str] = {}
#: Page queries with no rows on the shipped data, by why: compared all the same (both stores
#: must agree on the empty answer), their rows are tested on the embedded store where named.
EMPTY_ON_SHIPPED_DATA = {
    "documents-drafts": "no shipped document is a draft (tests/test_documents.py drafts one)",
    "describe-funding-awarded": "no shipped rule names one unit (tests/test_draft_awards.py)",
}
KNOWN_PAGES: dict[str, str] = {}


def _known(reason: str | None) -> tuple:
    return (pytest.mark.xfail(strict=True, reason=reason),) if reason else ()


#: Graphs Virtuoso keeps for itself: its quad map schema and the LDP vocabulary (the service
#: description and DAV graphs are named after the instance: :meth:`Virtuoso.system_graphs`).
SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")


@dataclass(frozen=True)
class Virtuoso:
    folder: Path
    http_port: int
    sql_port: int

    @property
    def query(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def gsp(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def store_args(self) -> list[str]:
        return ["--store", "sparql:" + self.query, "--gsp-url", self.gsp]

    def open(self):
        from xsrv_kg.store.sparql import SparqlStore

        return SparqlStore(self.query, gsp_url=self.gsp)

    def system_graphs(self) -> set[str]:
        """Virtuoso's own graphs on this instance (setup.sh sets [URIQA] DefaultHost to
        127.0.0.1:HTTP_PORT, which names the service description and DAV graphs)."""
        host = f"http://127.0.0.1:{self.http_port}"
        return {*SYSTEM_GRAPHS, f"{host}/sparql", f"{host}/DAV/"}


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    """A private Virtuoso on free loopback ports, for this module; stopped at its end."""
    folder = tmp_path_factory.mktemp("virtuoso")
    server = Virtuoso(folder, free_port(), free_port())
    started = time.monotonic()
    # The first run may apt-get install the package (a minute or so).
    setup = _run([str(SCRIPTS / "setup.sh"), str(folder), str(server.http_port),
                  str(server.sql_port)], timeout=900)
    if setup.returncode != 0:
        _run([str(SCRIPTS / "stop.sh"), str(folder)], timeout=60)
        pytest.fail(f"scripts/virtuoso/setup.sh failed ({setup.returncode}):\n"
                    f"{setup.stdout}\n{setup.stderr}")
    print(f"virtuoso up in {time.monotonic() - started:.1f} s: {server.query}")
    try:
        yield server
    finally:
        stopped = _run([str(SCRIPTS / "stop.sh"), str(folder)], timeout=120)
        assert stopped.returncode == 0, stopped.stderr


@dataclass(frozen=True)
class Loaded:
    server: Virtuoso
    output: str
    seconds: float


def _load(server: Virtuoso) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "xsrv_kg", "load", *server.store_args()], timeout=600)


@pytest.fixture(scope="module")
def virtuoso_project(virtuoso: Virtuoso) -> Loaded:
    """The project loaded into the instance by ``xsrv-kg load`` (the real command)."""
    started = time.monotonic()
    done = _load(virtuoso)
    if done.returncode != 0:
        pytest.fail(f"xsrv-kg load into Virtuoso failed ({done.returncode}):\n"
                    f"{done.stdout}\n{done.stderr[-4000:]}")
    return Loaded(virtuoso, done.stdout, time.monotonic() - started)


@pytest.fixture(scope="module")
def store(config: Config) -> Iterator[Store]:
    """The embedded store as ``xsrv-kg load`` leaves Virtuoso: the project and its inferred
    graph (it stands in for conftest's ``store`` in this module)."""
    s = open_store("memory")
    load_project(s, config)
    inference.refresh(s, config)
    yield s
    s.close()


@pytest.fixture(scope="module")
def virtuoso_store(virtuoso_project: Loaded):
    store = virtuoso_project.server.open()
    yield store
    store.close()


@pytest.fixture(scope="module")
def virtuoso_server(virtuoso_project: Loaded):
    """``xsrv-kg serve --store sparql:…`` in front of the loaded instance."""
    with serve(*virtuoso_project.server.store_args()) as server:
        yield server


@pytest.fixture(scope="module", params=["in-process", "http"])
def run_curated(request, config: Config):
    """``run_curated(name)`` -> the rows of ``queries/<name>``, on Virtuoso: in-process on a
    ``SparqlStore``, and over HTTP through ``xsrv-kg serve --store sparql:…``.

    It stands in for conftest's fixture of the same name in this module, so the curated
    expectations imported below run here unchanged.
    """
    if request.param == "in-process":
        store = request.getfixturevalue("virtuoso_store")
        return lambda name, **params: rows(store, curated_text(config, name, **params))
    server = request.getfixturevalue("virtuoso_server")
    return lambda name, **params: http_rows(server.sparql, curated_text(config, name, **params))


def _copy(test):
    """``test`` under another function object, so a mark put on it here does not reach
    test_curated_queries.py (its own marks, parametrize, are kept)."""
    @functools.wraps(test)
    def copy(*args, **kwargs):
        return test(*args, **kwargs)

    return copy


# The curated expectations, unchanged: every test of test_curated_queries.py that takes
# ``run_curated`` is collected here too, and gets the fixture above.
for _name, _test in vars(curated).items():
    if _name.startswith("test_") and "run_curated" in inspect.signature(_test).parameters:
        if _name in KNOWN_TESTS:
            _test = pytest.mark.xfail(strict=True, reason=KNOWN_TESTS[_name])(_copy(_test))
        globals()[_name] = _test
del _name, _test


# --- loading --------------------------------------------------------------------------------------


def test_load_reports_every_project_graph(virtuoso_project: Loaded, store) -> None:
    print(f"xsrv-kg load took {virtuoso_project.seconds:.1f} s")
    lines = virtuoso_project.output.splitlines()
    for graph in store.graphs():
        assert any(line.startswith(f"{graph}: ") for line in lines), (graph, lines)
    # The totals count the project's quads and graphs, not Virtuoso's own graphs.
    assert lines[-1].endswith(f"now holds {len(store)} quads in {len(store.graphs())} graphs")


def test_loading_again_is_idempotent(virtuoso_project: Loaded, virtuoso_store, store) -> None:
    again = _load(virtuoso_project.server)
    assert again.returncode == 0, again.stderr[-4000:]
    fresh = virtuoso_project.server.open()
    try:
        assert len(fresh) == len(store)
    finally:
        fresh.close()


# --- the store gives what the embedded store gives ----------------------------------------------


def test_graphs_are_the_project_graphs_without_virtuoso_s_own(virtuoso_store, store) -> None:
    assert virtuoso_store.graphs() == store.graphs()


def test_size_is_the_project_size(virtuoso_store, store) -> None:
    assert len(virtuoso_store) == len(store)


CURATED = sorted(p.name for p in (ROOT / "queries").glob("*.rq")
                 if not p.name.startswith("federated-"))


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known(KNOWN.get(n))) for n in CURATED])
def test_curated_query_gives_the_embedded_answer_term_for_term(virtuoso_store, store,
                                                                config: Config, name: str) -> None:
    """Terms, not plain values: datatypes and language tags as the embedded store has them
    (Virtuoso rewrites some: see the README's *Literals*), rows in the same order."""
    text = read_query(name, queries_dir=config.queries_dir)
    got = solutions(virtuoso_store.query(text, prefixes=vocab.PREFIXES))
    want = solutions(store.query(text, prefixes=vocab.PREFIXES))
    assert got == want


PAGE_QUERIES = sorted(p.stem for p in (ROOT / "xsrv_kg" / "sparql").glob("*.rq"))

#: Page queries run bound, as the pages run them: unbound, with the dataset given (the store's
#: emulated union), Virtuoso fails ``?b (<x>|!<x>)* ?s`` with SR066 (the README's *The dataset*).
SOME_IRIS = ["https://w3id.org/xsrv-kg/id/division/xiushan-yongdong",
             "https://w3id.org/xsrv-kg/id/doc/xiushan-plan/rule-county-key-townships",
             "https://w3id.org/xsrv-kg/id/doc/xiushan-plan/assign-yongdong"]
BOUND_ONLY = {"describe-blank-nodes": ("iri", SOME_IRIS)}


@pytest.mark.parametrize("name", [pytest.param(n, marks=_known(KNOWN_PAGE_QUERIES.get(n)))
                                  for n in PAGE_QUERIES])
def test_page_query_gives_the_embedded_rows(virtuoso_store, store, config: Config,
                                            name: str) -> None:
    """Each of the product's own queries (xsrv_kg/sparql/*.rq, run by the pages, linking,
    validation and the workbench): the same rows as on the embedded store, as a multiset (not
    every one sorts its rows; the pages sort what they show)."""
    query = rq.bind(rq.load(name), *BOUND_ONLY[name]) if name in BOUND_ONLY else rq.load(name)
    # workbench-labels' empty VALUES block is filled by the page with a result's IRIs.
    iris = " ".join(f"<{iri}>" for iri in SOME_IRIS)
    query = query.replace("VALUES ?iri { }", f"VALUES ?iri {{ {iris} }}")

    def rows(s) -> tuple | bool | list:
        # The inference rules read the asserted graphs, as at the first round of the service's
        # refresh: as named graphs (GRAPH ?g), or, the shortcut rule, as the default graph.
        asserted = inference.asserted_graphs(s, config)
        dataset: dict[str, object] = {"union_default_graph": True}
        if name.startswith("infer-"):
            dataset = {"default_graphs": [], "named_graphs": asserted} \
                if name in inference.CLOSURES else {"default_graphs": asserted, "named_graphs": []}
        answer = solutions(s.query(query, prefixes=vocab.PREFIXES, **dataset))
        if isinstance(answer, bool | list):  # describe-exists is an ASK; infer-* CONSTRUCTs
            return answer
        names, found = answer
        return names, sorted(map(str, found))

    want = rows(store)
    if name in EMPTY_ON_SHIPPED_DATA:
        assert want[1] == [], f"{name} has rows now: drop it from EMPTY_ON_SHIPPED_DATA"
    else:
        assert want is True or (want[1] if isinstance(want, tuple) else want), name
    if name in REFUSED_PAGE_QUERIES:
        with pytest.raises(EngineDeviation, match=REFUSED_PAGE_QUERIES[name]):
            rows(virtuoso_store)
        return
    assert rows(virtuoso_store) == want


def test_the_store_speaks_virtuoso_s_dialect(virtuoso_store) -> None:
    """Told by the Server: header; the union is emulated (Virtuoso's own is all graphs, its
    own included)."""
    assert (virtuoso_store.dialect, virtuoso_store.union) == (VIRTUOSO, UNION_GRAPHS)


def test_a_trailing_values_clause_is_honoured(virtuoso_store, store) -> None:
    """rq.bind appends VALUES after the query; Virtuoso ignores it there (describe-labels gave
    every label) or fails (SQ200 in a subquery, syntax error after ASK): the store moves it
    into the WHERE group."""
    iris = ["https://w3id.org/xsrv-kg/id/division/xiushan-yongdong",
            "https://w3id.org/xsrv-kg/id/division/xiushan-cenxi"]
    for name, variable in (("describe-labels", "iri"), ("describe-outgoing", "iri"),
                           ("describe-exists", "iri"), ("describe-graph", "g")):
        terms = iris[:1] if name == "describe-exists" else \
            store.graphs()[:2] if variable == "g" else iris
        query = rq.bind(rq.load(name), variable, terms)
        got = solutions(virtuoso_store.query(query, prefixes=vocab.PREFIXES))
        want = solutions(store.query(query, prefixes=vocab.PREFIXES))
        if isinstance(want, bool):
            assert got is want is True, name
        else:  # rows in any order (not every one of these queries sorts them all)
            assert want[1], name
            assert sorted(map(str, got[1])) == sorted(map(str, want[1])), name


LITERALS = """SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && datatype(?o) IN
  (xsd:decimal, xsd:boolean, xsd:date, xsd:gYear, xsd:anyURI, xsd:integer)) }"""


def test_typed_literals_keep_their_datatype_and_lexical_form(virtuoso_store, store) -> None:
    """Every decimal, boolean, date, gYear, anyURI and integer of the project, as written
    (Virtuoso's SPARQL INSERT turns "10000000"^^xsd:decimal into an integer; its JSON
    results write booleans as 1 and 0)."""
    from collections import Counter

    def literals(s) -> Counter:
        def term(t):
            return "_:" if isinstance(t, ox.BlankNode) else str(t)

        return Counter((term(r["s"]), term(r["p"]), term(r["o"]))
                       for r in s.query(LITERALS, prefixes=vocab.PREFIXES))

    got, want = literals(virtuoso_store), literals(store)
    assert (sorted(want - got), sorted(got - want)) == ([], [])


def test_blank_nodes_in_answers_parse(virtuoso_store, store) -> None:
    # The shapes are made of blank nodes (sh:property [ … ]).
    query = "SELECT ?shape ?property WHERE { ?shape sh:property ?property } ORDER BY ?shape"
    got = list(virtuoso_store.query(query, prefixes=vocab.PREFIXES))
    want = list(store.query(query, prefixes=vocab.PREFIXES))
    assert len(got) == len(want) > 0
    assert all(isinstance(row["property"], ox.BlankNode) for row in got)


def test_source_spans_come_back_as_blank_nodes(virtuoso_store) -> None:
    """Virtuoso writes blank nodes as ``nodeID://b10001`` in SPARQL results."""
    rows = list(virtuoso_store.query("SELECT ?span WHERE { ?x xsrv:sourceSpan ?span } LIMIT 1",
                                     prefixes=vocab.PREFIXES))
    assert rows and isinstance(rows[0]["span"], ox.BlankNode)


def test_dump_is_the_embedded_dump(virtuoso_store, store) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    got, want = rdflib.Dataset(), rdflib.Dataset()
    got.parse(data=virtuoso_store.dump(ox.RdfFormat.N_QUADS), format="nquads")
    want.parse(data=store.dump(ox.RdfFormat.N_QUADS), format="nquads")
    names = sorted(str(g.identifier) for g in want.graphs() if len(g))
    assert sorted(str(g.identifier) for g in got.graphs() if len(g)) == names
    for name in names:
        assert isomorphic(got.graph(rdflib.URIRef(name)), want.graph(rdflib.URIRef(name))), name


def test_put_replaces_a_large_graph_with_blank_nodes(virtuoso) -> None:
    """Past Virtuoso's INSERT DATA limits: ~1400 triples, no blank nodes."""
    graph = "https://example.org/virtuoso/large"
    ex = "https://example.org/"
    quads = []
    for i in range(2500):
        span = ox.BlankNode()
        quads += [ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(ex + "span"), span,
                          ox.NamedNode(graph)),
                  ox.Quad(span, ox.NamedNode(ex + "exact"), ox.Literal(f"第{i}条"),
                          ox.NamedNode(graph))]
    store = virtuoso.open()
    try:
        store.put(graph, quads)
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert int(next(iter(store.query(count)))["n"].value) == len(quads)
        store.put(graph, quads[:10])
        assert int(next(iter(store.query(count)))["n"].value) == 10
    finally:
        store.update(f"DROP SILENT GRAPH <{graph}>")
        store.close()


def test_add_posts_to_the_graph_store(virtuoso) -> None:
    """Blank nodes and decimals without a dot, which Virtuoso's INSERT DATA refuses or turns
    into integers; the graph store endpoint found from the query URL (no gsp_url)."""
    from xsrv_kg.errors import BadInput
    from xsrv_kg.store.sparql import SparqlStore

    graph = "https://example.org/virtuoso/added"
    ex = "https://example.org/"
    span = ox.BlankNode()
    amount = ox.Literal("10000000", datatype=ox.NamedNode(vocab.PREFIXES["xsd"] + "decimal"))
    quads = [ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "span"), span, ox.NamedNode(graph)),
             ox.Quad(span, ox.NamedNode(ex + "amount"), amount, ox.NamedNode(graph))]
    store = SparqlStore(virtuoso.query)
    try:
        version = store.version
        store.add(quads)
        assert store.version == version + 1
        assert graph in store.graphs()
        rows = list(store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{ex}a> <{ex}span> ?b . "
                                f"?b <{ex}amount> ?o }} }}"))
        assert [r["o"] for r in rows] == [amount]
        with pytest.raises(BadInput, match="no default graph of its own"):
            store.add([ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), amount)])
    finally:
        store.update(f"DROP SILENT GRAPH <{graph}>")
        store.close()


def test_syntax_error_is_bad_input(virtuoso_store) -> None:
    from xsrv_kg.errors import BadInput

    with pytest.raises(BadInput, match="SP030") as error:
        virtuoso_store.query("SELECT * WHERE { ?s ?p }")
    # Virtuoso echoes the query after its message: cut off.
    assert "SPARQL query:" not in str(error.value) and "big-data-const" not in str(error.value)


def test_a_server_error_is_an_upstream_error_with_virtuoso_s_message(virtuoso_store) -> None:
    from xsrv_kg.errors import UpstreamError

    # SPARQL makes 1/0 an error that leaves ?x unbound; Virtuoso fails the query (SR084).
    with pytest.raises(UpstreamError, match=r"\(HTTP 500\): Virtuoso 22012 Error SR084") as error:
        virtuoso_store.query("SELECT (1/0 AS ?x) WHERE {}")
    assert "SPARQL query:" not in str(error.value)


# --- the endpoint in front of Virtuoso ------------------------------------------------------------


def test_endpoint_answers_a_count(virtuoso_server) -> None:
    answer = requests.post(virtuoso_server.sparql, timeout=60, headers={"Accept": "text/csv"},
                           data={"query": "SELECT (COUNT(?t) AS ?n) WHERE "
                                          "{ ?t a xsrv:TownshipLevelDivision }"})
    assert answer.status_code == 200, answer.text
    assert answer.text.split() == ["n", "27"]


def test_endpoint_service_description_names_the_project_graphs_only(virtuoso_server,
                                                                    virtuoso, store) -> None:
    description = requests.get(virtuoso_server.sparql, timeout=60,
                               headers={"Accept": "application/n-triples"})
    assert description.status_code == 200
    for graph in store.graphs():
        assert f"<{graph}>" in description.text, graph
    for graph in virtuoso.system_graphs():
        assert f"<{graph}" not in description.text, graph


def test_endpoint_construct_and_ask(virtuoso_server) -> None:
    construct = requests.post(virtuoso_server.sparql, timeout=60,
                              headers={"Accept": "text/turtle"}, data={
                                  "query": "CONSTRUCT { ?t rdfs:label ?l } WHERE { ?t a "
                                           "xsrv:TownshipLevelDivision ; rdfs:label ?l }"})
    assert construct.status_code == 200, construct.text
    triples = list(ox.parse(construct.content, ox.RdfFormat.TURTLE))
    assert len({t.subject for t in triples}) == 27
    ask = requests.post(virtuoso_server.sparql, timeout=60, data={
        "query": "ASK { ?t rdfs:label \"涌洞乡\"@zh }"},
        headers={"Accept": "application/sparql-results+json"})
    assert ask.status_code == 200 and ask.json()["boolean"] is True


def test_endpoint_syntax_error_is_400_with_the_position(virtuoso_server) -> None:
    bad = requests.post(virtuoso_server.sparql, timeout=60, headers={"Accept": "text/plain"},
                        data={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert bad.status_code == 400, bad.text
    assert "line 3" in bad.text or "3:" in bad.text, bad.text


#: Pages byte for byte as on the memory store (/validation.json: see the test after).
PAGES = ["/overview.json", "/overview", "/queries.json", "/id/division/xiushan-yongdong.json",
         "/id/division/xiushan-yongdong", "/id/division/xiushan-cenxi.json",
         "/id/division/xiushan-aikou.json", "/id/division/xiushan-qingxichang-donglin.json",
         "/id/doc/xiushan-plan/rule-county-key-townships.json",
         "/id/doc/xiushan-plan/assign-yongdong.json", "/graph/documents/xiushan-plan",
         "/search.json?q=yongdong", "/search.json?q=%E6%B6%8C%E6%B4%9E&limit=200",
         "/search?q=Yongdong", "/search.json?q=div:&limit=200"]


@pytest.mark.parametrize("path", [pytest.param(p, marks=_known(KNOWN_PAGES.get(p)))
                                  for p in PAGES])
def test_endpoint_pages_are_the_memory_store_s(virtuoso_server, live_server, path: str) -> None:
    remote = requests.get(virtuoso_server.url + path, timeout=120)
    memory = requests.get(live_server.url + path, timeout=120)
    assert memory.status_code == 200, path
    if path in REFUSED_PAGES:  # a refusal naming the deviation, never a wrong figure
        assert remote.status_code == 501, (path, remote.text[:2000])
        assert REFUSED_PAGES[path] in remote.json()["error"]["message"]
        return
    assert remote.status_code == 200, (path, remote.text[:2000])
    assert remote.content == memory.content, path


def test_endpoint_validation_is_the_memory_store_s_up_to_key_order(virtuoso_server,
                                                                   live_server) -> None:
    """The same report, compared as JSON: each result's ``messages`` object lists its
    languages in the order the store returns a shape's sh:message literals, which SPARQL
    leaves open and which, on Virtuoso, changes from one instance to the next (``en`` before
    ``zh`` on some, as on the memory store on others). Only the ``engine`` notice differs:
    Virtuoso's deviations are named there (the memory store has none)."""
    remote = requests.get(virtuoso_server.url + "/validation.json", timeout=120)
    memory = requests.get(live_server.url + "/validation.json", timeout=120)
    assert remote.status_code == memory.status_code == 200
    remote_report, memory_report = json.loads(remote.content), json.loads(memory.content)
    notice = remote_report.pop("engine")
    assert memory_report.pop("engine")["deviations"] == []
    assert {d["id"] for d in notice["deviations"]} >= {"filter-in-optional", "booleans"}
    assert remote_report == memory_report


def test_endpoint_names_an_unknown_prefix(virtuoso_server) -> None:
    bad = requests.post(virtuoso_server.sparql, timeout=60, headers={"Accept": "text/plain"},
                        data={"query": "SELECT ?l WHERE { dvi:xiushan-yongdong rdfs:label ?l }"})
    assert bad.status_code == 400, bad.text
    assert "unknown prefix dvi:" in bad.text and "Did you mean div:" in bad.text, bad.text


def test_endpoint_hints_at_the_tagged_label(virtuoso_server) -> None:
    empty = requests.post(virtuoso_server.sparql, timeout=60, headers={"Accept": "text/csv"},
                          data={"query": 'SELECT ?x WHERE { ?x rdfs:label "涌洞乡" }'})
    assert empty.status_code == 200 and empty.text.split() == ["x"]
    assert empty.headers["Xsrv-Hint"] == ("lang; query*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22;"
                                          " data*=UTF-8''%22%E6%B6%8C%E6%B4%9E%E4%B9%A1%22%40zh")
