"""The ``sparql:`` store's pieces that need no server: reading a query's form, the prologue,
form encoding, the URLs it accepts, and Virtuoso's dialect (tests/test_virtuoso.py runs it
against a real Virtuoso).

The store against a live ``oxigraph serve``: test_store_sparql.py.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from xsrv_kg import vocab
from xsrv_kg.errors import BadInput
from xsrv_kg.store import open_store, virtuoso
from xsrv_kg.store.http_client import form_encode
from xsrv_kg.store.sparql import SparqlStore
from xsrv_kg.store.sparql_protocol import prologue, query_form

from .conftest import solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
G1 = "https://example.org/graph/one"


# --- helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("prefix ask: <urn:x> # CONSTRUCT in a comment\n construct { ?s ask:p ?o } where {}",
     "CONSTRUCT"),
    ('BASE <urn:select> PREFIX x: <urn:y> ASK { ?s ?p "SELECT" }', "ASK"),
    ("DESCRIBE <urn:x>", "DESCRIBE"),
    ("SELECT ?ask WHERE { ?ask ?p ?o }", "SELECT"),
    ("INSERT DATA {}", None),
])
def test_query_form_is_read_outside_strings_iris_and_comments(text: str, form: str) -> None:
    assert query_form(text) == form


def test_prologue_declares_the_prefixes_used_on_one_line() -> None:
    head = prologue("SELECT * WHERE { ?s a xsrv:Plan ; rdfs:label/skos:x ?l }",
                    vocab.PREFIXES, "https://example.org/sparql")
    assert "\n" not in head
    assert head.startswith("BASE <https://example.org/sparql> ")
    declared = {part.split(":")[0] for part in head.split("PREFIX ")[1:]}
    assert declared == {"xsrv", "rdfs", "skos"}
    assert prologue("ASK {}", vocab.PREFIXES, None) == ""


def test_form_encoding_is_urlencode() -> None:
    from urllib.parse import urlencode

    fields = [("query", 'SELECT ?x { "涌洞乡 a+b" ~ & = % \n\t }'), ("named-graph-uri", G1 + "?a=1")]
    assert form_encode(fields).decode() == urlencode(fields)


def test_only_http_urls() -> None:
    with pytest.raises(BadInput, match="http:// or https://"):
        SparqlStore("ftp://example.org/sparql", probe=False)
    with pytest.raises(BadInput, match="http:// or https://"):
        open_store("sparql:/tmp/x")


# --- Virtuoso's dialect, without a server (tests/test_virtuoso.py has one) -------------------


@pytest.mark.parametrize(("query", "moved"), [
    # rq.bind's form: one variable, on a line of its own after the solution modifiers.
    ("SELECT * WHERE { ?iri ?p ?o } ORDER BY ?p\nVALUES ?iri { <urn:a> <urn:b> }\n",
     "SELECT * WHERE { ?iri ?p ?o  VALUES ?iri { <urn:a> <urn:b> } } ORDER BY ?p\n\n"),
    ("ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } }\nVALUES ?iri { <urn:a> }",
     "ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri }  VALUES ?iri { <urn:a> } }\n"),
    # bind_row's form; no WHERE keyword; a CONSTRUCT template is not the WHERE group.
    ("SELECT * { ?a ?b ?c } VALUES (?a ?b) { (<urn:a> 1) }",
     "SELECT * { ?a ?b ?c  VALUES (?a ?b) { (<urn:a> 1) } } "),
    ("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c } values ?a { <urn:a> }",
     "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c  values ?a { <urn:a> } } "),
    # Braces, keywords and '#' in strings, IRIs and comments are not read; a comment on the
    # group's last line stays one (the block goes after it, before the brace).
    ('SELECT * WHERE { ?s ?p "VALUES ?x { }" # } VALUES\n} VALUES ?s { "}" }',
     'SELECT * WHERE { ?s ?p "VALUES ?x { }" # } VALUES\n VALUES ?s { "}" } } '),
    # Groups in subqueries and in HAVING (EXISTS {…}) are not the WHERE group.
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } GROUP BY ?s "
     "HAVING (EXISTS { ?s ?p ?o }) VALUES ?s { <urn:a> }",
     "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } }  VALUES ?s { <urn:a> } } GROUP BY ?s "
     "HAVING (EXISTS { ?s ?p ?o }) "),
    # Left as they are: no trailing VALUES, VALUES inside the group, no WHERE group, more text
    # after the block, unbalanced braces.
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT * WHERE { VALUES ?s { <urn:a> } ?s ?p ?o }", None),
    ("DESCRIBE <urn:a> VALUES ?x { 1 }", None),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:a> } LIMIT 1", None),
    ("SELECT * WHERE { ?s ?p ?o VALUES ?s { <urn:a> }", None),
])
def test_virtuoso_trailing_values_move_into_the_where_group(query: str, moved: str | None) -> None:
    got = virtuoso.inline_trailing_values(query)
    assert got == (query if moved is None else moved)
    # Same answers on a SPARQL 1.1 store (Oxigraph).
    if moved is not None:
        data = ox.Store()
        data.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1")))
        data.add(ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.NamedNode("urn:a")))
        assert solutions(data.query(moved)) == solutions(data.query(query))


def test_virtuoso_json_results_are_read_as_sparql_11() -> None:
    body = json.dumps({"head": {"vars": ["b", "t", "s"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10001"},
         "t": {"type": "typed-literal", "datatype": XSD + "boolean", "value": "1"},
         "s": {"type": "literal", "value": "nodeID://b1 乡"}},
        {"t": {"type": "typed-literal", "datatype": XSD + "boolean", "value": "0"}},
    ]}}).encode()
    rows = list(ox.parse_query_results(virtuoso.json_results(body),
                                       format=ox.QueryResultsFormat.JSON))
    assert rows[0]["b"] == ox.BlankNode("b10001")
    assert rows[0]["t"] == ox.Literal(True) and rows[1]["t"] == ox.Literal(False)
    assert rows[0]["s"] == ox.Literal("nodeID://b1 乡")  # a string is a string
    plain = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    assert virtuoso.json_results(plain) is plain
    assert virtuoso.xml_results(b"<bnode>nodeID://b1</bnode>") == b"<bnode>b1</bnode>"


def test_virtuoso_messages_and_graphs() -> None:
    assert virtuoso.server_message(
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}'\n\n"
        "SPARQL query:\ndefine sql:big-data-const 0 SELECT * WHERE { ?s ?p }") == \
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}'"
    assert virtuoso.server_message(
        "<html><body><h1>HTTP/1.1 500 Request Failed</h1>\n<h3>Error 22023</h3>\n"
        "<xmp>The PUT request … is rejected</xmp></body></html>") == \
        "Error 22023: The PUT request … is rejected"
    system = ["http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
              "http://127.0.0.1:8890/sparql", "http://localuriqaserver/sparql",
              "http://127.0.0.1:8890/DAV/"]
    ours = ["https://w3id.org/xsrv-kg/graph/shapes", "http://www.w3.org/ns/ldp#x",
            "http://example.org/x/sparql", "http://example.org/DAV/x"]
    assert [virtuoso.is_system_graph(g) for g in system + ours] == [True] * 5 + [False] * 4
    assert virtuoso.graph_store_url("http://127.0.0.1:8890/sparql?x=1") == \
        "http://127.0.0.1:8890/sparql-graph-crud"
    assert virtuoso.is_virtuoso("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu  ")
    with pytest.raises(BadInput, match="unknown SPARQL dialect"):
        SparqlStore("http://127.0.0.1:1/sparql", probe=False, dialect="fuseki")
