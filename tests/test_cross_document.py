"""The municipal plan as its own document graph, and the links between the two plans.

Expected values are read off by hand: the counts, members and targets from the account of
the municipal plan (``data/documents/chongqing-plan/source.txt``, a verbatim copy of the
section "The municipal plan the county plan implements" of ``shared/reference/README.md``),
the units and codes from ``chongqing-county-codes.csv`` (26 区 + 12 县).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xsrv_kg.config import DEFAULT_HOME
from xsrv_kg.store import Store

from .conftest import column, rows
from .test_validation import Re, assert_caught, report_of

CP_DIR = DEFAULT_HOME / "data" / "documents" / "chongqing-plan"
CP_SOURCE = CP_DIR / "source.txt"
CP_CSV = CP_DIR / "chongqing-county-codes.csv"
SHARED = DEFAULT_HOME.parent / "shared" / "reference"
CP = "https://w3id.org/xsrv-kg/id/doc/chongqing-plan/"
PREFIX = f"PREFIX cp: <{CP}>\n"

LINKS = Path("links/xiushan-chongqing/links.ttl")
CPLAN = Path("documents/chongqing-plan")


def q(store: Store, query: str) -> list[dict[str, object]]:
    return rows(store, PREFIX + query)


def col(store: Store, query: str) -> list[object]:
    return column(store, PREFIX + query)


def code_table() -> dict[str, str]:
    with open(CP_CSV, encoding="utf-8") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)}


# ---------------------------------------------------------------------------------------
# Provenance of the copied inputs
# ---------------------------------------------------------------------------------------

def test_source_text_is_the_reference_readme_section() -> None:
    if not (SHARED / "README.md").exists():
        pytest.skip("shared/reference is not beside the checkout")
    readme = (SHARED / "README.md").read_text(encoding="utf-8")
    text = CP_SOURCE.read_text(encoding="utf-8")
    assert text.startswith("## The municipal plan the county plan implements\n")
    assert text in readme
    # The section runs to the next section of the README (or its end).
    after = readme[readme.index(text) + len(text):]
    assert after == "" or after.lstrip("\n").startswith("## ")


def test_code_table_is_a_copy_of_the_reference_csv() -> None:
    if not (SHARED / "chongqing-county-codes.csv").exists():
        pytest.skip("shared/reference is not beside the checkout")
    assert CP_CSV.read_bytes() == (SHARED / "chongqing-county-codes.csv").read_bytes()


def test_named_graphs_include_the_municipal_plan_and_the_links(store: Store, config) -> None:
    assert {config.graph_iri("documents/chongqing-plan"),
            config.graph_iri("links/xiushan-chongqing")} <= set(store.graphs())


# ---------------------------------------------------------------------------------------
# The 38 districts and counties
# ---------------------------------------------------------------------------------------

def test_38_county_level_units_with_the_codes_of_the_table(store: Store) -> None:
    table = code_table()
    assert len(table) == 38
    found = {r["code"]: r["name"] for r in q(store, """SELECT ?code ?name WHERE {
        ?u a xsrv:CountyLevelDivision ; schema:containedInPlace div:chongqing ;
           xsrv:divisionCode ?code ; rdfs:label ?name FILTER(lang(?name) = "zh") }""")}
    assert found == table
    assert col(store, """SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE {
        ?u a xsrv:CountyLevelDivision ; schema:containedInPlace div:chongqing }""") == [38]


def test_26_districts_and_12_counties(store: Store) -> None:
    names = col(store, """SELECT ?name WHERE { ?u a xsrv:CountyLevelDivision ;
        schema:containedInPlace div:chongqing ; rdfs:label ?name FILTER(lang(?name) = "zh") }""")
    assert sum(n.endswith("区") for n in names) == 26
    assert sum(n.endswith("县") for n in names) == 12
    kinds = {r["k"]: r["n"] for r in q(store, """SELECT ?k (COUNT(DISTINCT ?u) AS ?n) WHERE {
        ?u a xsrv:CountyLevelDivision ; schema:containedInPlace div:chongqing ;
           xsrv:divisionKind/skos:prefLabel ?k FILTER(lang(?k) = "zh") } GROUP BY ?k""")}
    assert kinds == {"区": 26, "县": 8, "自治县": 4}


def test_xiushan_is_one_resource(store: Store) -> None:
    assert col(store, 'SELECT ?u WHERE { ?u xsrv:divisionCode "500241" }') \
        == ["https://w3id.org/xsrv-kg/id/division/xiushan"]
    # Typed and named once (no triple repeated in a second graph).
    assert col(store, "SELECT ?t WHERE { div:xiushan a ?t }") \
        == ["https://w3id.org/xsrv-kg/ontology#CountyLevelDivision"]
    assert len(col(store, "SELECT ?l WHERE { div:xiushan rdfs:label ?l }")) == 2


# ---------------------------------------------------------------------------------------
# The document, its counts and members
# ---------------------------------------------------------------------------------------

def test_document_issuer_notice_and_status(store: Store) -> None:
    [row] = q(store, """SELECT ?title ?issuer ?status ?notice WHERE {
        doc:chongqing-plan a xsrv:PolicyDocument ; eli:title ?title ;
            eli:passed_by/rdfs:label ?issuer ; xsrv:documentStatus/skos:prefLabel ?status .
        ?n xsrv:issuesDocument doc:chongqing-plan ; eli:id_local ?notice .
        FILTER(lang(?issuer) = "zh" && lang(?status) = "zh") }""")
    assert row == {"title": "重庆市分层分类全面推进乡村振兴实施方案（试行）",
                   "issuer": "中共重庆市委农村工作暨实施乡村振兴战略领导小组",
                   "status": "试行", "notice": "渝委农组〔2021〕9号"}
    # The account is a secondary text, not the plan's own text.
    assert col(store, "SELECT ?t WHERE { doc:chongqing-plan xsrv:sourceText ?t }") == []
    assert col(store, """SELECT ?t WHERE { doc:chongqing-plan xsrv:secondarySourceText ?t .
        ?t a xsrv:SecondarySourceText }""") == [CP + "summary-text"]
    # Only one resource for the plan: the old county-graph IRI is gone.
    assert col(store, "SELECT ?p WHERE { doc:cq-plan ?p ?o }") == []


def test_declared_counts(store: Store) -> None:
    counts = {r["c"].rsplit("/", 1)[-1]: (r["v"], r["complete"], r["pct"]) for r in q(store, """
        SELECT ?c ?v ?complete (COALESCE(STR(?p), "") AS ?pct) WHERE {
          ?c xsrv:statedBy doc:chongqing-plan ; xsrv:declaredValue ?v ; xsrv:enumerationComplete ?complete
          OPTIONAL { ?c xsrv:declaredPercentage ?p } }""")}
    assert counts == {
        "count-categories": (3, "true", ""),          # into three categories
        "count-units": (38, "false", ""),             # 38 … districts and counties (涉农区县)
        "count-pilot": (8, "false", "21"),            # 先行示范类 8 districts (21%)
        "count-key-assistance": (12, "false", "32"),  # 重点帮扶类 12 districts and counties (32%)
        "count-active": (18, "false", "47"),          # 积极推进类 the other 18 (47%)
    }
    assert col(store, """SELECT (SUM(?v) AS ?s) WHERE { cp:count-units xsrv:partitionedInto ?p .
        ?p xsrv:declaredValue ?v }""") == [38]


KNOWN = {
    ("万州区", "先行示范类", ""), ("黔江区", "先行示范类", ""),
    ("城口县", "重点帮扶类", "国家乡村振兴重点帮扶县"), ("巫溪县", "重点帮扶类", "国家乡村振兴重点帮扶县"),
    ("酉阳土家族苗族自治县", "重点帮扶类", "国家乡村振兴重点帮扶县"),
    ("彭水苗族土家族自治县", "重点帮扶类", "国家乡村振兴重点帮扶县"),
}


def test_known_members_and_nothing_else(store: Store) -> None:
    found = q(store, """SELECT ?unit ?cat (COALESCE(?t, "") AS ?tier) WHERE {
        ?a xsrv:statedBy doc:chongqing-plan ; xsrv:assignedUnit/rdfs:label ?unit ;
           xsrv:assignedCategory/skos:prefLabel ?cat .
        OPTIONAL { ?a xsrv:assignedTier/skos:prefLabel ?t FILTER(lang(?t) = "zh") }
        FILTER(lang(?unit) = "zh" && lang(?cat) = "zh") }""")
    assert {(r["unit"], r["cat"], r["tier"]) for r in found} == KNOWN
    assert len(found) == 6  # the 32 other units are placed in no category
    # The account's short names for the two autonomous counties.
    assert sorted(col(store, """SELECT ?alt WHERE { ?a xsrv:statedBy doc:chongqing-plan ;
        xsrv:assignedUnit/skos:altLabel ?alt }""")) == ["彭水县", "酉阳县"]


def test_categories_are_a_scheme_of_the_municipal_plan(store: Store) -> None:
    cats = q(store, """SELECT ?c ?zh ?en WHERE { cp:categories skos:hasTopConcept ?c ;
        dcterms:source doc:chongqing-plan . ?c skos:inScheme cp:categories ;
        skos:prefLabel ?zh , ?en FILTER(lang(?zh) = "zh" && lang(?en) = "en") }""")
    assert {r["c"].rsplit("/", 1)[-1]: r["zh"] for r in cats} == {
        "cat-pilot": "先行示范类", "cat-key-assistance": "重点帮扶类", "cat-active": "积极推进类"}
    assert all(r["en"] for r in cats)
    # 分级: municipal / district / village
    assert col(store, """SELECT ?l WHERE { cp:levels skos:hasTopConcept ?c . ?c skos:notation ?n ;
        skos:prefLabel ?l FILTER(lang(?l) = "en") } ORDER BY ?n""") \
        == ["municipal level", "district level", "village level"]


def test_goals(store: Store) -> None:
    goals = {(r["applies"].rsplit("/", 1)[-1], r["year"], r["units"]) for r in q(store, """
        SELECT ?applies ?year (COALESCE(?n, 0) AS ?units) WHERE { ?g a xsrv:Goal ;
          xsrv:statedBy doc:chongqing-plan ; xsrv:targetYear ?year ; xsrv:appliesTo ?applies .
          OPTIONAL { ?g xsrv:unitsInScope ?n } }""")}
    assert goals == {("cat-pilot", "2025", 5), ("cat-pilot", "2030", 3),
                     ("cat-key-assistance", "2025", 0), ("cat-active", "2025", 0)}
    targets = {(r["w"], r["bench"]) for r in q(store, """
        SELECT ?w (COALESCE(STR(?b), "") AS ?bench) WHERE {
          ?g xsrv:statedBy doc:chongqing-plan ; xsrv:hasTarget ?t . ?t xsrv:wording ?w .
          OPTIONAL { ?t xsrv:comparedTo/skos:prefLabel ?b FILTER(lang(?b) = "en") } }""")}
    assert targets == {
        ("reach the eastern-region average", "eastern-region average"),
        ("long-term assistance mechanisms in place", ""),
        ("income growth above the municipal average", "municipal average"),
        ("major breakthroughs", ""),
        ("rural income growth above the national average", "national average"),
    }
    # Which 5 and which 3 are not named, and no indicator is invented.
    assert col(store, """SELECT ?x WHERE { ?g xsrv:statedBy doc:chongqing-plan ;
        xsrv:unitsInScope ?n ; xsrv:appliesTo ?x FILTER(?x != cp:cat-pilot) }""") == []
    assert col(store, """SELECT ?i WHERE { ?g xsrv:statedBy doc:chongqing-plan ;
        xsrv:hasTarget/xsrv:indicator ?i }""") == []


def test_every_municipal_span_matches_the_source_text(store: Store) -> None:
    text = CP_SOURCE.read_text(encoding="utf-8")
    spans = q(store, """SELECT ?s ?e ?x WHERE { ?f xsrv:sourceSpan ?sp .
        ?sp oa:hasSource cp:summary-text ; oa:start ?s ; oa:end ?e ; oa:exact ?x }""")
    assert len(spans) >= 40
    assert [s for s in spans if text[s["s"]:s["e"]] != s["x"]] == []


def test_every_municipal_fact_has_a_span_in_the_account(store: Store) -> None:
    missing = col(store, """SELECT ?f WHERE { ?f xsrv:statedBy doc:chongqing-plan .
        FILTER NOT EXISTS { ?f xsrv:sourceSpan/oa:hasSource cp:summary-text } }""")
    assert missing == []


# ---------------------------------------------------------------------------------------
# Links between the documents
# ---------------------------------------------------------------------------------------

def test_county_plan_is_based_on_the_notice_and_the_municipal_plan(store: Store) -> None:
    assert sorted(col(store, "SELECT ?b WHERE { doc:xiushan-plan eli:based_on ?b }")) == [
        "https://w3id.org/xsrv-kg/id/doc/chongqing-plan",
        "https://w3id.org/xsrv-kg/id/doc/yuweinongzu-2021-9"]
    # The link to the plan is in the links graph, not in either document's graph.
    assert col(store, """SELECT ?g WHERE { GRAPH ?g { doc:xiushan-plan eli:based_on doc:chongqing-plan } }""") \
        == ["https://w3id.org/xsrv-kg/graph/links/xiushan-chongqing"]


def test_category_alignments_are_close_matches(store: Store) -> None:
    found = {(r["a"].rsplit("/", 1)[-1], r["p"].rsplit("#", 1)[-1], r["b"]) for r in q(store, """
        SELECT ?a ?p ?b WHERE { ?a ?p ?b .
          VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch } }""")}
    assert found == {("cat-pilot", "closeMatch", CP + "cat-pilot"),
                     ("cat-key-assistance", "closeMatch", CP + "cat-key-assistance"),
                     ("cat-active", "closeMatch", CP + "cat-active")}
    # From the county's scheme to the municipal one, each justified by an interpretation note.
    assert col(store, """SELECT (COUNT(*) AS ?n) WHERE { ?a skos:closeMatch ?b .
        ?a skos:inScheme xp:categories . ?b skos:inScheme cp:categories .
        ?note a xsrv:Interpretation ; xsrv:concerns ?a ; xsrv:concernsProperty skos:closeMatch }""") == [3]


def test_municipal_level_designations(store: Store) -> None:
    designated = {r["u"] for r in q(store, """SELECT ?u WHERE {
        ?a xsrv:designationLevel cp:level-municipal ; xsrv:assignedUnit/rdfs:label ?u
        FILTER(lang(?u) = "zh") }""")}
    # "市级重点乡：涌洞乡" and "市级示范村1个：清溪场镇东林居委会"
    assert designated == {"涌洞乡", "东林居委会"}
    # Exactly the county's 市级 assignments, and no body is named as the one who assigned.
    tiered = {r["u"] for r in q(store, """SELECT ?u WHERE { ?a xsrv:assignedTier xp:tier-municipal ;
        xsrv:assignedUnit/rdfs:label ?u FILTER(lang(?u) = "zh") }""")}
    assert tiered == designated
    assert col(store, """SELECT ?p WHERE { ?a xsrv:designationLevel ?l ; ?p ?o .
        FILTER(?p NOT IN (rdf:type, xsrv:assignedUnit, xsrv:assignedCategory, xsrv:assignedTier,
                          xsrv:statedBy, xsrv:statedIn, xsrv:sourceSpan, xsrv:designationLevel)) }""") == []


def test_validation_conforms_with_the_municipal_infos(config) -> None:
    code, report = report_of(config.data_dir)
    assert code == 0
    infos = sorted(r["focus"] for r in report["results"] if r["focus"].startswith("cp:"))
    # The account's four incomplete counts, and the secondary reports' two (37 涉农区县 of
    # which the 6 named units are known; 17 municipal key-assistance townships, 涌洞乡 read as
    # one of them).
    assert infos == ["cp:count-active", "cp:count-key-assistance",
                     "cp:count-municipal-key-townships", "cp:count-pilot",
                     "cp:count-she-nong-37", "cp:count-units"]
    assert {r["severity"] for r in report["results"]} == {"Info"}


# ---------------------------------------------------------------------------------------
# Mutations: a broken link or count is a violation
# ---------------------------------------------------------------------------------------

# id, file, old, new, block, shape, focus, message fragment (English)
MUTATIONS = [
    ("mapping to a concept that does not exist", LINKS,
     "xp:cat-pilot skos:closeMatch cp:cat-pilot .", "xp:cat-pilot skos:closeMatch cp:cat-pilots .",
     None, "xsh:CrossDocumentMappingShape", "xp:cat-pilot", "not an existing concept of another document"),
    ("mapping to a concept of the same document", LINKS,
     "xp:cat-active skos:closeMatch cp:cat-active .", "xp:cat-active skos:closeMatch xp:cat-pilot .",
     None, "xsh:CrossDocumentMappingShape", "xp:cat-active", "not an existing concept of another document"),
    ("based on a document that does not exist", LINKS,
     "doc:xiushan-plan eli:based_on doc:chongqing-plan .",
     "doc:xiushan-plan eli:based_on doc:chongqing-plann .",
     None, "xsh:DocumentLinkShape", "doc:xiushan-plan", "not an existing policy document"),
    ("notice issues a document that does not exist", Path("documents/xiushan-plan/document.ttl"),
     "xsrv:issuesDocument doc:chongqing-plan ;", "xsrv:issuesDocument doc:cq-plan ;",
     None, "xsh:DocumentLinkShape", "doc:yuweinongzu-2021-9", "not an existing policy document"),
    ("municipal level that does not exist", LINKS,
     "xp:assign-yongdong xsrv:designationLevel cp:level-municipal .",
     "xp:assign-yongdong xsrv:designationLevel cp:level-municipality .",
     None, "xsh:DesignationLevelShape", "xp:assign-yongdong", "existing concept"),
    ("level of a document the county plan is not based on", LINKS,
     "doc:xiushan-plan eli:based_on doc:chongqing-plan .", "",
     None, "xsh:DesignationLevelShape", "xp:assign-qingxichang-donglin",
     "not in a scheme of a document that"),
    ("more named members than declared", CPLAN / "classification.ttl",
     "xsrv:declaredValue 8 ;", "xsrv:declaredValue 1 ;", "cp:count-pilot",
     "xsh:AssignmentCountShape", "cp:count-pilot", "Declared count 1 but the data has 2"),
    ("more classified units than declared", CPLAN / "classification.ttl",
     "xsrv:declaredValue 38 ;", "xsrv:declaredValue 5 ;", "cp:count-units",
     "xsh:ClassifiedUnitCountShape", "cp:count-units", "5 classified units declared"),
    ("percentage disagrees with the counts", CPLAN / "classification.ttl",
     'xsrv:declaredPercentage "32"^^xsd:decimal ;', 'xsrv:declaredPercentage "23"^^xsd:decimal ;', None,
     "xsh:DeclaredPercentageShape", "cp:count-key-assistance", "12 of 38"),
    ("parts do not add up to 38", CPLAN / "classification.ttl",
     "xsrv:declaredValue 18 ;", "xsrv:declaredValue 17 ;", None,
     "xsh:PartitionSumShape", "cp:count-units", "add up to 37, not to the declared total 38"),
    ("misquote a municipal span", CPLAN / "classification.ttl",
     Re(r'oa:exact "黔江区"'), 'oa:exact "黔江县"', None,
     "xsh:SpanMatchesTextShape", "cp:summary-text", "it quotes “黔江县”"),
    ("municipal assignment outside the municipality", CPLAN / "divisions.ttl",
     "xsrv:divisionKind xsrv:kind-district ; schema:containedInPlace div:chongqing ;",
     "xsrv:divisionKind xsrv:kind-district ;", "div:wanzhou",
     "xsh:CategoryAssignmentShape", "cp:assign-wanzhou", "does not lie in the document's area"),
]


@pytest.mark.parametrize(("file", "old", "new", "block", "shape", "focus", "fragment"),
                         [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_mutation_is_caught(data_copy: Path, file, old, new, block, shape, focus,
                            fragment: str) -> None:
    assert_caught(data_copy, file, old, new, block, shape, focus, fragment)


def test_without_the_links_graph_the_documents_still_conform(data_copy: Path) -> None:
    # Each document graph stands without the links; removing them loses no required fact.
    for f in (data_copy / "links").rglob("*.ttl"):
        f.unlink()
    code, report = report_of(data_copy)
    assert code == 0, [(r["shape"], r["focus"], r["message"]) for r in report["results"]
                       if r["severity"] == "Violation"]
