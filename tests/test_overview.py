"""/overview and /validation (pages and JSON twins) on the Flask test client.

Every expected number below is derived by hand from the text (source.txt), not read from
the data or the queries:

三（四）乡村振兴示范镇村和重点帮扶镇村:
  (a) "对市级乡村振兴示范村，市财政连续3年每年安排500万元": one municipal demonstration village
      (二（二）: 市级示范村1个：清溪场镇东林居委会) -> 5,000,000 a year x 3 years = 15,000,000 (市财政).
  (b) "对县级乡村振兴示范镇，县财政连续3年每年分别安排专项资金500万元": the two pilot townships
      (二（一）: 隘口镇、洪安镇), 5,000,000 each -> 10,000,000 a year x 3 = 30,000,000 (县财政).
  (c) "对乡镇（街道）申报被评为县级乡村振兴示范村的，县财政每个安排200万元奖补资金": 2,000,000
      each, once; the text declares 5 such villages but names none, and "一年一创" leaves open
      whether 5 is a total -> no computable total (县财政). Never 0.
  (d) "在5年过渡期内，对市级乡村振兴重点帮扶乡镇，市财政每年补助1000万元": 涌洞乡 ->
      10,000,000 a year x 5 = 50,000,000 (市财政).
  (e) "对县级重点帮扶乡镇，县财政每年每个补助200万元": 5 townships (岑溪乡、大溪乡、膏田镇、海洋乡、
      妙泉镇), 2,000,000 each -> 10,000,000 a year x 5 = 50,000,000 (县财政).

By payer:    市财政 (a)+(d): 5M + 10M = 15M a year; 15M + 50M = 65M in all; 2 rules, 0 without total.
             县财政 (b)+(e): 10M + 10M = 20M a year; 30M + 50M = 80M in all; 3 rules, 1 without (c).
By category: 先行示范类 (a)(b)(c): 5M + 10M = 15M a year; 15M + 30M = 45M; 3 rules, 1 without.
             重点帮扶类 (d)(e): 10M + 10M = 20M a year; 50M + 50M = 100M; 2 rules.
             积极推进类: no fund rule.
Chart, plan years 1..5 (no calendar years in the text; every rule counted from year 1):
             市财政: years 1-3 (a)+(d) = 15M; years 4-5 (d) = 10M  (3x15 + 2x10 = 65 ✓)
             县财政: years 1-3 (b)+(e) = 20M; years 4-5 (e) = 10M  (3x20 + 2x10 = 80 ✓)
Hierarchy (二（一）): 27 townships: 先行示范类 2, 重点帮扶类 6 (市级重点乡 涌洞乡 + 5 县级), 积极推进类 19;
             二（二） names 13 villages: 8 of the 13 pilot villages (1 市级 + 2 东西部协作 + 5 县级主导)
             and all 5 key-assistance villages; 250 active villages are not named.
Validation: the data conforms; ten Info results, one per count a text declares without
             naming every member: four of the county plan (13 pilot villages, 10 county
             villages, 5 township-applied, 250), four of the municipal plan's account (8, 12,
             18 districts and counties, 38 in all) and two of the secondary reports (37
             agriculture-related districts and counties, 6 known; 17 municipal key-assistance
             townships, 1 known: 涌洞乡, an interpretation). The validation page is the whole
             dataset's.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from xsrv_kg.config import Config
from xsrv_kg.server.app import create_app

ID = "https://w3id.org/xsrv-kg/id/"
XP = ID + "doc/xiushan-plan/"
CITY, COUNTY = ID + "body/chongqing-finance", ID + "body/xiushan-finance"
SVG = "{http://www.w3.org/2000/svg}"
M = 1_000_000

RULES = {  # rule -> (payer, per year, years, whole period), from the derivation above
    "rule-municipal-demo-village": (CITY, 5 * M, 3, 15 * M),
    "rule-county-demo-town": (COUNTY, 10 * M, 3, 30 * M),
    "rule-municipal-key-township": (CITY, 10 * M, 5, 50 * M),
    "rule-county-key-townships": (COUNTY, 10 * M, 5, 50 * M),
}
UNNAMED_RULE = XP + "rule-township-applied-villages"


@pytest.fixture(scope="module")
def zh(client):
    return client.get("/overview.json?lang=zh").get_json()


@pytest.fixture(scope="module")
def en(client):
    return client.get("/overview.json?lang=en").get_json()


def by_iri(items, key=None):
    return {(i[key] if key else i)["iri"]: i for i in items}


# --- the JSON twin's numbers -----------------------------------------------------------------

def test_fund_rules_totals(zh) -> None:
    rules = by_iri(zh["funding"]["rules"])
    assert len(rules) == 5
    for name, (payer, per_year, years, total) in RULES.items():
        rule = rules[XP + name]
        assert rule["payer"]["iri"] == payer, name
        assert (rule["perYear"], rule["years"], rule["total"]) == (per_year, years, total), name
        assert rule["computable"] is True


def test_unnamed_recipients_rule_is_not_computable_never_zero(zh, en) -> None:
    for model in (zh, en):
        rule = by_iri(model["funding"]["rules"])[UNNAMED_RULE]
        assert rule["computable"] is False
        assert rule["total"] is None and rule["perYear"] is None and rule["years"] is None
        assert rule["amount"] == 2 * M  # 200万 each, once
        assert rule["recipients"]["named"] == 0 and rule["recipients"]["declared"] == 5
        assert rule["recipients"]["units"] == []
        # The data's ambiguity on the number of such villages is given as part of the reason.
        assert XP + "note-township-applied-number" in [n["iri"] for n in rule["notes"]]
    assert "未列名" in by_iri(zh["funding"]["rules"])[UNNAMED_RULE]["reason"]
    assert "not named" in by_iri(en["funding"]["rules"])[UNNAMED_RULE]["reason"]


def test_named_recipients(zh) -> None:
    rules = by_iri(zh["funding"]["rules"])
    names = {name: sorted(u["label"] for u in rules[XP + name]["recipients"]["units"])
             for name in RULES}
    assert names == {
        "rule-municipal-demo-village": ["东林居委会"],
        "rule-county-demo-town": ["洪安镇", "隘口镇"],
        "rule-municipal-key-township": ["涌洞乡"],
        "rule-county-key-townships": ["大溪乡", "妙泉镇", "岑溪乡", "海洋乡", "膏田镇"],
    }


def test_totals_by_payer(zh) -> None:
    payers = by_iri(zh["funding"]["byPayer"], "payer")
    got = {p: (r["payer"]["label"], r["rules"], r["rulesWithoutTotal"], r["perYear"], r["total"])
           for p, r in payers.items()}
    assert got == {
        CITY: ("市财政", 2, 0, 15 * M, 65 * M),
        COUNTY: ("县财政", 3, 1, 20 * M, 80 * M),
    }


def test_totals_by_category(zh) -> None:
    got = [(c["category"]["label"], c["category"]["class"], c["rules"], c["rulesWithoutTotal"],
            c["perYear"], c["total"]) for c in zh["funding"]["byCategory"]]
    assert got == [
        ("先行示范类", "cat-pilot", 3, 1, 15 * M, 45 * M),
        ("重点帮扶类", "cat-key-assistance", 2, 0, 20 * M, 100 * M),
        ("积极推进类", "cat-active", 0, 0, 0, 0),
    ]


def test_chart_plan_years_not_calendar_years(zh, en) -> None:
    chart = zh["chart"]
    assert chart["years"] == [1, 2, 3, 4, 5]
    assert chart["yearLabels"] == ["第1年", "第2年", "第3年", "第4年", "第5年"]
    assert en["chart"]["yearLabels"] == ["Year 1", "Year 2", "Year 3", "Year 4", "Year 5"]
    assert chart["calendarYears"] is None
    series = {s["payer"]["iri"]: s["values"] for s in chart["series"]}
    assert series == {CITY: [15 * M] * 3 + [10 * M] * 2, COUNTY: [20 * M] * 3 + [10 * M] * 2}
    # The yearly series add up to the whole-period totals by payer.
    payers = by_iri(zh["funding"]["byPayer"], "payer")
    assert {p: sum(v) for p, v in series.items()} == {p: r["total"] for p, r in payers.items()}
    # The data's ambiguity about the undated periods is shown with the chart.
    assert [n["iri"] for n in chart["notes"]] == [XP + "note-periods"]
    assert "2021" in chart["assumption"] and "未" in chart["assumption"]


def test_hierarchy(zh) -> None:
    [province] = zh["hierarchy"]
    assert province["label"] == "重庆市"
    [county] = province["counties"]
    assert county["label"] == "秀山土家族苗族自治县"
    assert county["href"] == "/id/division/xiushan"
    [township_count] = county["counts"]
    assert (township_count["declared"], township_count["enumerated"]) == (27, 27)
    groups = {g["category"]["class"]: g for g in county["groups"]}
    assert list(groups) == ["cat-pilot", "cat-key-assistance", "cat-active"]
    assert {c: len(g["townships"]) for c, g in groups.items()} == \
        {"cat-pilot": 2, "cat-key-assistance": 6, "cat-active": 19}
    assert {c: (g["townshipCount"]["declared"], g["townshipCount"]["enumerated"],
                g["villageCount"]["declared"], g["villageCount"]["enumerated"])
            for c, g in groups.items()} == {
        "cat-pilot": (2, 2, 13, 8), "cat-key-assistance": (6, 6, 5, 5),
        "cat-active": (19, 19, 250, 0)}
    townships = {t["label"]: t for g in county["groups"] for t in g["townships"]}
    assert townships["涌洞乡"]["href"] == "/id/division/xiushan-yongdong"
    assert townships["涌洞乡"]["tier"]["label"] == "市级"
    villages = {v["label"]: v for t in townships.values() for v in t["villages"]}
    assert len(villages) == 13
    # 东林居委会 is a pilot village in an active-advancement township: coloured by its own category.
    assert villages["东林居委会"]["category"]["class"] == "cat-pilot"
    assert "东林居委会" in [v["label"] for v in townships["清溪场镇"]["villages"]]
    assert villages["东林居委会"]["href"] == "/id/division/xiushan-qingxichang-donglin"


def test_declared_vs_enumerated_counts(zh) -> None:
    counts = {c["iri"].rsplit("/", 1)[1]: (c["declared"], c["enumerated"], c["complete"])
              for c in zh["counts"]}
    assert counts == {
        "count-townships": (27, 27, True),
        "count-townships-pilot": (2, 2, True),
        "count-townships-key-assistance": (6, 6, True),
        "count-townships-active": (19, 19, True),
        "count-villages-pilot": (13, 8, False),
        "count-villages-pilot-municipal": (1, 1, True),
        "count-villages-pilot-east-west": (2, 2, True),
        "count-villages-pilot-county": (10, 5, False),
        "count-villages-pilot-county-led": (5, 5, True),
        "count-villages-pilot-township-applied": (5, 0, False),
        "count-villages-key-assistance": (5, 5, True),
        "count-villages-active": (250, 0, False),
    }


def test_labels_follow_the_language(en) -> None:
    county = en["hierarchy"][0]["counties"][0]
    assert county["label"] == "Xiushan Tujia and Miao Autonomous County"
    labels = {t["label"] for g in county["groups"] for t in g["townships"]}
    assert "Yongdong Township" in labels
    assert en["funding"]["byPayer"][0]["payer"]["label"] == "county public finance"


# --- the HTML page ---------------------------------------------------------------------------

def page_text(client, url: str) -> str:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    return response.get_data(as_text=True)


def test_html_shows_the_numbers(client) -> None:
    html = page_text(client, "/overview?lang=zh")
    for yuan, shown in [(65 * M, "6500万元"), (80 * M, "8000万元"), (15 * M, "1500万元"),
                        (30 * M, "3000万元"), (50 * M, "5000万元"), (45 * M, "4500万元"),
                        (100 * M, "1亿元"), (20 * M, "2000万元")]:
        assert f'<data value="{yuan}">{shown}</data>' in html, shown
    row = re.search(r'<tr data-iri="' + re.escape(UNNAMED_RULE) + r'".*?</tr>', html, re.S)
    assert row and "无法计算" in row.group(0) and "未列名" in row.group(0)
    assert '<data value="0">' not in row.group(0)
    assert 'href="/id/division/xiushan-yongdong?lang=zh"' in html
    assert 'class="township cat-key-assistance"' in html
    assert "原文未载明公历年份" in html

    en = page_text(client, "/overview?lang=en")
    for shown in ["65 million yuan", "80 million yuan", "100 million yuan", "not computable",
                  "Year 5", "Yongdong Township", "Totals by payer", "no calendar years"]:
        assert shown in en, shown
    assert "第1年" not in en


def extract_svg(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG chart"
    return ET.fromstring(match.group(0))  # raises if it is not well-formed XML


def test_svg_chart_one_series_per_payer(client, zh) -> None:
    svg = extract_svg(page_text(client, "/overview?lang=zh"))
    assert svg.tag == SVG + "svg"
    series = svg.findall(f"{SVG}g[@class='series']")
    assert len(series) == len(zh["funding"]["byPayer"]) == 2
    expected = {CITY: [15 * M] * 3 + [10 * M] * 2, COUNTY: [20 * M] * 3 + [10 * M] * 2}
    got = {}
    for g in series:
        assert g.find(f"{SVG}title").text in {"市财政", "县财政"}
        bars = g.findall(f"{SVG}rect[@class='bar']")
        got[g.get("data-payer")] = [int(b.get("data-yuan")) for b in bars]
        assert [b.get("data-year") for b in bars] == ["1", "2", "3", "4", "5"]
    assert got == expected
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert [t for t in texts if t and t.startswith("第")] == [f"第{n}年" for n in range(1, 6)]
    assert "(原文未载明公历年份)" in texts
    # No calendar year on the axis.
    assert not [t for t in texts if t and re.fullmatch(r"20\d\d", t)]
    en_svg = extract_svg(page_text(client, "/overview?lang=en"))
    assert "(no calendar years in the text)" in [t.text for t in en_svg.iter(f"{SVG}text")]


def test_overview_link_header_and_json_by_accept(client) -> None:
    response = client.get("/overview?lang=en", headers={"Accept": "text/html"})
    assert response.headers["Link"] == \
        '</overview.json?lang=en>; rel="alternate"; type="application/json"'
    assert 'href="/overview.json?lang=en"' in response.get_data(as_text=True)
    as_json = client.get("/overview?lang=en", headers={"Accept": "application/json"})
    assert as_json.content_type == "application/json"
    assert as_json.get_json()["funding"]["byPayer"][0]["total"] == 80 * M


# --- /validation -----------------------------------------------------------------------------

def test_validation_json_conforms_with_ten_infos(client) -> None:
    doc = client.get("/validation.json?lang=en").get_json()
    assert doc["conforms"] is True
    assert doc["counts"] == {"Violation": 0, "Warning": 0, "Info": 10}
    [group] = doc["groups"]
    assert (group["severity"], group["count"]) == ("Info", 10)
    results = [r for s in group["shapes"] for r in s["results"]]
    assert sorted(r["focus"] for r in results) == sorted([
        "xp:count-villages-pilot", "xp:count-villages-pilot-county",
        "xp:count-villages-pilot-township-applied", "xp:count-villages-active",
        "cp:count-pilot", "cp:count-key-assistance",
        "cp:count-active", "cp:count-units",
        "cp:count-she-nong-37", "cp:count-municipal-key-townships"])
    for r in results:
        assert r["href"] == "/" + r["focusIri"].removeprefix("https://w3id.org/xsrv-kg/")
        # A document declares; a secondary source reports.
        assert r["message"].startswith(
            "Reported" if r["focus"] in ("cp:count-she-nong-37", "cp:count-municipal-key-townships")
            else "Declared")
        src = r["source"]
        assert src["before"] + src["span"] + src["after"] == src["sentence"]
        assert src["span"] == src["exact"]
    spans = {r["focus"]: r["source"]["span"] for r in results}
    assert spans["xp:count-villages-active"] == "其余250个行政村"
    assert spans["cp:count-active"] == "积极推进类 the other 18 (47%)"
    zh = client.get("/validation.json?lang=zh").get_json()
    messages = [r["message"] for s in zh["groups"][0]["shapes"] for r in s["results"]]
    assert sorted(m[:2] for m in messages) == ["声明"] * 8 + ["报道"] * 2


def test_validation_page(client) -> None:
    response = client.get("/validation?lang=zh", headers={"Accept": "text/html"})
    assert response.headers["Link"] == \
        '</validation.json?lang=zh>; rel="alternate"; type="application/json"'
    html = response.get_data(as_text=True)
    assert html.count('<article class="result"') == 10
    assert "<mark>其余250个行政村</mark>" in html
    assert 'href="/id/doc/xiushan-plan/count-villages-active?lang=zh"' in html
    assert "数据符合约束" in html and "声明 250 个" in html
    en = page_text(client, "/validation?lang=en")
    assert "The data conforms" in en and "Declared 250, named 0" in en


def test_shacl_and_validation_share_the_report(client) -> None:
    from xsrv_kg.server.blueprints.shacl import served_report

    client.get("/shacl", headers={"Accept": "text/plain"})
    with client.application.app_context():
        report = served_report()
    client.get("/validation.json")
    with client.application.app_context():
        assert served_report() is report  # made once per store version, used by both


# --- a label is text, never markup -----------------------------------------------------------

EVIL = """
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix div: <https://w3id.org/xsrv-kg/id/division/> .
@prefix xp: <https://w3id.org/xsrv-kg/id/doc/xiushan-plan/> .
@prefix doc: <https://w3id.org/xsrv-kg/id/doc/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
doc:xiushan-plan a xsrv:PolicyDocument ; rdfs:label "<i>evil</i>"@zh ;
    dcterms:spatial div:test-county .
div:test-county a xsrv:CountyLevelDivision ; rdfs:label "测试县"@zh .
div:test-evil a xsrv:TownshipLevelDivision ; rdfs:label "<script>alert(1)</script>"@zh ;
    schema:containedInPlace div:test-county .
xp:assign-test-evil a xsrv:CategoryAssignment ; xsrv:assignedUnit div:test-evil ;
    xsrv:assignedCategory xp:cat-pilot ; xsrv:statedBy doc:xiushan-plan .
xp:cat-pilot skos:prefLabel "先行示范类"@zh ; skos:notation "1" .
"""


def write_evil(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.ttl").write_text(EVIL, encoding="utf-8")
    return folder


def test_labels_are_escaped(tmp_path: Path) -> None:
    app = create_app(Config(data_paths=(write_evil(tmp_path / "data"),)), workers=False)
    client = app.test_client()
    html = page_text(client, "/overview?lang=zh")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>evil</i>" not in html and "&lt;i&gt;evil&lt;/i&gt;" in html
    assert "未分类" not in html  # no province in this data: the county is the top
    model = client.get("/overview.json").get_json()
    # No fund rules in this data: no totals, an empty chart, nothing invented.
    assert model["funding"]["rules"] == [] and model["chart"]["series"] == []
    extract_svg(html)


def test_the_overview_is_of_one_document_chosen_by_doc(client) -> None:
    """Each overview query is about one document; the municipal plan's is not Xiushan's."""
    xiushan = client.get("/overview.json").get_json()
    assert xiushan["document"]["iri"].endswith("/doc/xiushan-plan")
    same = client.get("/overview.json?doc=xiushan-plan").get_json()
    assert same == xiushan
    municipal = client.get("/overview.json?doc=chongqing-plan").get_json()
    assert municipal["document"]["iri"].endswith("/doc/chongqing-plan")
    assert municipal["funding"]["rules"] == []  # the municipal plan's data has no fund rules
    xiushan_townships = {t["iri"] for p in xiushan["hierarchy"] for c in p["counties"]
                         for g in c["groups"] for t in g["townships"]}
    municipal_townships = {t["iri"] for p in municipal["hierarchy"] for c in p["counties"]
                           for g in c["groups"] for t in g["townships"]}
    assert len(xiushan_townships) == 27 and not xiushan_townships & municipal_townships


def test_an_unknown_document_is_a_404_that_names_it(client) -> None:
    response = client.get("/overview.json?doc=no-such-plan",
                          headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "no-such-plan" in response.get_json()["error"]["message"]


# --- any document, any hierarchy -------------------------------------------------------------

def test_the_municipal_plan_s_overview_is_its_districts_under_chongqing(client) -> None:
    """The account names 万州区 and 黔江区 (先行示范类) and 城口县, 巫溪县, 酉阳县, 彭水县 (重点帮扶类,
    national key counties) of the 38 districts and counties of 重庆市: they are drawn under
    重庆市, by category, beside the declared 8 and 12; no unnamed top node, nothing
    'uncategorised', none of the 32 districts the account does not name."""
    model = client.get("/overview.json?doc=chongqing-plan&lang=zh").get_json()
    assert model["document"]["iri"] == ID + "doc/chongqing-plan"
    [top] = model["hierarchy"]
    assert top["path"] == [] and top["iri"] is None  # 重庆市 is the area itself, at the top
    [area] = top["counties"]
    assert area["label"] == "重庆市"
    groups = [(g["label"], [t["label"] for t in g["townships"]],
               (g["unitCount"]["declared"], g["unitCount"]["enumerated"])) for g in area["groups"]]
    assert groups == [
        ("先行示范类", ["万州区", "黔江区"], (8, 2)),
        ("重点帮扶类", ["城口县", "巫溪县", "酉阳土家族苗族自治县", "彭水苗族土家族自治县"], (12, 4))]
    assert {t["tier"]["label"] for t in area["groups"][1]["townships"]} == {"国家乡村振兴重点帮扶县"}
    html = client.get("/overview?doc=chongqing-plan&lang=zh",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "未分类" not in html and 'data-declared="12" data-enumerated="4"' in html
    # The alias, and the twin of a document's overview is that document's.
    moved = client.get("/documents/chongqing-plan/overview?lang=en")
    assert moved.status_code == 302
    assert moved.headers["Location"] in ("/overview?lang=en&doc=chongqing-plan",
                                         "/overview?doc=chongqing-plan&lang=en")
    assert 'href="/overview.json?lang=zh&amp;doc=chongqing-plan"' in html


NOTICE = """
@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://w3id.org/xsrv-kg/id/doc/example-notice/> .
@prefix div: <https://w3id.org/xsrv-kg/id/division/> .
<https://w3id.org/xsrv-kg/id/doc/example-notice> a xsrv:PolicyDocument ;
    rdfs:label "示例公示"@zh ; dcterms:spatial div:ex-city .
div:ex-province rdfs:label "示例省"@zh .
div:ex-city rdfs:label "示例市"@zh ; schema:containedInPlace div:ex-province .
div:ex-district rdfs:label "甲区"@zh ; schema:containedInPlace div:ex-city .
div:ex-town rdfs:label "乙镇"@zh ; schema:containedInPlace div:ex-district .
div:ex-village rdfs:label "丙村"@zh ; schema:containedInPlace div:ex-town .
ex:advanced a skos:Concept ; skos:prefLabel "先进乡镇"@zh ; skos:notation "1" .
ex:demo a skos:Concept ; skos:prefLabel "示范村"@zh ; skos:notation "2" .
ex:a1 xsrv:statedBy <https://w3id.org/xsrv-kg/id/doc/example-notice> ;
    xsrv:assignedUnit div:ex-town ; xsrv:assignedCategory ex:advanced ;
    xsrv:sourceSpan [ oa:start 10 ] .
ex:a2 xsrv:statedBy <https://w3id.org/xsrv-kg/id/doc/example-notice> ;
    xsrv:assignedUnit div:ex-village ; xsrv:assignedCategory ex:demo ;
    xsrv:sourceSpan [ oa:start 20 ] .
"""


def test_a_list_grouped_by_district_draws_province_city_district_and_its_units() -> None:
    """A notice of a prefecture-level city (in a province) naming a town and a village of one
    of its districts: the path 示例省 above 示例市, the district as a place (the notice gives
    it no category), the town and the village under it with their own categories. By
    containment and labels alone (no level classes in this data)."""
    import pyoxigraph as ox

    from xsrv_kg.pages import overview as service
    from xsrv_kg.store import open_store

    store = open_store("memory")
    graph = ox.NamedNode("urn:test:notice")
    store.add(ox.Quad(t.subject, t.predicate, t.object, graph)
              for t in ox.parse(NOTICE.encode(), format=ox.RdfFormat.TURTLE))
    model = service.build(store, ID, "zh", document=ID + "doc/example-notice")
    [top] = model["hierarchy"]
    assert [p["label"] for p in top["path"]] == ["示例省"] and top["label"] == "示例省"
    [city] = top["counties"]
    assert city["label"] == "示例市"
    [group] = city["groups"]
    assert group["category"] is None and group["label"] == "所列区划"
    [district] = group["townships"]
    assert district["label"] == "甲区"
    assert [(v["label"], v["category"]["label"]) for v in district["villages"]] == [
        ("乙镇", "先进乡镇"), ("丙村", "示范村")]


def test_the_overview_links_the_document_queries_with_the_document_chosen(client) -> None:
    model = client.get("/overview.json?doc=chongqing-plan&lang=en").get_json()
    links = {q["name"]: q["href"] for q in model["queries"]}
    assert {"assignment-sources", "fund-rules", "declared-vs-enumerated"} <= set(links)
    assert "division-profile" not in links  # takes a unit, not a document
    twin = client.get(links["assignment-sources"].replace(
        "/queries/assignment-sources?", "/queries/assignment-sources.json?")).get_json()
    assert twin["values"][0]["bound"]["value"] == ID + "doc/chongqing-plan"
    assert len(twin["result"]["results"]["bindings"]) == 6  # the six districts it names
