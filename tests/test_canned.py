"""Curated queries with parameters (xsrv_kg/query/canned.py): header, resolution, binding,
the page, its JSON twin and the CLI. The browser test is test_canned_browser.py.

Expected answers come from the data: the IRI a name should resolve to is looked up by its
label, and the twin's rows are checked against the same query run with pyoxigraph's own
``substitutions`` -- another binding mechanism than the ``VALUES`` row under test.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from xsrv_kg import vocab
from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput
from xsrv_kg.query import canned
from xsrv_kg.sparql.header import Param, parameters
from xsrv_kg.store import Store

from .conftest import Runner, column

CONFIG = Config()
UNIT = Param("unit", "division")
CATEGORY = Param("category", "category")
SHIPPED = [p.stem for p in sorted(CONFIG.queries_dir.glob("*.rq"))
           if parameters(p.read_text(encoding="utf-8"))]


def _division(store: Store, label: str) -> str:
    found = column(store, f'SELECT DISTINCT ?d {{ ?d rdfs:label "{label}"@zh ; '
                          "a/rdfs:subClassOf* xsrv:AdministrativeDivision }")
    assert len(found) == 1, found
    return str(found[0])


def test_the_header_declares_parameters_with_types_defaults_and_labels() -> None:
    text = ("# title@en: T\n# param: unit division 涌洞乡\n# param@zh: unit 单位\n"
            "# param@en: unit Unit\n# param: q text\nSELECT * WHERE { ?unit ?p ?q } ORDER BY ?p\n")
    assert parameters(text) == [Param("unit", "division", "涌洞乡", {"zh": "单位", "en": "Unit"}),
                                Param("q", "text", None, {})]
    with pytest.raises(BadInput, match="parameter x has type 'place'"):
        parameters("# param: x place\nASK {}")


def test_there_are_shipped_parameterized_queries() -> None:
    assert {"division-profile", "category-funding", "township-villages"} <= set(SHIPPED)


@pytest.mark.parametrize("given", ["涌洞乡", "Yongdong Township", "yongdong", "YongDong",
                                   "div:xiushan-yongdong",
                                   "https://w3id.org/xsrv-kg/id/division/xiushan-yongdong",
                                   "涌洞"])
def test_a_division_is_named_by_label_pinyin_prefixed_name_or_iri(store: Store,
                                                                  given: str) -> None:
    term, found = canned.resolve(store, UNIT, given)
    assert term == ox.NamedNode(_division(store, "涌洞乡"))
    assert found is not None and "涌洞乡" in found.labels


def test_an_ambiguous_name_is_refused_listing_every_candidate(store: Store) -> None:
    meant = column(store, """SELECT DISTINCT ?c { { ?a xsrv:assignedCategory ?c }
        UNION { ?r xsrv:recipientCategory ?c } ?c skos:prefLabel "重点帮扶类"@zh }""")
    assert len(meant) > 1
    with pytest.raises(BadInput, match="^parameter category: ") as raised:
        canned.resolve(store, CATEGORY, "重点帮扶类")
    for iri in meant:
        assert vocab.shorten_iri(str(iri)) in str(raised.value)


def test_an_unknown_name_is_refused_naming_the_parameter(store: Store) -> None:
    with pytest.raises(BadInput, match="^parameter unit: no division"):
        canned.resolve(store, UNIT, "不存在乡")
    with pytest.raises(BadInput, match="^parameter unit: .* is not a division"):
        canned.resolve(store, UNIT, "xsrv:FundRule")


def test_text_is_bound_as_a_literal_never_as_query_text(store: Store) -> None:
    query = canned.from_text("t", '# param: q text\nSELECT ?l WHERE { ?s rdfs:label ?l '
                                  'FILTER(CONTAINS(STR(?l), ?q)) } ORDER BY ?l\n')
    hostile = '") } } DELETE WHERE { ?s ?p ?o } #'
    bound = canned.bind(store, query, {"q": hostile})
    assert str(ox.Literal(hostile)) in bound.text
    assert list(store.query(bound.text, prefixes=vocab.PREFIXES)) == []
    bound = canned.bind(store, query, {"q": "涌洞"})
    assert "涌洞乡" in {r["l"].value for r in store.query(bound.text, prefixes=vocab.PREFIXES)}


def _substituted(store: Store, name: str, **terms: ox.NamedNode) -> list[list[str | None]]:
    """The query's rows with its variables bound by pyoxigraph's substitutions (which bind
    only projected variables: they are projected here, and left out of the rows)."""
    raw = ox.Store()
    raw.extend(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    text = (CONFIG.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    projected = " ".join(f"?{k}" for k in terms)
    text = text.replace("\nSELECT ", f"\nSELECT {projected} ", 1)
    result = raw.query(text, prefixes=vocab.PREFIXES, use_default_graph_as_union=True,
                       substitutions={ox.Variable(k): v for k, v in terms.items()})
    names = [v.value for v in result.variables if v.value not in terms]
    return [[None if s[n] is None else s[n].value for n in names] for s in result]


def _twin_rows(document: dict) -> list[list[str | None]]:
    names = document["result"]["head"]["vars"]
    return [[b[n]["value"] if n in b else None for n in names]
            for b in document["result"]["results"]["bindings"]]


def test_the_json_twin_answers_as_the_query_with_the_term_substituted(
        client: FlaskClient, store: Store) -> None:
    response = client.get("/queries/division-profile.json", query_string={"unit": "涌洞乡"})
    assert response.status_code == 200
    document = response.json
    unit = _division(store, "涌洞乡")
    assert document["values"] == [{"name": "unit", "given": "涌洞乡",
                                   "bound": {"type": "uri", "value": unit},
                                   "labels": document["values"][0]["labels"]}]
    rows = _twin_rows(document)
    assert rows and rows == _substituted(store, "division-profile", unit=ox.NamedNode(unit))
    assert [p["name"] for p in document["params"]] == ["unit"]


def test_the_villages_of_a_township_lie_in_it(client: FlaskClient, store: Store) -> None:
    township = _division(store, "梅江镇")
    named = set(column(store, f"""SELECT DISTINCT ?l {{ ?v schema:containedInPlace <{township}> ;
        a xsrv:VillageLevelDivision ; rdfs:label ?l . ?a xsrv:assignedUnit ?v FILTER(lang(?l) = "zh") }}"""))
    document = client.get("/queries/township-villages.json?township=meijiang").json
    assert named and {row[0] for row in _twin_rows(document)} == named


def test_the_funding_of_a_category_is_its_rules(client: FlaskClient, store: Store) -> None:
    category = vocab.PREFIXES["xp"] + "cat-key-assistance"
    rules = set(column(store, f"""SELECT ?l {{ ?r a xsrv:FundRule ;
        xsrv:recipientCategory <{category}> ; rdfs:label ?l FILTER(lang(?l) = "zh") }}"""))
    document = client.get(f"/queries/category-funding.json?category={category}").json
    assert rules and {row[0] for row in _twin_rows(document)} == rules


@pytest.mark.parametrize("name", SHIPPED)
def test_each_parameterized_query_answers_with_its_defaults(client: FlaskClient,
                                                             name: str) -> None:
    document = client.get(f"/queries/{name}.json").json
    assert _twin_rows(document)
    assert [v["given"] for v in document["values"]] == [p["default"] for p in document["params"]]


@pytest.mark.parametrize(("query", "status", "start"), [
    ("unit=不存在乡", 400, "parameter unit: no division"),
    ("unit=镇", 400, "parameter unit: '镇' is part of the names of"),
    ("unit=", 200, None),  # empty: the default
    ("place=涌洞乡", 400, "parameter place: the query division-profile has no such parameter"),
])
def test_bad_values_are_400s_naming_the_parameter(client: FlaskClient, query: str, status: int,
                                                  start: str | None) -> None:
    response = client.get(f"/queries/division-profile.json?{query}")
    assert response.status_code == status
    if start:
        assert response.json["error"]["message"].startswith(start)
        page = client.get(f"/queries/division-profile?{query}")
        assert page.status_code == 400
        assert start in page.get_data(as_text=True).replace("&#39;", "'")


def test_an_unknown_query_is_a_404(client: FlaskClient) -> None:
    assert client.get("/queries/nothing-here").status_code == 404
    assert client.get("/queries/..%2Fsetup.json").status_code == 404


def test_the_page_shows_the_form_with_the_value_and_the_answer(client: FlaskClient) -> None:
    response = client.get("/queries/township-villages?township=平凯街道")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="township" value="平凯街道"' in html
    twin = client.get("/queries/township-villages.json?township=平凯街道").json
    assert html.count("<tr><td>") == len(_twin_rows(twin)) > 0
    assert response.headers["Link"].startswith("</queries/township-villages.json?")


def test_the_gallery_links_parameterized_queries_to_their_pages(client: FlaskClient) -> None:
    listed = {q["name"]: q for q in client.get("/queries.json").json["queries"]}
    assert listed["division-profile"]["page"] == "/queries/division-profile"
    assert [p["name"] for p in listed["division-profile"]["params"]] == ["unit"]
    assert listed["fund-rules"]["params"] == [
        {"name": "doc", "type": "document", "default": "*",
         "label": {"zh": "文件（* 为全部文件）", "en": "Document (* for all documents)"}}]
    assert listed["federated-key-assistance"]["params"] == []
    assert 'class="wb-form" href="/queries/division-profile' in client.get("/").get_data(
        as_text=True)


def test_the_cli_binds_as_the_twin_does(client: FlaskClient) -> None:
    printed = Runner().invoke(args=["query", "division-profile", "--param", "unit=yongdong",
                                    "--format", "json"])
    assert printed.exit_code == 0, printed.output
    twin = client.get("/queries/division-profile.json?unit=yongdong").json
    assert json.loads(printed.output)["results"] == twin["result"]["results"]


def test_the_cli_refuses_a_bad_value_naming_the_parameter() -> None:
    result = Runner().invoke(args=["query", "category-funding", "--param", "category=重点帮扶类"])
    assert result.exit_code == 2
    assert "parameter category: '重点帮扶类' names 2 of them" in result.output
    result = Runner().invoke(args=["query", "category-funding", "--param", "category"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


# --- the document parameter (every document by default) -------------------------------------

XIUSHAN = vocab.PREFIXES["doc"] + "xiushan-plan"
CHONGQING = vocab.PREFIXES["doc"] + "chongqing-plan"
DOC = Param("doc", "document", "*")


@pytest.mark.parametrize(("given", "iri"), [
    ("xiushan-plan", XIUSHAN), ("doc:chongqing-plan", CHONGQING), (CHONGQING, CHONGQING),
    ("秀山", XIUSHAN), ("重庆市分层分类全面推进乡村振兴实施方案（试行）", CHONGQING)])
def test_a_document_is_named_by_id_title_prefixed_name_or_iri(store: Store, given: str,
                                                               iri: str) -> None:
    term, _ = canned.resolve(store, DOC, given)
    assert term == ox.NamedNode(iri)


def test_an_unknown_document_is_refused_naming_the_parameter(store: Store) -> None:
    with pytest.raises(BadInput, match="parameter doc: no document"):
        canned.resolve(store, DOC, "no-such-plan")


def test_a_document_query_binds_the_document_everywhere_and_star_binds_none(
        client: FlaskClient, store: Store) -> None:
    one = client.get("/queries/assignment-sources.json?doc=chongqing-plan").json
    assert one["values"][0]["bound"] == {"type": "uri", "value": CHONGQING}
    assert f"xsrv:statedBy <{CHONGQING}>" in one["query"] and "$doc" not in one["query"]
    assert _twin_rows(one) == _substituted(store, "assignment-sources",
                                           doc=ox.NamedNode(CHONGQING))
    every = client.get("/queries/assignment-sources.json").json
    assert every["values"] == [{"name": "doc", "given": "*", "bound": None, "labels": []}]
    assert "xsrv:statedBy $doc" in every["query"]
    county = client.get(f"/queries/assignment-sources.json?doc={XIUSHAN}").json
    # Every document: the rows of each (here the two plans', the notice has none).
    assert sorted(map(str, _twin_rows(every))) == sorted(
        map(str, _twin_rows(one) + _twin_rows(county)))


def test_the_document_form_and_the_cli(client: FlaskClient) -> None:
    page = client.get("/queries/fund-rules?doc=xiushan-plan&lang=en").get_data(as_text=True)
    assert 'name="doc" value="xiushan-plan"' in page and "document: id" in page
    assert "any (all of them)" in client.get("/queries/fund-rules?lang=en").get_data(as_text=True)
    printed = Runner().invoke(args=["query", "fund-rules", "--param", "doc=chongqing-plan",
                                    "--format", "json"])
    assert printed.exit_code == 0, printed.output
    # (An empty answer is followed by a hint on stderr, on a line of its own.)
    assert json.loads(printed.output.splitlines()[0])["results"]["bindings"] == []
    printed = Runner().invoke(args=["query", "fund-rules", "--param", "doc=xiushan-plan",
                                    "--format", "json"])
    assert len(json.loads(printed.output)["results"]["bindings"]) == 5
