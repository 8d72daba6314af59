"""The conformance probe (xsrv_kg/store/conformance.py) and the refusal of queries that rely on
a deviation the backend has.

The probes' right answers are computed here on pyoxigraph and on rdflib's SPARQL engine (two
independent engines); a backend that deviates is faked by an embedded store whose conformance
record reports a deviation (the probe of real servers: test_conformance_servers.py).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from xsrv_kg.config import Config
from xsrv_kg.errors import BadInput, EngineDeviation
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.query.service_description import PREFIXES
from xsrv_kg.server.app import create_app
from xsrv_kg.server.blueprints.validation_page import refused_queries
from xsrv_kg.sources.loader import load_project
from xsrv_kg.sparql import rq
from xsrv_kg.store import conformance as c
from xsrv_kg.store import open_store
from xsrv_kg.store.conformance import (
    DEVIATIONS,
    FOUND,
    MENDED,
    NOT_FOUND,
    UNKNOWN,
    Conformance,
    Finding,
)

# rdflib's Dataset warns about its own default_context when it queries.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")

FIO = "filter-in-optional"
RELYING = f"# relies-on: {FIO}\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}"


# --- the probes' right answers, on two engines ----------------------------------------------

def _rdflib_cell(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return ("bnode", str(term))
    if isinstance(term, rdflib.Literal):
        if str(term.datatype) == "http://www.w3.org/2001/XMLSchema#integer":
            return int(term)
        return (str(term), term.language or str(term.datatype))
    return ("iri", str(term))


def _rdflib_rows(ds: rdflib.Dataset, query: str) -> list[tuple]:
    return [tuple(_rdflib_cell(t) for t in row) for row in ds.query(query)]


@pytest.mark.parametrize("deviation", list(c.READ_ONLY_PROBES))
def test_read_only_probe_passes_on_pyoxigraph_and_rdflib(deviation: str) -> None:
    query, expected, _ = c.READ_ONLY_PROBES[deviation]
    oxigraph_rows = c._rows(ox.Store().query(query))
    rdflib_rows = _rdflib_rows(rdflib.Dataset(), query)
    assert c.judge(deviation, oxigraph_rows) == Finding(deviation, NOT_FOUND)
    assert c.judge(deviation, rdflib_rows) == Finding(deviation, NOT_FOUND)
    if isinstance(expected, list):  # the blank-node probe's answer is a relation, not rows
        assert sorted(oxigraph_rows, key=repr) == sorted(rdflib_rows, key=repr) \
            == sorted(expected, key=repr)


def test_filter_in_optional_probe_expects_y_only_for_x_1() -> None:
    """SPARQL 1.1 §18.5: the OPTIONAL's FILTER is the LeftJoin's condition, evaluated on the
    merged solution, so x=2 keeps no y."""
    query, expected, _ = c.READ_ONLY_PROBES[FIO]
    assert sorted(c._rows(ox.Store().query(query)), key=repr) == sorted(expected, key=repr) \
        == [(1, 1), (2, None)]


def test_lang_order_probe_passes_on_pyoxigraph_and_rdflib_and_drops_its_graph() -> None:
    store = ox.Store()
    record, conclusive = c.probe("memory", run=store.query, update=store.update, union="native")
    assert conclusive
    assert record.finding(c.LANG_ORDER.id) == Finding(c.LANG_ORDER.id, NOT_FOUND)
    assert len(store) == 0 and list(store.named_graphs()) == []
    ds = rdflib.Dataset()
    ds.update(c.LANG_ORDER_WRITE)
    assert _rdflib_rows(ds, c.LANG_ORDER_QUERY) == c.LANG_ORDER_EXPECTED
    ds.update(c.LANG_ORDER_DROP)
    assert len(ds) == 0


def test_judge_reports_a_wrong_answer_as_found() -> None:
    finding = c.judge(FIO, [(1, None), (2, None)])  # what Virtuoso 7.2 answers
    assert finding.status == FOUND
    assert "(1, None)" in finding.detail
    assert c.judge("booleans", [(1,)]).status == FOUND
    assert c.judge("blank-nodes", [(("bnode", "a"), ("bnode", "b"), ("bnode", "c"))]).status \
        == FOUND


def test_a_refused_probe_is_found_and_a_failing_server_is_unknown_and_not_kept() -> None:
    def refusing(query: str):
        raise BadInput("SP031: Built-in function is not implemented")

    record, conclusive = c.probe("sparql:x", run=refusing, update=None, union="graphs")
    assert conclusive
    assert {f.deviation: f.status for f in record.findings} == {
        FIO: FOUND, "booleans": FOUND, "blank-nodes": FOUND, "any-predicate-path": FOUND,
        "lang-order-by": UNKNOWN, "union-default-graph": MENDED}
    assert "SP031" in record.finding("blank-nodes").detail

    from xsrv_kg.errors import UpstreamError

    def failing(query: str):
        raise UpstreamError("the server is down")

    record, conclusive = c.probe("sparql:x", run=failing, update=None, union=None)
    assert not conclusive
    assert record.status(FIO) == UNKNOWN


# --- the relies-on line ------------------------------------------------------------------------

def test_relies_on_reads_comment_lines_not_strings_or_iris() -> None:
    assert c.relies_on(RELYING) == [FIO]
    assert c.relies_on("#relies-on: booleans,lang-order-by booleans\nASK {}") == [
        "booleans", "lang-order-by"]
    assert c.relies_on('SELECT * { BIND("""\n# relies-on: booleans""" AS ?x) }') == []
    assert c.relies_on("SELECT * { ?s ?p ?o } # no relies-on: here") == []


def test_an_unknown_deviation_in_relies_on_is_bad_input_on_every_backend() -> None:
    with pytest.raises(BadInput, match="'filter-in-optionl'.*no known engine deviation"):
        open_store("memory").query("# relies-on: filter-in-optionl\nASK {}")


def test_embedded_store_reports_no_deviation_without_probing() -> None:
    record = open_store("memory").conformance
    assert record.probed is False
    assert [record.status(d) for d in DEVIATIONS] == [NOT_FOUND] * len(DEVIATIONS)
    assert record.deviating() == [] and record.notice() is None


def test_embedded_store_runs_a_query_relying_on_a_deviation() -> None:
    result = open_store("memory").query(RELYING)
    assert [s["n"].value for s in result] == ["0"]


# --- a backend with a deviation (faked) ---------------------------------------------------------

DEVIATING = Conformance("sparql:http://deviating.example/sparql", (
    Finding(FIO, FOUND, "answered [(1, None), (2, None)]"),
    Finding("booleans", NOT_FOUND), Finding("blank-nodes", NOT_FOUND),
    Finding("any-predicate-path", NOT_FOUND),
    Finding("lang-order-by", UNKNOWN, "needs a scratch graph"),
    Finding("union-default-graph", MENDED)))


@pytest.fixture(scope="module")
def deviating_store(config: Config):
    """The project in an embedded store that reports filter-in-optional found and
    lang-order-by unknown, as a probed server would."""
    store = open_store("memory")
    load_project(store, config)
    store.conformance = DEVIATING
    return store


@pytest.fixture(scope="module")
def deviating_client(config: Config, deviating_store):
    app = create_app(config, endpoint=Endpoint(config, deviating_store, workers=False))
    yield app.test_client()
    app.extensions["xsrv"].close()


def test_store_refuses_a_query_relying_on_a_found_deviation(deviating_store) -> None:
    with pytest.raises(EngineDeviation) as caught:
        deviating_store.query(RELYING)
    message = str(caught.value)
    assert caught.value.http_status == 501
    assert FIO in message and DEVIATIONS[FIO].en in message
    assert "README.md#engine-deviations-and-refusals" in message
    assert "deviating.example" in message


def test_store_refuses_a_query_relying_on_an_unprobed_deviation(deviating_store) -> None:
    with pytest.raises(EngineDeviation, match="lang-order-by.*could not be probed"):
        deviating_store.query("# relies-on: lang-order-by\nASK {}")


def test_store_runs_queries_relying_on_absent_or_mended_deviations(deviating_store) -> None:
    assert bool(deviating_store.query("# relies-on: booleans, union-default-graph\nASK {}"))
    assert bool(deviating_store.query("ASK { ?s ?p ?o }")) is True  # no line: run as it is


@pytest.mark.parametrize(("accept", "kind"), [
    ("application/json", "application/json"), ("text/plain", "text/plain")])
def test_endpoint_answers_501_in_the_clients_format(deviating_client, accept, kind) -> None:
    response = deviating_client.post("/sparql", data={"query": RELYING},
                                     headers={"Accept": accept})
    assert response.status_code == 501
    assert response.content_type.startswith(kind)
    body = response.get_data(as_text=True)
    assert FIO in body and "engine-deviations-and-refusals" in body
    if kind == "application/json":
        assert response.get_json()["error"]["status"] == 501


def test_page_is_refused_when_one_of_its_queries_is(deviating_client, monkeypatch) -> None:
    original = rq.load

    def load(name: str) -> str:
        text = original(name)
        return f"# relies-on: {FIO}\n{text}" if name == "overview-fund-rules" else text

    monkeypatch.setattr(rq, "load", load)
    response = deviating_client.get("/overview.json")
    assert response.status_code == 501
    message = response.get_json()["error"]["message"]
    assert message.startswith("xsrv_kg/sparql/overview-fund-rules.rq: ")
    assert FIO in message


def test_page_is_served_when_none_of_its_queries_relies_on_a_deviation(deviating_client
                                                                       ) -> None:
    shipped = [p.name for p in rq.SPARQL_DIR.glob("overview-*.rq")
               if c.relies_on(p.read_text(encoding="utf-8"))]
    if shipped:
        pytest.skip(f"shipped overview queries declare relies-on: {shipped}")
    assert deviating_client.get("/overview.json").status_code == 200


def test_service_description_lists_the_deviations(deviating_client, client) -> None:
    graph = ox.Store()
    response = deviating_client.get("/sparql", headers={"Accept": "text/turtle"})
    graph.load(response.get_data(), format=ox.RdfFormat.TURTLE)
    query = """SELECT ?id ?status ?en WHERE { ?service xsrv:engineDeviation ?d .
        ?d dcterms:identifier ?id ; xsrv:deviationStatus ?status ; rdfs:comment ?en .
        FILTER(LANG(?en) = "en") } ORDER BY ?id"""
    prefixes = {**PREFIXES, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    rows = [(s["id"].value, s["status"].value, s["en"].value)
            for s in graph.query(query, prefixes=prefixes)]
    assert rows == [(d, DEVIATING.status(d), DEVIATIONS[d].en)
                    for d in sorted(("filter-in-optional", "lang-order-by",
                                     "union-default-graph"))]
    plain = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "engineDeviation" not in plain


def test_ontology_defines_the_deviation_properties(store) -> None:
    labels = {s["p"].value: s["l"].value for s in store.query(
        """SELECT ?p ?l WHERE { VALUES ?p { xsrv:engineDeviation xsrv:deviationStatus }
           ?p rdfs:label ?l FILTER(LANG(?l) = "zh") }""",
        prefixes={"xsrv": PREFIXES["xsrv"], "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})}
    assert labels == {PREFIXES["xsrv"] + "engineDeviation": "引擎偏差",
                      PREFIXES["xsrv"] + "deviationStatus": "偏差状态"}


def test_validation_page_shows_the_deviations_and_what_is_refused(deviating_client,
                                                                  config) -> None:
    data = deviating_client.get("/validation.json?lang=en").get_json()["engine"]
    assert data["backend"] == DEVIATING.backend
    assert [(d["id"], d["status"]) for d in data["deviations"]] == [
        (FIO, FOUND), ("lang-order-by", UNKNOWN), ("union-default-graph", MENDED)]
    assert data["refused"] == refused_queries(DEVIATING, [
        ("queries", config.queries_dir), ("xsrv_kg/sparql", rq.SPARQL_DIR)])
    html = deviating_client.get("/validation?lang=zh").get_data(as_text=True)
    assert 'data-deviation="filter-in-optional" data-status="found"' in html
    assert DEVIATIONS[FIO].zh in html


def test_validation_page_has_no_notice_on_the_embedded_store(client) -> None:
    assert client.get("/validation.json").get_json()["engine"]["deviations"] == []
    assert "engine-deviations" not in client.get("/validation").get_data(as_text=True)


def test_refused_queries_lists_files_whose_relies_on_names_a_refusing_deviation(
        tmp_path: Path) -> None:
    (tmp_path / "a.rq").write_text(f"# relies-on: {FIO}\nASK {{}}", encoding="utf-8")
    (tmp_path / "b.rq").write_text("# relies-on: booleans\nASK {}", encoding="utf-8")
    (tmp_path / "c.rq").write_text("ASK {}", encoding="utf-8")
    (tmp_path / "overview-x.rq").write_text("# relies-on: lang-order-by\nASK {}",
                                            encoding="utf-8")
    assert refused_queries(DEVIATING, [("queries", tmp_path)]) == [
        {"file": "queries/a.rq", "reliesOn": [FIO],
         "page": "/ (workbench gallery), xsrv-kg query"},
        {"file": "queries/overview-x.rq", "reliesOn": ["lang-order-by"],
         "page": "/ (workbench gallery), xsrv-kg query"}]
    assert refused_queries(DEVIATING, [("xsrv_kg/sparql", tmp_path)])[1]["page"] == "/overview"


def test_every_shipped_relies_on_line_names_known_deviations(config) -> None:
    wrong = []
    for folder in (config.queries_dir, rq.SPARQL_DIR):
        for path in folder.glob("*.rq"):
            try:
                c.relies_on(path.read_text(encoding="utf-8"))
            except BadInput as exc:
                wrong.append(f"{path.name}: {exc}")
    assert wrong == []


def test_cli_notice_names_the_deviations_in_both_languages() -> None:
    assert DEVIATING.notice("en") == (
        "note: the query engine of sparql:http://deviating.example/sparql deviates from "
        "SPARQL 1.1 in: filter-in-optional (found), lang-order-by (unknown); queries and "
        "pages relying on them are refused (see README.md#engine-deviations-and-refusals).")
    assert "filter-in-optional (found)" in DEVIATING.notice("zh")


def test_gallery_keeps_relies_on_in_the_query_and_marks_refused_queries(
        deviating_client, client, tmp_path: Path) -> None:
    from xsrv_kg.server.blueprints.workbench import curated_queries, parse_header

    meta, body = parse_header(f"# title@en: A\n# relies-on: {FIO}\n# title@zh: 甲\nASK {{}}\n")
    assert meta["title"] == {"en": "A", "zh": "甲"}
    assert body == f"# relies-on: {FIO}\nASK {{}}\n"
    (tmp_path / "a.rq").write_text(f"# title@en: A\n# relies-on: {FIO}\nASK {{}}\n",
                                   encoding="utf-8")
    assert curated_queries(tmp_path)[0]["reliesOn"] == [FIO]
    for response, refusing in ((deviating_client.get("/queries.json"), DEVIATING),
                               (client.get("/queries.json"), None)):
        for query in response.get_json()["queries"]:
            expected = refusing is not None and refusing.refusal(query["reliesOn"]) is not None
            assert query["refused"] is expected


def test_a_server_error_on_the_any_path_probe_is_found_and_kept() -> None:
    """Virtuoso answers the valid path query with an HTTP 500 ('transitive start not given'):
    the server is up and answered, so the deviation is found (and the record kept); a server
    that cannot be reached leaves it unknown."""
    from xsrv_kg.errors import UpstreamError

    def failing_paths(query: str):
        if "|!" in query:
            raise UpstreamError("the SPARQL server at http://x/sparql failed on the query "
                                "(HTTP 500): Virtuoso 37000 Error TR...: transitive start not given",
                                server_status=500)
        return ox.Store().query(query)

    record, conclusive = c.probe("sparql:x", run=failing_paths, update=None, union="native")
    assert conclusive
    assert record.status("any-predicate-path") == FOUND
    assert "transitive start not given" in record.finding("any-predicate-path").detail
    assert record.status(FIO) == NOT_FOUND
