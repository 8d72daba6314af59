"""Limits on a live server: time (the worker is stopped), rows (announced), body size."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from .live import serve

pytestmark = pytest.mark.slow

# Four-way cross join of every triple: ~10^14 rows, runs for hours unless stopped.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"
TIME_LIMIT = 2.0


@pytest.fixture(scope="module")
def limited():
    with serve("--time-limit", str(TIME_LIMIT), "--max-rows", "5", "--max-body", "2000",
               "--workers", "2", "--cache-mb", "0") as server:
        yield server


def test_runaway_query_stops_at_the_time_limit_with_an_error(limited) -> None:
    began = time.monotonic()
    response = requests.get(limited.sparql, params={"query": RUNAWAY},
                            headers={"Accept": "application/sparql-results+json"})
    took = time.monotonic() - began
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "query-timeout"
    assert "time limit of 2 s" in response.json()["error"]["message"]
    assert TIME_LIMIT <= took < TIME_LIMIT + 1


def test_other_clients_are_answered_during_a_runaway_query(limited) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        outcome["status"] = requests.get(limited.sparql, params={"query": RUNAWAY}).status_code

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)  # the runaway query holds one worker now
    began = time.monotonic()
    response = requests.get(limited.sparql, params={"query": SIMPLE})
    took = time.monotonic() - began
    thread.join()
    assert response.status_code == 200 and "27" in response.text
    assert took < 1.0, f"a simple query waited {took:.2f} s behind a runaway one"
    assert outcome["status"] == 503


def test_server_is_free_again_after_a_timeout(limited) -> None:
    for _ in range(2):  # two timeouts: both workers replaced in turn
        assert requests.get(limited.sparql, params={"query": RUNAWAY}).status_code == 503
    time.sleep(1.5)  # replacements start in the background
    for _ in range(4):
        response = requests.get(limited.sparql, params={"query": SIMPLE})
        assert response.status_code == 200 and "27" in response.text


def test_row_cap_is_announced_in_a_header(limited) -> None:
    response = requests.get(limited.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["Xsrv-Truncated"] == "max-rows=5"
    assert len(response.json()["results"]["bindings"]) == 5
    small = requests.get(limited.sparql, params={"query": SIMPLE})
    assert "Xsrv-Truncated" not in small.headers


def test_row_cap_applies_to_graphs_too(limited) -> None:
    response = requests.get(limited.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/n-triples"})
    assert response.headers["Xsrv-Truncated"] == "max-rows=5"
    assert len(response.text.strip().splitlines()) == 5


def test_body_over_the_cap_is_413(limited) -> None:
    padding = "#" + "x" * 3000 + "\n"
    response = requests.post(limited.sparql, data=(padding + SIMPLE).encode(),
                             headers={"Content-Type": "application/sparql-query",
                                      "Accept": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413


def test_limits_are_in_the_service_description(limited) -> None:
    text = requests.get(limited.sparql).text
    assert 'xsrv:queryTimeLimit "2"^^xsd:decimal' in text
    assert "xsrv:maxResultRows 5" in text
    assert "xsrv:maxRequestBytes 2000" in text
