"""Where one cold request's time goes: the curated mix peeled layer by layer.

    python benchmarks/profile_cold.py [--rounds 20] [--top 15]

One request at a time (no concurrency), cache off, each query of the mix ``--rounds`` times;
each layer adds one step to the one before, so the differences are the cost of each step:

1. evaluation: ``OxigraphStore.query`` + reading every row (pyoxigraph, in this process);
2. + serialization: ``executor.execute`` (evaluation + SPARQL JSON writing), what a worker does;
3. + IPC: ``WorkerPool.run`` (pickling the job, the socket pair, the worker process, the
   pickled answer back);
4. + endpoint: ``Endpoint.query`` (text scan for SERVICE/FROM, job key, cache off);
5. + Flask: the WSGI app called directly with a prebuilt environ (form parsing, negotiation,
   response, after-request hooks);
6. + HTTP: ``xsrv-kg serve --cache-mb 0`` over loopback, keep-alive ``http.client``
   (waitress, TCP, and the client itself).

A bare waitress app answering "ok" over the same client gives the floor of layer 6. Then
cProfile of layers 5 (the server process's side) and 2 (the worker's side), summed by package.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from endpoint import HEADERS, Server, curated_mix  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from xsrv_kg import vocab  # noqa: E402
from xsrv_kg.config import Config  # noqa: E402
from xsrv_kg.query.endpoint import Endpoint  # noqa: E402
from xsrv_kg.query.executor import QueryJob, execute  # noqa: E402
from xsrv_kg.query.negotiation import negotiate  # noqa: E402
from xsrv_kg.server.app import create_app  # noqa: E402
from xsrv_kg.sparql.text import read_text  # noqa: E402

BARE_WAITRESS = """
import sys
from waitress import serve
def app(environ, start_response):
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=16, _quiet=True)
"""


def per_request_ms(calls: dict[str, Callable[[str], object]], mix: dict[str, str],
                   rounds: int) -> dict[str, tuple[float, float]]:
    """Median and minimum over rounds of the mean time of one request of the mix, in ms.

    The callers take turns within each round, so drift of the machine hits all alike.
    """
    for call in calls.values():  # warm up
        for text in mix.values():
            call(text)
    means: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            began = time.perf_counter()
            for text in mix.values():
                call(text)
            means[name].append((time.perf_counter() - began) / len(mix) * 1000)
    return {name: (statistics.median(m), min(m)) for name, m in means.items()}


def http_caller(server: Server) -> Callable[[str], object]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    bodies: dict[str, bytes] = {}

    def call(text: str) -> bytes:
        body = bodies.get(text) or bodies.setdefault(text, urlencode({"query": text}).encode())
        conn.request("POST", server.path, body, HEADERS)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        return data

    return call


def wsgi_caller(app) -> Callable[[str], object]:
    """Call the Flask app as waitress would, minus the socket: a fresh environ per request."""
    environs = {}

    def call(text: str) -> bytes:
        if text not in environs:
            builder = EnvironBuilder(path="/sparql", method="POST", headers=HEADERS,
                                     data=urlencode({"query": text}).encode())
            environs[text] = (builder.get_environ(), builder.input_stream.getvalue())
        template, body = environs[text]
        environ = dict(template, **{"wsgi.input": io.BytesIO(body)})
        status = []
        chunks = app(environ, lambda s, h, e=None: status.append(s))
        data = b"".join(chunks)
        if not status[0].startswith("200"):
            raise RuntimeError(f"{status[0]}: {data[:200]!r}")
        return data

    return call


BUCKETS = (
    # Rows are pulled by C-level iteration, which cProfile charges to the caller: _capped.
    ("pyoxigraph (evaluation, row iteration)", ("pyoxigraph", "_capped", "evaluate")),
    ("SPARQL JSON writing (xsrv_kg.query.results, json)", ("results.py", "json/")),
    ("worker IPC (pickle, socket, waiting on the worker)",
     ("multiprocessing", "executor.py", "socket", "pickle", "queue.py", "threading.py",
      "selectors.py", "connection.py", "select.", "posix.read", "posix.write", "_socket")),
    ("Flask / werkzeug", ("flask", "werkzeug", "blinker", "contextlib", "urllib/parse",
                          "http/")),
    ("xsrv_kg request handling (protocol, http, endpoint, negotiation)",
     ("xsrv_kg/blueprints", "xsrv_kg/http.py", "xsrv_kg/endpoint.py",
      "xsrv_kg/negotiation.py", "xsrv_kg/sparql_text.py", "xsrv_kg/cache.py",
      "xsrv_kg/store")),
)


def bucketed(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename} {name}"
        for bucket, needles in BUCKETS:
            if any(n in where for n in needles):
                totals[bucket] += tottime
                break
        else:
            totals[f"other ({'builtins' if filename == '~' else 'python'})"] += tottime
    whole = sum(totals.values()) or 1.0
    return sorted(((k, v / whole) for k, v in totals.items()), key=lambda kv: -kv[1])


def profile(call: Callable[[str], object], mix: dict[str, str], rounds: int, top: int,
            title: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for text in mix.values():
            call(text)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\n== cProfile: {title} ({rounds} rounds of the mix), own time by package")
    for bucket, share in bucketed(stats):
        print(f"  {share * 100:5.1f} %  {bucket}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print("\n".join(lines[start:start + top + 1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    mix = curated_mix()
    config = replace(Config.from_env(), cache_bytes=0)
    endpoint = Endpoint.open(config, workers=True)
    app = create_app(config, endpoint=endpoint)
    json_format = negotiate(HEADERS["Accept"], None)

    def job(text: str) -> QueryJob:
        return QueryJob(text=text, negotiated=json_format, union_default_graph=True,
                        max_rows=config.max_rows)

    def evaluate(text: str) -> int:
        result = endpoint.store.query(text, union_default_graph=True, prefixes=vocab.PREFIXES)
        return len(list(result))

    workdir = Path(tempfile.mkdtemp(prefix="xsrv-profile-"))
    py = sys.executable
    ours = Server("xsrv-cold", [py, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1",
                                "--port", "{port}", "--cache-mb", "0"], "/sparql", workdir)
    bare = Server("bare-waitress", [py, "-c", BARE_WAITRESS, "{port}"], "/", workdir)
    try:
        ours.start()
        bare.start()
        scan_fn = getattr(read_text, "__wrapped__", read_text)  # past its memo, if any
        calls: dict[str, Callable[[str], object]] = {
            "1 evaluation (pyoxigraph)": evaluate,
            "2 + JSON serialization = execute()": lambda t: execute(endpoint.store, job(t)),
            "3 + worker IPC = WorkerPool.run()": lambda t: endpoint.executor.run(job(t)),
            "4 + Endpoint.query() (scan, key)": lambda t: endpoint.query(t, json_format),
            "5 + Flask app (WSGI, no socket)": wsgi_caller(app),
            "6 + waitress + HTTP + client": http_caller(ours),
            "bare waitress app, same client": http_caller(bare),
            "SERVICE/FROM text scan, unmemoized": scan_fn,
        }
        timings = per_request_ms(calls, mix, args.rounds)
    finally:
        ours.stop()
        bare.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"== One cold request of the curated mix ({len(mix)} queries), one at a time: mean "
          f"per request; median and minimum of {args.rounds} interleaved rounds")
    previous = (0.0, 0.0)
    for name, (median, least) in timings.items():
        step = ""
        if name[0].isdigit():
            step = f"(+{median - previous[0]:6.3f} / +{least - previous[1]:6.3f})"
            previous = (median, least)
        print(f"  {name:<40} {median:7.3f} ms  min {least:7.3f} ms  {step}")

    try:
        profile(wsgi_caller(app), mix, args.rounds, args.top,
                "server process, Flask app over the worker pool")
        profile(lambda t: execute(endpoint.store, job(t)), mix, args.rounds, args.top,
                "worker side, execute()")
    finally:
        endpoint.close()


if __name__ == "__main__":
    main()
