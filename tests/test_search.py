"""Search (``/search``, ``/search.json``, ``xsrv-kg search``): names in zh and en, parts of
names, the pinyin of IRIs, prefixed names; the ranking; a search box on every page.

Expected resources are read from the data (labels, assignments), not written here: the
tests say which IRI a query must find first, and why.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from xsrv_kg import vocab
from xsrv_kg.pages import search as service
from xsrv_kg.store import open_store

from .conftest import rows

YONGDONG = vocab.PREFIXES["div"] + "xiushan-yongdong"


@pytest.fixture(scope="module")
def index(store):
    return service.build_index(store)


@pytest.mark.parametrize("q", ["yongdong", "涌洞", "Yongdong", "涌洞乡", "YONGDONG", "ｙｏｎｇｄｏｎｇ"])
def test_yongdong_finds_the_township_first_on_the_json_twin(client, q):
    body = client.get("/search.json", query_string={"q": q}).get_json()
    assert body["query"] == q
    assert body["results"][0]["iri"] == YONGDONG


@pytest.mark.parametrize("q", ["yongdong", "涌洞", "Yongdong"])
def test_the_page_lists_the_township_first(client, q):
    response = client.get("/search", query_string={"q": q, "lang": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    first = re.search(r'<li class="search-result" data-iri="([^"]+)"', html)
    assert first and first[1] == YONGDONG
    assert 'href="/id/division/xiushan-yongdong?lang=en"' in html
    assert response.headers["Link"].startswith("</search.json?q=")


def test_the_page_gives_its_twin_to_a_json_client(client):
    response = client.get("/search?q=yongdong", headers={"Accept": "application/json"})
    assert response.content_type.startswith("application/json")
    assert response.get_json() == client.get("/search.json?q=yongdong").get_json()


def test_a_division_shows_its_types_and_the_categories_documents_assign(client, store):
    expected = rows(store, f"""SELECT ?category ?doc WHERE {{
        ?a xsrv:assignedUnit <{YONGDONG}> ; xsrv:assignedCategory ?category ;
           xsrv:statedBy ?doc }}""")
    assert expected, "the data assigns 涌洞乡 a category"
    types = {r["type"] for r in rows(store, f"SELECT ?type {{ <{YONGDONG}> a ?type }}")}
    hit = client.get("/search.json?q=yongdong&lang=zh").get_json()["results"][0]
    assert {t["iri"] for t in hit["types"]} == types
    assert {(c["iri"], c["document"]["iri"]) for c in hit["categories"]} == \
        {(r["category"], r["doc"]) for r in expected}
    labels = {r["label"] for r in rows(store, f"""SELECT ?label {{ <{YONGDONG}> rdfs:label ?l
        BIND(STR(?l) AS ?label) FILTER(lang(?l) = "zh") }}""")}
    assert hit["label"] in labels
    assert all(c["label"] and not c["label"].startswith("xp:") for c in hit["categories"])


def test_english_page_names_in_english(client, store):
    hit = client.get("/search.json?q=涌洞&lang=en").get_json()["results"][0]
    en = rows(store, f"""SELECT ?l {{ <{YONGDONG}> rdfs:label ?x FILTER(lang(?x) = "en")
        BIND(STR(?x) AS ?l) }}""")
    assert hit["label"] == en[0]["l"]


def test_a_prefixed_name_looks_only_in_its_namespace(client):
    body = client.get("/search.json?q=div:yong").get_json()
    assert body["results"], "div:yong finds something"
    assert all(r["iri"].startswith(vocab.PREFIXES["div"]) for r in body["results"])
    assert YONGDONG in [r["iri"] for r in body["results"]]
    assert all(r["short"].startswith("div:") for r in body["results"])


def test_partial_names_match_inside(client, store):
    # Every resource whose name contains 示范村 somewhere, and only those, is found.
    named = {r["iri"] for r in rows(store, """SELECT DISTINCT ?iri {
        VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel eli:title
                    dcterms:title }
        ?iri ?p ?l FILTER(isIRI(?iri) && CONTAINS(STR(?l), "示范村")) }""")}
    body = client.get("/search.json?q=示范村&limit=200").get_json()
    assert body["count"] == len(named)
    assert {r["iri"] for r in body["results"]} == named


def test_limit_is_checked(client):
    for bad in ("0", "201", "x", "-1"):
        response = client.get(f"/search.json?q=a&limit={bad}")
        assert response.status_code == 400
        assert "limit" in response.get_json()["error"]["message"]
    assert len(client.get("/search.json?q=a&limit=3").get_json()["results"]) == 3


def test_no_query_and_no_match_are_empty_not_errors(client):
    assert client.get("/search.json").get_json()["results"] == []
    response = client.get("/search?q=zzzzqqq")
    assert response.status_code == 200
    assert "zzzzqqq" in response.get_data(as_text=True)
    assert client.get("/search.json?q=zzzzqqq").get_json()["count"] == 0


@pytest.mark.parametrize("path", ["/", "/overview", "/validation", "/search",
                                  "/id/division/xiushan-yongdong"])
@pytest.mark.parametrize(("lang", "placeholder"), [("zh", "名称、拼音或 IRI"),
                                                   ("en", "name, pinyin or IRI")])
def test_every_page_has_a_search_box(client, path, lang, placeholder):
    html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
    form = re.search(r'<form class="site-search"[^>]*action="/search"[^>]*>(.*?)</form>',
                     html, re.S)
    assert form, f"{path} has no search box"
    assert 'name="q"' in form[1] and f'placeholder="{placeholder}"' in form[1]
    assert f'name="lang" value="{lang}"' in form[1]


# --- the ranking, on a small store made for it ------------------------------------------------

EX = "http://example.org/"


def small_store():
    s = open_store("memory")
    label = ox.NamedNode(vocab.PREFIXES["rdfs"] + "label")
    g = ox.NamedNode(EX + "g")

    def name(local: str, text: str, lang: str = "en") -> ox.Quad:
        return ox.Quad(ox.NamedNode(EX + local), label, ox.Literal(text, language=lang), g)

    s.add([
        name("a", "river town"),       # substring of "town"
        name("b", "town hall"),        # prefix
        name("c", "Town"),             # exact (case ignored)
        name("d", "market", "zh"),     # slug "town-d" matches by IRI only
        name("town-d", "market square"),
    ])
    return s


def test_exact_before_prefix_before_substring_and_names_before_slugs():
    found = service.search(service.build_index(small_store()), "town", lang="en",
                           base_iri=EX)
    order = [r["iri"][len(EX):] for r in found["results"]]
    # c exact name; town-d exact slug word; b prefix name; a substring name.
    assert order == ["c", "town-d", "b", "a"]
    kinds = [(r["match"]["kind"], r["match"]["on"]) for r in found["results"]]
    assert kinds == [("exact", "label"), ("exact", "iri"), ("prefix", "label"),
                     ("substring", "label")]


def test_equal_matches_rank_the_more_mentioned_first(index):
    # 涌洞乡 is also the name of code-table records: the township, mentioned in more graphs,
    # comes first; every other hit with the same name is mentioned in no more graphs.
    found = service.search(index, "涌洞乡", lang="zh", limit=200)
    first, *rest = found["results"]
    assert first["iri"] == YONGDONG
    same = [r for r in rest if r["match"]["kind"] == "exact"]
    assert same, "code-table records carry the same name"
    assert all(r["mentions"]["graphs"] <= first["mentions"]["graphs"] for r in same)


# --- the command line --------------------------------------------------------------------------

def test_cli_search_prints_the_township_first(runner):
    result = runner.invoke(args=["search", "yongdong"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[1]
    assert "div:xiushan-yongdong" in first and "涌洞乡" in first


def test_cli_json_is_the_twin(runner, client):
    result = runner.invoke(args=["search", "涌洞", "--format", "json", "--lang", "en",
                                 "--limit", "5"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    twin = client.get("/search.json?q=涌洞&lang=en&limit=5").get_json()
    assert [r["iri"] for r in body["results"]] == [r["iri"] for r in twin["results"]]
    assert body["results"][0]["iri"] == YONGDONG


def test_cli_says_when_nothing_matches(runner):
    result = runner.invoke(args=["search", "zzzzqqq", "--lang", "en"])
    assert result.exit_code == 0
    assert "Nothing matches" in result.output


# --- other backends ------------------------------------------------------------------------------

def _comparable(index):
    return {iri: (sorted(e.labels), sorted(e.types), sorted(e.categories), e.graphs,
                  e.statements) for iri, e in index.entries.items()}


@pytest.mark.slow
def test_a_sparql_store_gives_the_embedded_index(sparql_store, inferred_store):
    """Both hold the inferred graph, as `xsrv-kg load` and `serve` leave a store."""
    assert _comparable(service.build_index(sparql_store)) == \
        _comparable(service.build_index(inferred_store))
