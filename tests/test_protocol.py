"""The SPARQL 1.1 Protocol over raw HTTP on a live ``xsrv-kg serve``: the edge cases.

Requests are written by hand (``requests``), so each test shows exactly what goes over
the wire and which status comes back.

Tests marked ``@on_every_backend`` run against a server on each store backend (memory,
``oxigraph:DIR``, ``sparql:`` over ``oxigraph serve``): those whose answer comes from the
store (query forms, formats, datasets, errors from the parser, the named graphs, large
results, the cache, the time limit). The others check the request handling in front of the
store, which no backend changes, and run on the memory backend only.
"""

from __future__ import annotations

import gzip
import re
import time

import pyoxigraph as ox
import pytest
import requests

from .conftest import BACKEND_SERVERS, BACKENDS, xsrv_load
from .live import serve

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TOWNSHIPS = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"
GRAPH_QUERY = "CONSTRUCT WHERE { ?r a xsrv:FundRule ; xsrv:amount ?a }"
ONTOLOGY = "https://w3id.org/xsrv-kg/graph/ontology"
PLAN = "https://w3id.org/xsrv-kg/graph/documents/xiushan-plan"


def count(response: requests.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def sparql(request) -> str:
    """The ``/sparql`` URL of a live read-only server: on the memory backend, or on each
    backend in turn for tests marked ``@on_every_backend``."""
    backend = getattr(request, "param", "memory")
    return request.getfixturevalue(BACKEND_SERVERS[backend]).sparql


on_every_backend = pytest.mark.parametrize("sparql", BACKENDS, indirect=True)


# --- the three ways to send a query ------------------------------------------------------

@on_every_backend
def test_get_form_and_direct_post_give_the_same_answer(sparql: str) -> None:
    by_get = requests.get(sparql, params={"query": TOWNSHIPS})
    by_form = requests.post(sparql, data={"query": TOWNSHIPS})
    by_direct = requests.post(sparql, data=TOWNSHIPS.encode(),
                              headers={"Content-Type": "application/sparql-query"})
    # 二（一）: 2 + 6 + 19 = 27 townships.
    assert count(by_get) == count(by_form) == count(by_direct) == 27
    assert by_get.headers["Content-Type"].startswith("application/sparql-results+json")


@on_every_backend
def test_direct_post_with_charset_and_non_ascii_text(sparql: str) -> None:
    query = 'ASK { ?t rdfs:label "涌洞乡"@zh }'
    response = requests.post(sparql, data=query.encode("utf-8"),
                             headers={"Content-Type": "application/sparql-query; charset=UTF-8"})
    assert response.status_code == 200 and response.json()["boolean"] is True


# --- negotiation -------------------------------------------------------------------------

@on_every_backend
@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("text/turtle, */*;q=0.1", "application/sparql-results+json"),
])
def test_select_results_follow_accept(sparql: str, accept: str, media_type: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    assert "27" in response.text


@on_every_backend
@pytest.mark.parametrize(("accept", "media_type", "rdf_format"), [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("*/*", "text/turtle", ox.RdfFormat.TURTLE),
])
def test_graph_results_follow_accept(sparql: str, accept: str, media_type: str,
                                     rdf_format: ox.RdfFormat) -> None:
    response = requests.get(sparql, params={"query": GRAPH_QUERY}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    triples = list(ox.parse(response.content, format=rdf_format))
    # 三（四）: five fund rules, one amount each.
    assert len(triples) == 10


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
])
def test_format_parameter_overrides_accept(sparql: str, fmt: str, media_type: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS, "format": fmt},
                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type


@on_every_backend
def test_ask_in_every_results_format(sparql: str) -> None:
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/csv", "text/tab-separated-values"):
        response = requests.get(sparql, params={"query": "ASK { ?s ?p ?o }"},
                                headers={"Accept": accept})
        assert response.status_code == 200
        assert "true" in response.text


def test_nothing_acceptable_is_406(sparql: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS},
                            headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "accepts no format" in response.text


@on_every_backend
def test_graph_formats_for_a_select_are_406(sparql: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS},
                            headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "SELECT" in response.text


def test_unknown_format_parameter_is_400(sparql: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS, "format": "yaml"})
    assert response.status_code == 400
    assert "yaml" in response.text


# --- malformed requests ------------------------------------------------------------------

@on_every_backend
def test_syntax_error_is_400_with_position_in_json(sparql: str) -> None:
    response = requests.get(sparql, params={"query": "SELECT ?x WHERE {\n  ?x ?y\n}"},
                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "bad-input"
    assert re.search(r"error at 3:\d+", error["message"])  # line 3: the brace


@on_every_backend
def test_syntax_error_in_plain_text_for_csv_clients(sparql: str) -> None:
    response = requests.get(sparql, params={"query": "SELEC ?x"}, headers={"Accept": "text/csv"})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "error at 1:" in response.text


@on_every_backend
def test_syntax_error_as_html_for_browsers(sparql: str) -> None:
    response = requests.get(sparql, params={"query": "SELECT <oops"},
                            headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert "error at 1:" in response.text
    echoed = requests.get(sparql, params={"query": "ASK {}", "format": "<script>x</script>"},
                          headers={"Accept": "text/html"})
    assert echoed.status_code == 400
    assert "&lt;script&gt;" in echoed.text and "<script>" not in echoed.text


@pytest.mark.parametrize(("method", "status"), [("PUT", 405), ("DELETE", 405), ("PATCH", 405)])
def test_wrong_method(sparql: str, method: str, status: int) -> None:
    response = requests.request(method, sparql, params={"query": TOWNSHIPS})
    assert response.status_code == status
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_wrong_content_type_is_415(sparql: str) -> None:
    response = requests.post(sparql, data=TOWNSHIPS.encode(),
                             headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_missing_content_type_is_415(sparql: str) -> None:
    request = requests.Request("POST", sparql, data=TOWNSHIPS.encode()).prepare()
    request.headers.pop("Content-Type", None)
    response = requests.Session().send(request)
    assert response.status_code == 415


def test_missing_query_in_a_form_is_400(sparql: str) -> None:
    response = requests.post(sparql, data={"format": "json"})
    assert response.status_code == 400
    assert "neither" in response.text


def test_both_query_and_update_is_400(sparql: str) -> None:
    response = requests.post(sparql, data={"query": TOWNSHIPS, "update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "both" in response.text


def test_two_queries_is_400(sparql: str) -> None:
    response = requests.get(sparql + "?query=ASK%7B%7D&query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
    assert response.status_code == 400
    assert "2 times" in response.text


def test_query_that_is_not_utf8_is_400(sparql: str) -> None:
    response = requests.get(sparql + "?query=ASK%7B%22%FF%22%7D")
    assert response.status_code == 400
    assert "UTF-8" in response.text
    direct = requests.post(sparql, data=b'ASK { "\xff" }',
                           headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 400


def test_update_by_get_is_refused(sparql: str) -> None:
    response = requests.get(sparql, params={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "POST" in response.text


def test_empty_query_is_400(sparql: str) -> None:
    assert requests.get(sparql, params={"query": "  "}).status_code == 400


# --- datasets ----------------------------------------------------------------------------

@on_every_backend
def test_default_graph_is_the_union_of_the_named_graphs(sparql: str) -> None:
    union = count(requests.get(sparql, params={"query": COUNT}))
    per_graph = count(requests.get(sparql, params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    assert union == per_graph > 3000


@on_every_backend
def test_default_graph_uri_restricts_the_default_graph(sparql: str) -> None:
    in_ontology = count(requests.get(sparql, params={
        "query": TOWNSHIPS, "default-graph-uri": ONTOLOGY}))
    in_plan = count(requests.get(sparql, params={"query": TOWNSHIPS, "default-graph-uri": PLAN}))
    both = count(requests.post(sparql, data={
        "query": TOWNSHIPS, "default-graph-uri": [ONTOLOGY, PLAN]}))
    assert (in_ontology, in_plan, both) == (0, 27, 27)


@on_every_backend
def test_named_graph_uri_limits_graph_patterns(sparql: str) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(requests.get(sparql, params={"query": query, "named-graph-uri": ONTOLOGY})) == 1
    # Only named graphs given: the default graph is then empty.
    assert count(requests.get(sparql, params={"query": COUNT, "named-graph-uri": ONTOLOGY})) == 0


@on_every_backend
def test_from_in_the_query_chooses_its_own_dataset(sparql: str) -> None:
    query = f"SELECT (COUNT(?t) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?t a xsrv:TownshipLevelDivision }}"
    assert count(requests.get(sparql, params={"query": query})) == 0


@on_every_backend
def test_invalid_graph_iri_is_400(sparql: str) -> None:
    response = requests.get(sparql, params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400


# --- service description -----------------------------------------------------------------

@on_every_backend
def test_service_description_in_turtle_by_default(sparql: str) -> None:
    response = requests.get(sparql)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(response.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    rows = {(str(r["p"].value), str(r["o"].value)) for r in graph.query(
        f"SELECT ?p ?o WHERE {{ <{sparql}> a <{sd}Service> ; ?p ?o }}")}
    assert (sd + "endpoint", sparql) in rows
    assert (sd + "supportedLanguage", sd + "SPARQL11Query") in rows
    assert (sd + "supportedLanguage", sd + "SPARQL11Update") not in rows  # read-only
    assert (sd + "feature", sd + "UnionDefaultGraph") in rows
    assert (sd + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_CSV") in rows
    assert ("https://w3id.org/xsrv-kg/ontology#queryTimeLimit", "10") in rows
    names = {r["g"].value for r in graph.query(
        f"SELECT ?g WHERE {{ ?d <{sd}namedGraph>/<{sd}name> ?g }}")}
    assert names == {ONTOLOGY, PLAN, "https://w3id.org/xsrv-kg/graph/shapes",
                     "https://w3id.org/xsrv-kg/graph/reference/division-codes-2020-06-30",
                     "https://w3id.org/xsrv-kg/graph/reference/division-codes",
                     "https://w3id.org/xsrv-kg/graph/links/xiushan-codes",
                     "https://w3id.org/xsrv-kg/graph/documents/chongqing-plan",
                     "https://w3id.org/xsrv-kg/graph/links/xiushan-chongqing",
                     "https://w3id.org/xsrv-kg/graph/inferred"}
    described = {(r["l"].language, r["l"].value) for r in graph.query(
        f"SELECT ?l WHERE {{ ?d <{sd}namedGraph> [ <{sd}name> "
        "<https://w3id.org/xsrv-kg/graph/inferred> ; <http://purl.org/dc/terms/description> ?l ] }")}
    assert {lang for lang, _ in described} == {"zh", "en"}


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_service_description_is_negotiable(sparql: str, accept: str,
                                           rdf_format: ox.RdfFormat) -> None:
    response = requests.get(sparql, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert len(list(ox.parse(response.content, format=rdf_format))) > 30


# --- HTTP behaviour ----------------------------------------------------------------------

def test_head_has_the_headers_and_no_body(sparql: str) -> None:
    response = requests.head(sparql, params={"query": TOWNSHIPS})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert response.content == b""


def test_options_preflight_allows_cross_origin_reads(sparql: str) -> None:
    response = requests.options(sparql, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_query_responses_carry_cors(sparql: str) -> None:
    for response in (requests.get(sparql, params={"query": TOWNSHIPS}),
                     requests.post(sparql, data={"query": TOWNSHIPS})):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


@on_every_backend
def test_large_responses_are_gzipped(sparql: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    response = requests.get(sparql, params={"query": query}, stream=True,
                            headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.raw.read())
    assert len(body) > 100_000
    plain = requests.get(sparql, params={"query": query}, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.content == body


@pytest.mark.parametrize(("accept_encoding", "gzipped"), [
    ("gzip;q=0, *", False),
    ("*;q=1, gzip;q=0", False),
    ("GZIP;q=0.000, *;q=0.5", False),
    ("identity", False),
    ("*", True),
    ("deflate, gzip;q=0.2", True),
])
def test_an_explicit_gzip_q0_wins_over_a_wildcard(sparql: str, accept_encoding: str,
                                                  gzipped: bool) -> None:
    """The most specific coding decides: ``*`` never brings back a gzip refused by name, on a
    query answer (twice: the second comes from the cache) and on a page alike."""
    site = sparql.rsplit("/sparql", 1)[0]
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 500"
    for url, params in ((sparql, {"query": query}), (sparql, {"query": query}),
                        (site + "/ontology.ttl", {})):
        response = requests.get(url, params=params, stream=True,
                                headers={"Accept-Encoding": accept_encoding})
        assert response.status_code == 200
        body = response.raw.read()
        assert len(body) > 1024 or gzipped  # large enough to be worth compressing
        assert response.headers.get("Content-Encoding") == ("gzip" if gzipped else None), url
        assert "Accept-Encoding" in response.headers["Vary"]
        if gzipped:
            assert len(gzip.decompress(body)) > 1024


@on_every_backend
def test_result_cache_answers_a_repeated_query(sparql: str) -> None:
    query = TOWNSHIPS + " # cache test"
    first = requests.get(sparql, params={"query": query})
    second = requests.get(sparql, params={"query": query})
    assert (first.headers["Xsrv-Cache"], second.headers["Xsrv-Cache"]) == ("miss", "hit")
    assert first.content == second.content


def test_security_headers(sparql: str) -> None:
    response = requests.get(sparql, params={"query": TOWNSHIPS})
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- no outbound requests, no updates ----------------------------------------------------

def test_service_to_an_endpoint_not_allowed_is_403_and_never_called(sparql: str,
                                                                    listener) -> None:
    url, contacted = listener
    for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                  f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"):
        response = requests.get(sparql, params={"query": query})
        assert response.status_code == 403, query
        assert "allow-list" in response.text
    assert contacted == []


def test_update_on_a_read_only_endpoint_is_403(sparql: str) -> None:
    for response in (
        requests.post(sparql, data={"update": "CLEAR ALL"}),
        requests.post(sparql, data=b"CLEAR ALL",
                      headers={"Content-Type": "application/sparql-update"}),
    ):
        assert response.status_code == 403
        assert "--allow-update" in response.text
    assert count(requests.get(sparql, params={"query": TOWNSHIPS})) == 27


# --- the time limit on the other backends (memory: test_limits.py) ------------------------

# Four-way cross join of every triple: runs for hours unless stopped.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(params=["oxigraph", "sparql"])
def limited(request, tmp_path):
    """``xsrv-kg serve --time-limit 1`` on the on-disk and the ``sparql:`` backend, each with
    a store of its own that goes when the test ends: a ``sparql:`` worker stopped at the
    limit does not stop the Oxigraph server, which computes on until it is stopped."""
    options = ("--time-limit", "1", "--workers", "2", "--cache-mb", "0")
    if request.param == "oxigraph":
        spec = f"oxigraph:{tmp_path / 'db'}"
        xsrv_load("--store", spec)
        with serve(*options, "--store", spec) as server:
            yield server
        return
    from .backends import oxigraph_server

    with oxigraph_server() as store_server:
        xsrv_load(*store_server.store_args())
        with serve(*options, *store_server.store_args()) as server:
            yield server


def test_time_limit_on_every_backend(limited) -> None:
    began = time.monotonic()
    response = requests.get(limited.sparql, params={"query": RUNAWAY},
                            headers={"Accept": "application/sparql-results+json"})
    took = time.monotonic() - began
    assert response.status_code == 503, response.text
    assert response.json()["error"]["type"] == "query-timeout"
    assert 1 <= took < 3
    # The worker was replaced; the endpoint answers again, from the store.
    assert count(requests.get(limited.sparql, params={"query": TOWNSHIPS})) == 27
