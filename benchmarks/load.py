"""Bounded load test: many clients, a mixed workload, the server's limits and memory watched.

    python benchmarks/load.py [--requests 5000] [--clients 32] [--time-limit 2] [--seed 1]
                              [--slow N] [--cache-mb MB] [--max-body BYTES] [--cold]
                              [--rss-growth-mb 300] [--variants] [--quiet]

Starts ``xsrv-kg serve --port 0`` on 127.0.0.1 (the embedded in-memory store, the default
number of query workers, the given time limit) as a subprocess, fires ``--requests``
requests from ``--clients`` threads (one keep-alive ``http.client`` connection each), then
stops the server with SIGTERM and checks that it exits cleanly. All traffic is loopback.

The workload is a seeded, deterministic mix of four classes:

- ``curated`` (80 %): the ``queries/*.rq`` files (not ``federated-*``) by GET, form POST and
  direct POST, in SPARQL JSON, XML, CSV or TSV chosen by ``Accept`` (once with Turtle
  preferred, which a SELECT cannot give) or by ``format=``; half of them accept gzip. Every
  answer must be 200 in the format asked for, with the row count of a reference pass;
- ``malformed`` (12 %): syntax errors, wrong or missing Content-Type, no query, unknown
  format, nothing acceptable, invalid UTF-8, a body over ``--max-body``, repeated
  parameters, updates on a read-only endpoint, a refused SERVICE, PUT, a bad graph IRI, an
  unknown resource. Every one must get its 4xx;
- ``slow`` (3 %, capped): queries that cannot finish (a 4-way cross join and a join of two
  any-predicate path closures, both counted so that no row cap can cut them short). Each
  must get 503 ``query-timeout`` within the time limit + 1 s. Each one holds a query worker
  for the whole time limit and then has it killed and replaced, so at most ``workers - 1``
  are in flight at once, each keeping its place for ``RESPAWN_GRACE`` after its answer while
  the replacement starts (one worker always serves everyone else, which is what the server
  promises; without that, the others wait for a worker and the wait counts against their
  own time limit). Their number is capped so that they fit in about 40 s of run time;
- ``page`` (5 %): ``/``, ``/overview``, ``/id/…`` (HTML and Turtle), ``/shacl``,
  ``/validation``, the service description, … Every one must be 200.

Before the load, a reference pass runs each curated query once (JSON: its row count) and,
unless ``--cold``, a warm-up pass fetches each page but ``/id/…`` once (the SHACL report is
computed on first use, by pySHACL in the server process); both are timed apart.

Meanwhile the RSS of the server and its worker processes (from /proc) is sampled every
0.5 s. The run prints PASS/FAIL lines and one Markdown table, and exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.loadtest.client import (  # noqa: E402
    Client,
    Outcome,
    fire,
    reference_rows,
    resource_iris,
    warm_up,
)
from benchmarks.loadtest.mix import (  # noqa: E402
    CLASSES,
    RESPAWN_GRACE,
    SHARES,
    SLOW_BUDGET,
    SOLUTION_TYPES,
    build_plan,
    curated_queries,
    malformed_specs,
    page_specs,
    plan_counts,
    query_request,
    slow_cap,
    slow_specs,
)
from benchmarks.loadtest.report import (  # noqa: E402
    Check,
    ClassStats,
    LoadResult,
    evaluate,
    log_excerpt,
    mb,
    report,
)
from benchmarks.loadtest.server import MemorySampler, Server, running, workers_of  # noqa: E402
from benchmarks.machine import machine  # noqa: E402  (the same description of the machine)
from xsrv_kg.config import Config  # noqa: E402

__all__ = ["CLASSES", "build_plan", "curated_queries", "main", "malformed_specs", "page_specs",
           "plan_counts", "run", "slow_cap", "slow_specs"]

#: The whole run (server start to server stop) must take less than this.
WALL_LIMIT = 120.0


def run(args: argparse.Namespace) -> LoadResult:
    """Start the server, fire the plan, check the invariants; print as it goes."""
    began = time.monotonic()
    info = machine()
    queries = curated_queries()
    workdir = Path(tempfile.mkdtemp(prefix="xsrv-load-"))
    server = Server(args, workdir)
    sampler: MemorySampler | None = None
    checks: list[Check] = []
    try:
        startup = server.wait_ready()
        print(f"server: {' '.join(server.command[1:])}\n  pid {server.pid}, port "
              f"{server.port}, {server.workers} query workers, up in {startup:.1f} s")
        slow_concurrency = args.slow_concurrency or max(1, server.workers - 1)
        cap = slow_cap(args.time_limit, slow_concurrency)
        counts = plan_counts(args.requests, cap, args.slow)
        base = Config.from_env().base_iri
        reference = reference_rows(server.port, queries)
        iris = resource_iris(server.port, base, args.seed)
        malformed = malformed_specs(args.max_body)
        slow = slow_specs()
        pages = page_specs(iris, base)
        plan = build_plan(counts, args.seed, queries, malformed, slow, pages)
        warm = {} if args.cold else warm_up(server.port, pages)
        if warm:
            print("warm-up (each page once, alone; not measured below): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in warm.items()))
        else:
            print("no warm-up: the first /shacl and /validation run pySHACL under the load")
        print(f"plan (seed {args.seed}): {args.requests} requests from {args.clients} clients: "
              + ", ".join(f"{counts[c]} {c} ({counts[c] / args.requests:.1%})"
                          for c in CLASSES))
        print(f"  curated: {len(queries)} queries × GET/form/direct × json/xml/csv/tsv/"
              f"turtle-first/*/*/format=; malformed: {len(malformed)} kinds; pages: "
              f"{len(pages)} ({len(iris)} /id/ resources × html/turtle + 10 others)")
        print(f"  slow: {counts['slow']} (nominal {SHARES['slow']:.0%} = "
              f"{round(args.requests * SHARES['slow'])}, "
              + ("capped" if args.slow is None else "set by --slow; the cap is")
              + f" {cap}: each holds a worker "
              f"for the {args.time_limit:g} s limit; at most {slow_concurrency} in flight, so "
              f"{server.workers - slow_concurrency} of {server.workers} workers stay free; each "
              f"keeps its place {RESPAWN_GRACE:g} s after its answer while the worker it "
              "cost is replaced)")

        sampler = MemorySampler(server.pid)
        rss_start = sampler.sample()
        sampler.start()
        outcomes, load_s = fire(server.port, plan, args.clients, slow_concurrency, reference,
                                args.time_limit, progress=not args.quiet)
        alive = server.alive()
        # The pool must be whole again once the last killed worker has been replaced.
        settle = time.monotonic() + 15
        while time.monotonic() < settle and len(workers_of(server.pid)) != server.workers:
            time.sleep(0.2)
        pool = len(workers_of(server.pid))
        after = Client(server.port)
        status, _, _, _ = after.send(query_request(
            "curated", "after", "GET", "ASK {}", {"Accept": SOLUTION_TYPES["json"]}))
        after.close()
        sampler.stop()
        rss_end = sampler.sample()
        rss_peak = max(s[1] for s in sampler.samples)
        server_rss = (mb(sampler.samples[0][2]), mb(max(s[2] for s in sampler.samples)),
                      mb(sampler.samples[-1][2]))
        worker_pids = workers_of(server.pid)
        server.stop()
        gone = not [p for p in worker_pids if running(p)]
        log = server.log()
        wall = time.monotonic() - began

        checks += evaluate(outcomes, args.time_limit)
        checks.append(Check("the server stayed up through the load", alive))
        checks.append(Check(f"the worker pool is back to {server.workers} after the load, and "
                            "answers", pool == server.workers and status == 200,
                            f"{pool} workers, ASK {{}} gave HTTP {status}"))
        growth = mb(rss_peak - rss_start)
        checks.append(Check(f"peak RSS <= start + {args.rss_growth_mb:g} MB (grew "
                            f"{growth:.0f} MB)", growth <= args.rss_growth_mb))
        checks.append(Check("no traceback or unexpected error in the server log",
                            "Traceback" not in log and "unexpected error" not in log,
                            log_excerpt(log)))
        checks.append(Check("SIGTERM stops the server: exit status 0, workers gone",
                            server.stopped_by_sigterm and server.exit_code == 0 and gone,
                            f"exit status {server.exit_code}, "
                            f"{'workers gone' if gone else 'workers left running'}"))
        checks.append(Check(f"total wall time < {WALL_LIMIT:g} s ({wall:.1f} s)",
                            wall < WALL_LIMIT))
    finally:
        server.stop()  # first: whatever failed, no server is left behind
        if sampler is not None:
            sampler.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    classes = {c: ClassStats.of(c, [o for o in outcomes if o.spec.cls == c]) for c in CLASSES}
    total = ClassStats.of("total", outcomes, load_s)
    fast = ClassStats.of("fast", [o for o in outcomes if o.spec.cls != "slow"])
    kinds: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        kinds.setdefault((o.spec.cls, o.spec.variant), []).append(o)
    variants = [ClassStats.of(f"{c} / {v}", kinds[c, v]) for c, v in sorted(kinds)]
    problems = [f"at {o.finished:.1f} s, {o.spec.cls} / {o.spec.variant}: "
                f"{(o.problem or '').strip()[:240]}" for o in outcomes if o.problem][:20]
    sparql = [o for o in outcomes if o.spec.target.startswith("/sparql") and o.status == 200
              and o.spec.cls == "curated"]
    shed = Counter(f"{o.error_type} ({o.spec.cls})" for o in outcomes if o.status == 503)
    return LoadResult(
        options={k: getattr(args, k) for k in ("requests", "clients", "time_limit", "seed",
                                                 "slow", "cache_mb", "max_body",
                                                 "rss_growth_mb", "cold")},
        machine=info, plan=counts, workers=server.workers,
        slow_concurrency=slow_concurrency, startup_s=startup, load_s=load_s, wall_s=wall,
        throughput=total.rate, classes=classes, total=total,
        rss_start_mb=mb(rss_start), rss_peak_mb=mb(rss_peak), rss_end_mb=mb(rss_end),
        rss_bound_mb=mb(rss_start) + args.rss_growth_mb, server_rss_mb=server_rss,
        fast_throughput=fast.rate, fast_span_s=fast.span_s, variants=variants, warm_up_s=warm,
        curated_hits=(sum(o.cached for o in sparql), len(sparql)), unavailable=dict(shed),
        checks=checks, problems=problems)



def main(argv: list[str] | None = None) -> LoadResult:
    parser = argparse.ArgumentParser(
        description="Bounded load test of xsrv-kg serve on loopback: curated, malformed, "
                    "slow and page requests from many clients; checks limits and memory.")
    parser.add_argument("--requests", type=int, default=5000, help="requests in all")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--time-limit", type=float, default=2.0,
                        help="the server's --time-limit in seconds (default: 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mix (default: 1)")
    parser.add_argument("--cache-mb", type=int, default=None,
                        help="the server's --cache-mb (default: the server's, 64)")
    parser.add_argument("--max-body", type=int, default=Config().max_body,
                        help="the server's --max-body; the oversize requests exceed it "
                             "(default: 1 MiB)")
    parser.add_argument("--slow", type=int, default=None,
                        help="number of slow queries (default: 3%% of the requests, capped "
                             f"so that they fit in about {SLOW_BUDGET:g} s)")
    parser.add_argument("--slow-concurrency", type=int, default=None,
                        help="slow queries in flight at most (default: workers - 1)")
    parser.add_argument("--rss-growth-mb", type=float, default=300.0,
                        help="the peak RSS may exceed the start by this much (default: 300)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up pass over the pages: the first /shacl and "
                             "/validation (pySHACL, in the server process) run under the load")
    parser.add_argument("--variants", action="store_true",
                        help="also print latency and statuses per kind of request")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1 or args.time_limit < 0.1 \
            or (args.slow is not None and args.slow < 0):
        parser.error("--requests and --clients must be positive, --time-limit >= 0.1, "
                     "--slow >= 0")
    result = run(args)
    report(result, args.variants)
    return result


if __name__ == "__main__":
    sys.exit(0 if main().passed else 1)
