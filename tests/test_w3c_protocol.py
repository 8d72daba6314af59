"""The W3C SPARQL 1.1 Protocol and Service Description tests, over HTTP against ``xsrv-kg serve``.

The manifests are vendored in ``tests/w3c/`` (see its README), and so is the runner: how each
protocol test is encoded as HTTP requests, and what was adapted, is told in
``tests/w3c/protocol_tests.py``. Every test a manifest lists is a parameter here, keyed by
the test's local name; a test added to a manifest without an encoding fails loudly
(``no encoding``), and so does an encoding for a test the manifest lacks. All 34 protocol
tests and the 3 service-description tests pass; none is marked ``xfail`` or skipped.
"""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from .conftest import rows
from .w3c.client import (
    OFFERED_RDF,
    TABULAR_TYPES,
    check_response,
    describe,
    media_type,
    parse_boolean,
    parse_rdf,
    parse_table,
    send,
)
from .w3c.manifest import (
    MF,
    PROTOCOL_ENTRIES,
    PROTOCOL_GRAPH,
    SD_ENTRIES,
    UT,
    manifest_requests,
)
from .w3c.protocol_tests import PROTOCOL_TESTS, encoded
from .w3c.service_description import SD, SD_TESTS, service_description
from .w3c.stand_ins import (
    DATASET_LIMITS,
    G_DIVISIONS,
    G_ONTOLOGY,
    G_SHAPES,
    OUR_GRAPHS,
    R_CHONGQING,
    R_ONTOLOGY,
    R_SHAPES,
    STAND_INS,
    with_stand_ins,
)
from .w3c.steps import (
    UPDATE,
    WRITE,
    bad,
    body_bytes,
    get,
    one_triple_with_object_one,
    post,
    value_is_one,
)

pytestmark = pytest.mark.slow

# ==============================================================================================
# The protocol tests
# ==============================================================================================

def test_manifest_has_the_34_protocol_tests():
    assert len(PROTOCOL_ENTRIES) == 34
    assert set(PROTOCOL_GRAPH.subjects(RDF.type, MF.ProtocolTest)) == set(
        PROTOCOL_ENTRIES.values())


def test_every_encoding_names_a_manifest_test():
    assert sorted(set(PROTOCOL_TESTS) - set(PROTOCOL_ENTRIES)) == []


@pytest.mark.parametrize("name", list(PROTOCOL_ENTRIES))
def test_encoding_matches_manifest(name):
    """Our table says what the manifest's ``ht:Request``s say (modulo the noted adaptations)."""
    case = encoded(name)
    upstream = manifest_requests(name)
    assert len(case.steps) == len(upstream), "number of requests"
    writes = any(step.auth for step in case.steps)
    assert (case.server == WRITE) == writes, "updates go to the update server, with the token"
    for number, (ours, theirs) in enumerate(zip(case.steps, upstream, strict=True), 1):
        where = f"{name} request {number}"
        assert theirs.path == "/sparql/", f"{where}: path {theirs.path}"
        assert ours.method == theirs.method, where
        assert set(theirs.headers) <= {"content-type"}, f"{where}: headers {theirs.headers}"
        assert ours.content_type == theirs.headers.get("content-type"), where
        assert ours.status == theirs.status, f"{where}: status classes"
        if theirs.format is not None:
            assert ours.format == theirs.format, f"{where}: expected format"
        if theirs.boolean is not None:
            assert ours.boolean is theirs.boolean, f"{where}: expected boolean"
        if ours.verbatim_params:
            assert list(ours.params) == with_stand_ins(theirs.params), f"{where}: parameters"
        if ours.verbatim_body:
            assert body_bytes(ours.body) == theirs.body, f"{where}: body"
    for data in PROTOCOL_GRAPH.objects(PROTOCOL_ENTRIES[name], UT.graphData):
        label = str(PROTOCOL_GRAPH.value(data, rdflib.RDFS.label))
        assert label in STAND_INS, f"{name}: no stand-in for the test graph {label}"


@pytest.mark.parametrize("name", list(PROTOCOL_ENTRIES))
def test_w3c_protocol(name, request):
    case = encoded(name)
    server = request.getfixturevalue(case.server)
    for update in case.setup:
        done = requests.post(server.sparql, data=update.encode(), headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {server.token}"})
        assert done.status_code in (200, 204), (update, done.status_code, done.text)
    for number, step in enumerate(case.steps, 1):
        response = send(server, step)
        where = f"{name} request {number}/{len(case.steps)}: {describe(step, response)}"
        check_response(where, step, response, server.sparql)


# --- the stand-ins, and what the protocol's dataset must exclude ---------------------------

@pytest.mark.parametrize(("resource", "graph"), [
    (R_ONTOLOGY, G_ONTOLOGY), (R_SHAPES, G_SHAPES), (R_CHONGQING, G_DIVISIONS)])
def test_stand_ins_hold_what_the_tests_assume(store, resource, graph):
    """Each stand-in resource is typed in its graph and in no other."""
    found = rows(store, f"SELECT DISTINCT ?g ?type WHERE {{ GRAPH ?g {{ <{resource}> a ?type }} }}")
    assert {r["g"] for r in found} == {graph}
    if resource != R_CHONGQING:
        assert {r["type"] for r in found} == {str(OWL.Ontology)}  # one ?type joins them
    assert set(OUR_GRAPHS) <= {r["g"] for r in rows(
        store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


@pytest.mark.parametrize("name", list(DATASET_LIMITS))
def test_dataset_params_restrict_the_dataset(live_server, name):
    """What the positive W3C dataset tests cannot show: the graphs not named are not seen."""
    params, query = DATASET_LIMITS[name]
    step = get(("query", query), *params, format="boolean", boolean=False)
    response = send(live_server, step)
    check_response(f"{name}: {describe(step, response)}", step, response, live_server.sparql)


# ==============================================================================================
# The service description tests
# ==============================================================================================

def test_sd_manifest_has_three_tests():
    assert sorted(SD_ENTRIES) == ["conforms-to-schema", "has-endpoint-triple", "returns-rdf"]
    assert sorted(set(SD_TESTS) - set(SD_ENTRIES)) == []


@pytest.mark.parametrize("name", list(SD_ENTRIES))
def test_w3c_service_description(name, live_server):
    if name not in SD_TESTS:
        pytest.fail(f"the service-description manifest's test {name!r} has no encoding in "
                    "SD_TESTS: add one")
    SD_TESTS[name](live_server)


def test_update_server_describes_sparql11_update(update_server):
    _, graph = service_description(update_server)
    assert (URIRef(update_server.sparql), SD.supportedLanguage, SD.SPARQL11Update) in graph


# ==============================================================================================
# Around the manifests: authorization and content negotiation (our server's contract)
# ==============================================================================================

def test_update_is_forbidden_on_the_read_only_server(live_server):
    step = bad(post("CLEAR ALL", UPDATE, auth=False), 403)
    response = send(live_server, step)
    check_response(describe(step, response), step, response, live_server.sparql)


@pytest.mark.parametrize("authorization", [None, "Bearer not-the-token", "Basic dXNlcjpwYXNz"])
def test_update_needs_the_token(update_server, authorization):
    headers = {"Content-Type": UPDATE, "Authorization": authorization}
    response = requests.post(update_server.sparql, data=b"CLEAR ALL", headers=headers,
                             timeout=60)
    assert response.status_code == 401, (authorization, response.status_code, response.text)


NEGOTIATED = [
    ("ASK {}", "application/sparql-results+json"),
    ("ASK {}", "application/sparql-results+xml"),
    *[("SELECT (1 AS ?value) {}", t) for t in sorted(TABULAR_TYPES)],
    *[("CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}", t)
      for t in OFFERED_RDF],
]


@pytest.mark.parametrize(("query", "accept"), NEGOTIATED)
def test_result_format_follows_accept(live_server, query, accept):
    response = requests.get(live_server.sparql, params={"query": query},
                            headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200, response.text
    assert media_type(response) == accept
    if query.startswith("ASK"):
        assert parse_boolean(response) is True
    elif query.startswith("SELECT"):
        value_is_one(parse_table(response))
    else:
        one_triple_with_object_one(parse_rdf(response, live_server.sparql))


def test_accept_q_values_pick_the_preferred_format(live_server):
    accept = "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9"
    response = requests.get(live_server.sparql, params={"query": "ASK {}"},
                            headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200
    assert media_type(response) == "application/sparql-results+xml"


def test_nothing_acceptable_is_406(live_server):
    response = requests.get(live_server.sparql, params={"query": "ASK {}"},
                            headers={"Accept": "image/png"}, timeout=60)
    assert response.status_code == 406, (response.status_code, response.text)
