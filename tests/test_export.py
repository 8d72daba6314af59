"""Exporting parts of a tiny store built from inline TriG, checked by parsing with rdflib."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput
from xsrv_kg.sources.export import export, part_graphs
from xsrv_kg.store import Store, open_store

# rdflib's own TriG/N-Quads parsers use its deprecated ConjunctiveGraph API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

CONFIG = Config()
ONTOLOGY = CONFIG.graph_iri("ontology")
SHAPES = CONFIG.graph_iri("shapes")
PLAN = CONFIG.graph_iri("documents/xiushan-plan")
TOWNS = CONFIG.graph_iri("reference")

TRIG = f"""
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix id: <https://w3id.org/xsrv-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsh: <https://w3id.org/xsrv-kg/shapes#> .

<{ONTOLOGY}> {{
  xsrv:Town a owl:Class ; rdfs:label "乡镇"@zh, "town"@en .
}}
<{SHAPES}> {{
  xsh:TownShape a sh:NodeShape ; sh:targetClass xsrv:Town ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
}}
<{PLAN}> {{
  id:plan xsrv:mentions id:aikou ;
    xsrv:span [ xsrv:start 10 ; xsrv:end 13 ; xsrv:text "隘口镇" ] .
  id:aikou a xsrv:Town .
}}
<{TOWNS}> {{
  id:aikou a xsrv:Town ; rdfs:label "隘口镇"@zh ; xsrv:code "500241107" .
}}
"""


@pytest.fixture
def store() -> Store:
    store = open_store("memory")
    store.add(ox.parse(input=TRIG, format=ox.RdfFormat.TRIG))
    return store


def source() -> rdflib.Dataset:
    return rdflib.Dataset().parse(data=TRIG, format="trig")


def named_graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    """The non-empty named graphs of ``dataset``, as plain graphs keyed by name."""
    graphs = {}
    for context in dataset.graphs():
        if context.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID or not len(context):
            continue
        graph = rdflib.Graph()
        for triple in context:
            graph.add(triple)
        graphs[str(context.identifier)] = graph
    return graphs


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads")])
def test_all_round_trips_with_graph_names(store: Store, fmt: str, rdflib_format: str) -> None:
    exported = rdflib.Dataset().parse(data=export(store, CONFIG, "all", fmt), format=rdflib_format)
    assert len(list(exported.quads())) == len(store) == len(list(source().quads()))
    got, want = named_graphs(exported), named_graphs(source())
    assert set(got) == {ONTOLOGY, SHAPES, PLAN, TOWNS}
    for name in want:
        assert isomorphic(got[name], want[name]), name


@pytest.mark.parametrize(("part", "graphs"), [
    ("ontology", {ONTOLOGY}),
    ("shapes", {SHAPES}),
    ("data", {PLAN, TOWNS}),
    ("all", {ONTOLOGY, SHAPES, PLAN, TOWNS}),
])
def test_part_selects_its_graphs(store: Store, part: str, graphs: set[str]) -> None:
    assert set(part_graphs(store, CONFIG, part)) == graphs
    exported = rdflib.Dataset().parse(data=export(store, CONFIG, part, "trig"), format="trig")
    got, want = named_graphs(exported), named_graphs(source())
    assert set(got) == graphs
    for name in graphs:
        assert isomorphic(got[name], want[name]), name


def test_turtle_merges_the_chosen_graphs(store: Store) -> None:
    text = export(store, CONFIG, "data", "turtle")
    merged = rdflib.Graph().parse(data=text, format="turtle")
    want = rdflib.Graph()
    for name, graph in named_graphs(source()).items():
        if name in (PLAN, TOWNS):
            for triple in graph:
                want.add(triple)
    # "id:aikou a xsrv:Town" is in both data graphs and appears once in the merge.
    assert len(merged) == len(want) == 6 + 3 - 1
    assert isomorphic(merged, want)


def test_trig_uses_project_prefixes(store: Store) -> None:
    text = export(store, CONFIG, "all", "trig").decode("utf-8")
    assert "@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#>" in text
    assert "id:aikou" in text
    assert "隘口镇" in text  # UTF-8, not \\u escapes


def test_part_that_is_absent_exports_no_quads() -> None:
    store = open_store("memory")
    store.add(q for q in ox.parse(input=TRIG, format=ox.RdfFormat.TRIG)
              if q.graph_name != ox.NamedNode(SHAPES))
    exported = rdflib.Dataset().parse(data=export(store, CONFIG, "shapes", "nquads"),
                                      format="nquads")
    assert list(exported.quads()) == []


def test_unknown_part_or_format_is_bad_input(store: Store) -> None:
    with pytest.raises(BadInput, match="'everything'"):
        export(store, CONFIG, "everything", "trig")
    with pytest.raises(BadInput, match="'rdfxml'.*trig, nquads, turtle"):
        export(store, CONFIG, "all", "rdfxml")


@pytest.mark.slow
def test_project_data_trig_round_trips_through_rdflib() -> None:
    """``export --part data --format trig`` of the real data, read back by rdflib, equals
    (per named graph, up to blank nodes) what rdflib reads from the Turtle sources directly."""
    from xsrv_kg.sources.loader import load_project

    project = open_store("memory")
    load_project(project, CONFIG, parts=("data",))
    exported = named_graphs(rdflib.Dataset().parse(
        data=export(project, CONFIG, "data", "trig"), format="trig"))
    cnt_chars = rdflib.URIRef("http://www.w3.org/2011/content#chars")
    folders = {CONFIG.graph_iri(p.relative_to(CONFIG.data_dir).as_posix()): p
               for p in CONFIG.data_dir.glob("*/*") if p.is_dir()}
    assert set(exported) == set(folders)
    for name, folder in folders.items():
        direct = rdflib.Graph()
        for ttl in folder.glob("*.ttl"):
            direct.parse(ttl, format="turtle")
        graph = exported[name]
        # The loader adds each source text as cnt:chars; the Turtle only names the file.
        texts = list(graph.triples((None, cnt_chars, None)))
        for triple in texts:
            graph.remove(triple)
        assert isomorphic(graph, direct), name
        assert len(texts) == len(list(direct.subjects(
            rdflib.URIRef("https://w3id.org/xsrv-kg/ontology#sourceFile"), None)))
