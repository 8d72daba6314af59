"""The three service-description tests: the manifest gives their names and nothing else, so
``SD_TESTS`` encodes what each name asks (an ``sd:endpoint`` triple naming the endpoint;
``GET`` on the endpoint returns RDF, in every RDF format the server offers; the document uses
the SD vocabulary as its schema defines it)."""

from __future__ import annotations

from collections.abc import Callable

import rdflib
import requests
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from .client import OFFERED_RDF, RDF_TYPES, media_type, parse_rdf
from .stand_ins import OUR_GRAPHS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def service_description(server, accept: str | None = None) -> tuple[requests.Response,
                                                                    rdflib.Graph]:
    response = requests.get(server.sparql, headers={"Accept": accept}, timeout=60,
                            allow_redirects=False)
    assert response.status_code == 200, f"GET {server.sparql} -> {response.status_code}: " \
                                        f"{response.text[:400]}"
    assert media_type(response) in RDF_TYPES, response.headers.get("Content-Type")
    return response, parse_rdf(response, server.sparql)


def sd_has_endpoint_triple(server) -> None:
    """"Service description contains a matching sd:endpoint triple"."""
    _, graph = service_description(server)
    services = set(graph.subjects(SD.endpoint, URIRef(server.sparql)))
    assert services, f"no ?service sd:endpoint <{server.sparql}>"
    assert all((s, RDF.type, SD.Service) in graph for s in services)


def sd_returns_rdf(server) -> None:
    """"GET on endpoint returns RDF": by default Turtle, and each RDF format on request."""
    response, default_graph = service_description(server)
    assert media_type(response) == "text/turtle", "contract: Turtle by default"
    for accept in OFFERED_RDF:
        response, graph = service_description(server, accept)
        assert media_type(response) == accept, (accept, response.headers.get("Content-Type"))
        assert len(graph) == len(default_graph), accept
        assert next(graph.subjects(RDF.type, SD.Service), None) is not None, accept


SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
RESULT_FORMATS = {FORMATS[n] for n in ("SPARQL_Results_JSON", "SPARQL_Results_XML",
                                       "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
                                       "N-Triples", "JSON-LD", "RDF_XML")}


def sd_conforms_to_schema(server) -> None:
    """"Service description conforms to schema": the SD vocabulary's domains and ranges."""
    _, g = service_description(server)
    services = list(g.subjects(RDF.type, SD.Service))
    assert len(services) == 1, services
    service = services[0]
    endpoints = list(g.objects(service, SD.endpoint))
    assert endpoints == [URIRef(server.sparql)], endpoints
    languages = set(g.objects(service, SD.supportedLanguage))
    assert SD.SPARQL11Query in languages and languages <= SD_LANGUAGES, languages
    for prop in (SD.resultFormat, SD.inputFormat, SD.feature, SD.extensionFunction,
                 SD.extensionAggregate, SD.languageExtension, SD.propertyFeature):
        for value in g.objects(service, prop):
            assert isinstance(value, URIRef), (prop, value)
    result_formats = set(g.objects(service, SD.resultFormat))
    assert result_formats >= RESULT_FORMATS, RESULT_FORMATS - result_formats
    for dataset in g.objects(service, SD.defaultDataset):
        assert set(g.objects(dataset, RDF.type)) <= {SD.Dataset}, dataset
        assert len(list(g.objects(dataset, SD.defaultGraph))) <= 1, dataset
        names = []
        for graph in g.objects(dataset, SD.namedGraph):
            assert set(g.objects(graph, RDF.type)) <= {SD.NamedGraph}, graph
            graph_names = list(g.objects(graph, SD.name))
            assert len(graph_names) == 1 and isinstance(graph_names[0], URIRef), graph_names
            names.append(str(graph_names[0]))
        assert set(OUR_GRAPHS) <= set(names), names


SD_TESTS: dict[str, Callable[[object], None]] = {
    "has-endpoint-triple": sd_has_endpoint_triple,
    "returns-rdf": sd_returns_rdf,
    "conforms-to-schema": sd_conforms_to_schema,
}
