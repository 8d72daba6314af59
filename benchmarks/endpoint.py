"""Endpoint benchmark: xsrv-kg beside Oxigraph server on the same quads, driven by wrk.

    python benchmarks/endpoint.py [--sizes shipped,1e6] [--connections 1,8] [--seconds 5]
                                  [--slices 5] [--xsrv-args "--workers 2"] [--markdown]

At each size (``shipped``: the project's data; ``N``: that plus ``benchmarks/generate.py
--triples N``), these servers hold the same quads, each on a free loopback port:

- ``oxigraph``: ``oxigraph serve --union-default-graph`` in memory, the quads of
  ``xsrv-kg export --part all`` and ``--part inferred`` (N-Quads) POSTed to its ``/store``;
- ``xsrv-cold``: ``xsrv-kg serve --cache-mb 0`` (every request runs its query);
- ``xsrv-warm``: ``xsrv-kg serve`` with the result cache, warmed by the check pass;
- ``xsrv-sparql``: ``xsrv-kg serve --cache-mb 0 --store sparql:`` that Oxigraph server (the
  ``sparql:`` store against the embedded one).

``--xsrv-args`` is added to every ``xsrv-kg serve`` command line (server flags under test).
Two workloads: ``mix``, the 20 non-federated ``queries/*.rq`` with the project's PREFIX lines
prepended (every server gets the same bytes), in rotation; and ``small``, one
``SELECT (COUNT(*) …)`` of one type. Requests are POST ``query=…`` (form) with ``Accept:
application/sparql-results+json``. Before measuring, every query runs once on every server and
the row counts are compared; a query that fails or exceeds ``--check-timeout`` anywhere is
left out of the mix for all. The load is wrk (``benchmarks/wrk.py``); without wrk, a Python
client, whose own ceiling is then what the fast cells measure. Each cell's ``--seconds`` are
cut into ``--slices`` slices taken in turn with the other cells' at the same connection count,
so drift of a shared machine hits all alike. Pages (``/overview``, a township's page,
``/validation``) are fetched one at a time from ``xsrv-cold``: the first time, then p50 over
``--page-repeat``. The output ends with issue 13's targets, met or missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import endpoint_report as report  # noqa: E402
from benchmarks import wrk  # noqa: E402
from benchmarks.machine import loadavg, machine, speed_probe  # noqa: E402
from benchmarks.support import Server, oxigraph_executable, request, settle  # noqa: E402
from xsrv_kg import vocab  # noqa: E402

HEADERS = wrk.HEADERS
SERVERS = ("oxigraph", "xsrv-cold", "xsrv-warm", "xsrv-sparql")
TOWNSHIP = vocab.XSRV + "TownshipLevelDivision"
SMALL = f"SELECT (COUNT(*) AS ?n) {{ ?s a <{TOWNSHIP}> }}"
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"


def post(server: Server, text: str, timeout: float) -> tuple[int, bytes, http.client.HTTPMessage]:
    return request(server.port, "POST", server.path, urlencode({"query": text}).encode(),
                   HEADERS, timeout)


# --- the data and the servers ---------------------------------------------------------------

def size_label(size: int) -> str:
    return "shipped" if size == 0 else f"{size:,}"


def prepare(size: int, workdir: Path, cache: Path) -> tuple[list[str], Path, int]:
    """The data paths for ``xsrv-kg serve``, the N-Quads for Oxigraph, and the quad count."""
    paths: list[str] = []
    if size:
        from benchmarks.scale import generate  # synthetic county plans, made once per size
        paths = [str(ROOT / "data"), str(generate(size, cache))]
    nquads = workdir / f"all-{size}.nq"
    # The asserted quads and the inferred graph: the quads xsrv-kg serve holds, so every
    # server answers over the same data (and the sparql: store finds its inferred graph).
    with open(nquads, "wb") as out:
        for part in ("all", "inferred"):
            subprocess.run([sys.executable, "-m", "xsrv_kg", "export", "--part", part,
                            "--format", "nquads", "-q",
                            *(a for p in paths for a in ("--data", p))],
                           cwd=ROOT, stdout=out, check=True)
    with open(nquads, "rb") as f:
        quads = sum(1 for line in f if line.strip() and not line.startswith(b"#"))
    return paths, nquads, quads


def make_servers(paths: list[str], nquads: Path, xsrv_args: list[str],
                 workdir: Path) -> dict[str, Server]:
    serve = [sys.executable, "-m", "xsrv_kg", "serve", "--host", "127.0.0.1",
             "--port", "{port}", *xsrv_args]
    oxigraph = Server("oxigraph", [oxigraph_executable() or "oxigraph", "serve", "--bind",
                                   "127.0.0.1:{port}", "--union-default-graph"],
                      "/query", workdir, load=nquads)
    return {
        "oxigraph": oxigraph,
        "xsrv-cold": Server("xsrv-cold", serve + ["--cache-mb", "0", *paths], "/sparql",
                            workdir),
        "xsrv-warm": Server("xsrv-warm", serve + paths, "/sparql", workdir),
        "xsrv-sparql": Server("xsrv-sparql", serve + [
            "--cache-mb", "0", "--store", "sparql:http://127.0.0.1:{upstream}/query"],
            "/sparql", workdir, upstream=oxigraph),
    }


def curated_mix() -> dict[str, str]:
    """The non-federated ``queries/*.rq`` (the federated ones call a second endpoint), each
    with the PREFIX lines our server predeclares and the others do not."""
    prologue = vocab.sparql_prologue()
    return {p.stem: prologue + p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "queries").glob("*.rq"))
            if not p.stem.startswith("federated-")}


def row_count(body: bytes) -> int:
    doc = json.loads(body)
    return 1 if "boolean" in doc else len(doc["results"]["bindings"])


def check(servers: dict[str, Server], queries: dict[str, str],
          timeout: float) -> tuple[list[str], list[str], dict[str, dict[str, float]]]:
    """Each query once on each server: the queries every server answered, warnings (row
    counts that differ, failures) and the seconds each query took on each server. This pass
    also fills ``xsrv-warm``'s cache."""
    counts: dict[str, dict[str, str]] = {q: {} for q in queries}
    took: dict[str, dict[str, float]] = {s: {} for s in servers}
    for server in servers.values():
        for name, text in queries.items():
            began = time.perf_counter()
            try:
                status, body, _ = post(server, text, timeout)
                took[server.name][name] = time.perf_counter() - began
            except OSError as exc:  # a timeout too: the server would go on computing
                counts[name][server.name] = f"failed ({type(exc).__name__})"
                server.restart()
                continue
            counts[name][server.name] = (str(row_count(body)) if status == 200 else
                                         f"HTTP {status}: {body[:80].decode(errors='replace')}")
    usable, warnings = [], []
    for name, seen in counts.items():
        if len(set(seen.values())) > 1 or not all(v.isdigit() for v in seen.values()):
            warnings.append(f"{name}: " + ", ".join(f"{s} {v}" for s, v in seen.items()))
        if all(v.isdigit() for v in seen.values()):
            usable.append(name)
    return usable, warnings, took


def cache_hits(server: Server, queries: dict[str, str], timeout: float) -> int:
    """How many of ``queries`` ``server`` answers from its result cache now."""
    return sum(post(server, text, timeout)[2].get("Xsrv-Cache") == "hit"
               for text in queries.values())


def pages(server: Server, repeat: int, timeout: float) -> list[report.Page]:
    """``/overview``, a township's page and ``/validation``, one request at a time."""
    found = f"""SELECT ?s {{ ?s a <{TOWNSHIP}>
                 FILTER(!CONTAINS(STR(?s), "/synthetic/")) }} ORDER BY ?s LIMIT 1"""
    status, body, _ = post(server, found, timeout)
    rows = json.loads(body)["results"]["bindings"] if status == 200 else []
    targets = ["/overview"]
    if rows:
        targets.append("/" + quote(rows[0]["s"]["value"][len(vocab.BASE):], safe="/:@-._~"))
    targets.append("/validation")
    measured = []
    for target in targets:
        took, statuses = [], set()
        for _ in range(repeat + 1):
            began = time.perf_counter()
            status, _, _ = request(server.port, "GET", target, None, {"Accept": HTML}, timeout)
            took.append((time.perf_counter() - began) * 1000)
            statuses.add(status)
        measured.append(report.Page(target, took[0], sorted(took[1:]), sorted(statuses)))
    return measured


# --- the run --------------------------------------------------------------------------------

def measure_size(size: int, args: argparse.Namespace, out: report.Printer,
                 workdir: Path) -> tuple[list[report.Cell], list[report.Page]]:
    label = size_label(size)
    paths, nquads, quads = prepare(size, workdir, args.cache)
    out.heading(f"Size {label}: {quads:,} quads")
    started = make_servers(paths, nquads, args.xsrv_args, workdir)
    # Oxigraph runs whenever the sparql: store is measured: it is that store's upstream.
    wanted = set(args.servers) | ({"oxigraph"} if "xsrv-sparql" in args.servers else set())
    started = {n: s for n, s in started.items() if n in wanted}
    servers = {n: s for n, s in started.items() if n in args.servers}
    try:
        for server in started.values():
            took = server.start()
            out.item(f"started {server.name} on port {server.port} in {took:.1f} s")
        mix = curated_mix()
        usable, warnings, took = check(servers, {**mix, "small": SMALL}, args.check_timeout)
        for w in warnings:
            out.item(f"WARNING: row counts differ or a query failed: {w}")
        for name, seconds in took.items():  # where a slow mix spends its time
            slowest = sorted(seconds, key=seconds.__getitem__, reverse=True)[:3]
            out.item(f"{name}'s slowest queries in the check: "
                     + ", ".join(f"{q} {seconds[q] * 1000:.0f} ms" for q in slowest))
        if not warnings:
            out.item(f"row counts: all {len(servers)} servers agree on all {len(mix) + 1} "
                     "queries")
        mixes = {"mix": [mix[q] for q in mix if q in usable],
                 "small": [SMALL] if "small" in usable else []}
        mixes = {m: texts for m, texts in mixes.items() if texts}
        if len(mixes["mix"]) < len(mix):
            out.item(f"the mix measured is {len(mixes['mix'])} of {len(mix)} queries: left "
                     f"out: {', '.join(q for q in mix if q not in usable)}")
        if "xsrv-warm" in servers:  # once more: a restart in the check emptied its cache
            warm = {q: t for q, t in {**mix, "small": SMALL}.items() if q in usable}
            cache_hits(servers["xsrv-warm"], warm, 60)
            out.item(f"xsrv-warm answered {cache_hits(servers['xsrv-warm'], warm, 60)} of "
                     f"{len(warm)} queries from its result cache before measuring")
        seconds = args.seconds if size == 0 else args.seconds_at_scale
        cells = load(servers, list(started.values()), mixes, seconds, label, args, workdir)
        measured = pages(servers["xsrv-cold"], args.page_repeat, 120) \
            if "xsrv-cold" in servers and args.page_repeat else []
        restarted = [f"{s.name} ({s.restarts}x)" for s in servers.values() if s.restarts]
        if restarted:
            out.item("restarted after a query that failed or ran past the check timeout: "
                     + ", ".join(restarted))
        return cells, measured
    finally:
        for server in reversed(started.values()):
            server.stop()


def load(servers: dict[str, Server], started: list[Server], mixes: dict[str, list[str]],
         seconds: int, label: str, args: argparse.Namespace,
         workdir: Path) -> list[report.Cell]:
    """Every (mix, server) cell at each connection count, in interleaved slices."""
    bodies = {m: [urlencode({"query": t}).encode() for t in texts] for m, texts in mixes.items()}
    files = {}
    for m, lines in bodies.items():
        files[m] = workdir / f"{m}.txt"
        files[m].write_bytes(b"\n".join(lines) + b"\n")
    cells = []
    per_slice = seconds / args.slices
    for n in args.connections:
        row = [report.Cell(label, m, n, s) for m in mixes for s in servers]
        for k in range(args.slices):
            for cell in row:
                server, start = servers[cell.server], k * len(bodies[cell.mix]) // args.slices
                if args.use_wrk:
                    got = wrk.run_wrk(server.url, files[cell.mix], server.path, connections=n,
                                      seconds=int(per_slice), threads=args.wrk_threads,
                                      timeout_s=args.check_timeout * 2, start=start)
                else:
                    got = wrk.run_python(server.port, bodies[cell.mix], server.path,
                                         connections=n, seconds=per_slice, start=start)
                cell.tally.add(got)
                settle(started, timeout=args.check_timeout * 2)
        for cell in row:
            print(f"  {label} {cell.mix:<5} {n:>2} conn. {cell.server:<11} "
                  f"{cell.tally.rate:9.1f} req/s", file=sys.stderr, flush=True)
        cells += row
    return cells


def run(args: argparse.Namespace) -> tuple[list[report.Cell], dict[str, list[report.Page]]]:
    out = report.Printer(args.markdown)
    out.heading("SPARQL endpoint benchmark: xsrv-kg beside Oxigraph server (issue 13)")
    out.facts(machine())
    if args.use_wrk:
        out.line(f"Load generator: wrk, {args.wrk_threads} thread(s), Lua script "
                 "benchmarks/loadtest/rotate.lua.")
    else:
        why = "--python-client was given" if wrk.executable() else \
            "wrk is not installed (Debian package wrk)"
        out.line(f"WARNING: {why}: the load comes from a Python client in this process, "
                 "whose own ceiling (a few thousand requests a second, sharing the cores "
                 "with the servers) is what the fast cells measure. Use wrk for numbers "
                 "comparable with issue 13.")
    out.line(f"xsrv-kg serve command line: `{shlex.join(['xsrv-kg', 'serve', *args.xsrv_args])}` "
             "(+ `--cache-mb 0` for the cold rows)")
    workdir = Path(tempfile.mkdtemp(prefix="xsrv-bench-"))
    cells: list[report.Cell] = []
    page_rows: dict[str, list[report.Page]] = {}
    try:
        for size in args.sizes:
            got, measured = measure_size(size, args, out, workdir)
            cells += got
            page_rows[size_label(size)] = measured
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out.item(f"load average at the end: {loadavg()} (with this run's own load); speed probe "
             f"at the end: {speed_probe()}: compare both with the start")
    report.results(out, cells, args)
    report.page_table(out, page_rows)
    report.sanity(out, cells)
    report.targets(out, cells, page_rows)
    return cells, page_rows


def main(argv: list[str] | None = None) -> tuple[list[report.Cell],
                                                 dict[str, list[report.Page]]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,1e6",
                        help="comma-separated: shipped (the project's data) and/or numbers of "
                             "synthetic triples added to it (default: shipped,1e6)")
    parser.add_argument("--connections", default="1,8", help="concurrency levels (default 1,8)")
    parser.add_argument("--seconds", type=int, default=5, help="length of each cell")
    parser.add_argument("--seconds-at-scale", type=int, default=20,
                        help="length of each cell at the synthetic sizes, where a slow query "
                             "of the mix takes a second (default 20)")
    parser.add_argument("--slices", type=int, default=5,
                        help="interleaved slices per cell (default 5; wrk takes whole seconds, "
                             "so --seconds must be a multiple of --slices)")
    parser.add_argument("--servers", default=",".join(SERVERS),
                        help=f"a subset of {','.join(SERVERS)}")
    parser.add_argument("--xsrv-args", default="",
                        help='extra arguments for every xsrv-kg serve, e.g. "--workers 2"')
    parser.add_argument("--check-timeout", type=float, default=5.0,
                        help="seconds a query may take in the row-count check (default 5)")
    parser.add_argument("--page-repeat", type=int, default=5,
                        help="requests per page after the first (0: no pages; default 5)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--python-client", action="store_true",
                        help="use the Python client even if wrk is installed")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "xsrv-scale-data",
                        help="where generated data is kept between runs (shared with scale.py)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    args.connections = [int(c) for c in args.connections.split(",") if c.strip()]
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    args.sizes = [0 if s.strip() == "shipped" else int(float(s))
                  for s in args.sizes.split(",") if s.strip()]
    args.xsrv_args = shlex.split(args.xsrv_args)
    if set(args.servers) - set(SERVERS) or not args.servers:
        parser.error(f"--servers takes some of {', '.join(SERVERS)}")
    if not args.connections or min(args.connections) < 1 or args.slices < 1:
        parser.error("--connections and --slices take positive integers")
    args.use_wrk = wrk.executable() is not None and not args.python_client
    if args.use_wrk and (args.seconds % args.slices or args.seconds_at_scale % args.slices):
        parser.error("wrk runs whole seconds: --seconds and --seconds-at-scale must be "
                     "multiples of --slices")
    args.servers = [s for s in SERVERS if s in args.servers]
    return run(args)


if __name__ == "__main__":
    main()
