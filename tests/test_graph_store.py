"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol on a live ``xsrv-kg serve``.

Reads are open (and CORS-enabled) like every read; writes need ``--allow-update`` and the
bearer token, exactly as SPARQL Update does. A body is parsed completely before the store is
touched: one that does not parse is refused whole, and the store is byte for byte as it was
(checked by dumping the whole dataset before and after).
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import requests

from .live import serve

pytestmark = pytest.mark.slow

TOKEN = "graph-store-token-1234"
EX = "http://example.org/gsp/"
PLAN = "https://w3id.org/xsrv-kg/graph/documents/xiushan-plan"
ONTOLOGY = "https://w3id.org/xsrv-kg/graph/ontology"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_BODY = 100_000
MAX_QUERY_LENGTH = 2_000

TWO_TRIPLES = (f"@prefix ex: <{EX}> .\n"
               'ex:a ex:p "一"@zh ;\n'
               "     ex:q ex:b .\n")
# Valid for two lines, broken on the third: nothing of it may be applied.
BROKEN_TURTLE = (f"@prefix ex: <{EX}> .\n"
                 'ex:a ex:p "一"@zh .\n'
                 "ex:c ex:p ex:d ex:e .\n")


@pytest.fixture(scope="module")
def server():
    with serve("--allow-update", "--max-body", str(MAX_BODY), token=TOKEN,
               env={"XSRV_MAX_QUERY_LENGTH": str(MAX_QUERY_LENGTH)}) as live:
        yield live


@pytest.fixture
def store_url(server) -> str:
    return server.url + "/store"


def quads(response: requests.Response, fmt: ox.RdfFormat) -> set[ox.Quad]:
    assert response.status_code == 200, response.text
    return set(ox.parse(response.content, format=fmt))


def dataset(store_url: str) -> bytes:
    """The whole dataset as N-Quads: compared byte for byte before and after a refusal."""
    response = requests.get(store_url, headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    return response.content


def graph_triples(store_url: str, graph: str) -> set[tuple[str, str, str]]:
    response = requests.get(store_url, params={"graph": graph},
                            headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


def put(store_url: str, graph: str | None, body: str | bytes, content_type: str = "text/turtle",
        method: str = "PUT", headers: dict[str, str] | None = None) -> requests.Response:
    params = {"graph": graph} if graph else {"default": ""}
    data = body.encode() if isinstance(body, str) else body
    return requests.request(method, store_url, params=params, data=data,
                            headers={**AUTH, "Content-Type": content_type, **(headers or {})})


def sparql_count(server, where: str) -> int:
    response = requests.get(server.sparql, params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_get_a_named_graph_in_each_format(server, store_url: str, accept: str,
                                          fmt: ox.RdfFormat) -> None:
    response = requests.get(store_url, params={"graph": PLAN}, headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert "Accept" in response.headers["Vary"]
    found = quads(response, fmt)
    assert len(found) == sparql_count(server, f"GRAPH <{PLAN}> {{ ?s ?p ?o }}") > 1000


def test_get_without_accept_is_turtle_and_head_has_no_body(store_url: str) -> None:
    response = requests.get(store_url, params={"graph": ONTOLOGY})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    head = requests.head(store_url, params={"graph": ONTOLOGY})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == "text/turtle; charset=utf-8"


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    (None, ox.RdfFormat.TRIG),
])
def test_get_the_whole_dataset(server, store_url: str, accept: str | None,
                               fmt: ox.RdfFormat) -> None:
    response = requests.get(store_url, headers={"Accept": accept} if accept else {})
    assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
    found = quads(response, fmt)
    assert {q.graph_name.value for q in found} >= {PLAN, ONTOLOGY}
    default = requests.get(store_url + "?default", headers={"Accept": "application/n-triples"})
    in_default = len(list(ox.parse(default.content, format=ox.RdfFormat.N_TRIPLES)))
    assert len(found) == sparql_count(server, "GRAPH ?g { ?s ?p ?o }") + in_default


def test_get_errors(store_url: str) -> None:
    missing = requests.get(store_url, params={"graph": EX + "nowhere"},
                           headers={"Accept": "application/json, text/turtle;q=0.5"})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == f"graph <{EX}nowhere> does not exist"
    assert requests.get(store_url, params={"graph": "not/absolute"}).status_code == 400
    assert requests.get(store_url + f"?graph={EX}g&default").status_code == 400
    assert requests.get(store_url + f"?graph={EX}a&graph={EX}b").status_code == 400
    assert requests.get(store_url, params={"graph": PLAN},
                        headers={"Accept": "image/png"}).status_code == 406
    # A graph is not served in a dataset format, nor the dataset in a graph format.
    assert requests.get(store_url, headers={"Accept": "text/turtle"}).status_code == 406
    assert requests.request("PATCH", store_url, params={"graph": PLAN}).status_code == 405


# --- writes: authorization -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_need_the_token(store_url: str, method: str) -> None:
    before = dataset(store_url)
    for headers in ({}, {"Authorization": "Bearer wrong-token-00000"},
                    {"Authorization": f"Basic {TOKEN}"}):
        response = requests.request(method, store_url, params={"graph": PLAN},
                                    data=TWO_TRIPLES.encode(),
                                    headers={"Content-Type": "text/turtle", **headers})
        assert response.status_code == 401, (method, headers)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Access-Control-Allow-Origin" not in response.headers
    assert dataset(store_url) == before


def test_writes_on_a_read_only_server_are_403(live_server) -> None:
    for method in ("PUT", "POST", "DELETE"):
        response = requests.request(method, live_server.url + "/store",
                                    params={"graph": EX + "g"}, data=TWO_TRIPLES.encode(),
                                    headers={**AUTH, "Content-Type": "text/turtle"})
        assert response.status_code == 403
        assert "--allow-update" in response.text


def test_the_token_is_checked_before_the_body(store_url: str) -> None:
    # No token and a broken body: 401, not a parse error that would tell about the body.
    response = requests.put(store_url, params={"graph": EX + "g"}, data=b"@@@",
                            headers={"Content-Type": "text/turtle"})
    assert response.status_code == 401


# --- writes: PUT, POST, DELETE -----------------------------------------------------------------


def test_put_post_delete_lifecycle(server, store_url: str) -> None:
    graph = EX + "lifecycle"
    created = put(store_url, graph, TWO_TRIPLES)
    assert created.status_code == 201, created.text
    assert "Access-Control-Allow-Origin" not in created.headers
    assert graph_triples(store_url, graph) == {
        (f"<{EX}a>", f"<{EX}p>", '"一"@zh'), (f"<{EX}a>", f"<{EX}q>", f"<{EX}b>")}
    # PUT again replaces: the old triples are gone.
    replaced = put(store_url, graph, f"<{EX}x> <{EX}y> <{EX}z> .", "application/n-triples")
    assert replaced.status_code == 204
    assert graph_triples(store_url, graph) == {(f"<{EX}x>", f"<{EX}y>", f"<{EX}z>")}
    # POST adds.
    added = put(store_url, graph, TWO_TRIPLES, method="POST")
    assert added.status_code == 204
    assert len(graph_triples(store_url, graph)) == 3
    assert sparql_count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 3
    # DELETE drops; twice is 404.
    dropped = requests.delete(store_url, params={"graph": graph}, headers=AUTH)
    assert dropped.status_code == 204
    assert "Access-Control-Allow-Origin" not in dropped.headers
    assert requests.get(store_url, params={"graph": graph}).status_code == 404
    again = requests.delete(store_url, params={"graph": graph}, headers=AUTH)
    assert again.status_code == 404
    assert sparql_count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 0


def test_post_to_a_new_graph_creates_it(store_url: str) -> None:
    graph = EX + "posted"
    assert put(store_url, graph, TWO_TRIPLES, method="POST").status_code == 201
    assert len(graph_triples(store_url, graph)) == 2
    assert requests.delete(store_url, params={"graph": graph}, headers=AUTH).status_code == 204


THE_TRIPLES = {(f"<{EX}a>", f"<{EX}p>", '"一"@zh'), (f"<{EX}a>", f"<{EX}q>", f"<{EX}b>")}


@pytest.mark.parametrize(("content_type", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
])
def test_put_takes_each_input_format(store_url: str, content_type: str,
                                     fmt: ox.RdfFormat) -> None:
    graph = EX + "formats"
    triples = list(ox.parse(TWO_TRIPLES.encode(), format=ox.RdfFormat.TURTLE))
    body = ox.serialize(triples if not fmt.supports_datasets or fmt == ox.RdfFormat.JSON_LD
                        else [ox.Quad(t.subject, t.predicate, t.object) for t in triples],
                        format=fmt)
    response = put(store_url, graph, body, f"{content_type}; charset=utf-8")
    assert response.status_code in (201, 204), response.text
    assert graph_triples(store_url, graph) == THE_TRIPLES
    assert requests.delete(store_url, params={"graph": graph}, headers=AUTH).status_code == 204


def test_blank_nodes_in_bodies_are_fresh(store_url: str) -> None:
    graph = EX + "blank"
    body = f'_:b0 <{EX}p> "x" .'
    put(store_url, graph, body, "application/n-triples")
    put(store_url, graph, body, "application/n-triples", method="POST")
    # Two posts of _:b0 are two blank nodes, not one.
    assert len(graph_triples(store_url, graph)) == 2
    requests.delete(store_url, params={"graph": graph}, headers=AUTH)


def test_the_default_graph(server, store_url: str) -> None:
    before = requests.get(store_url, params={"default": ""},
                          headers={"Accept": "application/n-triples"})
    assert before.status_code == 200 and before.content.strip() == b""
    assert put(store_url, None, TWO_TRIPLES).status_code == 204
    got = requests.get(store_url + "?default", headers={"Accept": "application/n-triples"})
    assert {str(t.object) for t in ox.parse(got.content, format=ox.RdfFormat.N_TRIPLES)} \
        == {'"一"@zh', f"<{EX}b>"}
    # The named graphs are untouched by a default-graph write.
    assert EX not in requests.get(store_url, params={"graph": PLAN}).text
    assert put(store_url, None, f"<{EX}x> <{EX}y> <{EX}z> .", method="POST").status_code == 204
    assert requests.delete(store_url + "?default", headers=AUTH).status_code == 204
    empty = requests.get(store_url + "?default", headers={"Accept": "application/n-triples"})
    assert empty.content.strip() == b""


def test_post_a_dataset_keeps_its_graphs(server, store_url: str) -> None:
    trig = (f"@prefix ex: <{EX}> .\n"
            "ex:one { ex:a ex:p 1 }\n"
            "ex:two { ex:a ex:p 2 . ex:a ex:p 3 }\n")
    response = requests.post(store_url, data=trig.encode(),
                             headers={**AUTH, "Content-Type": "application/trig"})
    assert response.status_code == 204, response.text
    assert len(graph_triples(store_url, EX + "one")) == 1
    assert len(graph_triples(store_url, EX + "two")) == 2
    for name in ("one", "two"):
        requests.delete(store_url, params={"graph": EX + name}, headers=AUTH)


def test_whole_dataset_put_and_delete_and_graph_formats_without_a_graph_are_refused(
        store_url: str) -> None:
    before = dataset(store_url)
    put_all = requests.put(store_url, data=b"", headers={**AUTH, "Content-Type": "text/turtle"})
    assert put_all.status_code == 400 and "?graph=IRI" in put_all.text
    delete_all = requests.delete(store_url, headers=AUTH)
    assert delete_all.status_code == 400
    # A triple format to the dataset: it would need a graph name we do not mint.
    post_turtle = requests.post(store_url, data=TWO_TRIPLES.encode(),
                                headers={**AUTH, "Content-Type": "text/turtle"})
    assert post_turtle.status_code == 415 and "application/trig" in post_turtle.text
    assert dataset(store_url) == before


def test_a_body_naming_graphs_is_refused_for_a_single_graph(store_url: str) -> None:
    before = dataset(store_url)
    response = put(store_url, EX + "g", f"<{EX}a> <{EX}p> <{EX}b> <{EX}other> .",
                   "application/n-quads")
    assert response.status_code == 400
    assert f"{EX}other" in response.json()["error"]["message"]
    assert dataset(store_url) == before


# --- a body that does not parse changes nothing ----------------------------------------------


@pytest.mark.parametrize(("content_type", "body", "line"), [
    ("text/turtle", BROKEN_TURTLE, 3),
    ("application/n-triples", f'<{EX}a> <{EX}p> "ok" .\n<{EX}a> <{EX}p> "unterminated .\n', 2),
    ("application/ld+json", '{"@id": "http://example.org/gsp/a",\n "http://example.org/p": [\n',
     3),
    ("application/trig", f"<{EX}a> <{EX}p> <{EX}b> .\n{{ <{EX}a> <{EX}p> }}\n", 2),
    ("application/n-quads", f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> .\n", 2),
])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_malformed_body_is_400_with_its_line_and_changes_nothing(
        store_url: str, content_type: str, body: str, line: int, method: str) -> None:
    # Into an existing graph (PUT would replace it) and a new one.
    for graph in (PLAN, EX + "new"):
        before = dataset(store_url)
        response = put(store_url, graph, body, content_type, method=method,
                       headers={"Accept": "application/json"})
        assert response.status_code == 400, response.text
        message = response.json()["error"]["message"]
        assert f"the {content_type} body does not parse: line {line}, column " in message
        assert "Traceback" not in message
        assert dataset(store_url) == before


def test_malformed_rdf_xml_is_400_and_changes_nothing(store_url: str) -> None:
    before = dataset(store_url)
    response = put(store_url, PLAN, '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                   'syntax-ns#"><rdf:Description', "application/rdf+xml")
    assert response.status_code == 400
    assert "application/rdf+xml body does not parse" in response.text
    assert dataset(store_url) == before


def test_body_problems_are_415_and_413(store_url: str) -> None:
    before = dataset(store_url)
    for content_type in ("text/csv", "", "text/turtle; charset=latin-1"):
        response = put(store_url, EX + "g", TWO_TRIPLES, content_type)
        assert response.status_code == 415, content_type
    huge = put(store_url, EX + "g", "#" + "x" * MAX_BODY + "\n" + TWO_TRIPLES,
               headers={"Accept": "application/json"})
    assert huge.status_code == 413
    assert f"{MAX_BODY} bytes" in huge.json()["error"]["message"]
    not_utf8 = put(store_url, EX + "g", f'<{EX}a> <{EX}p> "'.encode() + b'\xff".',
                   "application/n-triples")
    assert not_utf8.status_code == 400
    assert dataset(store_url) == before


def test_a_body_is_not_held_to_the_query_length_cap(store_url: str) -> None:
    graph = EX + "long"
    body = "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(500))
    assert MAX_QUERY_LENGTH * 10 < len(body) < MAX_BODY
    assert put(store_url, graph, body, "application/n-triples").status_code == 201
    assert len(graph_triples(store_url, graph)) == 500
    requests.delete(store_url, params={"graph": graph}, headers=AUTH)


# --- writes and the rest of the server ----------------------------------------------------------


def test_a_write_empties_the_cache_and_queries_see_it(server, store_url: str) -> None:
    graph = EX + "cached"
    ask = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    first = requests.get(server.sparql, params={"query": ask})
    hit = requests.get(server.sparql, params={"query": ask})
    assert hit.headers["Xsrv-Cache"] == "hit" and hit.json()["boolean"] is False
    assert first.json()["boolean"] is False
    assert put(store_url, graph, TWO_TRIPLES).status_code == 201
    after = requests.get(server.sparql, params={"query": ask})
    assert after.headers["Xsrv-Cache"] == "miss" and after.json()["boolean"] is True
    requests.delete(store_url, params={"graph": graph}, headers=AUTH)
    assert requests.get(server.sparql, params={"query": ask}).json()["boolean"] is False


def test_the_service_description_names_the_graph_store(server) -> None:
    text = requests.get(server.sparql, headers={"Accept": "text/turtle"}).text
    assert f"xsrv:graphStore <{server.url}/store>" in text
    assert "formats:TriG" in text and "formats:N-Quads" in text


def test_json_ld_with_an_inline_context_is_fine(store_url: str) -> None:
    graph = EX + "jsonld"
    doc = {"@context": {"ex": EX, "p": {"@id": EX + "p", "@language": "zh"}},
           "@id": "ex:a", "p": "一"}
    response = put(store_url, graph, json.dumps(doc, ensure_ascii=False),
                   "application/ld+json")
    assert response.status_code == 201, response.text
    assert graph_triples(store_url, graph) == {(f"<{EX}a>", f"<{EX}p>", '"一"@zh')}
    requests.delete(store_url, params={"graph": graph}, headers=AUTH)


INFERRED = "https://w3id.org/xsrv-kg/graph/inferred"


def test_the_inferred_graph_is_not_written_through_the_graph_store(store_url: str) -> None:
    before = dataset(store_url)
    for method in ("PUT", "POST", "DELETE"):
        response = put(store_url, INFERRED, TWO_TRIPLES, method=method)
        assert response.status_code == 403, (method, response.text)
        assert INFERRED in response.text
    trig = f"<{INFERRED}> {{ <{EX}a> <{EX}p> <{EX}b> }}\n"
    response = requests.post(store_url, data=trig.encode(),
                             headers={**AUTH, "Content-Type": "application/trig"})
    assert response.status_code == 403
    assert dataset(store_url) == before


def test_a_graph_store_put_refreshes_the_inferred_graph(server, store_url: str) -> None:
    note = f"<{EX}note> a <https://w3id.org/xsrv-kg/ontology#Ambiguity> .\n"
    inferred = f"GRAPH <{INFERRED}> {{ <{EX}note> a xsrv:EditorialNote }}"
    assert put(store_url, f"{EX}notes", note).status_code in (201, 204)
    assert sparql_count(server, inferred) == 1
    assert requests.delete(store_url, params={"graph": f"{EX}notes"},
                           headers=AUTH).status_code == 204
    assert sparql_count(server, inferred) == 0
