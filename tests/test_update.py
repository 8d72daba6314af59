"""SPARQL Update over HTTP: off by default, token-guarded when on, atomic, cache-safe."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.slow

EX = "http://example.org/test/"
ASK_ADDED = f"ASK {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> 'added' }} }}"
INSERT = f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> 'added' }} }}"


def ask(server, query: str) -> bool:
    response = requests.get(server.sparql, params={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def post_update(server, text: str, token: str | None = None, **params: str):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(server.sparql, data={"update": text, **params}, headers=headers)


def test_update_without_a_token_is_401(update_server) -> None:
    response = post_update(update_server, INSERT)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not ask(update_server, ASK_ADDED)


def test_update_with_a_wrong_token_is_401(update_server) -> None:
    assert post_update(update_server, INSERT, token="wrong-token-0000").status_code == 401
    assert not ask(update_server, ASK_ADDED)


def test_update_with_the_token_applies_and_invalidates_the_cache(update_server) -> None:
    token = update_server.token
    before = requests.get(update_server.sparql, params={"query": ASK_ADDED})
    again = requests.get(update_server.sparql, params={"query": ASK_ADDED})
    assert again.headers["Xsrv-Cache"] == "hit" and again.json()["boolean"] is False
    response = post_update(update_server, INSERT, token=token)
    assert response.status_code == 204, response.text
    after = requests.get(update_server.sparql, params={"query": ASK_ADDED})
    assert after.headers["Xsrv-Cache"] == "miss" and after.json()["boolean"] is True
    assert before.json()["boolean"] is False
    # Direct POST works too, and CORS headers are not given to updates.
    removed = requests.post(update_server.sparql, data=f"DROP GRAPH <{EX}g>".encode(),
                            headers={"Content-Type": "application/sparql-update",
                                     "Authorization": f"Bearer {token}"})
    assert removed.status_code == 204
    assert "Access-Control-Allow-Origin" not in removed.headers
    assert not ask(update_server, ASK_ADDED)


def test_failed_update_changes_nothing(update_server) -> None:
    token = update_server.token
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    n = requests.get(update_server.sparql, params={"query": count}).json()
    # A syntax error in the second operation: the first must not be applied either.
    response = post_update(update_server, INSERT + " ; INSERT DATA { oops }", token=token)
    assert response.status_code == 400
    assert not ask(update_server, ASK_ADDED)
    assert requests.get(update_server.sparql, params={"query": count}).json() == n


def test_load_is_refused(update_server) -> None:
    response = post_update(update_server, "LOAD <http://127.0.0.1:9/x.ttl>",
                           token=update_server.token)
    assert response.status_code == 403
    assert "LOAD" in response.text


def test_using_graph_uri_sets_the_where_dataset(update_server) -> None:
    token = update_server.token
    plan = "https://w3id.org/xsrv-kg/graph/documents/xiushan-plan"
    update = (f"INSERT {{ GRAPH <{EX}copy> {{ ?t a <{EX}Township> }} }} "
              "WHERE { ?t a xsrv:TownshipLevelDivision }")
    response = post_update(update_server, update, token=token, **{"using-graph-uri": plan})
    assert response.status_code == 204, response.text
    counted = requests.get(update_server.sparql, params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}copy> {{ ?t ?p ?o }} }}"})
    assert counted.json()["results"]["bindings"][0]["n"]["value"] == "27"
    conflict = post_update(update_server, f"WITH <{EX}copy> DELETE {{ ?s ?p ?o }} "
                           "WHERE { ?s ?p ?o }", token=token, **{"using-graph-uri": plan})
    assert conflict.status_code == 400
    assert post_update(update_server, f"DROP GRAPH <{EX}copy>", token=token).status_code == 204


def test_using_graph_uri_that_is_not_an_iri_is_400(update_server) -> None:
    injected = f"{EX}g> }} ; DROP ALL ; INSERT DATA {{ <{EX}x> <{EX}p> <{EX}o"
    response = post_update(update_server, "INSERT { ?s a ?o } WHERE { ?s a ?o }",
                           token=update_server.token, **{"using-graph-uri": injected})
    assert response.status_code == 400
    assert "using-graph-uri=" in response.text and "is not an absolute IRI" in response.text
    assert ask(update_server, "ASK { ?s a xsrv:TownshipLevelDivision }")


def test_service_description_announces_update(update_server) -> None:
    assert "sd:SPARQL11Update" in requests.get(update_server.sparql).text


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_update_is_never_run_by_get(update_server, method: str) -> None:
    response = requests.request(method, update_server.sparql, params={"update": INSERT},
                                headers={"Authorization": f"Bearer {update_server.token}"})
    assert response.status_code == 400
    assert not ask(update_server, ASK_ADDED)
