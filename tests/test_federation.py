"""Federated queries: the county endpoint asks the municipal endpoint through SERVICE.

Two live servers on loopback, as a researcher would run them (README "Federation · 联邦查询"):

- *municipal*: ``xsrv-kg serve data/documents/chongqing-plan``, the municipal plan's graph
  alone, with no allow-list (it calls nobody);
- *county*: ``xsrv-kg serve data/documents/xiushan-plan data/links/xiushan-chongqing`` with
  ``XSRV_SERVICE_ALLOW_LIST`` set to the municipal endpoint. It holds the county plan and the
  category alignment, but not the municipal plan: the municipal labels, counts and members
  can only come over SERVICE. The municipal server starts first, since its port is only
  known once it runs.

The curated queries ``queries/federated-*.rq`` name the municipal endpoint as
``http://127.0.0.1:8001/sparql`` (the README's setup); the tests put the municipal server's
real URL in its place. The expected answers are derived by hand from the two texts and the
links file (comments beside each).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from xsrv_kg.config import DEFAULT_HOME
from xsrv_kg.query.console import read_query

from .conftest import http_rows
from .live import serve

QUERIES = DEFAULT_HOME / "queries"
MUNICIPAL_DATA = DEFAULT_HOME / "data" / "documents" / "chongqing-plan"
COUNTY_DATA = (DEFAULT_HOME / "data" / "documents" / "xiushan-plan",
               DEFAULT_HOME / "data" / "links" / "xiushan-chongqing")
#: The endpoint the curated federated queries name (README: xsrv-kg serve --port 8001 …).
PLACEHOLDER = "http://127.0.0.1:8001/sparql"
SD = "http://www.w3.org/ns/sparql-service-description#"
XIUSHAN_TITLE = "秀山土家族苗族自治县分类全面推进乡村振兴实施方案（试行）"
CHONGQING_TITLE = "重庆市分层分类全面推进乡村振兴实施方案（试行）"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not MUNICIPAL_DATA.is_dir() or not COUNTY_DATA[1].is_dir(),
    reason="needs data/documents/chongqing-plan and data/links/xiushan-chongqing")]


@pytest.fixture(scope="module")
def municipal():
    """The municipal plan's graph alone, no SERVICE allowed from it."""
    with serve(str(MUNICIPAL_DATA), env={"XSRV_SERVICE_ALLOW_LIST": ""}) as server:
        yield server


@pytest.fixture(scope="module")
def county(municipal):
    """The county plan and the alignment links; SERVICE allowed to the municipal endpoint."""
    with serve(*map(str, COUNTY_DATA),
               env={"XSRV_SERVICE_ALLOW_LIST": municipal.sparql}) as server:
        yield server


def federated(name: str, municipal_endpoint: str) -> str:
    """The curated query ``name`` with the municipal endpoint put in for the placeholder."""
    text = read_query(name, queries_dir=QUERIES)
    assert text.count(f"SERVICE <{PLACEHOLDER}>") == 1, name
    return text.replace(f"SERVICE <{PLACEHOLDER}>", f"SERVICE <{municipal_endpoint}>")


def ask(endpoint: str, query: str) -> bool:
    response = requests.post(endpoint, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


# --------------------------------------------------------------------------------------------
# The setup: each server holds only its own document
# --------------------------------------------------------------------------------------------

def test_the_municipal_plan_is_only_on_the_municipal_endpoint(municipal, county) -> None:
    prefix = "PREFIX cp: <https://w3id.org/xsrv-kg/id/doc/chongqing-plan/> "
    fact = "cp:cat-key-assistance skos:prefLabel ?label"
    assert ask(municipal.sparql, prefix + f"ASK {{ {fact} }}")
    assert not ask(county.sparql, prefix + f"ASK {{ {fact} }}")
    # The alignment is on the county side only.
    alignment = "ASK { xp:cat-key-assistance skos:closeMatch ?m }"
    assert ask(county.sparql, alignment)
    assert not ask(municipal.sparql, alignment)
    # Through SERVICE the county endpoint sees the municipal fact.
    assert ask(county.sparql, prefix + f"ASK {{ SERVICE <{municipal.sparql}> {{ {fact} }} }}")


# --------------------------------------------------------------------------------------------
# Curated federated queries, exact answers
# --------------------------------------------------------------------------------------------

def test_each_township_category_with_its_aligned_municipal_category(municipal, county) -> None:
    found = [(r["township"], r["category"], r["tier"], r["match"], r["municipalCategory"],
              r["declared"], r["named"])
             for r in http_rows(county.sparql,
                                federated("federated-category-alignment.rq", municipal.sparql))]
    # County side (二（一）, in category order, then the order the text lists the townships):
    # 先行示范类（2个）隘口镇、洪安镇; 重点帮扶类（6个）市级重点乡：涌洞乡, 县级重点乡镇：岑溪乡、
    # 大溪乡、膏田镇、海洋乡、妙泉镇; 积极推进类（19个）中和街道 … 中平乡.
    # Alignment (data/links/xiushan-chongqing/links.ttl): each xp:cat-* skos:closeMatch the
    # same-named cp:cat-* (the account: "three categories with the same names").
    # Municipal side, over SERVICE (chongqing-plan/source.txt): 先行示范类 8 districts, of
    # which 万州区 and 黔江区 are named (2); 重点帮扶类 12, named 城口县, 巫溪县, 酉阳县, 彭水县
    # (4); 积极推进类 the other 18, none named (0).
    pilot = ("先行示范类", None, "closeMatch", "先行示范类", 8, 2)
    key = ("重点帮扶类", "closeMatch", "重点帮扶类", 12, 4)
    active = ("积极推进类", None, "closeMatch", "积极推进类", 18, 0)
    assert found == [
        ("隘口镇", *pilot), ("洪安镇", *pilot),
        ("涌洞乡", key[0], "市级", *key[1:]),
        *[(t, key[0], "县级", *key[1:]) for t in ("岑溪乡", "大溪乡", "膏田镇", "海洋乡", "妙泉镇")],
        *[(t, *active) for t in (
            "中和街道", "乌杨街道", "平凯街道", "官庄街道", "清溪场镇", "溶溪镇", "龙池镇", "石堤镇",
            "峨溶镇", "雅江镇", "石耶镇", "梅江镇", "兰桥镇", "溪口镇", "宋农镇", "里仁镇", "钟灵镇",
            "孝溪乡", "中平乡")],
    ]
    assert len(found) == 27


def test_key_assistance_counties_and_townships_side_by_side(municipal, county) -> None:
    found = [(r["plan"], r["category"], r["unit"], r["tier"], r["declared"])
             for r in http_rows(county.sparql,
                                federated("federated-key-assistance.rq", municipal.sparql))]
    # County plan first: "重点帮扶类（6个）。市级重点乡：涌洞乡，县级重点乡镇：岑溪乡、大溪乡、
    # 膏田镇、海洋乡、妙泉镇", in the text's order. Then, over SERVICE, the units the municipal
    # plan names in the category xp:cat-key-assistance is aligned to (cp:cat-key-assistance):
    # "城口县, 巫溪县, 酉阳县 and 彭水县 are the national key counties" of its 12, in the order
    # of the account; 酉阳县 and 彭水县 are the autonomous counties' short names
    # (cp:interp-short-names), so their labels are the full names.
    county_rows = [(XIUSHAN_TITLE, "重点帮扶类", "涌洞乡", "市级", 6)] + [
        (XIUSHAN_TITLE, "重点帮扶类", t, "县级", 6)
        for t in ("岑溪乡", "大溪乡", "膏田镇", "海洋乡", "妙泉镇")]
    municipal_rows = [(CHONGQING_TITLE, "重点帮扶类", u, "国家乡村振兴重点帮扶县", 12)
                      for u in ("城口县", "巫溪县", "酉阳土家族苗族自治县", "彭水苗族土家族自治县")]
    assert found == county_rows + municipal_rows


def test_curated_federated_queries_document_their_endpoint() -> None:
    files = sorted(QUERIES.glob("federated-*.rq"))
    assert [p.name for p in files] == ["federated-category-alignment.rq",
                                       "federated-key-assistance.rq"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = text.splitlines()[:4]
        assert [line.split(":", 1)[0] for line in head] == [
            "# title@zh", "# title@en", "# comment@zh", "# comment@en"], path.name
        # Both comments say which endpoint the query calls and how to start it.
        for comment in head[2:]:
            assert PLACEHOLDER in comment and "XSRV_SERVICE_ALLOW_LIST" in comment, path.name
            assert "xsrv-kg serve --port 8001 data/documents/chongqing-plan" in comment


def test_a_curated_query_whose_endpoint_is_not_allowed_is_refused(municipal, county) -> None:
    if municipal.sparql == PLACEHOLDER:  # pragma: no cover - the free port happened to be 8001
        pytest.skip("the municipal server happens to listen on 8001")
    text = read_query("federated-key-assistance.rq", queries_dir=QUERIES)
    response = requests.post(county.sparql, data={"query": text}, timeout=60)
    assert response.status_code == 403
    assert PLACEHOLDER in response.text and municipal.sparql in response.text


# --------------------------------------------------------------------------------------------
# The allow-list
# --------------------------------------------------------------------------------------------

def test_service_to_an_endpoint_not_on_the_allow_list_is_403_and_never_called(
        county, municipal, listener) -> None:
    url, contacted = listener
    for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                  # Allowed and not allowed in one query: refused as a whole.
                  f"SELECT * WHERE {{ SERVICE <{municipal.sparql}> {{ ?s ?p ?o }} "
                  f"SERVICE <{url}> {{ ?s ?p ?o }} }}"):
        response = requests.post(county.sparql, data={"query": query},
                                 headers={"Accept": "text/plain"}, timeout=60)
        assert response.status_code == 403, query
        message = response.text
        # The message names the endpoint refused, the allow-list and what is on it.
        assert f"SERVICE {url} is not allowed" in message
        assert "allow-list" in message and municipal.sparql in message
        assert "Traceback" not in message
    assert contacted == []


def test_service_with_a_variable_or_prefixed_endpoint_is_refused(county, municipal) -> None:
    # Even when the endpoint it would reach is on the allow-list: the endpoint must be
    # written as an IRI, so the allow-list is checked before the query runs.
    base, _, local = municipal.sparql.rpartition("/")
    for query, token in (
        (f"SELECT * WHERE {{ BIND(<{municipal.sparql}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}", "?e"),
        (f"SELECT * WHERE {{ VALUES ?e {{ <{municipal.sparql}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
         "?e"),
        (f"PREFIX m: <{base}/> SELECT * WHERE {{ SERVICE m:{local} {{ ?s ?p ?o }} }}",
         f"m:{local}"),
    ):
        response = requests.post(county.sparql, data={"query": query},
                                 headers={"Accept": "text/plain"}, timeout=60)
        assert response.status_code == 403, query
        assert f"SERVICE {token} is not allowed" in response.text
        assert "allow-list" in response.text


def test_an_endpoint_without_allow_list_refuses_every_service(municipal, county) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{county.sparql}> {{ ?s ?p ?o }} }}"
    response = requests.post(municipal.sparql, data={"query": query},
                             headers={"Accept": "text/plain"}, timeout=60)
    assert response.status_code == 403
    assert "allow-list (none is configured)" in response.text


def test_service_description_announces_federation_only_with_an_allow_list(
        municipal, county) -> None:
    def features(server) -> set[str]:
        response = requests.get(server.sparql, headers={"Accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200
        graph = ox.parse(response.content, format=ox.RdfFormat.TURTLE, base_iri=server.sparql)
        return {t.object.value for t in graph if t.predicate.value == SD + "feature"}

    assert SD + "BasicFederatedQuery" in features(county)
    assert SD + "BasicFederatedQuery" not in features(municipal)
