"""Many documents, one service: the per-document pages and queries at N documents (issue 16).

    python benchmarks/documents.py                       # 1,000 documents of mixed kinds
    python benchmarks/documents.py --documents 50 --repeat 3  # a quick look

Why: a service of every county's plans and every prefecture's lists holds thousands of
documents, and each surface that takes a document (``/overview?doc=``, the curated queries'
``doc`` parameter) must answer for any one of them as fast as for the first. A page seen once
is remembered (per store version), so the first request for a document is the one that
counts: a new question meets the cold path. Each cold figure here is the first request for a
document not asked about before, on a server with its result cache off (``--cache-mb 0``);
the warm figure is the same request again.

The data: ``benchmarks/generate.py --documents N`` (synthetic county plans and designation
notices, mixed; see its docstring), served by ``xsrv-kg serve`` from the files. Printed: one
row per surface with cold p50 and max over ``--repeat`` documents, warm p50, and the page
target (200 ms) met or missed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import machine  # noqa: E402
from benchmarks.support import launched, request  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402

TARGET_MS = 200.0
HTML = "text/html"


def timed(port: int, path: str, accept: str = HTML) -> tuple[float, int, bytes]:
    """Milliseconds for one GET, its status and body."""
    began = time.perf_counter()
    status, body, _ = request(port, "GET", path, None, {"Accept": accept}, timeout=120)
    return (time.perf_counter() - began) * 1000, status, body


def documents_of(port: int) -> list[dict[str, object]]:
    """Every document of the index, page by page (1,000 a page)."""
    found: list[dict[str, object]] = []
    path: str | None = "/documents.json?size=1000"
    while path:
        status, body, _ = request(port, "GET", path, None, {}, timeout=300)
        if status != 200:
            raise RuntimeError(f"{path} gave HTTP {status}")
        page = json.loads(body)
        found += page["documents"]
        path = page.get("next")
    return found


def doc_queries(port: int) -> list[str]:
    """The curated queries that take a ``doc`` parameter (their ``# param: doc`` line)."""
    status, body, _ = request(port, "GET", "/queries.json", None, {}, timeout=60)
    if status != 200:
        return []
    return [str(entry["name"]) for entry in json.loads(body)["queries"]
            if "# param: doc " in entry["query"]]


class Row:
    def __init__(self, surface: str) -> None:
        self.surface, self.cold, self.warm, self.statuses = surface, [], [], set()

    def line(self) -> str:
        cold = statistics.median(self.cold) if self.cold else float("nan")
        worst = max(self.cold) if self.cold else float("nan")
        warm = f"{statistics.median(self.warm):.0f}" if self.warm else "–"
        met = "met" if cold < TARGET_MS else "MISSED"
        return (f"| {unquote(self.surface)} | {len(self.cold)} | {cold:.0f} | {worst:.0f} "
                f"| {warm} "
                f"| {','.join(map(str, sorted(self.statuses)))} | {met} |")


def measure(port: int, docs: list[dict[str, object]], repeat: int,
            seed: int) -> list[Row]:
    rng = random.Random(seed)
    picked = rng.sample(docs, min(len(docs), repeat * (2 + len(doc_queries(port)))))
    rows = []
    for path, accept in (("/documents", HTML), ("/documents.json", "application/json"),
                         ("/documents?q=" + quote("合成县0005"), HTML),
                         ("/documents.json?page=5", HTML)):
        row = Row(path)
        for i in range(repeat + 1):
            took, status, _ = timed(port, path, accept)
            row.statuses.add(status)
            (row.cold if i == 0 else row.warm).append(took)
        rows.append(row)
    cursor = iter(picked)
    for surface in ("/overview?doc=", "/overview.json?doc="):
        row = Row(surface + "…")
        for _ in range(repeat):
            doc = next(cursor)
            path = surface + quote(str(doc["iri"]), safe="")
            took, status, _ = timed(port, path)
            row.cold.append(took)
            row.statuses.add(status)
            took, status, _ = timed(port, path)
            row.warm.append(took)
        rows.append(row)
    for name in doc_queries(port):
        row = Row(f"/queries/{name}.json?doc=…")
        for _ in range(repeat):
            doc = next(cursor, None) or rng.choice(docs)
            path = f"/queries/{name}.json?" + urlencode({"doc": doc["iri"]})
            took, status, _ = timed(port, path, "application/json")
            row.cold.append(took)
            row.statuses.add(status)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10,
                        help="documents asked about per surface (each once cold, once warm)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/xsrv-bench-documents"),
                        help="where the generated data is kept between runs")
    args = parser.parse_args(argv)
    data = args.cache / f"documents-{args.documents}-seed{args.seed}"
    if not (data / "errors.json").exists():
        summary = generate(data, documents=args.documents, seed=args.seed, force=True)
        print(summary.line())
    command = [sys.executable, "-m", "xsrv_kg", "serve", str(data), "--port", "{port}",
               "--cache-mb", "0"]
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    began = time.perf_counter()
    with launched(command, probe="/documents.json", timeout=900) as server:
        print(f"served {args.documents} documents: up in {time.perf_counter() - began:.0f} s")
        docs = documents_of(server.port)
        rows = measure(server.port, docs, args.repeat, args.seed)
    print(f"\n{len(docs)} documents; cold = the first request for a document (result cache "
          f"off), warm = the same again; target < {TARGET_MS:.0f} ms\n")
    print("| surface | documents asked | cold p50 ms | cold max ms | warm p50 ms | statuses "
          "| target |")
    print("|---|---:|---:|---:|---:|---|---|")
    for row in rows:
        print(row.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
