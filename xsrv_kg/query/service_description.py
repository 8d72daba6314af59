"""The endpoint's SPARQL 1.1 Service Description, as RDF triples.

What a client (or another endpoint planning a federated query) needs to know: the endpoint
IRI, the languages and result formats, the features, the dataset (default graph and named
graphs), the limits this endpoint enforces and the prefixes it predeclares.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .. import vocab
from ..config import Config
from ..formats import DATASET_FORMATS, GRAPH_FORMATS, SOLUTION_FORMATS, W3C_FORMATS
from ..sources.inference import description_triples, inferred_graph
from ..store.conformance import DEVIATIONS, NOT_FOUND, Conformance

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode(vocab.PREFIXES["rdf"] + "type")
XSD = vocab.PREFIXES["xsd"]
SH = vocab.PREFIXES["sh"]

PREFIXES = {"sd": SD, "xsrv": vocab.XSRV, "graph": vocab.GRAPH, "sh": SH, "xsd": XSD,
            "formats": W3C_FORMATS, "dcterms": vocab.PREFIXES["dcterms"],
            "rdfs": vocab.PREFIXES["rdfs"]}


#: Formats the server parses: /shacl and Graph Store bodies (LOAD is refused).
INPUT_FORMATS = tuple(dict.fromkeys((*GRAPH_FORMATS, *DATASET_FORMATS)))


def describe_service(endpoint_url: str, config: Config, graphs: Iterable[str],
                     *, version: str, graph_store_url: str | None = None,
                     void_url: str | None = None,
                     conformance: Conformance | None = None) -> list[ox.Triple]:
    """The triples of the service description for the endpoint at ``endpoint_url``
    (and its Graph Store Protocol endpoint at ``graph_store_url``; the dataset described at
    ``void_url``), with the backend's deviations from SPARQL 1.1 (``xsrv:engineDeviation``)
    when ``conformance`` is given."""
    service = ox.NamedNode(endpoint_url)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    def lit(value: object, datatype: str | None = None) -> ox.Literal:
        if datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
        return ox.Literal(str(value))

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL10Query")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(vocab.PREFIXES["dcterms"] + "title"),
                  ox.Literal("xsrv-kg 乡村振兴政策知识图谱 SPARQL 端点", language="zh")),
        ox.Triple(service, ox.NamedNode(vocab.PREFIXES["dcterms"] + "title"),
                  ox.Literal("xsrv-kg rural-revitalization policy knowledge graph SPARQL "
                             "endpoint", language="en")),
        ox.Triple(service, ox.NamedNode(vocab.PREFIXES["dcterms"] + "hasVersion"),
                  lit(version)),
    ]
    if config.allow_update:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.iri)))
    for fmt in INPUT_FORMATS:
        triples.append(ox.Triple(service, sd("inputFormat"), ox.NamedNode(fmt.iri)))
    if config.union_default_graph:
        triples.append(ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    if config.service_allow_list:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    # Limits (xsrv: terms; sd: has none).
    triples += [
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "queryTimeLimit"),
                  lit(f"{config.time_limit:g}", "decimal")),
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "maxResultRows"),
                  lit(config.max_rows, "integer")),
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "maxResultCharacters"),
                  lit(config.max_result_bytes, "integer")),
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "maxRequestBytes"),
                  lit(config.max_body, "integer")),
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "maxQueryLength"),
                  lit(config.max_query_length, "integer")),
        ox.Triple(service, ox.NamedNode(vocab.XSRV + "maxUrlLength"),
                  lit(config.max_url_length, "integer")),
    ]
    if graph_store_url:
        triples.append(ox.Triple(service, ox.NamedNode(vocab.XSRV + "graphStore"),
                                 ox.NamedNode(graph_store_url)))
    if conformance is not None:
        triples += deviation_triples(service, conformance)
    for prefix, namespace in vocab.PREFIXES.items():
        declaration = ox.BlankNode(f"prefix-{prefix}")
        triples += [
            ox.Triple(service, ox.NamedNode(SH + "declare"), declaration),
            ox.Triple(declaration, ox.NamedNode(SH + "prefix"), lit(prefix)),
            ox.Triple(declaration, ox.NamedNode(SH + "namespace"), lit(namespace, "anyURI")),
        ]
    triples += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    if void_url:
        triples.append(ox.Triple(dataset, ox.NamedNode(vocab.PREFIXES["rdfs"] + "seeAlso"),
                                 ox.NamedNode(void_url)))
    for number, iri in enumerate(sorted(graphs)):
        named = ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(iri)),
        ]
        if iri == inferred_graph(config):
            triples += description_triples(named, vocab.PREFIXES["dcterms"] + "description")
    return triples


def deviation_triples(service: ox.NamedNode, conformance: Conformance) -> list[ox.Triple]:
    """One ``xsrv:engineDeviation`` node per deviation not known to be absent: its id, status
    and description in both languages (the embedded store has none)."""
    triples = []
    for deviation in DEVIATIONS.values():
        finding = conformance.finding(deviation.id)
        if finding.status == NOT_FOUND:
            continue
        node = ox.BlankNode(f"deviation-{deviation.id}")
        triples += [
            ox.Triple(service, ox.NamedNode(vocab.XSRV + "engineDeviation"), node),
            ox.Triple(node, ox.NamedNode(vocab.PREFIXES["dcterms"] + "identifier"),
                      ox.Literal(deviation.id)),
            ox.Triple(node, ox.NamedNode(vocab.XSRV + "deviationStatus"),
                      ox.Literal(finding.status)),
            ox.Triple(node, ox.NamedNode(vocab.PREFIXES["rdfs"] + "comment"),
                      ox.Literal(deviation.zh, language="zh")),
            ox.Triple(node, ox.NamedNode(vocab.PREFIXES["rdfs"] + "comment"),
                      ox.Literal(deviation.en, language="en")),
        ]
    return triples
