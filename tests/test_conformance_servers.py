"""The conformance probe against real servers: ``oxigraph serve`` (no deviation) and Virtuoso
(the known ones), and refusals through ``xsrv-kg serve`` in front of them.

The Virtuoso tests run when ``XSRV_TEST_VIRTUOSO=1`` or ``virtuoso-t`` is installed; they
start their own private instance with ``scripts/virtuoso/setup.sh`` (empty: every probe needs
no project data) and stop it at the end of the module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from benchmarks.support import free_port
from xsrv_kg.config import Config
from xsrv_kg.errors import EngineDeviation
from xsrv_kg.query.endpoint import Endpoint
from xsrv_kg.server.app import create_app
from xsrv_kg.sparql import rq
from xsrv_kg.store.conformance import (
    DEVIATIONS,
    FOUND,
    MENDED,
    NOT_FOUND,
    SCRATCH_GRAPH,
    UNKNOWN,
)

from .backends import oxigraph_available, oxigraph_server
from .live import serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts" / "virtuoso"
FIO = "filter-in-optional"
RELYING = f"# relies-on: {FIO}\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}"
SCRATCH_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH_GRAPH}> {{ ?s ?p ?o }} }}"

needs_oxigraph = pytest.mark.skipif(not oxigraph_available(),
                                    reason="the oxigraph server is not installed")


# --- oxigraph serve: nothing found -----------------------------------------------------------

@needs_oxigraph
@pytest.mark.parametrize("union", [False, True], ids=["plain", "union-default-graph"])
def test_probe_finds_no_deviation_on_an_empty_oxigraph_server(union: bool) -> None:
    with oxigraph_server(union_default_graph=union) as server:
        store = server.open()
        record = store.conformance
        assert {d: record.status(d) for d in DEVIATIONS if d != "union-default-graph"} == {
            d: NOT_FOUND for d in DEVIATIONS if d != "union-default-graph"}
        # Empty: the union probe cannot tell yet.
        assert record.status("union-default-graph") == UNKNOWN
        assert store.graphs() == []
        assert int(store._select(SCRATCH_COUNT)[0]["n"].value) == 0
        store.close()


@needs_oxigraph
def test_probe_finds_no_deviation_on_the_project_in_oxigraph_server(sparql_store) -> None:
    graphs = sparql_store.graphs()
    record = sparql_store.conformance
    assert [record.status(d) for d in DEVIATIONS] == [NOT_FOUND] * len(DEVIATIONS)
    assert record.finding("union-default-graph").detail == "union default graph: parameter"
    assert sparql_store.graphs() == graphs and SCRATCH_GRAPH not in graphs
    assert [s["n"].value for s in sparql_store.query(RELYING)] == [str(len(sparql_store))]


@needs_oxigraph
def test_serve_in_front_of_oxigraph_runs_a_query_relying_on_a_deviation(
        sparql_server, inferred_store) -> None:
    response = requests.post(sparql_server.url + "/sparql", data={"query": RELYING},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200
    n = response.json()["results"]["bindings"][0]["n"]["value"]
    assert n == next(iter(inferred_store.query(RELYING)))["n"].value  # loaded: inferred too


# --- Virtuoso: the known deviations ------------------------------------------------------------

VIRTUOSO_WANTED = os.environ.get("XSRV_TEST_VIRTUOSO") == "1" or shutil.which("virtuoso-t")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    """A private, empty Virtuoso on free loopback ports: its query URL."""
    if not VIRTUOSO_WANTED:
        pytest.skip("Virtuoso is not installed (set XSRV_TEST_VIRTUOSO=1 to let "
                    "scripts/virtuoso/setup.sh install it)")
    folder = tmp_path_factory.mktemp("virtuoso-probe")
    port = free_port()
    setup = subprocess.run([str(SCRIPTS / "setup.sh"), str(folder), str(port),
                            str(free_port())], capture_output=True, text=True, timeout=900,
                           stdin=subprocess.DEVNULL)
    try:
        assert setup.returncode == 0, f"setup.sh failed:\n{setup.stdout}\n{setup.stderr}"
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        subprocess.run([str(SCRIPTS / "stop.sh"), str(folder)], capture_output=True,
                       timeout=120, stdin=subprocess.DEVNULL)


def _open(url: str):
    from xsrv_kg.store.sparql import SparqlStore

    return SparqlStore(url, gsp_url=url.replace("/sparql", "/sparql-graph-crud"))


def test_probe_finds_virtuosos_deviations(virtuoso: str) -> None:
    store = _open(virtuoso)
    record = store.conformance
    assert {d: record.status(d) for d in DEVIATIONS} == {
        FIO: FOUND, "booleans": FOUND, "blank-nodes": FOUND, "lang-order-by": FOUND,
        "any-predicate-path": FOUND, "union-default-graph": MENDED}
    # What it answered, as measured on Virtuoso 7.2.5: the FILTER did not see ?x.
    assert record.finding(FIO).detail.startswith("answered [(1, None), (2, None)]")
    assert "not implemented" in record.finding("blank-nodes").detail
    assert int(store._select(SCRATCH_COUNT)[0]["n"].value) == 0
    assert SCRATCH_GRAPH not in store.graphs()
    store.close()


def test_virtuoso_refuses_a_query_relying_on_a_found_deviation(virtuoso: str) -> None:
    store = _open(virtuoso)
    with pytest.raises(EngineDeviation, match=f"{FIO}.*found by its conformance probe"):
        store.query(RELYING)
    # Mended deviations refuse nothing: the query runs (ASK {} is true: one empty solution).
    assert bool(store.query("# relies-on: union-default-graph\nASK {}")) is True
    store.close()


def test_page_on_virtuoso_is_refused_when_one_of_its_queries_is(virtuoso: str,
                                                                 monkeypatch) -> None:
    original = rq.load
    monkeypatch.setattr(rq, "load", lambda name: (
        f"# relies-on: {FIO}\n{original(name)}" if name == "overview-fund-rules"
        else original(name)))
    config = Config()
    store = _open(virtuoso)
    # The document the overview is about (else the page is a 404 before any query runs).
    store.update("INSERT DATA { GRAPH <urn:xsrv-test:doc> { "
                 "<https://w3id.org/xsrv-kg/id/doc/xiushan-plan> a "
                 "<https://w3id.org/xsrv-kg/ontology#PolicyDocument> } }")
    app = create_app(config, endpoint=Endpoint(config, store, workers=False))
    try:
        response = app.test_client().get("/overview.json")
    finally:
        app.extensions["xsrv"].close()
    assert response.status_code == 501
    assert response.get_json()["error"]["message"].startswith(
        "xsrv_kg/sparql/overview-fund-rules.rq: ")


def test_serve_in_front_of_virtuoso_refuses_with_501_and_describes_the_deviations(
        virtuoso: str) -> None:
    """Through workers (the replica carries the main process's probe), and in the service
    description."""
    with serve("--store", "sparql:" + virtuoso) as server:
        refused = requests.post(server.url + "/sparql", data={"query": RELYING},
                                headers={"Accept": "application/json"}, timeout=60)
        described = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"},
                                 timeout=60).text
    assert refused.status_code == 501
    assert FIO in refused.json()["error"]["message"]
    for deviation in (FIO, "booleans", "blank-nodes", "lang-order-by"):
        assert f'dcterms:identifier "{deviation}"' in described
