"""Statistical division codes over time (six editions) and the plan's townships linked to them.

The facts checked here come from data/reference/xiushan-township-codes.csv, read directly:
the 2020-06-30 edition lists the plan's 27 names; 2021-10-31 drops 清溪场镇 (500241102),
孝溪乡 (500241201) and 涌洞乡 (500241211) and lists 清溪场街道 (500241005), 龙凤坝镇 (500241120)
and 涌洞镇 (500241121); 2017-10-31 lists 官庄镇 (500241105) where the plan has 官庄街道.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from xsrv_kg.config import DEFAULT_HOME, Config
from xsrv_kg.linking import alignment
from xsrv_kg.linking import files as link_files
from xsrv_kg.linking import plan_links as linking
from xsrv_kg.linking import report as link_report
from xsrv_kg.store import Store

from .conftest import Runner, column, rows, validate_files

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

ED = "https://w3id.org/xsrv-kg/id/division-code/"
E2020 = ED + "2020-06-30"


@pytest.fixture
def link(runner: Runner) -> Callable[..., Result]:
    """``link(config, *args)``: ``xsrv-kg link ARGS`` over ``config``'s project."""
    return lambda config, *args: runner.invoke(args=["link", *args], obj=config)


def csv_rows(config: Config) -> list[dict[str, str]]:
    with open(config.home / linking.CSV_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def report(store: Store) -> dict:
    return link_report.code_report(store)


def edition(report: dict, cutoff: str) -> dict:
    return next(e for e in report["editions"] if e["cutoff"] == cutoff)


def pairs(items: list[dict]) -> set[tuple[str, str]]:
    return {(d["name"], d["code"]) for d in items}


# --- the code table: CSV -> Turtle ------------------------------------------------------------

def test_regenerating_gives_the_committed_files(config: Config) -> None:
    committed = (config.home / linking.CODES_PATH).read_text(encoding="utf-8")
    assert link_files.generate_codes(config) == committed
    assert link_files.generate_codes(config) == committed  # deterministic
    assert link_files.stale_files(config) == []


def test_every_csv_row_is_in_the_graph(store: Store, config: Config) -> None:
    expected = {(r["edition_cutoff"], r["edition_published"], r["code"], r["name"],
                 r["county_code"]) for r in csv_rows(config)}
    assert len(expected) == len(csv_rows(config)) == 162
    found = {(r["cutoff"], r["issued"], r["code"], r["name"], r["county"]) for r in rows(store, """
        SELECT ?cutoff ?issued ?code ?name ?county WHERE {
          GRAPH <https://w3id.org/xsrv-kg/graph/reference/division-codes> {
            ?e a xsrv:CodeTableEntry ; xsrv:edition ?ed ; skos:notation ?code ;
               rdfs:label ?name ; xsrv:countyCode ?county .
            ?ed a xsrv:CodeTableEdition ; xsrv:cutoffDate ?cutoff ; dcterms:issued ?issued } }""")}
    assert found == expected
    # Names as printed: the 2017 and 2018 editions say 街道办事处.
    assert ("2018-10-31", "2019-01-31", "500241001", "中和街道办事处", "500241") in found


def test_each_edition_has_27_entries_for_the_county(store: Store) -> None:
    counts = {r["cutoff"]: (r["n"], r["stated"]) for r in rows(store, """
        SELECT ?cutoff ?stated (COUNT(?e) AS ?n) WHERE {
          ?ed xsrv:cutoffDate ?cutoff ; xsrv:entryCount ?stated .
          ?e xsrv:edition ?ed ; xsrv:countyCode "500241" }
        GROUP BY ?cutoff ?stated""")}
    assert counts == {c: (27, 27) for c in ("2017-10-31", "2018-10-31", "2019-10-31",
                                             "2020-06-30", "2021-10-31", "2022-10-31")}
    dates = rows(store, """SELECT ?c ?i WHERE { ?ed a xsrv:CodeTableEdition ;
        xsrv:cutoffDate ?c ; dcterms:issued ?i FILTER(datatype(?c) = xsd:date
        && datatype(?i) = xsd:date) } ORDER BY ?c""")
    assert len(dates) == 6


def test_the_2020_graph_is_kept_and_agrees(store: Store) -> None:
    """The older per-edition graph (xsrv:divisionCode on the townships) is unchanged."""
    assert len(column(store, """SELECT ?t WHERE { GRAPH <https://w3id.org/xsrv-kg/graph/reference/division-codes-2020-06-30>
        { ?t xsrv:divisionCode ?c } }""")) == 28  # 27 townships + the county


# --- the links --------------------------------------------------------------------------------

def test_each_township_links_to_exactly_one_2020_entry_with_its_code(store: Store) -> None:
    found = rows(store, """
        SELECT ?t (COUNT(DISTINCT ?e) AS ?n) (SAMPLE(?code) AS ?c) (SAMPLE(?dc) AS ?d)
               (SAMPLE(?ed) AS ?edition) WHERE {
          ?t a xsrv:TownshipLevelDivision ; schema:containedInPlace div:xiushan ;
             xsrv:divisionCode ?dc .
          OPTIONAL { ?t xsrv:codeTableEntry ?e . ?e skos:notation ?code ; xsrv:edition ?ed }
        } GROUP BY ?t""")
    assert len(found) == 27
    assert all(r["n"] == 1 and r["c"] == r["d"] and r["edition"] == E2020 for r in found), found


def test_links_record_what_they_rest_on(store: Store) -> None:
    links = rows(store, """
        SELECT ?unit ?method ?edition ?unitName ?compared WHERE {
          ?l a xsrv:CodeEntryLink ; xsrv:linkedUnit ?unit ; xsrv:linkedEntry ?e ;
             xsrv:matchedEdition ?edition ; xsrv:matchMethod ?method ;
             xsrv:comparedName ?compared ; prov:wasGeneratedBy ?run .
          ?run a prov:Activity ; xsrv:normalisation "街道办事处 → 街道" ;
               xsrv:matchedEdition ?edition .
          ?unit rdfs:label ?unitName FILTER(lang(?unitName) = "zh") }""")
    assert len(links) == 27
    # The 2020-06-30 names are the plan's, character for character: no normalisation needed.
    assert {r["method"] for r in links} == {"https://w3id.org/xsrv-kg/ontology#match-exact-name"}
    assert {r["edition"] for r in links} == {E2020}
    assert all(r["compared"] == r["unitName"] for r in links)
    comment = column(store, """SELECT ?c WHERE { ?run a prov:Activity ; xsrv:matchedEdition ?e ;
        rdfs:comment ?c FILTER(lang(?c) = "en") }""")[0]
    assert "2018-10-31 (normalised), 2019-10-31 (exact)" in comment
    assert "changes no code" in comment


def test_linking_matches_editions_by_name(store: Store) -> None:
    result = linking.compute_links(store)
    assert result.chosen.edition.cutoff == "2020-06-30"
    assert {m.edition.cutoff: m.verdict for m in result.matches} == {
        "2017-10-31": "differs", "2018-10-31": "normalised", "2019-10-31": "exact",
        "2020-06-30": "exact", "2021-10-31": "differs", "2022-10-31": "differs"}


def test_normalisation() -> None:
    assert linking.normalise("中和街道办事处") == "中和街道"
    assert linking.normalise("中和街道") == "中和街道"
    assert linking.stem_and_kind("清溪场街道") == ("清溪场", "街道")
    assert linking.stem_and_kind("涌洞乡") == ("涌洞", "乡")


# --- nothing is asserted as a succession ------------------------------------------------------

SUCCESSION_PREDICATES = [
    "https://w3id.org/xsrv-kg/ontology#succeededBy", "https://w3id.org/xsrv-kg/ontology#succeeds",
    "http://www.w3.org/ns/prov#wasRevisionOf", "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://purl.org/dc/terms/replaces", "http://purl.org/dc/terms/isReplacedBy",
    "http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
]


def test_no_succession_is_asserted(store: Store) -> None:
    values = " ".join(f"<{p}>" for p in SUCCESSION_PREDICATES)
    units = """VALUES ?c { xsrv:CodeTableEntry xsrv:TownshipLevelDivision xsrv:CountyLevelDivision
                            xsrv:VillageLevelDivision }"""
    assert rows(store, f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o .
        {{ {units} ?s a ?c }} UNION {{ {units} ?o a ?c }} }}""") == []
    # No triple at all joins two code entries, or two townships of the county.
    assert rows(store, """SELECT ?a ?p ?b WHERE { ?a ?p ?b .
        { ?a a xsrv:CodeTableEntry . ?b a xsrv:CodeTableEntry } UNION
        { ?a a xsrv:TownshipLevelDivision . ?b a xsrv:TownshipLevelDivision } }""") == []
    # A township links to entries of the matched edition only: 清溪场镇 not to 清溪场街道.
    assert rows(store, f"""SELECT ?t ?e WHERE {{ ?t xsrv:codeTableEntry ?e .
        FILTER NOT EXISTS {{ ?e xsrv:edition <{E2020}> }} }}""") == []
    assert column(store, """SELECT ?t WHERE { GRAPH graph:ontology { ?t ?p ?o }
        FILTER(CONTAINS(LCASE(STR(?t)), "succe")) }""") == []


# --- the report -------------------------------------------------------------------------------

def test_report_2021_differences(report: dict) -> None:
    e = edition(report, "2021-10-31")
    assert e["verdict"] == "differs"
    assert pairs(e["plan_only"]) == {("清溪场镇", "500241102"), ("孝溪乡", "500241201"),
                                     ("涌洞乡", "500241211")}
    assert pairs(e["edition_only"]) == {("清溪场街道", "500241005"), ("龙凤坝镇", "500241120"),
                                        ("涌洞镇", "500241121")}
    hints = {(h["plan"]["name"], h["edition"]["name"]): h for h in e["possible_correspondences"]}
    assert set(hints) == {("清溪场镇", "清溪场街道"), ("涌洞乡", "涌洞镇")}
    assert hints[("清溪场镇", "清溪场街道")]["basis"] == {
        "same_stem": "清溪场", "kind_in_plan": "镇", "kind_in_edition": "街道"}
    assert hints[("涌洞乡", "涌洞镇")]["basis"] == {
        "same_stem": "涌洞", "kind_in_plan": "乡", "kind_in_edition": "镇"}
    assert all(h["asserted"] is False for h in e["possible_correspondences"])
    assert edition(report, "2022-10-31")["plan_only"] == e["plan_only"]
    assert report["successions_asserted"] == 0


def test_report_earlier_editions(report: dict) -> None:
    e2017 = edition(report, "2017-10-31")
    assert pairs(e2017["plan_only"]) == {("官庄街道", "500241004")}
    assert pairs(e2017["edition_only"]) == {("官庄镇", "500241105")}
    assert [h["basis"] for h in e2017["possible_correspondences"]] == [
        {"same_stem": "官庄", "kind_in_plan": "街道", "kind_in_edition": "镇"}]
    assert [n["edition_name"] for n in e2017["normalised"]] == [
        "中和街道办事处", "乌杨街道办事处", "平凯街道办事处"]
    e2018 = edition(report, "2018-10-31")
    assert e2018["verdict"] == "normalised" and len(e2018["normalised"]) == 4
    assert edition(report, "2019-10-31")["verdict"] == "exact"
    e2020 = edition(report, "2020-06-30")
    assert e2020["verdict"] == "exact" and e2020["linked"] is True
    assert report["linked_edition"] == "2020-06-30" and report["links"] == 27


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_text(link, config: Config, lang: str) -> None:
    result = link(config, "--report", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for fragment in ("清溪场镇 (500241102)", "清溪场街道 (500241005)", "涌洞乡 (500241211)",
                     "涌洞镇 (500241121)", "孝溪乡 (500241201)", "龙凤坝镇 (500241120)",
                     "官庄镇 (500241105)"):
        assert fragment in out
    if lang == "zh":
        assert "可能的对应（仅为提示，数据未断言承继关系）" in out
        assert "方案有、本版无： 清溪场镇 (500241102)、孝溪乡 (500241201)、涌洞乡 (500241211)" in out
    else:
        assert "possible correspondences (hints only; no succession is asserted)" in out
        assert "in this edition, not in the plan: 清溪场街道 (500241005)、龙凤坝镇 (500241120)、" \
               "涌洞镇 (500241121)" in out


def test_report_json_and_html(link, config: Config) -> None:
    result = link(config, "--report", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [c["county"] for c in data["counties"]] == [
        "https://w3id.org/xsrv-kg/id/division/xiushan"]
    e = edition(data["counties"][0], "2021-10-31")
    assert ("涌洞乡", "500241211") in pairs(e["plan_only"])
    assert ("龙凤坝镇", "500241120") in pairs(e["edition_only"])
    page = link(config, "--report", "--format", "html", "--lang", "en").stdout
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert 'id="edition-2021-10-31"' in page and "清溪场街道 (500241005)" in page


def test_renderers_escape_and_refuse_unknown_options(report: dict) -> None:
    odd = json.loads(json.dumps(report))
    edition(odd, "2021-10-31")["edition_only"][0]["name"] = "<script>x</script>"
    assert "<script>x" not in link_report.render_html(odd, "zh")
    with pytest.raises(Exception, match="unknown language"):
        link_report.render_report(report, "text", "fr")
    with pytest.raises(Exception, match="unknown report format"):
        link_report.render_report(report, "csv", "zh")


# --- CLI exit codes ---------------------------------------------------------------------------

def test_link_prints_the_links(link, config: Config) -> None:
    result = link(config)
    assert result.exit_code == 0
    assert "2020-06-30" in result.stdout
    assert "500241211  涌洞乡" in result.stdout


def test_link_says_which_documents_it_skips_and_why(link, config: Config) -> None:
    # The municipal plan (area 重庆市, a province-level city) and the notice that issues it
    # (no area) are not county plans: each gets a line, the county plan none.
    lines = [line for line in link(config).stdout.splitlines() if line.startswith("skipped: ")]
    assert lines == [
        "skipped: chongqing-plan (重庆市分层分类全面推进乡村振兴实施方案（试行）): not a county "
        "plan, its area (重庆市) is not a county-level division; not linked to codes or aligned",
        "skipped: yuweinongzu-2021-9 (渝委农组〔2021〕9号): not a county plan, it states no area "
        "(dcterms:spatial); not linked to codes or aligned"]


def test_a_document_of_another_kind_is_reported_skipped_by_write(link, home_copy: Path) -> None:
    folder = home_copy / "data" / "documents" / "example-notice"
    folder.mkdir()
    (folder / "document.ttl").write_text(
        "@prefix xsrv: <https://w3id.org/xsrv-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix div: <https://w3id.org/xsrv-kg/id/division/> .\n"
        "<https://w3id.org/xsrv-kg/id/doc/example-notice> a xsrv:PolicyDocument ;\n"
        '    rdfs:label "示例公示"@zh ; dcterms:spatial div:example-city .\n'
        'div:example-city rdfs:label "示例市"@zh .\n', encoding="utf-8")
    result = link(Config(home=home_copy), "--write")
    assert result.exit_code == 0, result.stderr
    assert ("skipped: example-notice (示例公示): not a county plan, its area (示例市) is not a "
            "county-level division; not linked to codes or aligned") in result.stdout.splitlines()


def test_cli_exit_codes(link, config: Config) -> None:
    assert link(config, "--check").exit_code == 0
    assert link(config, "--report", "--write").exit_code == 2  # one at a time
    assert link(config, "--report", "--format", "turtle").exit_code == 2  # click usage error


@pytest.fixture
def home_copy(tmp_path: Path, config: Config) -> Path:
    for part in ("data", "ontology", "shapes"):
        shutil.copytree(config.home / part, tmp_path / part)
    return tmp_path


def test_check_fails_on_a_stale_file_and_write_repairs_it(link, home_copy: Path) -> None:
    config = Config(home=home_copy)
    links = home_copy / linking.LINKS_PATH
    links.write_text(links.read_text(encoding="utf-8").replace("500241211", "500241121"),
                     encoding="utf-8")
    assert link(config, "--check").exit_code == 1
    # A row added to the CSV shows up in the regenerated code table too.
    with open(home_copy / linking.CSV_PATH, "a", encoding="utf-8") as f:
        f.write("2022-10-31,2022-12-29,500241999,测试镇,500241\n")
    result = link(config, "--write")
    assert result.exit_code == 0
    assert "wrote" in result.stdout
    assert link(config, "--check").exit_code == 0
    assert "测试镇" in (home_copy / linking.CODES_PATH).read_text(encoding="utf-8")
    assert "500241211" in links.read_text(encoding="utf-8")


def test_bad_csv_is_an_input_error(link, home_copy: Path) -> None:
    with open(home_copy / linking.CSV_PATH, "a", encoding="utf-8") as f:
        f.write("2022-10-31,2022-12-29,5002411,短码镇,500241\n")
    result = link(Config(home=home_copy), "--write")
    assert result.exit_code == 2
    assert "is not 9 digits" in result.stderr


# --- the shapes catch broken code tables and links --------------------------------------------

def violations(data: Path) -> set[tuple[str, str]]:
    report = validate_files(Config(), [data])
    return {(r.shape or "", r.message("en")) for r in report.results if r.severity == "Violation"}


@pytest.mark.slow
@pytest.mark.parametrize(("file", "old", "new", "shape", "fragment"), [
    (linking.CODES_PATH, 'c2021-10-31:500241005 a xsrv:CodeTableEntry ; xsrv:edition code:2021-10-31 ;',
     "c2021-10-31:500241005 a xsrv:CodeTableEntry ;", "xsh:CodeTableEditionShape",
     "has 27 rows for this edition, the graph 26 entries"),
    (linking.CODES_PATH, 'code:2021-10-31 ; skos:notation "500241005"',
     'code:2021-10-31 ; skos:notation "500241004"',
     "xsh:CodeTableEditionShape", "occurs 2 times in this edition"),
    (linking.CODES_PATH, 'code:2021-10-31 ; skos:notation "500241120"',
     'code:2021-10-31 ; skos:notation "500242120"',
     "xsh:CodeTableEntryShape", "does not begin with its county's code"),
    (linking.LINKS_PATH, "xsrv:codeTableEntry c2020-06-30:500241211",
     "xsrv:codeTableEntry <https://w3id.org/xsrv-kg/id/division-code/2021-10-31/500241121>",
     "xsh:CodeTableEntryLinkShape", "has no record of what it rests on"),
    (linking.LINKS_PATH, "xsrv:linkedEntry c2020-06-30:500241211",
     "xsrv:linkedEntry <https://w3id.org/xsrv-kg/id/division-code/2021-10-31/500241121>",
     "xsh:CodeEntryLinkShape", "is not in the matched edition"),
])
def test_shapes_catch(home_copy: Path, file: Path, old: str, new: str, shape: str,
                      fragment: str) -> None:
    path = home_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = violations(home_copy / "data")
    assert any(s == shape and fragment in m for s, m in found), found


@pytest.mark.slow
def test_shipped_codes_and_links_conform(config: Config) -> None:
    report = validate_files(config)
    assert not [r for r in report.results if r.shape and ("Code" in r.shape)]


# --- every county plan: codes per county, categories aligned by name ---------------------------

EXAMPLE = Path(__file__).parent / "fixtures" / "example-plan"
XIUSHAN_ALIGNMENT = Path("data/links/xiushan-chongqing/links.ttl")
CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"


def close_matches(text: str) -> set[tuple[str, str]]:
    import pyoxigraph as ox
    return {(t.subject.value, t.object.value)
            for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
            if t.predicate.value == CLOSE}


def test_the_rule_gives_exactly_the_hand_written_xiushan_alignment(config: Config) -> None:
    store = link_files.generation_store(config)
    (xiushan,) = [p for p in linking.plan_counties(store) if p.doc_slug == "xiushan-plan"]
    computed = alignment.compute_alignment(store, xiushan, config)
    assert computed.left_alone and "xiushan-chongqing" in computed.left_alone
    assert computed.unmatched == ()
    hand = (config.home / XIUSHAN_ALIGNMENT).read_text(encoding="utf-8")
    assert close_matches(alignment.alignment_turtle(computed)) == close_matches(hand)
    assert len(close_matches(hand)) == 3
    # Nothing is generated for Xiushan's categories; its code links are unchanged.
    files, notes = link_files.generate(config)
    assert config.home / linking.LINKS_PATH in files
    assert not any("xiushan-plan-chongqing" in str(p) for p in files)
    assert any("xiushan-plan already mapped" in n for n in notes)


@pytest.fixture
def with_example(home_copy: Path) -> Path:
    folder = home_copy / "data" / "documents" / "example-plan"
    folder.mkdir()
    for name in ("document.ttl", "divisions.ttl", "classification.ttl", "funding.ttl",
                 "source.txt"):
        shutil.copy(EXAMPLE / name, folder / name)
    return home_copy


@pytest.mark.slow
def test_the_fictional_plan_gets_its_alignment_and_no_codes(link, with_example: Path) -> None:
    config = Config(home=with_example)
    target = with_example / "data" / "links" / "example-plan-chongqing" / "links.ttl"
    assert link(config, "--check").exit_code == 1  # its alignment is missing
    result = link(config, "--write")
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target}" in result.stdout
    assert "skipped: no code table for 示例自治县" in result.stdout
    assert not (with_example / "data" / "links" / "example-county-codes").exists()
    p, cp = ("https://w3id.org/xsrv-kg/id/doc/example-plan/",
             "https://w3id.org/xsrv-kg/id/doc/chongqing-plan/")
    text = target.read_text(encoding="utf-8")
    assert close_matches(text) == {(p + c, cp + c) for c in (
        "cat-pilot", "cat-key-assistance", "cat-active")}
    assert "same name in the municipal scheme cp:categories" in text
    assert "not exactMatch" in text or "Not exactMatch" in text
    # Xiushan's files are byte for byte what they were.
    for rel in (XIUSHAN_ALIGNMENT, linking.LINKS_PATH, linking.CODES_PATH):
        assert (with_example / rel).read_bytes() == (DEFAULT_HOME / rel).read_bytes()
    assert link(config, "--check").exit_code == 0
    assert "wrote" not in link(config, "--write").stdout  # idempotent
    # The report names the county it skips.
    report = link(config, "--report", "--lang", "en").stdout
    assert "no code table for 示例自治县" in report and "清溪场街道 (500241005)" in report
    # A hand edit of the generated file is caught; removing the GENERATED line makes it
    # hand-written, and --write leaves it alone.
    target.write_text(text.replace("cp:cat-active .", "cp:cat-pilot ."), encoding="utf-8")
    assert link(config, "--check").exit_code == 1
    hand = "\n".join(line for line in text.splitlines() if "GENERATED" not in line)
    target.write_text(hand, encoding="utf-8")
    result = link(config, "--write")
    assert "is hand-written (no GENERATED line): left alone" in result.stdout
    assert target.read_text(encoding="utf-8") == hand
    assert validate_files(config).conforms


def test_a_removed_plan_leaves_an_orphan_that_check_reports(link, with_example: Path) -> None:
    config = Config(home=with_example)
    assert link(config, "--write").exit_code == 0
    shutil.rmtree(with_example / "data" / "documents" / "example-plan")
    result = link(config, "--check")
    assert result.exit_code == 1 and "example-plan-chongqing" in result.stderr
