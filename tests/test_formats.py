"""The formats table (``xsrv_kg.formats``) agrees with pyoxigraph, and its views keep the
media types, suffixes and names the product has always used."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from xsrv_kg import formats
from xsrv_kg.formats import DOCUMENT, FORMATS, RDF, RESULTS


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.kind == RDF], ids=lambda f: f.name)
def test_an_rdf_format_is_pyoxigraphs_by_media_type_suffix_and_body_alias(fmt) -> None:
    assert fmt.rdf.media_type == fmt.media_type
    assert ox.RdfFormat.from_extension(fmt.suffix) == fmt.rdf
    for alias in fmt.body_aliases:  # a body labelled so is parsed as this format
        assert ox.RdfFormat.from_media_type(alias) == fmt.rdf
    assert fmt.iri.startswith(formats.W3C_FORMATS) and fmt.w3c


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.kind == RESULTS],
                         ids=lambda f: f.name)
def test_a_results_format_is_pyoxigraphs_by_media_type_and_suffix(fmt) -> None:
    assert ox.QueryResultsFormat.from_extension(fmt.suffix) == fmt.results
    assert fmt.iri == fmt.results.iri  # the W3C's IRI, as pyoxigraph has it
    with pytest.raises(ValueError, match="not an RDF format"):
        fmt.rdf  # noqa: B018


def test_documents_have_no_pyoxigraph_format() -> None:
    for fmt in (f for f in FORMATS if f.kind == DOCUMENT):
        with pytest.raises(ValueError):
            fmt.rdf  # noqa: B018
        with pytest.raises(ValueError):
            fmt.results  # noqa: B018


def test_names_media_types_and_suffixes_are_unique() -> None:
    for values in ([f.name for f in FORMATS], [f.media_type for f in FORMATS],
                   [s for f in FORMATS for s in f.suffixes]):
        assert len(values) == len(set(values))


def test_body_types_keep_the_first_place_of_a_type_listed_twice() -> None:
    both = formats.body_types((*formats.GRAPH_FORMATS, *formats.DATASET_FORMATS))
    assert list(both) == ["text/turtle", "application/x-turtle", "application/n-triples",
                          "application/ld+json", "application/rdf+xml", "application/trig",
                          "application/n-quads", "text/x-nquads"]


def test_content_type_says_utf8() -> None:
    assert formats.CSV.content_type == "text/csv; charset=utf-8"
    assert formats.content_type("application/trig") == "application/trig; charset=utf-8"


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld",
                                  "rdfxml", "trig", "nquads"])
def test_the_cli_names_each_name_one_format(name: str) -> None:
    fmt = formats.by_name(name)
    assert fmt is not None and fmt.kind in (RESULTS, RDF) and name in fmt.names
