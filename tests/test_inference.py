"""The inferred graph (xsrv_kg/sources/inference.py): what it adds, what it leaves alone.

Expected answers are read off the asserted data (a store loaded without inference), never
written in: the closure is checked against ``rdfs:subClassOf*`` paths, the shortcuts against
the page query that reckons fund recipients independently (overview-fund-recipients.rq).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput
from xsrv_kg.query.console import read_query
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.sources import inference
from xsrv_kg.sources.export import export
from xsrv_kg.sources.loader import load_project
from xsrv_kg.sparql import rq
from xsrv_kg.sparql.header import parse_header
from xsrv_kg.store import Store, open_store
from xsrv_kg.validation import validate

from .conftest import Runner, column, rows, solutions

CONFIG = Config()
INFERRED = CONFIG.graph_iri("inferred")
NOTES_TYPED = "SELECT (COUNT(?n) AS ?c) { ?n a xsrv:EditorialNote }"
NOTES_BY_PATH = "SELECT (COUNT(DISTINCT ?n) AS ?c) { ?n a/rdfs:subClassOf* xsrv:EditorialNote }"


@pytest.fixture(scope="module")
def inferred() -> Iterator[Store]:
    """The project with its inferred graph."""
    s = open_store("memory")
    load_project(s, CONFIG)
    inference.refresh(s, CONFIG)
    yield s
    s.close()


def _count(store: Store, query: str) -> int:
    return int(column(store, query)[0])


def test_type_queries_count_every_note_with_inference(inferred: Store, store: Store) -> None:
    asserted_direct = _count(store, NOTES_TYPED)
    by_path = _count(store, NOTES_BY_PATH)
    assert by_path > asserted_direct  # the data has interpretations and ambiguities
    assert _count(inferred, NOTES_TYPED) == by_path == _count(inferred, NOTES_BY_PATH)


def test_inference_off_restores_the_asserted_answers(inferred: Store, store: Store) -> None:
    off = replace(CONFIG, inference=False)
    s = open_store("memory")
    load_project(s, off)
    inference.refresh(s, CONFIG)
    inference.refresh(s, off)  # computed, then switched off: dropped again
    assert INFERRED not in s.graphs()
    assert _count(s, NOTES_TYPED) == _count(store, NOTES_TYPED)
    assert s.graphs() == store.graphs() and len(s) == len(store)


def test_the_subclass_closure_is_every_path_and_nothing_more(inferred: Store,
                                                               store: Store) -> None:
    by_path = set(column(store, """SELECT DISTINCT (CONCAT(STR(?x), " ", STR(?c)) AS ?t)
        { ?x a/rdfs:subClassOf* ?c FILTER(isIRI(?c)) }"""))
    typed = set(column(inferred, """SELECT DISTINCT (CONCAT(STR(?x), " ", STR(?c)) AS ?t)
        { ?x a ?c }"""))
    rules = {f"{inference.rule_iri(CONFIG, name).value} {vocab.XSRV}DerivationRule"
             for name in inference.RULES} | \
        {f"{inference.rule_iri(CONFIG, name).value} {vocab.PREFIXES['prov']}Plan"
         for name in inference.RULES} | {f"{INFERRED} {vocab.PREFIXES['prov']}Entity"}
    assert typed - rules == by_path


def test_the_subproperty_closure_gives_the_superproperties(inferred: Store,
                                                           store: Store) -> None:
    spans = _count(store, "SELECT (COUNT(*) AS ?c) { ?s xsrv:sourceSpan ?o }")
    derived = _count(inferred, """SELECT (COUNT(*) AS ?c) {
        GRAPH graph:inferred { ?s prov:wasDerivedFrom ?o } ?s xsrv:sourceSpan ?o }""")
    assert spans and derived == spans


def test_fund_rule_shortcuts_are_the_recipients_pages_reckon(inferred: Store,
                                                             store: Store) -> None:
    pages = {(row["r"].value, row["unit"].value)
             for row in rq.select(store, "overview-fund-recipients")}
    funds = {(r["r"], r["u"]) for r in rows(inferred, "SELECT ?r ?u { ?r xsrv:fundsUnit ?u }")}
    back = {(r["r"], r["u"]) for r in rows(inferred, "SELECT ?r ?u { ?u xsrv:fundedBy ?r }")}
    assert pages and funds == back == pages


def test_each_shortcut_is_traced_to_an_assignment_of_its_unit(inferred: Store) -> None:
    untraced = rows(inferred, """SELECT ?r ?u { ?r xsrv:fundsUnit ?u
        FILTER NOT EXISTS { ?r xsrv:recipientAssignment ?a . ?a xsrv:assignedUnit ?u ;
                            xsrv:sourceSpan/oa:exact ?quote } }""")
    assert untraced == []


def test_each_rule_is_described_with_its_file_text_and_labels(inferred: Store) -> None:
    described = {r["rule"]: r for r in rows(inferred, """SELECT ?rule ?text ?file
        { GRAPH graph:inferred { graph:inferred xsrv:derivedBy ?rule .
          ?rule a xsrv:DerivationRule ; xsrv:ruleQuery ?text ; xsrv:ruleFile ?file } }""")}
    assert set(described) == {inference.rule_iri(CONFIG, n).value for n in inference.RULES}
    root = Path(rq.SPARQL_DIR).parents[1]
    for name in inference.RULES:
        row = described[inference.rule_iri(CONFIG, name).value]
        text = (root / str(row["file"])).read_text(encoding="utf-8")
        assert parse_header(text)[1].strip() == row["text"]
        labels = column(inferred, f"""SELECT ?l {{ GRAPH graph:inferred {{
            <{row['rule']}> rdfs:label ?l }} }}""")
        assert len(labels) == 2


def test_every_inferred_triple_comes_from_a_rule_file_or_describes_the_rules(
        inferred: Store) -> None:
    # The rule files run as CONSTRUCTs in a scratch pyoxigraph store holding the asserted
    # graphs, as a researcher could: the RDFS steps over and over until nothing new follows,
    # then the shortcuts once.
    asserted = inference.asserted_graphs(inferred, CONFIG)
    scratch = ox.Store()
    scratch.extend(ox.parse(inferred.dump(ox.RdfFormat.N_QUADS, asserted),
                            format=ox.RdfFormat.N_QUADS))
    derived: set[ox.Triple] = set()
    scratch_graph = ox.NamedNode("https://example.org/derived")
    while True:
        found = set()
        for name in inference.CLOSURES:
            found |= set(scratch.query(rq.load(name), prefixes=vocab.PREFIXES,
                                       use_default_graph_as_union=True))
        if not found - derived:
            break
        derived |= found
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object, scratch_graph) for t in found)
    derived |= set(scratch.query(rq.load("infer-fund-recipients"), prefixes=vocab.PREFIXES,
                                 use_default_graph_as_union=True))
    graph = set(inferred.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}"))
    described = {ox.NamedNode(INFERRED)} | {inference.rule_iri(CONFIG, n) for n in inference.RULES}
    assert {t for t in graph if t.subject not in described} == derived


def test_predicates_name_the_rule_that_derives_them(inferred: Store) -> None:
    orphans = column(inferred, """SELECT DISTINCT ?p { GRAPH graph:inferred { ?s ?p ?o }
        FILTER(?s != graph:inferred && !STRSTARTS(STR(?s), CONCAT(STR(id:), "inference/")))
        FILTER NOT EXISTS { GRAPH graph:inferred { ?rule xsrv:derivesPredicate ?p } } }""")
    assert orphans == []


CURATED = sorted(p.name for p in CONFIG.queries_dir.glob("*.rq")
                 if "SERVICE" not in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CURATED)
def test_every_curated_query_answers_the_same_with_inference(name: str, inferred: Store,
                                                             store: Store) -> None:
    text = read_query(name, queries_dir=CONFIG.queries_dir)
    assert solutions(inferred.query(text, prefixes=vocab.PREFIXES)) == \
        solutions(store.query(text, prefixes=vocab.PREFIXES))


def _endpoint() -> Endpoint:
    s = open_store("memory")
    load_project(s, CONFIG)
    inference.refresh(s, CONFIG)
    return Endpoint(replace(CONFIG, allow_update=True), s, workers=False)


NOTE = "https://example.org/note"


def test_an_update_recomputes_the_inferred_graph() -> None:
    endpoint = _endpoint()
    try:
        ask = f"ASK {{ GRAPH <{INFERRED}> {{ <{NOTE}> a xsrv:EditorialNote }} }}"
        assert not endpoint.store.query(ask, prefixes=vocab.PREFIXES)
        endpoint.update(f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <{NOTE}> a "
                        f"<{vocab.XSRV}Ambiguity> }} }}")
        assert endpoint.store.query(ask, prefixes=vocab.PREFIXES)
        endpoint.update(f"DELETE DATA {{ GRAPH <https://example.org/g> {{ <{NOTE}> a "
                        f"<{vocab.XSRV}Ambiguity> }} }}")
        assert not endpoint.store.query(ask, prefixes=vocab.PREFIXES)
    finally:
        endpoint.close()


def test_a_graph_store_write_recomputes_the_inferred_graph() -> None:
    endpoint = _endpoint()
    try:
        with endpoint.writing("Graph Store PUT") as s:
            s.put("https://example.org/g", [ox.Quad(
                ox.NamedNode(NOTE), ox.NamedNode(vocab.PREFIXES["rdf"] + "type"),
                ox.NamedNode(vocab.XSRV + "Interpretation"))])
        assert endpoint.store.query(f"ASK {{ GRAPH <{INFERRED}> {{ <{NOTE}> a "
                                    "xsrv:EditorialNote } }", prefixes=vocab.PREFIXES)
    finally:
        endpoint.close()


def test_validation_reads_the_asserted_graphs_only(inferred: Store, store: Store) -> None:
    # A triple in the inferred graph that breaks a shape (a fund rule without any of its
    # required properties) must not show up: SHACL checks what the sources assert.
    inferred.add([ox.Quad(ox.NamedNode("https://example.org/rule"),
                          ox.NamedNode(vocab.PREFIXES["rdf"] + "type"),
                          ox.NamedNode(vocab.XSRV + "FundRule"), ox.NamedNode(INFERRED))])
    try:
        with_graph, without = validate(inferred, CONFIG), validate(store, CONFIG)
        assert with_graph.conforms == without.conforms
        assert [r.focus for r in with_graph.results] == [r.focus for r in without.results]
        with pytest.raises(BadInput, match="inferred graph"):
            validate(inferred, CONFIG, graphs=[INFERRED])
    finally:
        inference.refresh(inferred, CONFIG)


def test_export_all_leaves_the_inferred_graph_out(inferred: Store) -> None:
    everything = ox.Dataset(ox.parse(export(inferred, CONFIG, "all", "nquads"),
                                     format=ox.RdfFormat.N_QUADS))
    assert ox.NamedNode(INFERRED) not in {q.graph_name for q in everything}
    alone = ox.Dataset(ox.parse(export(inferred, CONFIG, "inferred", "nquads"),
                                format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in alone} == {ox.NamedNode(INFERRED)}


def test_the_command_line_infers_unless_told_not_to(store: Store) -> None:
    runner = Runner()
    on = runner.invoke(args=["query", NOTES_TYPED, "--format", "csv"])
    off = runner.invoke(args=["query", NOTES_TYPED, "--format", "csv", "--no-inference"])
    assert on.output.split() == ["c", str(_count(store, NOTES_BY_PATH))]
    assert off.output.split() == ["c", str(_count(store, NOTES_TYPED))]


def test_xsrv_inference_0_switches_it_off() -> None:
    assert Config.from_env({}).inference
    assert not Config.from_env({"XSRV_INFERENCE": "0"}).inference


def test_a_persistent_store_is_brought_in_line_when_opened(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    Runner().invoke(args=["load", "-q", "--no-inference", "--store", spec])
    config = replace(CONFIG, store=spec)
    endpoint = Endpoint.open(config, workers=False)
    try:
        assert INFERRED in endpoint.store.graphs()
    finally:
        endpoint.close()
    endpoint = Endpoint.open(replace(config, inference=False), workers=False)
    try:
        assert INFERRED not in endpoint.store.graphs()
    finally:
        endpoint.close()
