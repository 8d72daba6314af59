"""Linked-data pages: every minted IRI dereferences, as HTML or RDF, at the same path.

Expectations come from data/documents/xiushan-plan/*.ttl and source.txt: 涌洞乡 is the only
市级重点乡 (classification.ttl, xp:assign-yongdong), so it alone receives the municipal
key-township rule (funding.ttl: 1000万元 a year from 市财政 for the 5-year transition period).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from xsrv_kg.pages import describe as ld
from xsrv_kg.server.app import create_app

BASE = "https://w3id.org/xsrv-kg/"
XSRV = Namespace(BASE + "ontology#")
XP = Namespace(BASE + "id/doc/xiushan-plan/")
DIV = Namespace(BASE + "id/division/")
SCHEMA = Namespace("https://schema.org/")
YONGDONG = "/id/division/xiushan-yongdong"
RULE = "/id/doc/xiushan-plan/rule-municipal-key-township"
RULE_SENTENCE = "在5年过渡期内，对市级乡村振兴重点帮扶乡镇，市财政每年补助1000万元"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

# rdflib's JSON-LD parser warns about its own internals.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def text_of(html: str) -> str:
    """The page's visible text, tags dropped, entities decoded, blanks squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def links(html: str) -> set[str]:
    return {unescape(h) for h in re.findall(r'href="([^"]+)"', html)}


def parse(body: bytes, fmt: str) -> Graph:
    return Graph().parse(data=body.decode("utf-8"), format=fmt)


# --- the township page -----------------------------------------------------------------------

def test_township_page_shows_labels_type_category_and_links(client):
    r = client.get(YONGDONG, headers=HTML)
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    text = text_of(html)
    assert "涌洞乡" in text and "Yongdong Township" in text
    assert "乡级行政区" in text            # xsrv:TownshipLevelDivision's zh label
    assert "重点帮扶类" in text            # its category, via the inbound assignment
    assert "市级" in text                  # the assignment's tier
    assert "500241211" in text             # divisionCode, from the reference graph
    hrefs = links(html)
    assert "/id/doc/xiushan-plan/cat-key-assistance" in hrefs
    assert "/ontology#TownshipLevelDivision" in hrefs
    assert "/id/division/xiushan" in hrefs  # schema:containedInPlace
    assert "/id/doc/xiushan-plan/assign-yongdong" in hrefs  # inbound link
    # The assignment's sentence, with the span marked.
    assert "<mark>市级重点乡：涌洞乡</mark>" in html


def test_township_page_answers_how_much_from_whom_and_where_it_says_so(client):
    html = client.get(YONGDONG, headers=HTML).get_data(as_text=True)
    funding = html[html.index('id="funding"'):html.index('id="properties"')]
    assert RULE in links(funding)
    text = text_of(funding)
    assert "1000万元" in text
    assert "10,000,000 元" in text       # per year: the rule has one recipient
    assert "50,000,000 元" in text       # over the 5-year transition period
    assert "市财政" in text and "/id/body/chongqing-finance" in links(funding)
    assert f"<mark>{RULE_SENTENCE}</mark>" in funding
    # The county key-township rule (县级重点乡镇) does not apply to the municipal tier.
    assert "/id/doc/xiushan-plan/rule-county-key-townships" not in links(funding)


def test_language_switch_and_fallback(client):
    html = client.get(YONGDONG + "?lang=en").get_data(as_text=True)
    assert "<h1 class=\"resource-title\">Yongdong Township</h1>" in html
    assert "township-level division" in text_of(html)
    # Links keep the reader's explicit language.
    assert "/id/doc/xiushan-plan/cat-key-assistance?lang=en" in links(html)
    zh = client.get(YONGDONG, headers={**HTML, "Accept-Language": "en;q=0.2, zh"})
    assert "<h1 class=\"resource-title\">涌洞乡</h1>" in zh.get_data(as_text=True)


def test_link_header_and_page_link_announce_the_twins(client):
    r = client.get(YONGDONG, headers=HTML)
    link = r.headers["Link"]
    assert f'<{YONGDONG}.ttl>; rel="alternate"; type="text/turtle"' in link
    assert f'<{YONGDONG}.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert f'<{YONGDONG}.json>; rel="alternate"; type="application/json"' in link
    assert "Accept" in r.headers["Vary"]
    hrefs = links(r.get_data(as_text=True))
    assert {f"{YONGDONG}.ttl", f"{YONGDONG}.jsonld", f"{YONGDONG}.nt", f"{YONGDONG}.rdf",
            f"{YONGDONG}.json"} <= hrefs


# --- RDF twins ----------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
])
def test_accept_gives_the_description_as_rdf(client, accept, fmt):
    r = client.get(YONGDONG, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == accept
    assert "Accept" in r.headers["Vary"]
    g = parse(r.data, fmt)
    township = DIV["xiushan-yongdong"]
    assert (township, RDF.type, XSRV.TownshipLevelDivision) in g
    assert (township, RDFS.label, Literal("涌洞乡", lang="zh")) in g
    assert (township, RDFS.label, Literal("Yongdong Township", lang="en")) in g
    assert (township, SCHEMA.containedInPlace, DIV.xiushan) in g
    assert (township, XSRV.divisionCode, Literal("500241211")) in g
    # Inbound: the assignment that classifies it.
    assert (XP["assign-yongdong"], XSRV.assignedUnit, township) in g


@pytest.mark.parametrize("suffix, fmt, media", [
    ("ttl", "turtle", "text/turtle"),
    ("jsonld", "json-ld", "application/ld+json"),
    ("nt", "nt", "application/n-triples"),
    ("rdf", "xml", "application/rdf+xml"),
])
def test_suffixes_give_rdf_whatever_the_accept(client, suffix, fmt, media):
    r = client.get(f"{RULE}.{suffix}", headers=HTML)
    assert r.status_code == 200 and r.mimetype == media
    g = parse(r.data, fmt)
    rule = XP["rule-municipal-key-township"]
    assert (rule, XSRV.amount, Literal("10000000", datatype=XSD.decimal)) in g
    assert (rule, XSRV.payer, URIRef(BASE + "id/body/chongqing-finance")) in g
    # The span is a blank node: its triples come along.
    span = g.value(rule, XSRV.sourceSpan)
    assert span is not None
    assert str(g.value(span, URIRef("http://www.w3.org/ns/oa#exact"))) == RULE_SENTENCE
    assert g.value(span, URIRef("http://www.w3.org/ns/oa#start")).toPython() == 2040


def test_json_suffix_is_the_page_data(client):
    r = client.get(f"{YONGDONG}.json")
    assert r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["iri"] == BASE + "id/division/xiushan-yongdong"
    assert doc["labels"] == {"zh": ["涌洞乡"], "en": ["Yongdong Township"]}
    [assignment] = doc["assignments"]
    assert assignment["category"]["value"] == BASE + "id/doc/xiushan-plan/cat-key-assistance"
    [funding] = doc["funding"]
    assert funding["rule"]["value"] == BASE + "id/doc/xiushan-plan/rule-municipal-key-township"
    assert (funding["per_year"], funding["years"], funding["whole_period"]) == \
        ("10000000", 5, "50000000")
    assert funding["quotes"][0]["mark"] == RULE_SENTENCE
    # Accept: application/json on the bare URL gives the same document.
    negotiated = client.get(YONGDONG, headers={"Accept": "application/json"})
    assert negotiated.get_json() == doc
    assert "Accept" in negotiated.headers["Vary"]


def test_unacceptable_format_is_406(client):
    assert client.get(YONGDONG, headers={"Accept": "image/png"}).status_code == 406


# --- the fund rule page ------------------------------------------------------------------------

def test_fund_rule_page_shows_amount_payer_and_highlighted_sentence(client):
    html = client.get(RULE, headers=HTML).get_data(as_text=True)
    text = text_of(html)
    assert "市级乡村振兴重点帮扶乡镇：过渡期内市财政每年1000万元" in text
    assert "10000000" in text and "xsd:decimal" in text
    assert "1000万元" in text
    assert "市财政" in text and "/id/body/chongqing-finance" in links(html)
    source = html[html.index('id="source"'):html.index('id="properties"')]
    assert f"<mark>{RULE_SENTENCE}</mark>；" in source  # the sentence runs to the semicolon
    assert "[2040, 2075)" in text_of(source)
    # Interpretations and notes that concern the rule link back to it.
    assert "/id/doc/xiushan-plan/interp-municipal-key-township" in links(html)


def test_category_page_lists_its_members_and_rules(client):
    html = client.get("/id/doc/xiushan-plan/cat-key-assistance", headers=HTML).get_data(
        as_text=True)
    inbound = html[html.index('id="inbound"'):]
    assert "涌洞乡 → 重点帮扶类" in text_of(inbound)  # the assignment, named for reading
    assert RULE in links(inbound)


# --- ontology, shapes, graphs --------------------------------------------------------------------

def test_ontology_page_lists_terms_with_anchors(client):
    r = client.get("/ontology", headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="FundRule"' in html and 'id="recipientCategory"' in html
    assert 'href="#FundRule"' in html
    assert "资金安排规则" in text_of(html)  # FundRule's zh label
    assert "乡村振兴政策知识图谱本体" in text_of(html)  # the ontology's own label
    # A term's IRI links to its anchor on this page.
    resource_page = client.get(RULE, headers=HTML).get_data(as_text=True)
    assert "/ontology#FundRule" in links(resource_page)


def test_ontology_as_turtle(client):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle" and "Accept" in r.headers["Vary"]
    g = parse(r.data, "turtle")
    assert (XSRV.FundRule, RDFS.label, Literal("资金安排规则", lang="zh")) in g
    assert (URIRef(BASE + "ontology"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in g
    assert parse(client.get("/ontology.ttl").data, "turtle").isomorphic(g)


def test_shapes_page(client):
    html = client.get("/shapes", headers=HTML).get_data(as_text=True)
    assert 'id="TownshipShape"' in html
    g = parse(client.get("/shapes.nt").data, "nt")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    shape = URIRef(BASE + "shapes#TownshipShape")
    assert (shape, RDF.type, sh.NodeShape) in g
    assert any(g.objects(shape, sh.property))  # blank-node property shapes come along
    assert all(g.value(p, sh.path) is not None for p in g.objects(shape, sh.property))


def test_graph_page_counts_and_downloads(client, store):
    r = client.get("/graph/documents/xiushan-plan", headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    triples, _ = ld.graph_size(store, BASE + "graph/documents/xiushan-plan")
    assert f'<td class="num triples">{triples}</td>' in html
    assert "/graph/documents/xiushan-plan.ttl" in links(html)
    download = client.get("/graph/documents/xiushan-plan.ttl")
    assert download.mimetype == "text/turtle"
    g = parse(download.data, "turtle")
    assert len(g) == triples
    assert (XP["rule-municipal-key-township"], RDF.type, XSRV.FundRule) in g
    data = client.get("/graph/documents/xiushan-plan.json").get_json()
    assert data["triples"] == triples
    assert client.get("/graph/nope", headers=HTML).status_code == 404


def test_version_iri_and_source_text_dereference(client):
    r = client.get("/ontology/0.1.0", headers=HTML)
    assert r.status_code == 200  # known only as the ontology's owl:versionIRI: inbound link
    assert "/ontology" in links(r.get_data(as_text=True))
    text = client.get("/id/doc/xiushan-plan/text", headers=HTML).get_data(as_text=True)
    assert "<details>" in text  # the full text (cnt:chars) is folded
    assert "/id/doc/xiushan-plan/rule-municipal-key-township" in links(text)  # cites it


# --- not found ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/id/division/nowhere",
    "/id/division/nowhere.ttl",
    "/id/doc/xiushan-plan/",
    "/id/../../etc/passwd",
    "/id/%2E%2E/%2E%2E/etc/passwd",
    "/id/division/..%2F..%2Fsetup.cfg",
    "/id/division/%3Cscript%3E",
    "/graph/../ontology",
    "/ontology.exe",
    "/ontology/..",
])
def test_unknown_and_traversal_are_404(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 404, path
    assert "<script>" not in r.get_data(as_text=True)


def test_404_in_the_negotiated_format(client):
    r = client.get("/id/division/nowhere", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert json.loads(r.data)["error"]["status"] == 404


# --- escaping ----------------------------------------------------------------------------------

def test_labels_and_iris_from_data_are_escaped(tmp_path):
    from xsrv_kg.config import Config
    from xsrv_kg.query.endpoint import Endpoint

    (tmp_path / "evil.ttl").write_text(
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/xsrv-kg/id/test/evil> rdfs:label "<script>alert(1)</script>"@zh ;\n'
        "  rdfs:seeAlso <javascript:alert(2)> , <https://example.org/'onmouseover=x> .\n",
        encoding="utf-8")
    config = Config(data_paths=(tmp_path,))
    app = create_app(endpoint=Endpoint.open(config, workers=False))
    html = app.test_client().get("/id/test/evil", headers=HTML).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html          # not a link: shown as text
    assert "'onmouseover" not in html               # quotes in IRIs are escaped too
    assert "https://example.org/&#39;onmouseover=x" in html
