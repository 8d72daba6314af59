"""The knowledge graph states what the seed text states: counts, names, rules, spans.

Every expected value below is read off the seed text by hand (section numbers given), not
computed from the data under test.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

from xsrv_kg import vocab
from xsrv_kg.store import Store

from .conftest import SEED, SOURCE, column, rows

# 二（一）, in the order the text lists them.
PILOT_TOWNSHIPS = ["隘口镇", "洪安镇"]
KEY_TOWNSHIPS = ["涌洞乡", "岑溪乡", "大溪乡", "膏田镇", "海洋乡", "妙泉镇"]
ACTIVE_TOWNSHIPS = ["中和街道", "乌杨街道", "平凯街道", "官庄街道", "清溪场镇", "溶溪镇", "龙池镇",
                    "石堤镇", "峨溶镇", "雅江镇", "石耶镇", "梅江镇", "兰桥镇", "溪口镇", "宋农镇",
                    "里仁镇", "钟灵镇", "孝溪乡", "中平乡"]

# 二（二）: village, township, category, tier ("" = the text gives no tier).
NAMED_VILLAGES = {
    ("东林居委会", "清溪场镇", "先行示范类", "市级"),
    ("贵措村", "洪安镇", "先行示范类", "东西部协作"),
    ("兴隆坳村", "梅江镇", "先行示范类", "东西部协作"),
    ("两路村", "梅江镇", "先行示范类", "县级主导"),
    ("吏目村", "梅江镇", "先行示范类", "县级主导"),
    ("邓阳社区", "平凯街道", "先行示范类", "县级主导"),
    ("晓教村", "平凯街道", "先行示范类", "县级主导"),
    ("银厂村", "平凯街道", "先行示范类", "县级主导"),
    ("桂林村", "岑溪乡", "重点帮扶类", ""),
    ("河西村", "大溪乡", "重点帮扶类", ""),
    ("高东村", "膏田镇", "重点帮扶类", ""),
    ("坝联村", "海洋乡", "重点帮扶类", ""),
    ("长冲村", "妙泉镇", "重点帮扶类", ""),
}


def test_named_graphs(store: Store, config) -> None:
    assert set(store.graphs()) == {
        config.graph_iri("ontology"), config.graph_iri("shapes"),
        config.graph_iri("documents/xiushan-plan"),
        config.graph_iri("reference/division-codes-2020-06-30"),
        # the code table over time and the links to it (tests/test_linking.py)
        config.graph_iri("reference/division-codes"), config.graph_iri("links/xiushan-codes"),
        config.graph_iri("documents/chongqing-plan"), config.graph_iri("links/xiushan-chongqing"),
    }


def test_27_townships_in_the_county_with_their_kinds(store: Store) -> None:
    names = column(store, """SELECT ?n WHERE { ?t a xsrv:TownshipLevelDivision ;
        schema:containedInPlace div:xiushan ; rdfs:label ?n FILTER(lang(?n) = "zh") }""")
    assert sorted(names) == sorted(PILOT_TOWNSHIPS + KEY_TOWNSHIPS + ACTIVE_TOWNSHIPS)
    kinds = {r["k"]: r["n"] for r in rows(store, """SELECT ?k (COUNT(?t) AS ?n) WHERE {
        ?t a xsrv:TownshipLevelDivision ; xsrv:divisionKind/skos:prefLabel ?k
        FILTER(lang(?k) = "zh") } GROUP BY ?k""")}
    # The 2020 code table: 4 街道, 17 镇, 6 乡; the plan's names end the same way.
    assert kinds == {"街道": 4, "镇": 17, "乡": 6}


def test_hierarchy_municipality_county_township_village(store: Store) -> None:
    chain = rows(store, """SELECT ?v ?t ?c ?m WHERE {
        ?vi rdfs:label ?v FILTER(?v = "东林居委会"@zh)
        ?vi schema:containedInPlace ?ti . ?ti rdfs:label ?t FILTER(lang(?t) = "zh")
        ?ti schema:containedInPlace ?ci . ?ci rdfs:label ?c FILTER(lang(?c) = "zh")
        ?ci schema:containedInPlace ?mi . ?mi rdfs:label ?m FILTER(lang(?m) = "zh") }""")
    assert chain == [{"v": "东林居委会", "t": "清溪场镇", "c": "秀山土家族苗族自治县", "m": "重庆市"}]


@pytest.mark.parametrize(("category", "expected"), [
    ("先行示范类", PILOT_TOWNSHIPS), ("重点帮扶类", KEY_TOWNSHIPS), ("积极推进类", ACTIVE_TOWNSHIPS)])
def test_township_categories(store: Store, category: str, expected: list[str]) -> None:
    names = column(store, f"""SELECT ?n WHERE {{
        ?a a xsrv:CategoryAssignment ; xsrv:statedBy doc:xiushan-plan ;
           xsrv:assignedCategory/skos:prefLabel "{category}"@zh ; xsrv:assignedUnit ?t .
        ?t a xsrv:TownshipLevelDivision ; rdfs:label ?n FILTER(lang(?n) = "zh") }}""")
    assert sorted(names) == sorted(expected)


def test_every_township_in_exactly_one_category(store: Store) -> None:
    counts = column(store, """SELECT (COUNT(?a) AS ?n) WHERE {
        ?t a xsrv:TownshipLevelDivision .
        ?a xsrv:assignedUnit ?t ; xsrv:statedBy doc:xiushan-plan } GROUP BY ?t""")
    assert counts == [1] * 27


def test_key_assistance_tiers(store: Store) -> None:
    tiers = {r["n"]: r["tier"] for r in rows(store, """SELECT ?n ?tier WHERE {
        ?a xsrv:assignedCategory xp:cat-key-assistance ; xsrv:assignedUnit ?t ;
           xsrv:assignedTier/skos:prefLabel ?tier FILTER(lang(?tier) = "zh")
        ?t a xsrv:TownshipLevelDivision ; rdfs:label ?n FILTER(lang(?n) = "zh") }""")}
    # "市级重点乡：涌洞乡，县级重点乡镇：岑溪乡、大溪乡、膏田镇、海洋乡、妙泉镇"
    assert tiers == {"涌洞乡": "市级", "岑溪乡": "县级", "大溪乡": "县级", "膏田镇": "县级",
                     "海洋乡": "县级", "妙泉镇": "县级"}


def test_the_13_named_villages(store: Store) -> None:
    found = rows(store, """SELECT ?v ?t ?c (COALESCE(?tier, "") AS ?tr) WHERE {
        ?a xsrv:assignedUnit ?vi ; xsrv:assignedCategory/skos:prefLabel ?c .
        OPTIONAL { ?a xsrv:assignedTier/skos:prefLabel ?tier FILTER(lang(?tier) = "zh") }
        ?vi a xsrv:VillageLevelDivision ; rdfs:label ?v ; schema:containedInPlace/rdfs:label ?t .
        FILTER(lang(?v) = "zh" && lang(?t) = "zh" && lang(?c) = "zh") }""")
    assert {(r["v"], r["t"], r["c"], r["tr"]) for r in found} == NAMED_VILLAGES
    assert len(found) == 13


def test_declared_counts(store: Store) -> None:
    counts = {r["c"].rsplit("/", 1)[-1]: (r["v"], r["complete"]) for r in rows(store, """
        SELECT ?c ?v ?complete WHERE { ?c xsrv:statedBy doc:xiushan-plan ;
          xsrv:declaredValue ?v ; xsrv:enumerationComplete ?complete }""")}
    assert counts == {
        "count-categories": (3, "true"),                       # 分为“三类”
        "count-townships": (27, "true"),                       # 全县27个乡镇（街道）
        "count-townships-pilot": (2, "true"),                  # 先行示范类（2个）
        "count-townships-key-assistance": (6, "true"),         # 重点帮扶类（6个）
        "count-townships-active": (19, "true"),                # 积极推进类（19个）
        "count-villages-pilot": (13, "false"),                 # 先行示范类（13个）, 5 unnamed
        "count-villages-pilot-municipal": (1, "true"),         # 市级示范村1个
        "count-villages-pilot-east-west": (2, "true"),         # 东西部协作示范村2个
        "count-villages-pilot-county": (10, "false"),          # 县级示范村10个
        "count-villages-pilot-county-led": (5, "true"),        # 县级主导示范村（5个）
        "count-villages-pilot-township-applied": (5, "false"), # 乡镇（街道）申报创建示范村（5个）
        "count-villages-key-assistance": (5, "true"),          # 重点帮扶类（5个）
        "count-villages-active": (250, "false"),               # 其余250个行政村
    }


def test_partitions_add_up(store: Store) -> None:
    sums = {r["whole"]: (r["declared"], r["sum"]) for r in rows(store, """
        SELECT ?whole ?declared (SUM(?v) AS ?sum) WHERE {
          ?w xsrv:statedBy doc:xiushan-plan ;
             xsrv:partitionedInto ?p ; xsrv:declaredValue ?declared ; rdfs:label ?whole .
          ?p xsrv:declaredValue ?v FILTER(lang(?whole) = "zh") } GROUP BY ?whole ?declared""")}
    assert sorted(sums.values()) == [(10, 10), (13, 13), (27, 27)]  # 5+5, 1+2+10, 2+6+19


def test_unnamed_villages_are_not_invented(store: Store) -> None:
    # Only the 13 named villages exist as resources: the 5 township-applied demonstration
    # villages and the 250 others are declared counts without members.
    assert column(store, "SELECT (COUNT(?v) AS ?n) WHERE { ?v a xsrv:VillageLevelDivision }") == [13]
    assert column(store, """SELECT (COUNT(?a) AS ?n) WHERE {
        ?a xsrv:assignedTier xp:tier-township-applied }""") == [0]


# 三（四）: payer, amount in yuan, basis, years ("" = no duration), recipients as stated.
FUND_RULES = {
    ("市财政", Decimal(5000000), "per year", "3", "市级乡村振兴示范村"),
    ("县财政", Decimal(5000000), "per recipient per year", "3", "县级乡村振兴示范镇"),
    ("县财政", Decimal(2000000), "per recipient, once", "", "乡镇（街道）申报被评为县级乡村振兴示范村的"),
    ("市财政", Decimal(10000000), "per year", "5", "市级乡村振兴重点帮扶乡镇"),
    ("县财政", Decimal(2000000), "per recipient per year", "5", "县级重点帮扶乡镇"),
}


def test_five_fund_rules(store: Store) -> None:
    found = rows(store, """SELECT ?payer ?amount ?basis (COALESCE(STR(?years), "") AS ?y) ?who
        WHERE { ?r a xsrv:FundRule ; xsrv:payer/rdfs:label ?payer ; xsrv:amount ?amount ;
            xsrv:paymentBasis/skos:prefLabel ?basis ; xsrv:recipientDescription ?who .
          OPTIONAL { ?r time:hasDuration/time:numericDuration ?years }
          FILTER(lang(?payer) = "zh" && lang(?basis) = "en") }""")
    assert {(r["payer"], Decimal(r["amount"]), r["basis"], r["y"], r["who"]) for r in found} \
        == FUND_RULES
    datatypes = column(store, "SELECT DISTINCT (DATATYPE(?a) AS ?d) WHERE { ?r xsrv:amount ?a }")
    assert datatypes == ["http://www.w3.org/2001/XMLSchema#decimal"]


def test_fund_rule_recipients_resolve_to_townships_and_villages(store: Store) -> None:
    # Recipients = units the plan assigns to the rule's category (and tier, or a tier under it).
    found = rows(store, """SELECT ?who (GROUP_CONCAT(?n; separator="、") AS ?units) WHERE {
        ?r a xsrv:FundRule ; xsrv:recipientDescription ?who ; xsrv:recipientCategory ?c ;
           xsrv:recipientLevel ?level .
        OPTIONAL { ?r xsrv:recipientTier ?tier }
        ?a xsrv:assignedCategory ?c ; xsrv:assignedUnit ?u . ?u a ?level ; rdfs:label ?n
        FILTER(lang(?n) = "zh")
        FILTER(!BOUND(?tier) || EXISTS { ?a xsrv:assignedTier/skos:broader* ?tier })
      } GROUP BY ?who""")
    units = {r["who"]: sorted(str(r["units"]).split("、")) for r in found}
    assert units == {
        "市级乡村振兴示范村": ["东林居委会"],
        "县级乡村振兴示范镇": sorted(PILOT_TOWNSHIPS),           # an interpretation, see data
        "市级乡村振兴重点帮扶乡镇": ["涌洞乡"],
        "县级重点帮扶乡镇": sorted(KEY_TOWNSHIPS[1:]),
    }  # The township-applied villages are not named: that rule resolves to nobody.


def test_land_quota(store: Store) -> None:
    assert rows(store, """SELECT ?amount ?unit WHERE { ?q a xsrv:LandQuota ; xsrv:amount ?amount ;
        xsrv:recipientCategory xp:cat-key-assistance ; xsrv:unit/skos:prefLabel ?unit
        FILTER(lang(?unit) = "zh") }""") == [{"amount": "600", "unit": "亩"}]  # canonical xsd:decimal


def test_goals(store: Store) -> None:
    goals = {r["applies"].rsplit("/", 1)[-1]: (r["year"], r["bench"]) for r in rows(store, """
        SELECT ?applies ?year ?bench WHERE { ?g a xsrv:Goal ; xsrv:statedBy doc:xiushan-plan ;
          xsrv:targetYear ?year ;
          xsrv:appliesTo ?applies ; xsrv:hasTarget/xsrv:comparedTo/skos:prefLabel ?bench
          FILTER(lang(?bench) = "zh") }""")}
    assert goals == {
        "xiushan": ("2025", "全市平均水平"),           # 一、总体要求
        "cat-pilot": ("2025", "全市平均水平"),
        "cat-key-assistance": ("2025", "全县平均水平"),  # as stated: the county average
        "cat-active": ("2025", "全市平均水平"),
    }
    assert column(store, """SELECT (COUNT(?t) AS ?n) WHERE {
        ?g xsrv:statedBy doc:xiushan-plan ; xsrv:hasTarget ?t }""") == [23]


def test_measures_safeguards_and_frequencies(store: Store) -> None:
    measures = {r["c"]: r["n"] for r in rows(store, """SELECT ?c (COUNT(?m) AS ?n) WHERE {
        ?m a xsrv:Measure ; xsrv:appliesTo/skos:prefLabel ?c FILTER(lang(?c) = "zh") } GROUP BY ?c""")}
    assert measures == {"先行示范类": 4, "重点帮扶类": 5, "积极推进类": 3}  # sentences of 三（一）–（三）
    assert sorted(column(store, """SELECT ?l WHERE { ?s a xsrv:Safeguard ; rdfs:label ?l
        FILTER(lang(?l) = "zh") }""")) == sorted(
        ["加强组织领导", "广泛动员各方力量参与", "注重典型引路、示范带动", "强化工作调度", "强化考核评估"])
    freqs = {r["stated"]: r["f"] for r in rows(store, """SELECT ?stated ?f WHERE {
        ?a a xsrv:RecurringActivity ; xsrv:frequencyAsStated ?stated ; xsrv:frequency ?f }""")}
    assert freqs == {"每季度召开一次": "http://purl.org/cld/freq/quarterly",
                     "每年开展一次": "http://purl.org/cld/freq/annual",
                     "一年一创": "http://purl.org/cld/freq/annual"}


def test_document_basis_status_and_no_invented_issuer(store: Store) -> None:
    assert column(store, "SELECT ?id WHERE { doc:xiushan-plan eli:based_on/eli:id_local ?id }") \
        == ["渝委农组〔2021〕9号"]
    assert column(store, """SELECT ?s WHERE { doc:xiushan-plan xsrv:documentStatus/skos:prefLabel ?s
        FILTER(lang(?s) = "zh") }""") == ["试行"]
    assert run_ask(store, "ASK { doc:xiushan-plan eli:passed_by ?issuer }") is False
    bodies = column(store, "SELECT ?l WHERE { ?b a org:Organization ; rdfs:label ?l FILTER(lang(?l)='zh') }")
    assert {"县委农办", "县财政", "市财政"} <= set(bodies)


def run_ask(store: Store, query: str) -> bool:
    return bool(store.query(query, prefixes=vocab.PREFIXES))


def test_facts_have_spans(store: Store) -> None:
    missing = column(store, """SELECT ?f WHERE {
        ?f a ?c . VALUES ?c { xsrv:CategoryAssignment xsrv:AssignmentCount xsrv:DivisionCount
          xsrv:ConceptCount xsrv:FundRule xsrv:LandQuota xsrv:Goal xsrv:Target xsrv:Safeguard
          xsrv:Measure xsrv:RecurringActivity xsrv:Principle xsrv:DocumentSection }
        FILTER NOT EXISTS { ?f xsrv:sourceSpan ?s } }""")
    assert missing == []


def test_every_span_matches_the_source_text(store: Store) -> None:
    """Independent of SHACL: read the file and compare each quoted span into the county text
    (spans into other documents' texts: see tests/test_cross_document.py)."""
    text = SOURCE.read_text(encoding="utf-8")
    spans = rows(store, """SELECT ?s ?e ?x WHERE { ?f xsrv:sourceSpan [ oa:hasSource xp:text ;
        oa:start ?s ; oa:end ?e ; oa:exact ?x ] }""")
    assert len(spans) >= 150
    bad = [s for s in spans if text[s["s"]:s["e"]] != s["x"]]
    assert bad == []


def test_source_text_is_the_seed() -> None:
    if not SEED.exists():
        pytest.skip("shared/seed is not beside the checkout")
    assert SOURCE.read_bytes() == SEED.read_bytes()


def test_codes_match_the_2020_edition_csv(store: Store, config) -> None:
    with open(config.data_dir / "reference" / "xiushan-township-codes.csv", encoding="utf-8") as f:
        expected = {r["name"]: r["code"] for r in csv.DictReader(f)
                    if r["edition_cutoff"] == "2020-06-30"}
    found = {r["n"]: r["code"] for r in rows(store, """SELECT ?n ?code WHERE {
        ?t a xsrv:TownshipLevelDivision ; rdfs:label ?n ; xsrv:divisionCode ?code
        FILTER(lang(?n) = "zh") }""")}
    assert found == expected
    assert all(re.fullmatch(r"500241\d{3}", c) for c in found.values())


def test_ontology_terms_have_zh_and_en_labels_and_definitions(store: Store) -> None:
    lacking = rows(store, """SELECT ?t ?what WHERE {
        GRAPH graph:ontology { ?t a ?type FILTER(STRSTARTS(STR(?t), STR(xsrv:))) }
        VALUES ?type { owl:Class owl:ObjectProperty owl:DatatypeProperty skos:Concept skos:ConceptScheme }
        VALUES (?what ?p ?lang) { ("label zh" rdfs:label "zh") ("label en" rdfs:label "en")
            ("definition zh" skos:definition "zh") ("definition en" skos:definition "en") }
        FILTER NOT EXISTS { ?t ?p ?v FILTER(lang(?v) = ?lang) }
        FILTER NOT EXISTS { ?t skos:prefLabel ?pv FILTER(?p = rdfs:label && lang(?pv) = ?lang) } }""")
    assert lacking == []
    assert column(store, "SELECT ?v WHERE { ?o a owl:Ontology ; owl:versionIRI ?v }") \
        == ["https://w3id.org/xsrv-kg/ontology/0.1.0"]


def test_interpretations_and_ambiguities_are_explicit(store: Store) -> None:
    notes = column(store, """SELECT ?n WHERE { ?n a ?c . VALUES ?c { xsrv:Interpretation xsrv:Ambiguity } }""")
    assert len(notes) >= 8
    # The reading of "县级乡村振兴示范镇" as the pilot townships is marked as an interpretation.
    assert column(store, """SELECT ?p WHERE { ?i a xsrv:Interpretation ;
        xsrv:concerns xp:rule-county-demo-town ; xsrv:concernsProperty ?p }""")


def test_every_shape_message_is_in_chinese_and_english(store: Store) -> None:
    lacking = rows(store, """SELECT ?shape ?lang WHERE { GRAPH graph:shapes {
          { ?shape a sh:NodeShape } UNION { ?n sh:property ?shape } UNION { ?n sh:sparql ?shape }
          FILTER NOT EXISTS { ?shape a sh:NodeShape ; sh:property|sh:sparql ?any
                              FILTER NOT EXISTS { ?shape sh:message ?own } }
          VALUES ?lang { "zh" "en" }
          FILTER NOT EXISTS { ?shape sh:message ?m FILTER(lang(?m) = ?lang) } } }""")
    assert lacking == []
    assert column(store, """SELECT (COUNT(?m) AS ?n) WHERE { GRAPH graph:shapes {
        ?s sh:message ?m FILTER(lang(?m) = "zh") } }""")[0] >= 60


def test_general_requirements(store: Store) -> None:
    # 一、总体要求: "坚持统筹谋划、因地制宜、分类施策、点面结合，坚持抓两头带中间"
    assert column(store, """SELECT ?l WHERE { doc:xiushan-plan xsrv:hasPrinciple ?p .
        ?p rdfs:label ?l ; skos:notation ?n FILTER(lang(?l) = "zh") } ORDER BY ?n""") == [
        "统筹谋划", "因地制宜", "分类施策", "点面结合", "抓两头带中间"]
    # "按照中央农村工作会议、…、市委农村工作会议部署和县委县政府对…工作安排"
    assert len(column(store, "SELECT ?m WHERE { doc:xiushan-plan xsrv:follows ?m }")) == 5
    # 二: "依据区位条件、资源禀赋、产业基础、发展水平等实际情况"
    assert sorted(column(store, "SELECT ?c WHERE { xp:categories xsrv:classificationCriterion ?c }")) \
        == sorted(["区位条件", "资源禀赋", "产业基础", "发展水平"])


def test_every_xsrv_term_used_is_declared_in_the_ontology(store: Store) -> None:
    """Catches a misspelt property or class in the data or the shapes."""
    undeclared = column(store, """SELECT DISTINCT ?term WHERE {
        { ?s ?term ?o } UNION { ?s a ?term } UNION { ?s ?p ?term FILTER(isIRI(?term)) }
        FILTER(STRSTARTS(STR(?term), STR(xsrv:)))
        FILTER NOT EXISTS { GRAPH graph:ontology { ?term a ?kind } } }""")
    assert undeclared == []
