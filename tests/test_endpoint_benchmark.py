"""The endpoint benchmark (``benchmarks/endpoint.py``) and its load generator
(``benchmarks/wrk.py``): wrk sends what it is given and its counts hold; a tiny run measures
every server and prints the targets. No timing is asserted: speed belongs in the benchmark."""

from __future__ import annotations

import random
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from benchmarks import endpoint, wrk
from benchmarks.support import oxigraph_executable

needs_wrk = pytest.mark.skipif(wrk.executable() is None, reason="wrk is not installed")
needs_oxigraph = pytest.mark.skipif(oxigraph_executable() is None,
                                    reason="the oxigraph server is not installed")


def wrk_correct(histogram: dict[int, int], expected: int) -> dict[int, int]:
    """wrk's ``stats_correct`` (src/stats.c, wrk 4.1), transcribed: the samples it adds."""
    data = Counter(histogram)
    for n in range(expected * 2, max(histogram) + 1):
        count, m = data[n], n - expected
        while count and m > expected:
            data[m] += count
            m -= expected
    return {v: c for v, c in data.items() if c}


@pytest.mark.parametrize("seed", range(20))
def test_uncorrect_restores_the_histogram_wrk_corrected(seed):
    rng = random.Random(seed)
    histogram = Counter(rng.choice([rng.randint(50, 400), rng.randint(400, 20_000)])
                        for _ in range(rng.randint(1, 3000)))
    requests, connections = sum(histogram.values()), rng.choice([1, 2, 8])
    duration = rng.randint(requests // connections * 100, requests // connections * 300 + 1)
    expected = duration // (requests // connections) if requests >= connections else 0
    corrected = wrk_correct(histogram, expected) if expected else dict(histogram)
    assert wrk.uncorrect(corrected, duration, requests, connections) == histogram


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    seen: list = []
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - the handler's name is the method's
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.lock:
            self.seen.append(parse_qs(body.decode())["query"][0])
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@needs_wrk
def test_wrk_sends_every_body_in_turn_from_its_start_and_counts_each_answer(tmp_path):
    queries = [f"ASK {{ <urn:x:{i}> ?p ?o }}" for i in range(5)]
    bodies = tmp_path / "bodies.txt"
    bodies.write_text("".join(f"query={q.replace(' ', '+')}\n" for q in queries))
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tally = wrk.run_wrk(f"http://127.0.0.1:{server.server_port}", bodies, "/sparql",
                            connections=1, seconds=1, start=3)
    finally:
        server.shutdown()
        server.server_close()
    seen = _Recorder.seen
    assert tally.requests > len(queries) and not tally.errors
    # A request still in flight when wrk stops reaches the server but is not counted.
    assert tally.requests <= len(seen) <= tally.requests + 1
    assert seen[:6] == [queries[i % 5] for i in range(3, 9)]
    counts = Counter(seen)
    assert set(counts) == set(queries) and max(counts.values()) - min(counts.values()) <= 1
    # One latency per answer: wrk's made-up samples are out again.
    assert sum(tally.histogram.values()) == tally.requests


@pytest.mark.slow
@needs_wrk
@needs_oxigraph
def test_a_tiny_run_measures_every_server_and_prints_the_targets(capsys):
    cells, pages = endpoint.main(["--sizes", "shipped", "--seconds", "1", "--slices", "1",
                                  "--connections", "1,2", "--page-repeat", "1"])
    out = capsys.readouterr().out
    assert {(c.mix, c.connections, c.server) for c in cells} == {
        (m, n, s) for m in ("mix", "small") for n in (1, 2) for s in endpoint.SERVERS}
    for cell in cells:
        assert cell.tally.requests > 0 and not cell.tally.errors, cell
    queries = len(endpoint.curated_mix()) + 1  # the mix and the small query
    assert f"row counts: all 4 servers agree on all {queries} queries" in out
    assert f"xsrv-warm answered {queries} of {queries} queries from its result cache" in out
    assert [p.statuses for p in pages["shipped"]] == [[200]] * 3
    assert "Issue 13's targets" in out and "WARNING" not in out


@pytest.mark.slow
@needs_oxigraph
def test_the_python_client_measures_and_warns_that_its_ceiling_is_the_clients(capsys):
    cells, _ = endpoint.main(["--sizes", "shipped", "--seconds", "1", "--slices", "1",
                              "--connections", "1", "--servers", "oxigraph,xsrv-cold",
                              "--page-repeat", "0", "--python-client"])
    out = capsys.readouterr().out
    assert "WARNING: --python-client was given" in out and "own ceiling" in out
    assert {(c.mix, c.server) for c in cells} == {
        (m, s) for m in ("mix", "small") for s in ("oxigraph", "xsrv-cold")}
    assert all(c.tally.requests > 0 and not c.tally.errors for c in cells)
