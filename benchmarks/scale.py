"""Scale benchmark: load, size, memory, query latency and validation per backend and size.

    python benchmarks/scale.py [--sizes 1e4,1e5,1e6] [--backends memory,oxigraph,sparql]
                               [--repeat 5] [--pyshacl-max 1e5] [--markdown]

For each size, ``benchmarks/generate.py --triples N`` writes synthetic county plans (once,
deterministic by seed); the project's own ontology, shapes and data are loaded with them, so
the curated queries find the real plan among the synthetic ones. Each (size, backend) cell
runs in a fresh Python process, so its peak memory is its own:

- ``memory``: the embedded in-memory Oxigraph, filled as ``xsrv-kg serve`` fills it;
- ``oxigraph``: the embedded on-disk store, filled as ``xsrv-kg load --store oxigraph:DIR``;
- ``sparql``: ``oxigraph serve --location DIR --union-default-graph`` (from PyPI) on
  loopback, filled and queried through our ``sparql:`` backend (Graph Store PUT per graph).
  Its memory column adds the server's peak RSS to the client's.

Columns: load time (parse + write, everything in the store), store size on disk, peak RSS,
the curated mix (every ``queries/*.rq`` but the federated ones, run ``--repeat`` times after
one warm-up run, each result serialized to SPARQL JSON as the endpoint does: p50 and p95 over
all runs, and the slowest query's p50), and full validation with the in-store engine and,
up to ``--pyshacl-max`` triples, with pySHACL (the reference engine). The targets of issue 6
are checked at the largest size and printed as PASS / MISS lines.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

BACKENDS = ("memory", "oxigraph", "sparql")
TARGETS = {"load_s": 60.0, "p50_ms": 50.0, "validate_s": 60.0, "peak_mb": 4096.0}


# --- one cell, in its own process ------------------------------------------------------------

def _rss_peak_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB; ours by default."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _curated() -> dict[str, str]:
    """The curated queries; those that take a document (``?doc``, every document by default)
    bound to the real plan, as a link from its overview runs them (the synthetic plans make
    the every-document form an answer of thousands of rows)."""
    import pyoxigraph as ox

    from xsrv_kg.sparql.bindings import bind_parameters
    from xsrv_kg.sparql.header import parameters

    plan = {"doc": ox.NamedNode("https://w3id.org/xsrv-kg/id/doc/xiushan-plan")}
    found = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        if path.name.startswith("federated-"):
            continue
        text = path.read_text(encoding="utf-8")
        takes_doc = any(p.name == "doc" for p in parameters(text))
        found[path.stem] = bind_parameters(text, plan) if takes_doc else text
    return found


def measure_cell(backend: str, data: Path, repeat: int, pyshacl: bool) -> dict[str, object]:
    """Fill a store of kind ``backend`` with the project plus ``data`` and measure it."""
    from contextlib import ExitStack

    from tests.backends import oxigraph_server  # the same server the tests start
    from xsrv_kg.config import Config
    from xsrv_kg.query.executor import QueryJob, execute
    from xsrv_kg.query.negotiation import negotiate
    from xsrv_kg.sources.loader import load, project_files, push
    from xsrv_kg.store import open_store
    from xsrv_kg.validation import validate

    config = Config()
    sources = project_files(config, [config.data_dir, data])
    work = Path(tempfile.mkdtemp(prefix=f"xsrv-scale-{backend}-"))
    out: dict[str, object] = {"backend": backend}
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, work, ignore_errors=True)
        server_pid = None
        began = time.perf_counter()
        if backend == "memory":
            store = open_store("memory")
            load(store, sources)
        elif backend == "oxigraph":
            store = open_store(f"oxigraph:{work / 'db'}")
            push(store, sources)
        else:
            server = cleanup.enter_context(
                oxigraph_server(work / "db", union_default_graph=True))
            server_pid = server.process.pid
            store = server.open()
            push(store, sources)
        cleanup.callback(store.close)
        out["load_s"] = time.perf_counter() - began
        out["quads"] = len(store)
        out["disk_mb"] = _du(work) / 2**20 if backend != "memory" else None

        chosen = negotiate("application/sparql-results+json")
        timings: dict[str, list[float]] = {}
        for name, text in _curated().items():
            job = QueryJob(text=text, negotiated=chosen)
            execute(store, job)  # warm-up
            runs = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                execute(store, job)
                runs.append((time.perf_counter() - t0) * 1000)
            timings[name] = runs
        every = sorted(t for runs in timings.values() for t in runs)
        out["p50_ms"] = statistics.median(every)
        out["p95_ms"] = every[min(len(every) - 1, int(0.95 * len(every)))]
        slowest = max(timings, key=lambda n: statistics.median(timings[n]))
        out["slowest"] = f"{slowest} {statistics.median(timings[slowest]):.0f}"

        t0 = time.perf_counter()
        report = validate(store, config, engine="store")
        out["validate_s"] = time.perf_counter() - t0
        out["violations"] = report.counts()["Violation"]
        if pyshacl:
            t0 = time.perf_counter()
            reference = validate(store, config, engine="pyshacl")
            out["pyshacl_s"] = time.perf_counter() - t0
            out["same_counts"] = reference.counts() == report.counts()
        out["peak_mb"] = _rss_peak_mb() + (_rss_peak_mb(server_pid) if server_pid else 0)
    return out


# --- the driver ------------------------------------------------------------------------------

def generate(size: int, cache: Path) -> Path:
    """Synthetic data of about ``size`` triples (made once per size and kept in ``cache``)."""
    target = cache / f"triples-{size}"
    if not (target / ".done").exists():
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(size),
                        "--out", str(target)], check=True, stdout=subprocess.DEVNULL)
        (target / ".done").write_text("")
    return target


def run_cell(backend: str, data: Path, repeat: int, pyshacl: bool) -> dict[str, object]:
    cmd = [sys.executable, __file__, "_cell", backend, str(data), str(repeat),
           "1" if pyshacl else "0"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"backend": backend, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(value: object, spec: str = ".1f") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return format(value, spec)
    return str(value)


def table(rows: list[dict[str, object]]) -> str:
    head = ("| size | backend | quads | load s | disk MiB | peak RSS MiB | curated p50 ms "
            "| p95 ms | slowest (p50 ms) | validate s (in-store) | validate s (pySHACL) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['size']:,} | {r['backend']} | error: {r['error']} |")
            continue
        lines.append(
            f"| {r['size']:,} | {r['backend']} | {r['quads']:,} | {_fmt(r['load_s'])} "
            f"| {_fmt(r['disk_mb'])} | {_fmt(r['peak_mb'], '.0f')} | {_fmt(r['p50_ms'], '.2f')} "
            f"| {_fmt(r['p95_ms'], '.1f')} | {r['slowest']} | {_fmt(r['validate_s'])} "
            f"| {_fmt(r.get('pyshacl_s'))} |")
    return "\n".join(lines)


def verdicts(rows: list[dict[str, object]]) -> list[str]:
    """PASS / MISS against issue 6's targets at the largest size measured."""
    ok = [r for r in rows if "error" not in r]
    if not ok:
        return []
    largest = max(r["size"] for r in ok)  # type: ignore[type-var]
    at = {r["backend"]: r for r in ok if r["size"] == largest}
    lines = []
    for backend, r in at.items():
        for key, limit in TARGETS.items():
            if key == "p50_ms" and backend != "memory":
                continue
            value = float(r[key])  # type: ignore[arg-type]
            verdict = "PASS" if value < limit else "MISS"
            lines.append(f"{verdict} {backend} at {largest:,}: {key} {value:.2f} < {limit:g}")
    if "memory" in at and "sparql" in at:
        ratio = float(at["sparql"]["p50_ms"]) / float(at["memory"]["p50_ms"])  # type: ignore
        lines.append(f"{'PASS' if ratio <= 2 else 'MISS'} sparql p50 / memory p50 at "
                     f"{largest:,}: {ratio:.2f}x (target <= 2x)")
    return lines


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_cell":
        backend, data, repeat, pyshacl = argv[1:5]
        print(json.dumps(measure_cell(backend, Path(data), int(repeat), pyshacl == "1")))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyshacl-max", type=float, default=2e4,
                        help="Run pySHACL too up to this many triples (it is the slow one).")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "xsrv-scale-data",
                        help="Where generated data is kept between runs.")
    args = parser.parse_args(argv)
    from benchmarks.machine import loadavg, machine

    for key, value in machine().items():
        print(f"{key}: {value}")
    rows: list[dict[str, object]] = []
    for size in (int(float(s)) for s in args.sizes.split(",")):
        data = generate(size, args.cache)
        for backend in args.backends.split(","):
            if backend not in BACKENDS:
                raise SystemExit(f"unknown backend {backend!r}: use {', '.join(BACKENDS)}")
            row = run_cell(backend, data, args.repeat, size <= args.pyshacl_max
                           and backend == "memory")
            row["size"] = size
            rows.append(row)
            print(f"  measured {size:,} on {backend}", file=sys.stderr, flush=True)
    print(f"load average at end: {loadavg()}\n")
    print(table(rows))
    print()
    for line in verdicts(rows):
        print(line)


if __name__ == "__main__":
    main()
