"""``xsrv-kg serve`` as a process: announces its URL, stops cleanly, refuses bad settings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from benchmarks.support import free_port, wait_until_up

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_url_and_stops_cleanly_on_a_signal(sig: signal.Signals) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/sparql", process)
        assert requests.get(f"http://127.0.0.1:{port}/sparql",
                            params={"query": "ASK {}"}).status_code == 200
        process.send_signal(sig)
        out, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, out
    assert f"http://127.0.0.1:{port}/" in out
    assert "xsrv-kg: stopped" in out
    # The query workers went with it.
    assert "Traceback" not in out


def test_allow_update_without_a_token_is_refused() -> None:
    env = {k: v for k, v in os.environ.items() if k != "XSRV_UPDATE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--allow-update",
                           "--port", "0"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "XSRV_UPDATE_TOKEN" in done.stderr


def test_serving_a_data_file_that_does_not_parse_fails_with_its_line(tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--port", "0", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"{bad}:2:" in done.stderr


def test_union_default_graph_can_be_switched_off() -> None:
    from .live import serve

    with serve(env={"XSRV_UNION_DEFAULT_GRAPH": "0"}) as server:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        default = requests.get(server.sparql, params={"query": count}).json()
        named = requests.get(server.sparql, params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
        description = requests.get(server.sparql).text
    assert default["results"]["bindings"][0]["n"]["value"] == "0"
    assert int(named["results"]["bindings"][0]["n"]["value"]) > 3000
    assert "UnionDefaultGraph" not in description


@pytest.mark.parametrize("options", [["--allow-update"], ["--store", "oxigraph:{tmp}"]])
def test_several_processes_are_refused_where_one_must_hold_the_store(options, tmp_path) -> None:
    env = {**os.environ, "XSRV_UPDATE_TOKEN": "a-token-long-enough"}
    args = [o.replace("{tmp}", str(tmp_path / "db")) for o in options]
    done = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--port", "0",
                           "--processes", "2", *args],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "--processes" in done.stderr and "one process must hold the store" in done.stderr


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_two_processes_serve_and_a_runaway_replaces_them() -> None:
    """Two forked processes answer; a runaway query's 503 comes at the limit, and the
    service answers right after (the replacements are forks of the loaded store)."""
    from .live import serve

    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
               "?j ?k ?l }")
    simple = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"
    with serve("--processes", "2", "--time-limit", "1", "--cache-mb", "0") as server:
        children = subprocess.run(["pgrep", "-P", str(server.process.pid)],
                                  capture_output=True, text=True).stdout.split()
        assert len(children) == 2
        assert requests.get(server.sparql, params={"query": runaway}).status_code == 503
        for _ in range(6):
            response = requests.get(server.sparql, params={"query": simple}, timeout=5)
            assert response.status_code == 200 and "27" in response.text
        time.sleep(1.5)
        after = subprocess.run(["pgrep", "-P", str(server.process.pid)],
                               capture_output=True, text=True).stdout.split()
        assert len(after) == 2 and not set(after) & set(children)
