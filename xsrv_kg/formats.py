"""The formats xsrv-kg reads and writes, in one table: media types, file suffixes, names,
and pyoxigraph's parser and serializer for each.

Every other module takes its media types, suffixes and format names from here and keeps only
its *view*: which of these formats it offers or reads, in its own order of preference (what
``/sparql`` negotiates, what ``/store`` takes as a body, what the loader reads, what a page
links to).

pyoxigraph's format (``Format.rdf`` / ``Format.results``) is found from the canonical media
type by ``RdfFormat.from_media_type`` / ``QueryResultsFormat.from_media_type``. pyoxigraph's
own tables are not used to decide what a client may send: they take more than this product
does (``application/json`` as JSON-LD, ``text/plain`` as N-Triples, ``.json`` and ``.xml``
files), so what is accepted is listed here.

Foundation level: imports pyoxigraph only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

#: Kinds: SPARQL query results (SELECT/ASK), RDF, and the documents pages and reports are.
RESULTS, RDF, DOCUMENT = "results", "rdf", "document"

#: The W3C's format IRIs (sd:resultFormat, sd:inputFormat of the service description).
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One format: what it is called, how it is labelled on the wire and on disk, and
    pyoxigraph's format for it (``None`` for documents)."""

    #: Short name: ``format=`` on ``/sparql``, ``--format`` of the CLI.
    name: str
    #: For people: the text of download links.
    label: str
    #: The registered media type, sent in ``Content-Type``.
    media_type: str
    kind: str
    #: File suffixes without the dot, the one written first.
    suffixes: tuple[str, ...] = ()
    #: Other media types a client *asks* for this format by (``Accept``, ``format=``).
    aliases: tuple[str, ...] = ()
    #: Other media types a request *body* in this format may be labelled with.
    body_aliases: tuple[str, ...] = ()
    #: Further ``format=`` values for it besides ``name``.
    other_names: tuple[str, ...] = ()
    #: For an RDF format: the results format (by name) a SELECT/ASK gets when a client asks
    #: for this one by name (``format=jsonld`` on a SELECT gives SPARQL JSON).
    for_solutions: str = ""
    #: Local name under :data:`W3C_FORMATS` (empty: the W3C has none).
    w3c: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def iri(self) -> str:
        return W3C_FORMATS + self.w3c

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header: every format here is UTF-8 text."""
        return content_type(self.media_type)

    @property
    def rdf(self) -> ox.RdfFormat:
        """pyoxigraph's parser and serializer, for an RDF format."""
        found = ox.RdfFormat.from_media_type(self.media_type) if self.kind == RDF else None
        if found is None:
            raise ValueError(f"{self.label} is not an RDF format")
        return found

    @property
    def results(self) -> ox.QueryResultsFormat:
        """pyoxigraph's parser and serializer, for a SPARQL results format."""
        found = ox.QueryResultsFormat.from_media_type(self.media_type) \
            if self.kind == RESULTS else None
        if found is None:
            raise ValueError(f"{self.label} is not a SPARQL results format")
        return found


def content_type(media_type: str) -> str:
    """``media_type; charset=utf-8``: every format this product writes is UTF-8 text."""
    return f"{media_type}; charset=utf-8"


# --- the table --------------------------------------------------------------------------------

SPARQL_JSON = Format("json", "SPARQL JSON", "application/sparql-results+json", RESULTS,
                     ("srj",), aliases=("application/json",), other_names=("srj",),
                     w3c="SPARQL_Results_JSON")
SPARQL_XML = Format("xml", "SPARQL XML", "application/sparql-results+xml", RESULTS, ("srx",),
                    aliases=("application/xml", "text/xml"), other_names=("srx",),
                    w3c="SPARQL_Results_XML")
CSV = Format("csv", "CSV", "text/csv", RESULTS, ("csv",), w3c="SPARQL_Results_CSV")
TSV = Format("tsv", "TSV", "text/tab-separated-values", RESULTS, ("tsv",),
             w3c="SPARQL_Results_TSV")

# Turtle is a subset of N3, so N3 clients are served Turtle (but an N3 body is not read).
TURTLE = Format("turtle", "Turtle", "text/turtle", RDF, ("ttl",),
                aliases=("application/x-turtle", "text/n3", "text/rdf+n3"),
                body_aliases=("application/x-turtle",), other_names=("ttl", "n3"),
                w3c="Turtle")
N_TRIPLES = Format("ntriples", "N-Triples", "application/n-triples", RDF, ("nt",),
                   aliases=("text/plain",), other_names=("nt", "n-triples"), w3c="N-Triples")
JSON_LD = Format("jsonld", "JSON-LD", "application/ld+json", RDF, ("jsonld",),
                 aliases=("application/json",), other_names=("json-ld", "json"),
                 for_solutions="json", w3c="JSON-LD")
RDF_XML = Format("rdfxml", "RDF/XML", "application/rdf+xml", RDF, ("rdf", "owl"),
                 aliases=("application/xml", "text/xml"),
                 other_names=("rdf", "rdf/xml", "rdf+xml", "xml"), for_solutions="xml",
                 w3c="RDF_XML")
TRIG = Format("trig", "TriG", "application/trig", RDF, ("trig",), w3c="TriG")
N_QUADS = Format("nquads", "N-Quads", "application/n-quads", RDF, ("nq",),
                 body_aliases=("text/x-nquads",), w3c="N-Quads")

#: A page's data (not JSON-LD), HTML, plain text: pages, reports and error bodies.
JSON = Format("page-json", "JSON", "application/json", DOCUMENT, ("json",))
HTML = Format("html", "HTML", "text/html", DOCUMENT, ("html",))
TEXT = Format("text", "text", "text/plain", DOCUMENT, ("txt",))

FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV, TURTLE, N_TRIPLES, JSON_LD,
                               RDF_XML, TRIG, N_QUADS, JSON, HTML, TEXT)

# --- groups used in several places, in the product's order of preference ---------------------

#: SPARQL results: what a SELECT or ASK is written in.
SOLUTION_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: One graph: what a CONSTRUCT or DESCRIBE is written in, what a graph is read from.
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
#: Named graphs too: what a dataset is written in and read from.
DATASET_FORMATS: tuple[Format, ...] = (TRIG, N_QUADS, JSON_LD)


def media_types(formats: Iterable[Format]) -> tuple[str, ...]:
    """The registered media types of ``formats``, in their order."""
    return tuple(f.media_type for f in formats)


def body_types(formats: Iterable[Format]) -> dict[str, ox.RdfFormat]:
    """Media type -> parser for request bodies in ``formats``: each format's registered type
    then its body aliases, in the order given (a type listed twice keeps its first place)."""
    found: dict[str, ox.RdfFormat] = {}
    for f in formats:
        for media in (f.media_type, *f.body_aliases):
            found.setdefault(media, f.rdf)
    return found


def by_name(name: str, formats: Iterable[Format] = FORMATS) -> Format | None:
    """The format of ``formats`` called ``name`` (its short name only, not the others)."""
    return next((f for f in formats if f.name == name), None)
