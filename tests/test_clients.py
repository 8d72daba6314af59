"""Real SPARQL clients against a live ``xsrv-kg serve``: SPARQLWrapper and rdflib.

A newcomer's first script uses one of these, so every return format SPARQLWrapper offers
is tried, by GET, by form POST and by direct POST.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

pytestmark = pytest.mark.slow

PREFIX = "PREFIX xsrv: <https://w3id.org/xsrv-kg/ontology#>\n"
SELECT = PREFIX + """SELECT ?label WHERE {
  ?t a xsrv:TownshipLevelDivision ; xsrv:divisionKind/<http://www.w3.org/2004/02/skos/core#prefLabel> "街道"@zh ;
     <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = "zh") }
ORDER BY ?label"""
# 二（一）, 积极推进类（19个）: "中和街道、乌杨街道、平凯街道、官庄街道、…" — the county's four 街道.
STREETS = ["中和街道", "乌杨街道", "平凯街道", "官庄街道"]
STREETS_SORTED = sorted(STREETS)
ASK = PREFIX + "ASK { ?t a xsrv:TownshipLevelDivision }"
CONSTRUCT = PREFIX + "CONSTRUCT WHERE { ?r a xsrv:FundRule ; xsrv:amount ?amount }"

METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
METHOD_IDS = ["get", "post-form", "post-direct"]


def client(url: str, method_and_encoding: tuple[str, str], fmt: str, query: str) -> SPARQLWrapper:
    method, encoding = method_and_encoding
    wrapper = SPARQLWrapper(url)
    wrapper.setMethod(method)
    wrapper.setRequestMethod(encoding)
    wrapper.setReturnFormat(fmt)
    wrapper.setQuery(query)
    return wrapper


@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
def test_select_in_every_sparqlwrapper_format(live_server, method) -> None:
    url = live_server.sparql
    doc = client(url, method, JSON, SELECT).queryAndConvert()
    assert [b["label"]["value"] for b in doc["results"]["bindings"]] == STREETS_SORTED
    xml = client(url, method, XML, SELECT).queryAndConvert()
    assert sorted(n.firstChild.data for n in xml.getElementsByTagName("literal")) == STREETS_SORTED
    for fmt, delimiter in ((CSV, ","), (TSV, "\t")):
        text = client(url, method, fmt, SELECT).queryAndConvert().decode("utf-8")
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        # CSV gives plain values; TSV gives terms in Turtle syntax ("…"@zh).
        values = [row[0].removesuffix("@zh").strip('"') for row in table[1:]]
        assert table[0][0] == ("label" if fmt == CSV else "?label")
        assert values == STREETS_SORTED


@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
def test_ask_in_sparqlwrapper_formats(live_server, method) -> None:
    assert client(live_server.sparql, method, JSON, ASK).queryAndConvert()["boolean"] is True
    xml = client(live_server.sparql, method, XML, ASK).queryAndConvert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"


# SPARQLWrapper warns that it sends Accept: */* for RDF and XML: our default (Turtle) is
# then what comes back, which the test parses.
@pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, RDF, XML])
@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
def test_construct_in_every_sparqlwrapper_format(live_server, method, fmt: str) -> None:
    result = client(live_server.sparql, method, fmt, CONSTRUCT).queryAndConvert()
    if isinstance(result, bytes):  # Turtle / N3 / JSON-LD come back as bytes
        parse_as = {TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[fmt]
        graph = rdflib.Graph().parse(data=result.decode("utf-8"), format=parse_as)
    elif isinstance(result, (dict, list)):
        graph = rdflib.Graph().parse(data=json.dumps(result), format="json-ld")
    else:
        graph = result
    # 三（四）: five fund rules, each with one amount.
    assert len(graph) == 10
    amounts = sorted(int(o.toPython()) for o in graph.objects(
        None, rdflib.URIRef("https://w3id.org/xsrv-kg/ontology#amount")))
    assert amounts == [2_000_000, 2_000_000, 5_000_000, 5_000_000, 10_000_000]


@pytest.mark.parametrize("return_format", ["xml", "json", "csv"])
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select(live_server, return_format: str, method: str) -> None:
    store = SPARQLStore(live_server.sparql, returnFormat=return_format, method=method)
    graph = rdflib.Graph(store=store)
    assert [str(r.label) for r in graph.query(SELECT)] == STREETS_SORTED
    if return_format != "csv":  # CSV has no boolean form in rdflib
        assert graph.query(ASK).askAnswer is True


def test_rdflib_sparqlstore_construct(live_server) -> None:
    # rdflib asks CONSTRUCT results in RDF/XML with its default (xml) return format.
    graph = rdflib.Graph(store=SPARQLStore(live_server.sparql))
    assert len(graph.query(CONSTRUCT)) == 10


def test_rdflib_sparqlstore_triples_and_len(live_server) -> None:
    store = SPARQLStore(live_server.sparql)
    graph = rdflib.Graph(store=store)
    township = rdflib.URIRef("https://w3id.org/xsrv-kg/ontology#TownshipLevelDivision")
    subjects = set(graph.subjects(rdflib.RDF.type, township))
    assert len(subjects) == 27
