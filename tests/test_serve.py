"""``xsrv-kg serve`` as a process: announces its URL, stops cleanly, refuses bad settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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
