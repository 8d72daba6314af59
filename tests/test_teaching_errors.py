"""Errors that teach: a prefix nobody declared is named with the predeclared ones; an empty
result that compared a plain string to language-tagged data says so (``Xsrv-Hint``)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from xsrv_kg import vocab
from xsrv_kg.errors import BadInput
from xsrv_kg.query import hints
from xsrv_kg.sparql.errors import syntax_error, unknown_prefixes

from .conftest import rows

TYPO = "SELECT ?l WHERE { dvi:xiushan-yongdong rdfs:label ?l }"
JSON = {"Accept": "application/sparql-results+json"}


def assert_teaches(message: str, *, prefix: str = "dvi", nearest: str | None = "div") -> None:
    assert f"unknown prefix {prefix}:" in message
    if nearest:
        assert f"Did you mean {nearest}: <{vocab.PREFIXES[nearest]}>?" in message
    listed = message.split("Predeclared prefixes: ", 1)[1]
    assert all(f"{p}:" in listed for p in vocab.PREFIXES)
    # Not the parser's list of the characters it expected.
    assert "expected one of" not in message and "\\u{" not in message


# --- unknown prefixes ---------------------------------------------------------------------------

def test_sparql_400_names_the_prefix_and_lists_the_predeclared_ones(client):
    response = client.get("/sparql", query_string={"query": TYPO}, headers=JSON)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["type"] == "bad-input"
    assert_teaches(error["message"])
    # The position is the prefixed name's, so the workbench can mark it.
    assert "error at 1:19:" in error["message"]


def test_a_csv_client_gets_it_as_text(client):
    response = client.get("/sparql", query_string={"query": TYPO}, headers={"Accept": "text/csv"})
    assert response.status_code == 400 and response.content_type.startswith("text/plain")
    assert_teaches(response.get_data(as_text=True))


def test_the_cli_says_it_too(runner):
    result = runner.invoke(args=["query", TYPO])
    assert result.exit_code == 2
    assert_teaches(result.output)


@pytest.mark.parametrize(("typo", "nearest"), [("rdsf", "rdfs"), ("XSRV", "xsrv"),
                                               ("skso", "skos"), ("foaf", None)])
def test_the_nearest_prefix_is_close_or_not_offered(client, typo, nearest):
    query = f"SELECT * WHERE {{ ?x {typo}:a ?y }}"
    message = client.get("/sparql", query_string={"query": query},
                         headers=JSON).get_json()["error"]["message"]
    assert_teaches(message, prefix=typo, nearest=nearest)
    if nearest is None:
        assert "Did you mean" not in message


def test_declared_prefixes_blank_nodes_and_strings_are_not_unknown():
    text = ('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n'
            'SELECT * { _:b foaf:name "dvi:x" . <urn:dvi:y> ?p ?o }')
    assert unknown_prefixes(text, vocab.PREFIXES) == []
    assert [t.text for t in unknown_prefixes("SELECT * { ?x :a ?y }", {})] == [":a"]


def test_an_earlier_syntax_error_is_the_parsers_to_report(store):
    text = "SELECT * WHERE { ?x ?y . ?z dvi:a ?w }"
    with pytest.raises(BadInput) as info:
        store.query(text, prefixes=vocab.PREFIXES)
    assert "unknown prefix" not in str(info.value)
    column = int(re.search(r"error at 1:(\d+)", str(info.value))[1])
    assert column <= text.index("dvi:")


def test_a_remote_servers_error_is_rewritten_alike():
    # A JavaCC-style server message: line/column after the prologue, no prefix named.
    error = syntax_error("Encountered \" <PNAME_NS> \"dvi: \"\" at line 1, column 60.",
                         shift=40, text=TYPO, prefixes=vocab.PREFIXES)
    assert_teaches(str(error))


@pytest.mark.slow
def test_a_sparql_store_names_the_prefix(sparql_store):
    with pytest.raises(BadInput) as info:
        sparql_store.query(TYPO, prefixes=vocab.PREFIXES)
    assert_teaches(str(info.value))


# --- the hint of an empty result -----------------------------------------------------------------

PLAIN = 'SELECT ?x WHERE { ?x rdfs:label "涌洞乡" }'


def decode(header: str) -> list[dict[str, str]]:
    """``Xsrv-Hint`` as a list of {kind, query, data}, decoding the RFC 8187 values."""
    found = []
    for element in header.split(", "):
        kind, *params = element.split("; ")
        item = {"kind": kind}
        for param in params:
            name, value = param.split("=", 1)
            assert name.endswith("*") and value.startswith("UTF-8''")
            item[name[:-1]] = unquote(value[len("UTF-8''"):], errors="strict")
        found.append(item)
    return found


def test_an_empty_result_with_a_plain_label_gets_the_tagged_form(client, store):
    tagged = rows(store, 'SELECT ?l WHERE { ?x rdfs:label ?l FILTER(STR(?l) = "涌洞乡") }')
    assert tagged and all(r["l"] == "涌洞乡" for r in tagged)
    response = client.get("/sparql", query_string={"query": PLAIN}, headers=JSON)
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
    header = response.headers[hints.HEADER]
    assert header.isascii()
    assert decode(header) == [{"kind": "lang", "query": '"涌洞乡"', "data": '"涌洞乡"@zh'}]
    assert "Xsrv-Hint" in response.headers["Access-Control-Expose-Headers"]


def test_a_typed_value_gets_its_datatype(client, store):
    years = rows(store, "SELECT DISTINCT ?y WHERE { ?x xsrv:targetYear ?y }")
    year = str(years[0]["y"])
    query = f'SELECT ?x WHERE {{ ?x xsrv:targetYear "{year}" }}'
    found = decode(client.get("/sparql", query_string={"query": query},
                              headers=JSON).headers[hints.HEADER])
    assert {"kind": "datatype", "query": f'"{year}"', "data": f'"{year}"^^xsd:gYear'} in found


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { ?x rdfs:label "涌洞乡"@zh }',            # found: not empty
    'SELECT ?x WHERE { ?x rdfs:label "没有这个名字" }',          # no such form anywhere
    'SELECT ?x WHERE { ?x dcterms:language "zh" ; ?p "nothing-here" }',  # "zh" is plain data
])
def test_no_hint_when_the_tagged_form_is_not_the_reason(client, query):
    response = client.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 200
    assert hints.HEADER not in response.headers


def test_the_cli_prints_the_hint_on_stderr(runner):
    result = runner.invoke(args=["query", PLAIN, "--format", "csv"])
    assert result.exit_code == 0
    assert 'hint: the data has "涌洞乡" only as "涌洞乡"@zh' in result.output


def test_plain_strings_skip_tagged_and_typed_ones_and_unescape():
    text = ('SELECT * { ?a ?b "x\\"y" , \'\'\'long\'\'\' , "t"@en , "1"^^xsd:int ,'
            ' "\\u6D8C" }')
    assert hints.plain_strings(text) == ['x"y', "long", "涌"]


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?x rdfs:label "涌洞乡" ; ?p "2021" }',
    'SELECT * WHERE { ?x rdfs:label "沒有這個" }',
    'SELECT * WHERE { ?x ?p "先行示范类" }',
])
def test_a_large_store_looks_up_the_usual_forms_only_and_finds_the_same(store, monkeypatch,
                                                                       query):
    """Above SCAN_LIMIT quads, no literal is read but the candidates: same hints here."""
    read_all = hints.for_empty_result(store, query)
    monkeypatch.setattr(hints, "SCAN_LIMIT", 0)
    assert hints.for_empty_result(store, query) == read_all
