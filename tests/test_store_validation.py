"""The store engine (SHACL as SPARQL in the store) against pySHACL, the reference.

Both engines must find the same results -- severity, focus node, path, value, constraint
component, shape -- with the same messages, names and source sentences: on the shipped data,
on a copy of it broken in every way the shapes can catch, per graph, and on generated data
with known errors when ``benchmarks/generate.py`` exists. Blank nodes get different ids in
the two engines; they are compared by what they say (a span's quote, a duration's number).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, UnsupportedShapes
from xsrv_kg.sources.loader import load_project
from xsrv_kg.store import Store, open_store
from xsrv_kg.validation import Report, Result, validate
from xsrv_kg.validation.compiler import compile_shapes
from xsrv_kg.validation.pyshacl_engine import rdflib_graph, validate_graphs
from xsrv_kg.validation.rendering import render
from xsrv_kg.validation.sparql_constraints import rewrite_select
from xsrv_kg.vocab import short_name

#: The injected data holds an ill-typed boolean on purpose; rdflib warns when it reads it.
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning")

PLAN = Path("documents/xiushan-plan")
#: Blank node ids: rdflib's (N + 32 hex digits) and Oxigraph's (hex digits).
BLANK = re.compile(r"\bN?[0-9a-f]{16,32}\b")

PREFIXES = """\
@prefix xsrv:    <https://w3id.org/xsrv-kg/ontology#> .
@prefix doc:     <https://w3id.org/xsrv-kg/id/doc/> .
@prefix xp:      <https://w3id.org/xsrv-kg/id/doc/xiushan-plan/> .
@prefix cp:      <https://w3id.org/xsrv-kg/id/doc/chongqing-plan/> .
@prefix div:     <https://w3id.org/xsrv-kg/id/division/> .
@prefix body:    <https://w3id.org/xsrv-kg/id/body/> .
@prefix code:    <https://w3id.org/xsrv-kg/id/code/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix schema:  <https://schema.org/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix freq:    <http://purl.org/cld/freq/> .
"""

#: New facts that break a shape each (appended to the county plan's graph), with what
#: they break. Together they touch every constraint kind the shapes use.
INJECTED = PREFIXES + """
# sh:maxCount (a second kind) and sh:in (a township of a village's kind)
div:xiushan-aikou xsrv:divisionKind xsrv:kind-community .
# sh:pattern, sh:maxCount on the code, and the SPARQL county-prefix check
div:xiushan-hongan xsrv:divisionCode "5002411X3" .
# sh:class (the unit does not exist), SPARQL: not in the document's area
xp:inj-assign a xsrv:CategoryAssignment ; xsrv:assignedUnit xp:nowhere ;
    xsrv:assignedCategory xp:cat-pilot ; xsrv:statedBy doc:xiushan-plan ;
    xsrv:sourceSpan [ oa:hasSource xp:text ; oa:start 600 ; oa:end 603 ; oa:exact "隘口镇" ] .
# sh:datatype xsd:gYear, sh:class of a target that is not typed
xp:inj-goal a xsrv:Goal ; rdfs:label "注入的目标"@zh ; xsrv:targetYear "2025" ;
    xsrv:appliesTo xp:cat-pilot ; xsrv:hasTarget xp:inj-target ; xsrv:statedBy doc:xiushan-plan ;
    xsrv:sourceSpan [ oa:hasSource xp:text ; oa:start 600 ; oa:end 603 ; oa:exact "隘口镇" ] .
# Ill-typed literals: sh:datatype integer/boolean, sh:minInclusive on what is no number
xp:inj-count a xsrv:DivisionCount ; rdfs:label "坏的数量"@zh ;
    xsrv:declaredValue "abc"^^xsd:integer ; xsrv:enumerationComplete "yes"^^xsd:boolean ;
    xsrv:statedBy doc:xiushan-plan ; xsrv:countedLevel xsrv:TownshipLevelDivision ;
    xsrv:countedWithin div:xiushan ;
    xsrv:sourceSpan [ oa:hasSource xp:text ; oa:start 600 ; oa:end 603 ; oa:exact "隘口镇" ] .
# sh:minInclusive, two sh:maxCount, a non-canonical integer in a message
xp:inj-count2 a xsrv:DeclaredCount ; xsrv:declaredValue -1 , "07"^^xsd:integer ;
    xsrv:enumerationComplete true , false ; xsrv:statedBy doc:xiushan-plan , doc:chongqing-plan .
# sh:qualifiedMinCount (no Chinese label), on a subclass target (EditorialNote)
xp:inj-safeguard a xsrv:Safeguard ; rdfs:label "Only English"@en ;
    xsrv:sourceSpan [ oa:hasSource xp:text ; oa:start 600 ; oa:end 603 ; oa:exact "隘口镇" ] .
xp:inj-note a xsrv:Interpretation ; rdfs:comment "只有中文"@zh ;
    xsrv:concerns xp:cat-pilot ; xsrv:concernsProperty xsrv:noSuchProperty .
# sh:in on a frequency, sh:minCount on the frequency as stated
xp:inj-activity a xsrv:RecurringActivity ; rdfs:label "注入的工作"@zh ;
    xsrv:frequency freq:continuous ;
    xsrv:sourceSpan [ oa:hasSource xp:text ; oa:start 600 ; oa:end 603 ; oa:exact "隘口镇" ] .
# A span (sh:targetObjectsOf, a blank node): sh:class, sh:minInclusive, sh:datatype, sh:minCount
xp:inj-measure a xsrv:Measure ; xsrv:wording "注入"@zh ; xsrv:appliesTo xp:cat-pilot ;
    xsrv:sourceSpan [ oa:hasSource xp:no-text ; oa:start -5 ; oa:end "7" ] .
# SPARQL: a mapping to nothing, a document based on itself, a designation level from nowhere
xp:cat-pilot skos:exactMatch cp:no-such-category .
doc:xiushan-plan eli:based_on doc:xiushan-plan ; xsrv:issuesDocument xp:no-such-document .
xp:assign-aikou xsrv:designationLevel xp:cat-pilot .
# A warning (no English name) and a source text that is not loaded
div:inj-village a xsrv:VillageLevelDivision ; rdfs:label "注入村"@zh ;
    xsrv:divisionKind xsrv:kind-administrative-village ; schema:containedInPlace div:xiushan-hongan .
xp:inj-text a xsrv:SourceText .
"""

#: Edits of existing facts: (file, old, new).
EDITS = [
    # sh:hasValue (not in yuan) on a fund rule
    (PLAN / "funding.ttl", "xsrv:unit xsrv:unit-yuan", "xsrv:unit xsrv:unit-mu"),
    # sh:minExclusive with a non-canonical decimal in the message
    (PLAN / "funding.ttl", 'xsrv:amount "10000000"^^xsd:decimal',
     'xsrv:amount "-010.50"^^xsd:decimal'),
    # sh:node: the duration of a fund rule is negative (the result nests the duration's own)
    (PLAN / "funding.ttl", "time:numericDuration 3 ;", "time:numericDuration -3 ;"),
    # sh:maxInclusive and a decimal computed in a SPARQL message (8 of 38 is 21.05…%)
    ("documents/chongqing-plan/classification.ttl", 'xsrv:declaredPercentage "21"^^xsd:decimal',
     'xsrv:declaredPercentage "121"^^xsd:decimal'),
    # sh:languageIn and sh:maxCount on a code table entry's name
    ("reference/division-codes/codes.ttl", 'rdfs:label "中和街道办事处"@zh ; xsrv:countyCode "500241" .\nc2017',
     'rdfs:label "中和街道办事处"@zh , "Zhonghe"@en ; xsrv:countyCode "500241" .\nc2017'),
    # SPARQL: a span that does not match the text (focus: the text, value: the span)
    (PLAN / "classification.ttl", 'oa:exact "市级示范村1个"', 'oa:exact "市级示范村2个"'),
    # SPARQL on code tables: the published date before the cut-off
    ("reference/division-codes/codes.ttl", 'dcterms:issued "2018-06-20"^^xsd:date',
     'dcterms:issued "2017-06-20"^^xsd:date'),
]


def edit(data: Path, file: Path | str, old: str, new: str) -> None:
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def canonical(text: object) -> str:
    return BLANK.sub("_:b", str(text))


def key(r: Result) -> tuple:
    """What must agree between the engines, blank node ids aside."""
    return tuple(canonical(x) for x in (
        r.severity, r.focus, r.path, r.value, r.component, r.shape,
        sorted(r.messages.items()), sorted(r.focus_labels.items()),
        sorted(r.shape_labels.items()), r.source))


def assert_same(reference: Report, ours: Report) -> None:
    expected, found = sorted(map(key, reference.results)), sorted(map(key, ours.results))
    missing = [k for k in expected if k not in found]
    extra = [k for k in found if k not in expected]
    assert not missing and not extra, {"only pySHACL": missing, "only store": extra}
    assert (ours.conforms, ours.counts()) == (reference.conforms, reference.counts())


def graph_shape(report: Report) -> list[tuple]:
    """The report graph, each result as its properties (blank nodes as their kind)."""
    g = report.graph

    def term(node) -> str:
        if isinstance(node, rdflib.BNode):
            return "_:" + ",".join(sorted(canonical(p) for p in g.predicates(node)))
        return canonical(node)

    rows = []
    for result in g.subjects(RDF.type, SH.ValidationResult):
        rows.append(tuple(sorted((canonical(p), term(o)) for p, o in g.predicate_objects(result))))
    [report_node] = g.subjects(RDF.type, SH.ValidationReport)
    return sorted(rows) + [("conforms", str(g.value(report_node, SH.conforms)))]


def loaded(config: Config, paths: list[Path] | None = None) -> Store:
    store = open_store("memory")
    load_project(store, config, paths)
    return store


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, config: Config):
    """A copy of data/ with every injected violation: (store, pySHACL's report, folder)."""
    import shutil

    data = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(config.data_dir, data)
    (data / PLAN / "zz-injected.ttl").write_text(INJECTED, encoding="utf-8")
    for file, old, new in EDITS:
        edit(data, file, old, new)
    store = loaded(config, [data])
    return store, validate(store, config, engine="pyshacl"), data


@pytest.mark.slow
def test_shipped_data_same_results(store: Store, config: Config) -> None:
    reference = validate(store, config, engine="pyshacl")
    ours = validate(store, config, engine="store")
    # 10 Info: the incomplete counts (see tests/test_validation.py).
    assert ours.conforms and ours.counts() == {"Violation": 0, "Warning": 0, "Info": 10}
    assert_same(reference, ours)
    assert graph_shape(ours) == graph_shape(reference)


@pytest.mark.slow
def test_every_injected_violation_same_results(broken, config: Config) -> None:
    store, reference, _ = broken
    ours = validate(store, config, engine="store")
    assert_same(reference, ours)
    assert graph_shape(ours) == graph_shape(reference)
    # Every kind of constraint the shapes use was exercised.
    components = {r.component for r in ours.results}
    assert components >= {
        "MinCountConstraintComponent", "MaxCountConstraintComponent",
        "ClassConstraintComponent", "DatatypeConstraintComponent",
        "PatternConstraintComponent", "InConstraintComponent",
        "HasValueConstraintComponent", "LanguageInConstraintComponent",
        "MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent",
        "MinExclusiveConstraintComponent", "NodeConstraintComponent",
        "QualifiedMinCountConstraintComponent", "SPARQLConstraintComponent"}, components
    assert {r.severity for r in ours.results} == {"Violation", "Warning", "Info"}


def test_a_stale_interpretation_is_a_warning_in_both_engines(broken, config: Config) -> None:
    # SHACL reads sh:severity on the shape: on the constraint node it was ignored, and a
    # stale interpretation counted as a violation. Now it has a shape of its own.
    store, reference, _ = broken
    for report in (reference, validate(store, config, engine="store")):
        stale = [(r.severity, r.shape) for r in report.results
                 if r.focus.endswith("inj-note") and "Stale" in (r.shape or "")]
        assert stale == [("Warning", "xsh:StaleInterpretationShape")]


@pytest.mark.slow
def test_one_graph_same_as_pyshacl_on_that_graph(broken, config: Config) -> None:
    """``graphs=``: the graphs named plus the ontology, as pySHACL sees them alone."""
    store, _, _ = broken
    plan = config.graph_iri("documents/xiushan-plan")
    ours = validate(store, config, engine="store", graphs=[plan])
    data = rdflib_graph(store, [plan, config.graph_iri("ontology")])
    shapes = rdflib_graph(store, [config.graph_iri("shapes")])
    assert_same(validate_graphs(data, shapes), ours)
    assert_same(validate(store, config, engine="pyshacl", graphs=[plan]), ours)
    # Alone, the county plan lacks the codes and the other document: warnings appear.
    assert ours.counts()["Warning"] > 0


def test_focus_graphs_report_only_what_those_graphs_mention(broken, config: Config) -> None:
    """``focus_graphs=``: the whole store is the context, and the results are those of a
    full validation whose focus node the given graphs mention."""
    store, reference, _ = broken
    codes = config.graph_iri("reference/division-codes")
    ours = validate(store, config, engine="store", focus_graphs=[codes])
    mentioned = {short_name(rdflib.URIRef(t.value)) for row in store.query(
        f"SELECT ?s ?o WHERE {{ GRAPH <{codes}> {{ ?s ?p ?o }} }}") for t in (row["s"], row["o"])
        if isinstance(t, ox.NamedNode)}
    expected = [r for r in reference.results if r.focus in mentioned]
    assert expected and sorted(map(key, ours.results)) == sorted(map(key, expected))
    assert {r.shape for r in ours.results} == {"xsh:CodeTableEntryShape",
                                              "xsh:CodeTableEditionShape"}


GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


@pytest.mark.slow
@pytest.mark.skipif(not GENERATOR.exists(), reason="benchmarks/generate.py is not there")
def test_generated_errors_are_the_manifests(tmp_path: Path, config: Config) -> None:
    """Synthetic county plans with one error of each kind: the violations the store engine
    finds are exactly those ``errors.json`` lists (what pySHACL reports for them)."""
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(GENERATOR), "--counties", "2", "--errors", "12",
                    "--out", str(out)], check=True, capture_output=True)
    manifest = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert len({error["kind"] for error in manifest["errors"]}) == 12

    def short(iri: str | None) -> str | None:
        return short_name(rdflib.URIRef(iri)) if iri is not None else None

    expected = sorted((short(e["focus"]), short(e["shape"]), e["component"].rsplit("#", 1)[-1],
                       short(e["path"]))
                      for error in manifest["errors"] for e in error["expected"])
    report = validate(loaded(config, [out]), config, engine="store")
    found = sorted((r.focus, r.shape, r.component, r.path) for r in report.results
                   if r.severity == "Violation")
    assert found == expected


# --- small shapes: the forms the shipped shapes do not use, and what is refused -------------

TOY = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""


def toy_store(shapes: str, data: str, config: Config) -> Store:
    store = open_store("memory")
    for ttl, graph in ((shapes, "shapes"), (data, "documents/toy")):
        name = ox.NamedNode(config.graph_iri(graph))
        store.add(ox.Quad(t.subject, t.predicate, t.object, name)
                  for t in ox.parse((TOY + ttl).encode(), format=ox.RdfFormat.TURTLE))
    return store


def both(shapes: str, data: str, config: Config) -> Report:
    """The store engine's report, asserted the same as pySHACL's."""
    store = toy_store(shapes, data, config)
    reference = validate(store, config, engine="pyshacl")
    ours = validate(store, config, engine="store")
    assert_same(reference, ours)
    assert graph_shape(ours) == graph_shape(reference)
    return ours


@pytest.mark.parametrize(("shapes", "data", "components"), [
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 2 ] .""",
     "ex:a a ex:T ; ex:p 1 . ex:b a ex:T ; ex:p 1, 2, 3 . ex:c a ex:T ; ex:p 1, 2 .",
     {"MinCountConstraintComponent", "MaxCountConstraintComponent"}),
    ("""ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
          sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
                        sh:qualifiedMinCount 2 ; sh:message "two integers, not {$value}"@en ] .""",
     'ex:a ex:p 1, "x" . ex:b ex:p 1, 2 .', {"QualifiedMinCountConstraintComponent"}),
    # A nested node shape with its own nested shape: results nest twice.
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:node ex:N .
        ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:node ex:M ; sh:message "bad q"@en ] .
        ex:M a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minInclusive 0 ; sh:message "r < 0"@en ] .""",
     "ex:a a ex:T ; ex:q [ ex:r -1 ] . ex:b a ex:T ; ex:q [ ex:r 1 ] .",
     {"NodeConstraintComponent", "MinInclusiveConstraintComponent"}),
    # $PATH, a query without GROUP BY $this that aggregates, sh:prefixes from an ontology.
    ("""<http://ex/shapes> a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://ex/"^^xsd:anyURI ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:property [ sh:path ex:p ; sh:sparql [ sh:prefixes ex:none ;
              sh:message "{$this} has {?n} values of {?path}"@en ;
              sh:select "SELECT $this (COUNT(?v) AS ?n) WHERE { $this $PATH ?v } HAVING (COUNT(?v) > 1)" ] ] ;
          sh:sparql [ sh:prefixes <http://ex/shapes> ; sh:message "{$this} {?value}"@en ;
              sh:select "SELECT $this ?x WHERE { $this ex:p ?x FILTER(?x > 2) }" ] .""",
     "ex:a a ex:T ; ex:p 1, 3 . ex:b a ex:T ; ex:p 1 .", {"SPARQLConstraintComponent"}),
    # A subquery that selects $this (and aggregates without grouping by it).
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:sparql [ sh:message "{$this} has {?n} values"@en ; sh:select \"\"\"
            SELECT $this ?n WHERE {
              { SELECT DISTINCT $this (COUNT(?x) AS ?n) WHERE { $this <http://ex/p> ?x } }
              FILTER(?n > 1) FILTER NOT EXISTS { $this <http://ex/q> ?n } }\"\"\" ] .""",
     "ex:a a ex:T ; ex:p 1, 2 . ex:b a ex:T ; ex:p 1 . ex:c a ex:T ; ex:p 1, 2, 3 ; ex:q 3 .",
     {"SPARQLConstraintComponent"}),
    # A target the shapes graph matches too (its shapes have labels): the union default
    # graph would add the shape as a focus node, so the data graphs are named instead.
    ("""ex:S a sh:NodeShape ; rdfs:label "S" ; sh:targetSubjectsOf rdfs:label ;
          sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "{$this}: no p"@en ] .""",
     'ex:a rdfs:label "a" . ex:b rdfs:label "b" ; ex:p 1 .', {"MinCountConstraintComponent"}),
    # No sh:message: pySHACL's own messages.
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:property [ sh:path ex:p ; sh:minCount 1 ] ; sh:property [ sh:path ex:q ; sh:class ex:C ] ;
          sh:property [ sh:path ex:r ; sh:maxCount 1 ] ; sh:property [ sh:path ex:s ; sh:pattern "^a" ] ;
          sh:property [ sh:path ex:t ; sh:hasValue ex:v ] .""",
     "ex:a a ex:T ; ex:q ex:x ; ex:r 1, 2 ; ex:s ex:b ; ex:t ex:w .",
     {"MinCountConstraintComponent", "ClassConstraintComponent", "MaxCountConstraintComponent",
      "PatternConstraintComponent", "HasValueConstraintComponent"}),
    # Literals in sh:in and sh:hasValue (rdflib compares them normalized), language ranges.
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:property [ sh:path ex:p ; sh:in ( 1 "a" "b"@en ) ; sh:message "{$value} not in"@en ] ;
          sh:property [ sh:path ex:q ; sh:hasValue 5 ; sh:message "no 5"@en ] ;
          sh:property [ sh:path ex:l ; sh:languageIn ( "zh" "en-GB" ) ; sh:message "lang {$value}"@en ] ;
          sh:property [ sh:path ex:m ; sh:languageIn ( "*" ) ; sh:message "untagged {$value}"@en ] .""",
     """ex:a a ex:T ; ex:p "01"^^xsd:integer, "a", "b"@EN, 2 ; ex:q "05"^^xsd:integer ;
            ex:l "x"@zh-Hans, "y"@en-gb, "z"@en, "w" ; ex:m "t"@fr, "u" .""",
     {"InConstraintComponent", "LanguageInConstraintComponent"}),
    # Deactivated shapes and constraints are skipped; severity per shape.
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:deactivated true ;
          sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:U a sh:NodeShape ; sh:targetClass ex:T ; sh:severity sh:Info ;
          sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ;
          sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "q"@en ] ;
          sh:sparql [ sh:deactivated true ; sh:select "SELECT $this WHERE { }" ] ;
          sh:sparql [ sh:message "info"@en ; sh:select "SELECT $this WHERE { FILTER(true) }" ] .""",
     "ex:a a ex:T .", {"MinCountConstraintComponent", "SPARQLConstraintComponent"}),
    # Class targets follow rdfs:subClassOf in the data; datatypes and ill-typed values.
    ("""ex:S a sh:NodeShape ; sh:targetClass ex:T ;
          sh:property [ sh:path ex:d ; sh:datatype xsd:date ; sh:message "date {$value}"@en ] ;
          sh:property [ sh:path ex:i ; sh:datatype xsd:integer ; sh:maxExclusive 10 ; sh:message "int {$value}"@en ] ;
          sh:property [ sh:path ex:s ; sh:datatype xsd:string ; sh:message "string {$value}"@en ] ;
          sh:property [ sh:path ex:l ; sh:datatype rdf:langString ; sh:message "lang {$value}"@en ] .""",
     """ex:U rdfs:subClassOf ex:T . ex:V rdfs:subClassOf ex:U .
        ex:a a ex:V ; ex:d "2020-02-30"^^xsd:date, "2020-02-03"^^xsd:date, "x" ;
             ex:i "1.5"^^xsd:integer, " 7"^^xsd:integer, 12, "3"^^xsd:int ;
             ex:s "x", "y"@en, "z"^^xsd:string ; ex:l "x"@zh, "y" .""",
     {"DatatypeConstraintComponent", "MaxExclusiveConstraintComponent"}),
])
def test_small_shapes_same_as_pyshacl(shapes: str, data: str, components: set[str],
                                      config: Config) -> None:
    report = both(shapes.replace("rdf:langString", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"),
                  data, config)
    assert {r.component for r in report.results} == components


@pytest.mark.parametrize(("shapes", "feature"), [
    ("ex:S sh:targetClass ex:T ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) .", "sh:or"),
    ("ex:S sh:targetClass ex:T ; sh:nodeKind sh:IRI .", "sh:nodeKind"),
    ("ex:S sh:targetClass ex:T ; sh:closed true .", "sh:closed"),
    ("ex:S sh:targetNode ex:a .", "sh:targetNode"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minLength 2 ] .", "sh:minLength"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .", "sh:equals"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
     "complex sh:path"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
     "sh:inversePath"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:pattern \"a\" ; sh:flags \"i\" ] .",
     "sh:flags"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:datatype xsd:anyURI ] .",
     "sh:datatype"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ;"
     " sh:qualifiedMaxCount 1 ] .", "sh:qualifiedMaxCount"),
    ("ex:S sh:targetClass ex:T ; sh:node ex:S .", "recursive"),
    ("ex:S a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
     "implicit class targets"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?x MINUS { $this ex:q ?x } }" ] .',
     "MINUS"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .',
     "VALUES"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ex:p 1 } } }" ] .',
     "a subquery that does not select $this"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this WHERE { { $this ex:p 1 } UNION { $this ex:q 1 } }" ] .',
     "UNION"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT ?x WHERE { $this ex:p ?x }" ] .',
     "does not select $this"),
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?x } LIMIT 1" ] .',
     "LIMIT"),
    ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:foo ] .", "sh:ConstraintComponent"),
    # Python accepts a look-behind, the store's regex engine does not (every value would pass).
    ('ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:pattern "(?<=a)b" ] .',
     "sh:pattern '(?<=a)b'"),
    ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity ex:Fatal ] .",
     "severity"),
])
def test_unsupported_features_are_refused_by_name(shapes: str, feature: str,
                                                  config: Config) -> None:
    store = toy_store(shapes, "ex:a a ex:T .", config)
    with pytest.raises(UnsupportedShapes, match=re.escape(feature)):
        validate(store, config, engine="store")


@pytest.mark.parametrize(("shapes", "feature"), [
    ('ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "ASK { $this ex:p ?x }" ] .', "SELECT query"),
    ('ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:pattern "(" ] .',
     "not a regular expression"),
])
def test_shapes_that_are_not_shacl_are_bad_input(shapes: str, feature: str,
                                                 config: Config) -> None:
    """Not an unsupported feature (exit 3, 501) but shapes SHACL does not allow (exit 2, 400)."""
    store = toy_store(shapes, "ex:a a ex:T .", config)
    with pytest.raises(BadInput, match=re.escape(feature)):
        validate(store, config, engine="store")


def test_rewrite_joins_this_with_the_targets() -> None:
    select = rewrite_select(
        "PREFIX ex: <http://ex/>\nSELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x . "
        "OPTIONAL { ?x ex:q $this } FILTER NOT EXISTS { { $this ex:r ?x } UNION { ?x ex:s $this } } } "
        "GROUP BY ?x HAVING (COUNT(?x) > 1)", "test", None)
    assert select.prologue == "PREFIX ex: <http://ex/>\n"
    assert select.before.endswith("WHERE {")
    assert "GROUP BY ?this ?x" in select.after
    assert select.variables == ("this", "n")


def test_engine_switch(config: Config) -> None:
    store = loaded(config)
    store_engine = validate(store, config, engine="store")
    assert store_engine.conforms and store_engine.counts()["Info"] == 10
    for fmt in ("text", "json", "html", "turtle"):
        assert render(store_engine, fmt, "en")
    assert (None, RDF.type, SH.ValidationReport) in rdflib.Graph().parse(
        data=render(store_engine, "turtle", "zh"), format="turtle")
    with pytest.raises(BadInput, match="unknown validation engine"):
        validate(store, config, engine="fast")


def test_one_entry_point_checks_its_options(config: Config) -> None:
    """``validate()``: the engine defaults to the configured one; options that do not go
    together are bad input, not ignored."""
    from dataclasses import replace

    store = toy_store("ex:S sh:targetClass ex:T ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) .",
                      "ex:a a ex:T .", config)
    with pytest.raises(UnsupportedShapes, match="sh:or"):
        validate(store, config)  # the default engine is the store's
    assert not validate(store, replace(config, validation_engine="pyshacl")).conforms
    codes = config.graph_iri("documents/toy")
    with pytest.raises(BadInput, match="focus graphs need the store validation engine"):
        validate(store, config, engine="pyshacl", focus_graphs=[codes])
    with pytest.raises(BadInput, match="merge applies to a payload"):
        validate(store, config, engine="pyshacl", merge=True)
    with pytest.raises(BadInput, match="takes no graphs"):
        validate(store, config, engine="pyshacl", payload=[], graphs=[codes])


def test_compile_is_pure_and_covers_every_shipped_shape(config: Config) -> None:
    shapes = rdflib.Graph()
    for path in sorted(config.shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    plan = compile_shapes(shapes)
    named = {c.shape for c in plan.checks if isinstance(c.shape, rdflib.URIRef)}
    with_targets = {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                    if any((s, p, None) in shapes
                           for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf))}
    owners = {next(shapes.subjects(SH.property, c.shape), c.shape) for c in plan.checks}
    assert with_targets <= named | owners


def test_payload_same_with_either_engine(store: Store, config: Config) -> None:
    """``POST /shacl``'s check of a client's RDF (with the ontology): both engines agree,
    and the served store is left as it was."""
    payload = list(ox.parse((PREFIXES + """
        div:new-town a xsrv:TownshipLevelDivision ; rdfs:label "新镇"@zh ;
            xsrv:divisionKind xsrv:kind-community ; schema:containedInPlace div:nowhere .
        """).encode(), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in payload]
    size = len(store)
    reference = validate(store, config, payload=quads, engine="pyshacl")
    ours = validate(store, config, payload=quads, engine="store")
    assert_same(reference, ours)
    assert {r.component for r in ours.results} >= {"InConstraintComponent",
                                                   "ClassConstraintComponent"}
    merged = validate(store, config, payload=quads, merge=True, engine="store")
    assert not merged.conforms and len(merged.results) > len(ours.results)
    assert len(store) == size


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph-on-disk", "sparql-server", "sparql-server-union"])
def test_other_backends_same_results(backend: str, broken, config: Config,
                                     tmp_path: Path) -> None:
    """Only the Store interface is used: the on-disk store and a remote SPARQL server (here
    Oxigraph's, with and without its union default graph) give pySHACL's results too."""
    from contextlib import ExitStack

    from xsrv_kg.sources.loader import project_files, push

    from .backends import oxigraph_available, oxigraph_server

    _, reference, data = broken
    with ExitStack() as stack:
        if backend == "oxigraph-on-disk":
            store = open_store(f"oxigraph:{tmp_path / 'db'}")
        else:
            if not oxigraph_available():
                pytest.skip("the oxigraph server is not installed")
            server = stack.enter_context(oxigraph_server(
                union_default_graph=backend.endswith("union")))
            store = server.open()
        stack.callback(store.close)
        push(store, project_files(config, [data]))
        ours = validate(store, config, engine="store")
    assert_same(reference, ours)
