"""The pure pieces under the endpoint: negotiation, query-text scanning, writers, cache."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xsrv_kg.errors import BadInput
from xsrv_kg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from xsrv_kg.query.cache import ResultCache
from xsrv_kg.query.negotiation import negotiate, parse_accept, prefers
from xsrv_kg.query.results import Written, write
from xsrv_kg.sparql.text import read_text, with_using

# --- negotiation -------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "solutions", "graph"), [
    (None, "json", "turtle"),
    ("", "json", "turtle"),
    ("text/csv", "csv", None),
    ("application/n-triples", None, "ntriples"),
    ("text/turtle;q=0.2, application/rdf+xml;q=0.8", None, "rdfxml"),
    ("application/sparql-results+xml;q=0.5, */*;q=0.1", "xml", "turtle"),
    ("text/*;q=0.5, text/tab-separated-values", "tsv", "turtle"),
    ("application/json", "json", "jsonld"),
    ("image/png", None, None),
    ("text/csv;q=0", None, None),
    ("application/sparql-results+json;q=0, */*", "xml", "turtle"),
    ("garbage, text/csv", "csv", None),
])
def test_accept_headers(accept: str | None, solutions: str | None, graph: str | None) -> None:
    chosen = negotiate(accept)
    assert (chosen.solutions and chosen.solutions.name, chosen.graph and chosen.graph.name) \
        == (solutions, graph)


def test_q_values_are_clamped_and_bad_ones_ignored() -> None:
    ranges = parse_accept("text/csv;q=7, text/turtle;q=abc")
    assert [(r.type, r.q) for r in ranges] == [("text/csv", 1.0), ("text/turtle", 0.0)]


def test_format_parameter_names_and_media_types() -> None:
    assert negotiate("text/csv", "json").key == "json/jsonld"
    assert negotiate(None, "application/rdf+xml").key == "None/rdfxml"
    with pytest.raises(BadInput, match="not a known format"):
        negotiate(None, "yaml")
    with pytest.raises(BadInput, match="not a media type"):
        negotiate(None, "image/png")


def test_prefers_picks_by_q_then_our_order() -> None:
    assert prefers("text/html;q=0.9, application/json", ["text/html", "application/json"]) \
        == "application/json"
    assert prefers("*/*", ["text/plain", "text/html"]) == "text/plain"
    assert prefers("image/png", ["text/plain"]) is None


# --- query text --------------------------------------------------------------------------

def test_service_found_outside_strings_comments_and_iris() -> None:
    text = ('SELECT ?service WHERE { SERVICE <http://a/s> { ?s ?p "SERVICE <http://no>" } '
            "# SERVICE <http://c>\n SERVICE SILENT ?x {} ex:SERVICE <http://SERVICE/x> }")
    assert read_text(text).services == ("http://a/s", "?x")


def test_long_strings_and_prefixed_service() -> None:
    text = '''SELECT * { ?s ?p """a SERVICE <http://x> "quoted" """ . service ex:e { } }'''
    assert read_text(text).services == ("ex:e",)


def test_from_clause_detected_only_as_a_keyword() -> None:
    assert read_text("SELECT * FROM <http://g> { ?s ?p ?o }").has_dataset_clause
    assert read_text("select * from named <http://g> { }").has_dataset_clause
    assert not read_text('SELECT ?from { ?from ?p "FROM" }').has_dataset_clause


def test_update_operations() -> None:
    ops = read_text("LOAD <http://x> ; CLEAR ALL ; INSERT DATA { <a> <b> 'DROP' }").operations
    assert ops == {"LOAD", "CLEAR", "INSERT"}


def test_with_using_adds_clauses_before_each_modify_where() -> None:
    update = ("INSERT { ?s a <http://B> } WHERE { ?s a <http://D> } ; "
              "DELETE WHERE { ?s <http://p> 'WHERE' }")
    assert with_using(update, ["http://g1"], ["http://n1"]) == (
        "INSERT { ?s a <http://B> } USING <http://g1> USING NAMED <http://n1> "
        "WHERE { ?s a <http://D> } ; DELETE WHERE { ?s <http://p> 'WHERE' }")


@pytest.mark.parametrize(("using", "using_named", "refused"), [
    (["http://g1> } ; DROP ALL ; INSERT DATA { <http://x"], [], "using-graph-uri="),
    (["http://g1"], ["not an iri"], "using-named-graph-uri="),
    ([""], [], "using-graph-uri=''"),
])
def test_with_using_refuses_what_is_not_an_absolute_iri(using: list[str], using_named: list[str],
                                                        refused: str) -> None:
    # Written by pyoxigraph, never pasted: a value cannot close its <…> and add an operation.
    with pytest.raises(BadInput, match=f"^{refused}.* is not an absolute IRI"):
        with_using("INSERT { ?s a <http://B> } WHERE { ?s ?p ?o }", using, using_named)


# --- writers -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny() -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    store.extend([
        ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"),
                ox.Literal('涌洞乡\t"x"\n', language="zh")),
        ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"),
                ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ox.Quad(ox.BlankNode("b1"), ox.NamedNode(ex + "p"), ox.Literal("<plain> & ok")),
    ])
    return store


QUERY = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY STR(?o)"


def solutions(fmt: str):
    return next(f for f in SOLUTION_FORMATS if f.name == fmt)


def test_json_writer_matches_pyoxigraph(tiny: ox.Store) -> None:
    ours = write(tiny.query(QUERY), solutions("json"), None)
    theirs = tiny.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON)
    assert json.loads(ours.body) == json.loads(theirs)
    assert (ours.rows, ours.truncated) == (3, False)


def test_xml_writer_is_valid_and_complete(tiny: ox.Store) -> None:
    ours = write(tiny.query(QUERY), solutions("xml"), None)
    parsed = list(ox.parse_query_results(ours.body, format=ox.QueryResultsFormat.XML))
    theirs = list(tiny.query(QUERY))
    assert [[r[v] for v in ("s", "o")] for r in parsed] == [[r[v] for v in ("s", "o")] for r in theirs]
    ET.fromstring(ours.body)  # well-formed


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_round_trip_through_pyoxigraph(tiny: ox.Store, fmt: str) -> None:
    ours = write(tiny.query(QUERY), solutions(fmt), None)
    theirs = tiny.query(QUERY).serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))
    if fmt == "tsv":  # terms may be written differently ("3"^^xsd:integer or 3): compare terms
        kind = ox.QueryResultsFormat.TSV
        assert [list(r) for r in ox.parse_query_results(ours.body, format=kind)] == \
            [list(r) for r in ox.parse_query_results(theirs, format=kind)]
    else:
        assert list(csv.reader(io.StringIO(ours.body.decode()))) == \
            list(csv.reader(io.StringIO(theirs.decode())))


def test_row_cap_cuts_and_says_so(tiny: ox.Store) -> None:
    written = write(tiny.query(QUERY), solutions("json"), None, max_rows=2)
    assert (written.rows, written.truncated) == (2, True)
    assert len(json.loads(written.body)["results"]["bindings"]) == 2
    exact = write(tiny.query(QUERY), solutions("json"), None, max_rows=3)
    assert (exact.rows, exact.truncated) == (3, False)
    graph = write(tiny.query("CONSTRUCT WHERE { ?s ?p ?o }"), None, GRAPH_FORMATS[1], max_rows=1)
    assert (graph.rows, graph.truncated) == (1, True)


def test_no_format_for_the_kind_gives_none(tiny: ox.Store) -> None:
    assert write(tiny.query(QUERY), None, GRAPH_FORMATS[0]) is None
    assert write(tiny.query("CONSTRUCT WHERE { ?s ?p ?o }"), solutions("csv"), None) is None


# --- cache -------------------------------------------------------------------------------

def written(size: int) -> Written:
    return Written(b"x" * size, "text/csv", 1, False)


def test_cache_evicts_least_recently_used_within_its_bytes() -> None:
    cache = ResultCache(max_bytes=400)
    cache.put("a", written(100))
    cache.put("b", written(100))
    cache.put("c", written(100))
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("d", written(100))
    cache.put("e", written(100))
    assert cache.get("b") is None and cache.get("a") is not None
    assert len(cache) == 4


def test_cache_skips_huge_answers_and_can_be_off() -> None:
    cache = ResultCache(max_bytes=400)
    cache.put("big", written(200))
    assert cache.get("big") is None
    off = ResultCache(max_bytes=0)
    off.put("a", written(1))
    assert off.get("a") is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), max_size=5),
       st.sampled_from(["quote", "quote_plus"]))
def test_fast_form_decoding_agrees_with_parse_qsl(fields, quoting) -> None:
    """sparql_request._form_pairs decodes in C; urllib.parse.parse_qsl is the reference."""
    from urllib.parse import parse_qsl, quote, quote_plus

    from xsrv_kg.server.sparql_request import _form_pairs

    encode = quote if quoting == "quote" else quote_plus
    raw = "&".join(f"{encode(k, safe='')}={encode(v, safe='')}" for k, v in fields).encode()
    assert _form_pairs(raw) == parse_qsl(raw.decode(), keep_blank_values=True,
                                         errors="strict")


@pytest.mark.parametrize("raw", [b"query=%G1", b"query=%E6%B6", b"a=%5C%5Cx41&b=\\x41",
                                 b"q=%%41", b"q=%4", b"q=a+b%2Bc"])
def test_odd_form_bodies_read_as_parse_qsl_reads_them(raw: bytes) -> None:
    from urllib.parse import parse_qsl

    from xsrv_kg.server.sparql_request import Params

    try:
        expected = parse_qsl(raw.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        with pytest.raises(BadInput, match="not valid UTF-8"):
            Params(raw, "form body")
        return
    got = Params(raw, "form body").values
    assert [(k, v) for k, vs in got.items() for v in vs] == expected
