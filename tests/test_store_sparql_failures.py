"""When the remote SPARQL server is wrong: the ``sparql:`` store and ``xsrv-kg serve`` on it
say what went wrong and where (a syntax error at the embedded store's position, nobody
listening, a slow answer, an answer that is not SPARQL, a server that goes away under
``serve`` and comes back).
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest
import requests

from benchmarks.support import free_port
from xsrv_kg import vocab
from xsrv_kg.errors import BadInput, UpstreamError
from xsrv_kg.store import open_store
from xsrv_kg.store.sparql import SparqlStore

from .backends import oxigraph_available, oxigraph_server
from .conftest import xsrv_load

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not oxigraph_available(),
                                                    reason="the oxigraph server is not installed")]


@pytest.mark.parametrize("query", [
    "SELEC ?x",
    "SELECT ?x WHERE { ?x rdfs:label ?y",
    "SELECT ?x WHERE {\n  ?x ?y\n}",
    "ASK { xsrv:a rdfs:label 'x' . undeclared:b ?p ?o }",
])
def test_syntax_errors_are_bad_input_with_the_embedded_position(sparql_store, store,
                                                                query: str) -> None:
    """The prologue is on the query's first line, and columns there are shifted back: the
    server's message points where the embedded store's does."""
    with pytest.raises(BadInput) as remote_error:
        sparql_store.query(query, prefixes=vocab.PREFIXES, base_iri="http://127.0.0.1/s")
    with pytest.raises(BadInput) as embedded_error:
        store.query(query, prefixes=vocab.PREFIXES, base_iri="http://127.0.0.1/s")
    assert str(remote_error.value) == str(embedded_error.value)
    assert str(remote_error.value).startswith("SPARQL syntax error: error at ")



def test_nobody_listening_is_a_clear_error_naming_the_server() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(UpstreamError, match=f"cannot reach the SPARQL server at {url}: "):
        open_store(f"sparql:{url}")
    store = SparqlStore(url, probe=False)
    with pytest.raises(UpstreamError, match="cannot reach the SPARQL server"):
        store.query("ASK {}")



def test_a_slow_answer_is_a_timeout_error() -> None:
    with oxigraph_server(union_default_graph=True) as server:
        xsrv_load(*server.store_args())
        store = server.open(read_timeout=0.3)
        began = time.monotonic()
        with pytest.raises(UpstreamError, match="did not answer within 0.3 s"):
            # It runs on in the server until the server stops, at the end of the block.
            store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                        "?j ?k ?l }")
        assert time.monotonic() - began < 2


@pytest.fixture
def not_sparql():
    """A loopback HTTP server that answers every POST with an HTML page."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b"<html><body>hello</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_an_answer_that_is_not_sparql_is_an_upstream_error(not_sparql: str) -> None:
    with pytest.raises(UpstreamError, match="answered in text/html, which is neither"):
        SparqlStore(not_sparql)



def test_serve_reports_a_server_that_went_away_and_recovers(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .live import serve

    port = free_port()
    query = {"query": "SELECT (COUNT(?t) AS ?n) WHERE { ?t a xsrv:TownshipLevelDivision }"}
    with oxigraph_server(tmp_path / "db", port=port) as server:
        xsrv_load(*server.store_args())
        args = server.store_args()
    # Nobody listens: serve does not start, and says why.
    started = subprocess.run([sys.executable, "-m", "xsrv_kg", "serve", "--port", "0", *args],
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 2
    assert f"cannot reach the SPARQL server at http://127.0.0.1:{port}/query" in started.stderr
    with oxigraph_server(tmp_path / "db", port=port) as server, \
            serve("--cache-mb", "0", "--workers", "1", *args) as xsrv:
        assert requests.post(xsrv.sparql, data=query, timeout=30).status_code == 200
        server.process.terminate()
        server.process.wait(10)
        # The server went: the endpoint says which server it cannot reach (from its worker).
        down = requests.post(xsrv.sparql, data=query, timeout=30)
        assert down.status_code == 502
        assert f"cannot reach the SPARQL server at http://127.0.0.1:{port}/query" in down.text
        with oxigraph_server(tmp_path / "db", port=port):
            again = requests.post(xsrv.sparql, data=query, timeout=30,
                                  headers={"Accept": "text/csv"})
            assert again.text.split() == ["n", "27"]
