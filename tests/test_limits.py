"""Limits on a live server: time (the query's CPU is taken back), rows (announced), body
size, and stalled clients."""

from __future__ import annotations

import os
import resource
import socket
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
    # Its body unread, the connection is not reused: the answer says so.
    assert response.headers["Connection"] == "close"


def test_limits_are_in_the_service_description(limited) -> None:
    text = requests.get(limited.sparql).text
    assert 'xsrv:queryTimeLimit "2"^^xsd:decimal' in text
    assert "xsrv:maxResultRows 5" in text
    assert "xsrv:maxRequestBytes 2000" in text


def _tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and all its descendants now alive (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads CPU times from /proc")
def test_runaway_query_stops_using_cpu_within_a_second_of_its_503(limited) -> None:
    response = requests.get(limited.sparql, params={"query": RUNAWAY})
    assert response.status_code == 503
    time.sleep(1.0)
    before = _tree_cpu_seconds(limited.process.pid)
    time.sleep(1.0)
    used = _tree_cpu_seconds(limited.process.pid) - before
    # A runaway still computing would use a whole core: ~1 s in this window.
    assert used < 0.3, f"the server used {used:.2f} s of CPU in the second after the limit + 1 s"


def test_a_thousand_stalled_clients_do_not_lock_others_out() -> None:
    """1,000 connections that send half a request line and stall, then a normal query."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2_500:
        pytest.skip(f"needs 2,500 open files, the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2_500), hard))
    stalled: list[socket.socket] = []
    try:
        with serve("--cache-mb", "0") as server:
            host, port = server.url.removeprefix("http://").rsplit(":", 1)
            for _ in range(1_000):
                sock = socket.create_connection((host, int(port)), timeout=5)
                sock.sendall(b"GET /spar")
                stalled.append(sock)
            began = time.monotonic()
            response = requests.get(server.sparql, params={"query": SIMPLE}, timeout=10)
            took = time.monotonic() - began
            assert response.status_code == 200 and "27" in response.text
            assert took < 1.0, f"a normal query took {took:.2f} s beside 1,000 stalled clients"
    finally:
        for sock in stalled:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
