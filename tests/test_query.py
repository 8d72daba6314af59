"""What ``xsrv-kg query`` prints (through the endpoint, as /sparql runs queries), on a tiny
store built from inline TriG."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, NotFound, XsrvError
from xsrv_kg.query import console
from xsrv_kg.query.console import MAX_CELL_WIDTH, read_query, shorten_iri
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.store import Store, open_store

TRIG = """
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix id: <https://w3id.org/xsrv-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://w3id.org/xsrv-kg/graph/documents/test> {
  id:aikou a xsrv:Town ; rdfs:label "隘口镇"@zh ; xsrv:code "500241" .
  id:zhongling a xsrv:Town ; rdfs:label "钟灵镇"@zh .
  id:abc a xsrv:Town ; rdfs:label "ABC town" ; xsrv:code "x" .
}
"""

TOWNS = """
SELECT ?town ?label ?code WHERE {
  ?town a xsrv:Town ; rdfs:label ?label .
  OPTIONAL { ?town xsrv:code ?code }
} ORDER BY ?town
"""


def width(text: str) -> int:
    """Terminal columns, computed independently of the module under test."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.fixture
def store() -> Store:
    store = open_store("memory")
    store.add(ox.parse(input=TRIG, format=ox.RdfFormat.TRIG))
    return store


def printed(store: Store, query: str, fmt: str, **config: object) -> str:
    """What ``xsrv-kg query --format fmt`` prints for ``query`` over ``store``."""
    endpoint = Endpoint(Config(**config), store, workers=False)  # type: ignore[arg-type]
    return console.render(console.run_query(endpoint, query, fmt), fmt).decode("utf-8")


# --- table ----------------------------------------------------------------------------------


def test_table_columns_align_with_chinese_text(store: Store) -> None:
    text = printed(store, TOWNS, "table")
    lines = text.rstrip("\n").split("\n")
    body, footer = lines[:-1], lines[-1]
    assert footer == "(3 rows)"
    assert len(body) == 2 + 3  # header, rule, three rows
    assert len({width(line) for line in body}) == 1, text
    # The column separators sit at the same display column on every line.
    bars = {tuple(width(line[:i]) for i, c in enumerate(line) if c in "|+") for line in body}
    assert len(bars) == 1, text


def test_table_cells_show_prefixed_names_values_and_blanks(store: Store) -> None:
    text = printed(store, TOWNS, "table")
    lines = text.splitlines()
    header, rows = lines[0], lines[2:-1]
    assert [cell.strip() for cell in header.split("|")] == ["town", "label", "code"]
    assert [[cell.strip() for cell in row.split("|")] for row in rows] == [
        ["id:abc", "ABC town", "x"],
        ["id:aikou", "隘口镇", "500241"],
        ["id:zhongling", "钟灵镇", ""],
    ]


def test_table_keeps_long_and_multiline_values_on_one_short_line() -> None:
    store = open_store("memory")
    long_text = "第一行\n" + "乡村振兴" * 100
    store.add([ox.Quad(ox.NamedNode(vocab.ID + "doc"), ox.NamedNode(vocab.CNT_CHARS),
                       ox.Literal(long_text), ox.NamedNode(vocab.GRAPH + "g"))])
    text = printed(store, "SELECT ?t WHERE { ?d cnt:chars ?t }", "table")
    cell = text.splitlines()[2].rstrip()
    assert cell.startswith("第一行⏎乡村振兴")
    assert cell.endswith("…")
    assert width(cell) <= MAX_CELL_WIDTH
    assert text.splitlines()[-1] == "(1 row)"


def test_table_of_no_rows(store: Store) -> None:
    text = printed(store, "SELECT ?x WHERE { ?x a xsrv:Nothing }", "table")
    assert text.splitlines() == ["x", "-", "(0 rows)"]


def test_shorten_iri_uses_longest_namespace_and_keeps_odd_iris_whole() -> None:
    assert shorten_iri(vocab.ID + "aikou") == "id:aikou"
    assert shorten_iri(vocab.XSRV + "Town") == "xsrv:Town"
    assert shorten_iri("http://example.org/x") == "<http://example.org/x>"
    assert shorten_iri(vocab.ID + "doc/xiushan-plan/s4-5") == "xp:s4-5"
    assert shorten_iri(vocab.ID + "doc/other-plan/s4-5") == "doc:other-plan/s4-5"
    # Query strings, fragments and spaces do not read as a local name.
    assert shorten_iri(vocab.ID + "a?x=1") == f"<{vocab.ID}a?x=1>"
    assert shorten_iri(vocab.ID + "a#b") == f"<{vocab.ID}a#b>"


# --- W3C results formats ----------------------------------------------------------------------


def test_csv_parses_back(store: Store) -> None:
    text = printed(store, TOWNS, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["town", "label", "code"],
        [vocab.ID + "abc", "ABC town", "x"],
        [vocab.ID + "aikou", "隘口镇", "500241"],
        [vocab.ID + "zhongling", "钟灵镇", ""],
    ]


def test_tsv_parses_back_with_terms_in_ntriples_syntax(store: Store) -> None:
    text = printed(store, TOWNS, "tsv")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?town", "?label", "?code"]
    assert rows[2] == [f"<{vocab.ID}aikou>", '"隘口镇"@zh', '"500241"']
    assert rows[3][2] == ""


def test_json_parses_back(store: Store) -> None:
    data = json.loads(printed(store, TOWNS, "json"))
    assert data["head"]["vars"] == ["town", "label", "code"]
    bindings = data["results"]["bindings"]
    assert len(bindings) == 3
    assert bindings[1]["town"] == {"type": "uri", "value": vocab.ID + "aikou"}
    assert bindings[1]["label"] == {"type": "literal", "value": "隘口镇", "xml:lang": "zh"}
    assert "code" not in bindings[2]  # unbound


def test_ask(store: Store) -> None:
    assert printed(store, "ASK { id:aikou a xsrv:Town }", "table") == "true\n"
    assert printed(store, "ASK { id:aikou a xsrv:City }", "table") == "false\n"
    data = json.loads(printed(store, "ASK { ?s ?p ?o }", "json"))
    assert data["boolean"] is True


def test_union_default_graph_switch(store: Store) -> None:
    query = "ASK { ?s a xsrv:Town }"
    assert printed(store, query, "table") == "true\n"
    assert printed(store, query, "table", union_default_graph=False) == "false\n"


def test_evaluation_failure_is_an_xsrv_error(store: Store) -> None:
    # pyoxigraph refuses port 9 before connecting, so this needs no network. The CLI calls
    # only the SERVICE endpoints on the allow-list, as /sparql does.
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(XsrvError, match="query evaluation failed: .*port 9"):
        printed(store, query, "table", service_allow_list=("http://127.0.0.1:9/",))


def test_graph_format_rejected_for_solutions(store: Store) -> None:
    with pytest.raises(BadInput, match="'csv'"):
        printed(store, TOWNS, "turtle")


# --- CONSTRUCT ------------------------------------------------------------------------------


CONSTRUCT = "CONSTRUCT { ?t rdfs:label ?l } WHERE { ?t a xsrv:Town ; rdfs:label ?l }"


def expected_labels() -> rdflib.Graph:
    graph = rdflib.Graph()
    rdfs_label = rdflib.RDFS.label
    graph.add((rdflib.URIRef(vocab.ID + "aikou"), rdfs_label, rdflib.Literal("隘口镇", lang="zh")))
    graph.add((rdflib.URIRef(vocab.ID + "zhongling"), rdfs_label,
               rdflib.Literal("钟灵镇", lang="zh")))
    graph.add((rdflib.URIRef(vocab.ID + "abc"), rdfs_label, rdflib.Literal("ABC town")))
    return graph


@pytest.mark.parametrize(("fmt", "rdflib_format"),
                         [("table", "turtle"), ("turtle", "turtle"), ("ntriples", "nt")])
def test_construct_serializes_as_rdf(store: Store, fmt: str, rdflib_format: str) -> None:
    text = printed(store, CONSTRUCT, fmt)
    graph = rdflib.Graph().parse(data=text, format=rdflib_format)
    assert isomorphic(graph, expected_labels())


def test_construct_turtle_declares_only_used_prefixes(store: Store) -> None:
    text = printed(store, CONSTRUCT, "turtle")
    declared = set(re.findall(r"@prefix (\w+):", text))
    assert declared == {"id", "rdfs"}
    assert "id:aikou" in text


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_solution_formats_rejected_for_graphs(store: Store, fmt: str) -> None:
    with pytest.raises(BadInput) as info:
        printed(store, CONSTRUCT, fmt)
    message = str(info.value)
    assert repr(fmt) in message
    assert "'turtle'" in message and "'ntriples'" in message and "'table'" in message


# --- syntax errors and the predeclared prefixes --------------------------------------------


def pyoxigraph_position(query: str) -> str:
    """Where pyoxigraph itself places the error in ``query``, run without any prologue."""
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(query)
    return re.search(r"error at \d+:\d+", str(info.value))[0]


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p  }", "SELECT *\nWHERE {\n  ?s }"])
def test_syntax_error_is_bad_input_with_position_in_users_text(store: Store, query: str) -> None:
    with pytest.raises(BadInput) as info:
        printed(store, query, "table")
    message = str(info.value)
    assert re.search(r"error at \d+:\d+", message)[0] == pyoxigraph_position(query)
    assert ("error at 1:" in message) == ("\n" not in query)


def test_every_project_prefix_is_predeclared(store: Store) -> None:
    assert printed(store, "SELECT ?l WHERE { id:aikou rdfs:label ?l }", "csv") \
        == "l\r\n隘口镇\r\n"
    for prefix, iri in vocab.PREFIXES.items():
        query = f"SELECT ?x WHERE {{ BIND({prefix}:a AS ?x) }}"
        assert list(csv.reader(io.StringIO(printed(store, query, "csv"))))[1] == [iri + "a"]


def test_prefixes_the_query_declares_win(store: Store) -> None:
    query = ("prefix xsrv: <http://example.org/other#>\n"
             "PREFIX  id:   <http://example.org/id/>\n"
             "SELECT ?x ?y ?z WHERE { BIND(xsrv:a AS ?x) BIND(id:b AS ?y) BIND(rdfs:c AS ?z) }")
    rows = list(csv.reader(io.StringIO(printed(store, query, "csv"))))
    assert rows[1] == ["http://example.org/other#a", "http://example.org/id/b",
                       vocab.PREFIXES["rdfs"] + "c"]


def test_prefix_names_are_case_sensitive(store: Store) -> None:
    # SPARQL's PREFIX keyword is case-insensitive, prefix names are not: XSRV: is not xsrv:.
    query = "PREFIX XSRV: <http://example.org/>\nSELECT ?x ?y WHERE { BIND(xsrv:a AS ?x) " \
            "BIND(XSRV:a AS ?y) }"
    rows = list(csv.reader(io.StringIO(printed(store, query, "csv"))))
    assert rows[1] == [vocab.XSRV + "a", "http://example.org/a"]


def test_base_and_prefix_stay_before_the_query_form(store: Store) -> None:
    query = "BASE <https://w3id.org/xsrv-kg/id/>\nSELECT ?l WHERE { <aikou> rdfs:label ?l }"
    rows = list(csv.reader(io.StringIO(printed(store, query, "csv"))))
    assert rows == [["l"], ["隘口镇"]]


# --- read_query -----------------------------------------------------------------------------


def test_read_query_reads_a_file(tmp_path) -> None:
    path = tmp_path / "乡镇.rq"
    path.write_text("# 乡镇\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(str(path)) == "# 乡镇\nSELECT * WHERE { ?s ?p ?o }\n"


def test_read_query_finds_shipped_queries_by_name(tmp_path) -> None:
    (tmp_path / "towns.rq").write_text("ASK {}", encoding="utf-8")
    assert read_query("towns.rq", queries_dir=tmp_path) == "ASK {}"


def test_read_query_returns_query_text_as_is() -> None:
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert read_query(text) == text
    long_text = "SELECT * WHERE { " + "?s ?p ?o . " * 100 + "}"  # longer than any file name
    assert read_query(long_text) == long_text


def test_read_query_missing_rq_file_is_not_found(tmp_path) -> None:
    with pytest.raises(NotFound, match=r"nope\.rq"):
        read_query("nope.rq", queries_dir=tmp_path)
