"""``/shacl`` over HTTP: the store's own report, and reports on posted RDF."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

PREFIXES = """@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix xp: <https://w3id.org/xsrv-kg/id/doc/xiushan-plan/> .
@prefix doc: <https://w3id.org/xsrv-kg/id/doc/> .
@prefix div: <https://w3id.org/xsrv-kg/id/division/> .
@prefix ex: <http://example.org/> .
"""
# A bare assignment: no unit, no category, no document, no span.
BARE = PREFIXES + "ex:a a xsrv:CategoryAssignment .\n"
# 隘口镇 is 先行示范类 (二（一）); a second assignment by the same document to 积极推进类 contradicts it.
SECOND_CATEGORY = PREFIXES + """ex:again a xsrv:CategoryAssignment ;
    xsrv:assignedUnit div:xiushan-aikou ; xsrv:assignedCategory xp:cat-active ;
    xsrv:statedBy doc:xiushan-plan ; xsrv:statedIn xp:s2-1 ;
    xsrv:sourceSpan [ a <http://www.w3.org/ns/oa#TextPositionSelector> ;
        <http://www.w3.org/ns/oa#hasSource> xp:text ;
        <http://www.w3.org/ns/oa#start> 599 ; <http://www.w3.org/ns/oa#end> 602 ;
        <http://www.w3.org/ns/oa#exact> "隘口镇" ] .
"""


@pytest.fixture(scope="module")
def shacl(live_server) -> str:
    return live_server.url + "/shacl"


def test_store_report_conforms_with_the_ten_infos(shacl: str) -> None:
    response = requests.get(shacl, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["Xsrv-Conforms"] == "true"
    report = response.json()
    assert report["conforms"] is True
    # The incomplete enumerations are reported as Info, nothing else: 二（二） of the county
    # plan (13 pilot villages, 10 county villages, 5 township-applied and 250 other villages)
    # the municipal plan's account (8, 12, 18 districts and counties, 38 in all) and the
    # secondary reports (37 涉农区县, 17 municipal key-assistance townships).
    assert [r["severity"] for r in report["results"]] == ["Info"] * 10


@pytest.mark.parametrize(("accept", "check"), [
    ("text/turtle", lambda body: "sh:ValidationReport" in body),
    ("text/html", lambda body: body.lstrip().lower().startswith("<!doctype html")),
    ("text/plain", lambda body: "SHACL" in body),
    ("application/ld+json", lambda body: "http://www.w3.org/ns/shacl#conforms" in body),
])
def test_store_report_formats(shacl: str, accept: str, check) -> None:
    response = requests.get(shacl, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert check(response.text)


def test_report_language(shacl: str) -> None:
    zh = requests.post(shacl, data=BARE.encode(), params={"lang": "zh", "format": "json"},
                       headers={"Content-Type": "text/turtle"}).json()
    en = requests.post(shacl, data=BARE.encode(), headers={
        "Content-Type": "text/turtle", "Accept": "application/json",
        "Accept-Language": "en-GB,en;q=0.9"}).json()
    assert zh["results"] and en["results"]
    assert any("\u4e00" <= c <= "\u9fff" for c in zh["results"][0]["message"])
    assert en["results"][0]["message"].isascii()


@pytest.mark.parametrize(("content_type", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_posted_payload_is_validated_in_each_input_format(shacl: str, content_type: str,
                                                          fmt: ox.RdfFormat) -> None:
    payload = ox.serialize(list(ox.parse(BARE.encode(), format=ox.RdfFormat.TURTLE)), format=fmt)
    response = requests.post(shacl, data=payload, headers={
        "Content-Type": content_type, "Accept": "application/json"})
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False and response.headers["Xsrv-Conforms"] == "false"
    paths = {r["path"] for r in report["results"] if r["severity"] == "Violation"}
    assert {"xsrv:assignedUnit", "xsrv:assignedCategory", "xsrv:statedBy"} <= paths


def test_merge_checks_a_proposed_addition_against_the_store(shacl: str) -> None:
    alone = requests.post(shacl, data=SECOND_CATEGORY.encode(), params={"format": "json"},
                          headers={"Content-Type": "text/turtle"}).json()
    merged = requests.post(shacl, data=SECOND_CATEGORY.encode(),
                           params={"format": "json", "merge": "true"},
                           headers={"Content-Type": "text/turtle"}).json()
    assert merged["conforms"] is False
    focus = {r["focus"] for r in merged["results"] if r["severity"] == "Violation"}
    assert "div:xiushan-aikou" in focus  # in exactly one category per document
    assert not any(r["focus"] == "div:xiushan-aikou" for r in alone["results"])


def test_payload_that_does_not_parse_is_400_with_its_line(shacl: str) -> None:
    response = requests.post(shacl, data=(PREFIXES + "ex:a ex:b .\n").encode(),
                             headers={"Content-Type": "text/turtle", "Accept": "application/json"})
    assert response.status_code == 400
    assert "line 6" in response.json()["error"]["message"]  # five prefix lines, then this


def test_payload_in_an_unknown_format_is_415(shacl: str) -> None:
    response = requests.post(shacl, data=b"a,b\n", headers={"Content-Type": "text/csv"})
    assert response.status_code == 415
    assert "text/turtle" in response.text


def test_unknown_report_format_is_400_and_unacceptable_is_406(shacl: str) -> None:
    assert requests.get(shacl, params={"format": "yaml"}).status_code == 400
    assert requests.get(shacl, headers={"Accept": "image/png"}).status_code == 406


# --- shapes the store engine cannot run --------------------------------------------------------

UNSUPPORTED_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:T ;
  sh:or ( [ sh:path rdfs:label ; sh:minCount 1 ] [ sh:path rdfs:comment ; sh:minCount 1 ] ) .
"""


def _client_over(shapes: str, engine: str):
    """A test client over a memory store holding these shapes and one focus node."""
    from dataclasses import replace

    from xsrv_kg.config import Config
    from xsrv_kg.query.endpoint import Endpoint
    from xsrv_kg.server.app import create_app
    from xsrv_kg.store import open_store

    config = replace(Config(), validation_engine=engine)
    store = open_store("memory")
    for ttl, graph in ((shapes, "shapes"), ('<http://example.org/a> a <http://example.org/T> ; '
                                            '<http://www.w3.org/2000/01/rdf-schema#label> "a" .',
                                            "documents/toy")):
        name = ox.NamedNode(config.graph_iri(graph))
        store.add(ox.Quad(t.subject, t.predicate, t.object, name)
                  for t in ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))
    return create_app(endpoint=Endpoint(config, store, workers=False)).test_client()


def test_shapes_the_store_engine_cannot_run_are_501() -> None:
    """An unsupported SHACL feature is the server's limit, not the client's fault: 501 Not
    Implemented, typed unsupported-shapes and naming the feature, on /shacl (GET and POST)
    and /validation; the pySHACL engine serves the same shapes."""
    client = _client_over(UNSUPPORTED_SHAPES, "store")
    json_ = {"Accept": "application/json"}
    for response in (client.get("/shacl", headers=json_), client.get("/validation.json"),
                     client.post("/shacl", data=BARE.encode(), headers={
                         **json_, "Content-Type": "text/turtle"})):
        assert response.status_code == 501, response.request.path
        error = response.get_json()["error"]
        assert error["type"] == "unsupported-shapes"
        assert "the store engine does not support sh:or" in error["message"]
    assert client.get("/validation", headers={"Accept": "text/html"}).status_code == 501
    reference = _client_over(UNSUPPORTED_SHAPES, "pyshacl")
    response = reference.get("/shacl", headers=json_)
    assert response.status_code == 200 and response.get_json()["conforms"] is True


def test_the_validation_page_lists_a_bounded_number_of_results_per_shape(monkeypatch) -> None:
    """Past SHOWN_PER_SHAPE results of one shape, the page says how many more the JSON has."""
    from xsrv_kg.server.app import create_app
    from xsrv_kg.server.blueprints import validation_page

    monkeypatch.setattr(validation_page, "SHOWN_PER_SHAPE", 1)
    client = create_app(workers=False).test_client()
    model = client.get("/validation.json?lang=en").get_json()
    biggest = max((s for g in model["groups"] for s in g["shapes"]),
                  key=lambda s: len(s["results"]))
    assert len(biggest["results"]) > 1
    html = client.get("/validation?lang=en").get_data(as_text=True)
    assert html.count('class="result"') == sum(1 for g in model["groups"] for _ in g["shapes"])
    assert f"{len(biggest['results']) - 1} more of this shape" in html
