"""What a run measured: statistics per class of request, the invariants checked over all
answers, and the PASS/FAIL lines and Markdown table printed at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from benchmarks.support import percentile

from .client import Outcome
from .mix import CLASSES


@dataclass
class ClassStats:
    name: str
    requests: int
    statuses: Counter
    p50_ms: float
    p99_ms: float
    max_ms: float
    #: Seconds from the start of the load to the last answer of this class.
    span_s: float
    #: Answers of this class per second of its span (the total: of the whole load).
    rate: float

    @classmethod
    def of(cls, name: str, outcomes: list[Outcome], seconds: float | None = None) -> ClassStats:
        lat = sorted(o.seconds for o in outcomes)
        span = max((o.finished for o in outcomes), default=0.0)
        over = seconds if seconds is not None else span
        return cls(name, len(outcomes), Counter(o.status for o in outcomes),
                   percentile(lat, 50) * 1000, percentile(lat, 99) * 1000,
                   (lat[-1] if lat else float("nan")) * 1000, span,
                   len(outcomes) / over if over else 0.0)

    def status_text(self) -> str:
        return ", ".join(f"{s or 'no answer'}×{n}" for s, n in sorted(self.statuses.items()))


@dataclass
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass
class LoadResult:
    """Everything the run measured; ``passed`` is what the exit status reports."""

    options: dict[str, object]
    machine: dict[str, str]
    plan: dict[str, int]
    workers: int
    slow_concurrency: int
    startup_s: float
    load_s: float
    wall_s: float
    throughput: float
    classes: dict[str, ClassStats]
    total: ClassStats
    rss_start_mb: float
    rss_peak_mb: float
    rss_end_mb: float
    rss_bound_mb: float
    #: The server process alone (without its workers): start, peak, end.
    server_rss_mb: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: Throughput of everything but the slow queries, up to their last answer.
    fast_throughput: float = 0.0
    fast_span_s: float = 0.0
    #: Curated answers, and how many of them came from the result cache.
    curated_hits: tuple[int, int] = (0, 0)
    #: 503 answers by error type and class, e.g. ``{"query-timeout (slow)": 12}``.
    unavailable: dict[str, int] = field(default_factory=dict)
    #: Seconds each page took in the warm-up pass (empty with ``--cold``).
    warm_up_s: dict[str, float] = field(default_factory=dict)
    #: Per kind of request: requests, statuses, p50 / max latency (``--variants`` prints it).
    variants: list[ClassStats] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a sample of failing answers

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def mb(n: float) -> float:
    return n / (1 << 20)


def evaluate(outcomes: list[Outcome], time_limit: float) -> list[Check]:
    """The invariants over all answers (the server's own checks are added by ``run``)."""
    by = {cls: [o for o in outcomes if o.spec.cls == cls] for cls in CLASSES}
    checks = []

    no_answer = [o for o in outcomes if o.status == 0]
    checks.append(Check("every request got an HTTP answer (no hang, no broken connection)",
                        not no_answer, _sample(no_answer)))
    bad_5xx = [o for o in outcomes if o.status >= 500
               and not (o.status == 503 and o.error_type == "query-timeout")]
    checks.append(Check("no 5xx except 503 query-timeout", not bad_5xx, _sample(bad_5xx)))
    wrong = [o for o in by["curated"] if o.problem]
    checks.append(Check("every curated query 200, in the format asked for, with the "
                        "reference row count", not wrong, _sample(wrong)))
    not_4xx = [o for o in by["malformed"] if not 400 <= o.status < 500]
    checks.append(Check("every malformed request got a 4xx", not not_4xx, _sample(not_4xx)))
    not_expected = [o for o in by["malformed"] if o.problem and o not in not_4xx]
    checks.append(Check("every malformed request got the 4xx of its kind", not not_expected,
                        _sample(not_expected)))
    slow_wrong = [o for o in by["slow"] if o.problem]
    worst = max((o.seconds for o in by["slow"]), default=0.0)
    checks.append(Check(f"slow queries 503 query-timeout within the time limit + 1 s "
                        f"({time_limit + 1:g} s; slowest {worst:.2f} s)",
                        not slow_wrong, _sample(slow_wrong)))
    pages_wrong = [o for o in by["page"] if o.problem]
    checks.append(Check("every page 200 with its Content-Type", not pages_wrong,
                        _sample(pages_wrong)))
    return checks


def _sample(bad: list[Outcome], limit: int = 3) -> str:
    if not bad:
        return ""
    kinds = Counter(o.spec.variant for o in bad)
    first = bad[0]
    return (f"{len(bad)} answers ({', '.join(f'{k} ×{n}' for k, n in kinds.most_common(4))});"
            f" e.g. {first.spec.method} {first.spec.target[:80]}: {first.problem}")


def log_excerpt(log: str) -> str:
    at = log.find("Traceback")
    if at < 0:
        at = log.find("unexpected error")
    return "" if at < 0 else log[max(0, at - 200):at + 800]


def report(result: LoadResult, variants: bool = False) -> None:
    if variants:
        print("\nper kind of request:")
        width = max(len(v.name) for v in result.variants)
        for v in result.variants:
            print(f"  {v.name:<{width}} {v.requests:>5}  p50 {v.p50_ms:7.1f} ms  max "
                  f"{v.max_ms:7.1f} ms  {v.status_text()}")
    print()
    for check in result.checks:
        line = f"{'PASS' if check.passed else 'FAIL'}  {check.name}"
        if not check.passed and check.detail:
            line += f"\n      {check.detail}"
        print(line)
    if result.problems:
        print("\nfirst failing answers:")
        for p in result.problems:
            print(f"  {p}")
    opts = result.options
    cache = "default (64 MiB)" if opts["cache_mb"] is None else f"{opts['cache_mb']} MB"
    print(f"\n### Load test: {opts['requests']} requests, {opts['clients']} clients, "
          f"time limit {opts['time_limit']:g} s, seed {opts['seed']}\n")
    for key, value in result.machine.items():
        print(f"- {key}: {value}")
    print(f"- server: `xsrv-kg serve --port 0 --time-limit {opts['time_limit']:g}`, "
          f"{result.workers} query workers, result cache {cache}, max body "
          f"{opts['max_body']} bytes; up in {result.startup_s:.1f} s")
    print(f"- at most {result.slow_concurrency} slow "
          f"quer{'y' if result.slow_concurrency == 1 else 'ies'} in flight; pages "
          + ("not warmed up" if opts["cold"] else
             "warmed up (first /shacl took "
             f"{result.warm_up_s.get('/shacl turtle', float('nan')):.1f} s alone)") + "\n")
    header = ["class", "requests", "status codes", "p50 ms", "p99 ms", "max ms",
              "last answer s", "req/s"]
    print("| " + " | ".join(header) + " |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for stats in [*result.classes.values(), result.total]:
        name = f"**{stats.name}**" if stats.name == "total" else stats.name
        print(f"| {name} | {stats.requests} | {stats.status_text()} | {stats.p50_ms:.1f} | "
              f"{stats.p99_ms:.1f} | {stats.max_ms:.1f} | {stats.span_s:.1f} | "
              f"{stats.rate:.1f} |")
    srv = result.server_rss_mb
    hits, answers = result.curated_hits
    print(f"\nResult cache: {hits} of {answers} curated answers were hits. 503 answers: "
          + (", ".join(f"{k} ×{n}" for k, n in sorted(result.unavailable.items())) or "none")
          + ".")
    fast_n = result.total.requests - result.classes["slow"].requests
    print(f"\nThroughput {result.throughput:.1f} req/s over the {result.load_s:.1f} s of load "
          f"({fast_n} requests other than slow ones: {result.fast_throughput:.1f} req/s until "
          f"the last of them at {result.fast_span_s:.1f} s; the slow ones run "
          f"{result.slow_concurrency} at a time and finish last). Wall time "
          f"{result.wall_s:.1f} s (server start to stop). RSS of the server and its workers: "
          f"start {result.rss_start_mb:.0f} MB, peak {result.rss_peak_mb:.0f} MB, end "
          f"{result.rss_end_mb:.0f} MB (bound {result.rss_bound_mb:.0f} MB); the server "
          f"process alone {srv[0]:.0f} / {srv[1]:.0f} / {srv[2]:.0f} MB. "
          f"{sum(c.passed for c in result.checks)} of {len(result.checks)} checks pass: "
          f"{'PASS' if result.passed else 'FAIL'}.")

